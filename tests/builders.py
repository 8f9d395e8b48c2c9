"""Builders for test inputs: PDFs (reportlab, CJK font), DOCX (python-docx) and HTML strings.

Other test modules import these to make fixtures on the fly instead of
committing binary files.  Every figure in the generated documents is written
as a string: no float ever touches an amount.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

_FONTS: dict[str, str] = {}


def cjk_font(kind: str = "cid") -> str:
    """Register and return a CJK font name: ``cid`` = built-in STSong-Light, ``ttf`` = embedded WenQuanYi."""
    if kind in _FONTS:
        return _FONTS[kind]
    from reportlab.pdfbase import pdfmetrics

    if kind == "ttf" and WQY.exists():
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("WQY", str(WQY), subfontIndex=0))
        _FONTS[kind] = "WQY"
    else:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        _FONTS[kind] = "STSong-Light"
    return _FONTS[kind]


def make_pdf(
    path: str | Path,
    pages: Sequence[Sequence[str]],
    *,
    header: str | None = None,
    footer: str | None = None,
    page_number: str | None = "— {n} —",
    table: tuple[int, Sequence[Sequence[str]]] | None = None,
    font: str = "ttf",
    fake_bold: bool = False,
    user_password: str | None = None,
    owner_password: str | None = None,
    size: int = 12,
) -> Path:
    """A PDF with one list of lines per page, optional running header/footer/page number and one ruled table.

    ``table`` is ``(page_index, rows)``: a ruled grid drawn below that page's lines.
    ``fake_bold`` draws every glyph twice, 0.3 pt apart, as Word's fake bold does.
    A password makes the PDF encrypted (an empty user password still opens).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = Path(path)
    name = cjk_font(font)
    kw = {}
    if user_password is not None or owner_password is not None:
        from reportlab.lib import pdfencrypt

        kw["encrypt"] = pdfencrypt.StandardEncryption(user_password or "", ownerPassword=owner_password or "owner", canPrint=1)
    c = canvas.Canvas(str(path), pagesize=A4, **kw)
    width, height = A4
    for i, lines in enumerate(pages):
        if header:
            c.setFont(name, 9)
            c.drawCentredString(width / 2, height - 40, header)
        c.setFont(name, size)
        y = height - 80
        for line in lines:
            c.drawString(72, y, line)
            if fake_bold:
                c.drawString(72.3, y, line)
            y -= size * 1.8
        if table and table[0] == i:
            y = _draw_table(c, name, table[1], 72, y - 10)
        if footer:
            c.setFont(name, 9)
            c.drawString(72, 50, footer)
        if page_number:
            c.setFont(name, 9)
            c.drawCentredString(width / 2, 30, page_number.format(n=i + 1))
        c.showPage()
    c.save()
    return path


def _draw_table(c, font: str, rows: Sequence[Sequence[str]], x0: float, top: float, col_w: float = 110, row_h: float = 22) -> float:
    """A fully ruled grid with each cell's text inside; returns the y below it."""
    ncols = max(len(r) for r in rows)
    c.setFont(font, 10)
    for r, row in enumerate(rows):
        y = top - r * row_h
        for k in range(ncols):
            x = x0 + k * col_w
            c.rect(x, y - row_h, col_w, row_h, stroke=1, fill=0)
            if k < len(row) and row[k]:
                c.drawString(x + 4, y - row_h + 7, row[k])
    return top - len(rows) * row_h - 20


def make_many_pages_pdf(path: str | Path, n: int) -> Path:
    """A PDF with ``n`` short pages (for the page limit)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(n):
        c.drawString(72, 700, f"page {i + 1}")
        c.showPage()
    c.save()
    return Path(path)


def make_image_only_pdf(path: str | Path) -> Path:
    """A PDF page with only a drawn rectangle and no text layer (a scan stand-in)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 300, stroke=1, fill=1)
    c.showPage()
    c.save()
    return Path(path)


def make_docx(path: str | Path, blocks: Sequence[object]) -> Path:
    """A DOCX from blocks in body order: a ``str`` is a paragraph, a list of rows is a table.

    In a table row, ``"<<"`` merges the cell with the one to its left (colspan) and
    ``"^^"`` merges it with the cell above (rowspan).
    """
    import docx

    d = docx.Document()
    for b in blocks:
        if isinstance(b, str):
            d.add_paragraph(b)
            continue
        rows = list(b)  # type: ignore[arg-type]
        ncols = max(len(r) for r in rows)
        t = d.add_table(rows=len(rows), cols=ncols)
        for r, row in enumerate(rows):
            for k, val in enumerate(row):
                if val not in ("<<", "^^"):
                    t.cell(r, k).text = val
        for r, row in enumerate(rows):
            for k, val in enumerate(row):
                if val == "<<":
                    t.cell(r, k - 1).merge(t.cell(r, k))
                elif val == "^^":
                    t.cell(r - 1, k).merge(t.cell(r, k))
    d.save(str(path))
    return Path(path)


def html_page(body: str, title: str = "绩效自评报告") -> str:
    """A government-site style HTML page: navigation chrome around ``body``."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>" + title + "</title>"
        "<style>.nav{color:red}</style><script>var menu='首页 | 政务公开';</script></head><body>"
        "<nav><a href='/'>首页</a> <a href='/gk'>政务公开</a></nav>"
        "<header>网站导航 无障碍</header>"
        "<div class='content'>" + body + "</div>"
        "<footer>版权所有 主办单位 网站标识码</footer></body></html>"
    )


def wrap(text: str, width: float = 440, size: int = 12, font: str = "ttf") -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points, as a word processor fills a line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    name = cjk_font(font)
    lines, cur = [], ""
    for ch in text:
        if cur and stringWidth(cur + ch, name, size) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    if cur:
        lines.append(cur)
    return lines


def make_report_pdf(
    path: str | Path,
    blocks: Sequence[object],
    *,
    header: str | None = None,
    footer: str | None = None,
    page_number: str = "- {n} -",
    font: str = "ttf",
    size: int = 12,
) -> Path:
    """A Word-like report: justified CJK paragraphs that wrap and flow over pages, first-line indent,
    headings in a larger font, ruled tables (a block that is a list of rows), running header/footer."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    name = cjk_font(font)
    body = ParagraphStyle("body", fontName=name, fontSize=size, leading=size * 1.7, alignment=TA_JUSTIFY, wordWrap="CJK", firstLineIndent=size * 2)
    head = ParagraphStyle("head", parent=body, fontSize=size + 4, leading=(size + 4) * 1.6, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName=name, fontSize=size - 2, leading=(size - 2) * 1.3, wordWrap="CJK")

    def furniture(c, doc):
        c.saveState()
        c.setFont(name, 9)
        w, h = A4
        if header:
            c.drawCentredString(w / 2, h - 40, header)
        if footer:
            c.drawString(72, 45, footer)
        c.drawCentredString(w / 2, 28, page_number.format(n=doc.page))
        c.restoreState()

    story = []
    for b in blocks:
        if isinstance(b, str):
            is_head = len(b) < 40 and not b.endswith("。")
            story.append(Paragraph(b, head if is_head else body))
        else:
            rows = [[Paragraph(x, cell) for x in r] for r in b]  # type: ignore[union-attr]
            t = RLTable(rows)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
            story.append(Spacer(1, 6))
            story.append(t)
            story.append(Spacer(1, 6))
    SimpleDocTemplate(str(path), pagesize=A4, topMargin=72, bottomMargin=72).build(story, onFirstPage=furniture, onLaterPages=furniture)
    return Path(path)
