"""PDF and DOCX renderings of a generated report (same blocks as the .txt, same gold).

PDF: reportlab with an embedded CJK TrueType font (WenQuanYi Zen Hei when the
machine has it, else the built-in STSong-Light CID font), a running header with the
department, a footer with the page number (``— 3 —`` or ``第 3 页``), wrapped
paragraphs and the 自评表 as a ruled table with merged cells.  ``invariant=1`` keeps
the bytes free of dates and random ids, so the same seed gives the same PDF.
DOCX: python-docx paragraphs and a Word table; the zip is rewritten with fixed
timestamps for the same reason.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from .generate import Report, Style

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
_FONT: str | None = None


def cjk_font() -> str:
    """Register and return the CJK font name reportlab should use."""
    global _FONT
    if _FONT is None:
        from reportlab.pdfbase import pdfmetrics

        try:
            if not WQY.exists():
                raise OSError(str(WQY))
            from reportlab.pdfbase.ttfonts import TTFont

            pdfmetrics.registerFont(TTFont("WQYZenHei", str(WQY), subfontIndex=0))
            _FONT = "WQYZenHei"
        except Exception:  # no TrueType CJK font here: the CID font needs no file
            from reportlab.pdfbase.cidfonts import UnicodeCIDFont

            pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
            _FONT = "STSong-Light"
    return _FONT


def _segs_text(report: Report, segs: list) -> str:
    return "".join(report.facts[s]["surface"] if isinstance(s, int) else s for s in segs)


def write_pdf(report: Report, style: Style, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=19, firstLineIndent=22, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, firstLineIndent=0, fontSize=12, spaceBefore=4)
    title = ParagraphStyle("title", parent=body, firstLineIndent=0, fontSize=16, leading=26, alignment=TA_CENTER, spaceAfter=10)
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9, wordWrap="CJK")
    dept = report.metadata.get("department", "")
    dash = len(dept) % 2 == 0  # footer style follows the report, deterministically

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(20 * mm, A4[1] - 12 * mm, dept)
        canvas.line(20 * mm, A4[1] - 13.5 * mm, A4[0] - 20 * mm, A4[1] - 13.5 * mm)
        n = canvas.getPageNumber()
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {n} —" if dash else f"第 {n} 页")
        canvas.restoreState()

    story = []
    for block in report.blocks:
        if block[0] == "table":
            t = block[1]
            data = [[Paragraph(escape(_segs_text(report, c)), cell) if c is not None else "" for c in row] for row in t["rows"]]
            widths = [w * mm for w in (12, 14, 18, 9, 25, 25, 25, 10, 14, 18)] if t["ncols"] == 10 else [34 * mm] + [(136 // (t["ncols"] - 1)) * mm] * (t["ncols"] - 1)
            table = Table(data, colWidths=widths, repeatRows=0)
            cmds = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            cmds += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in t["spans"]]
            table.setStyle(TableStyle(cmds))
            story += [Spacer(1, 6), table]
            continue
        text = escape(_segs_text(report, block[-1]))
        story.append(Paragraph(text, {"title": title, "heading": head}.get(block[0], body)))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=18 * mm, invariant=1, title=report.metadata.get("title", ""), author="jixiao corpus generator", creator="jixiao")
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)


def write_docx(report: Report, path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "SimSun"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    fixed = datetime.datetime(2000, 1, 1)
    d.core_properties.created = fixed
    d.core_properties.modified = fixed
    d.core_properties.last_modified_by = "jixiao"
    d.core_properties.author = "jixiao"
    d.core_properties.revision = 1
    for block in report.blocks:
        if block[0] == "table":
            t = block[1]
            rows = t["rows"]
            table = d.add_table(rows=len(rows), cols=t["ncols"])
            table.style = "Table Grid"
            for r, row in enumerate(rows):  # text first, through the row objects (table.cell() is quadratic)
                cells = table.rows[r].cells
                for c, content in enumerate(row):
                    if content is not None:
                        cells[c].text = _segs_text(report, content)
            for c0, r0, c1, r1 in t["spans"]:
                table.cell(r0, c0).merge(table.cell(r1, c1))
            continue
        text = _segs_text(report, block[-1])
        if block[0] == "title":
            d.add_heading(text, level=0)
        elif block[0] == "heading":
            d.add_heading(text, level=min(block[1], 4))
        else:
            d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01, so identical content gives identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
