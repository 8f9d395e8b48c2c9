"""HTML and DOCX: body text in order, tables expanded (rowspan/colspan) and rendered as ``a | b | c`` lines.

Both are parsed by lxml with entity resolution, DTD loading and network off and
``huge_tree`` off; the tree is walked iteratively with a depth cap, so 50 MB of
nested tags ends as ``unsafe`` instead of a recursion error.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnreadableReport
from ..model import Cell, Table

MAX_DEPTH = 400
MAX_UNZIPPED = 300 * 1024 * 1024  # bytes of XML we agree to inflate from one DOCX
MAX_RATIO = 200  # compression ratio above which a large member is a zip bomb

_BLOCK = {
    "td", "th", "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "table",
    "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "title", "hr", "form", "main",
}
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "head", "button", "select", "option", "svg", "template", "object"}
_CHROME = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumb|crumb|footer|foot|header|sidebar|share|toolbar|topbar)(?:$|[\s_-])", re.I)


@dataclass(slots=True)
class MarkupRead:
    text: str
    tables: list[Table]
    table_ranges: list[tuple[int, int]] = field(default_factory=list)  # raw offsets in text


class _Builder:
    """Accumulates text with block breaks and tables rendered as lines."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.len = 0
        self.tables: list[Table] = []
        self.ranges: list[tuple[int, int]] = []

    def add(self, s: str) -> None:
        if s:
            self.parts.append(s)
            self.len += len(s)

    def brk(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.add("\n")

    def table(self, grid: list[list[str | None]], cells: list[Cell], origin: str) -> None:
        if not grid:
            return
        self.brk()
        start = self.len
        for row in grid:
            self.add(" | ".join(c if c is not None else "" for c in row).strip() + "\n")
        tid = f"t{len(self.tables) + 1}"
        self.tables.append(Table(tid, 1, grid, cells, None, origin))
        self.ranges.append((start, self.len - 1))

    def result(self) -> MarkupRead:
        return MarkupRead("".join(self.parts), self.tables, self.ranges)


def _expand(rows: list[list[tuple[str, int, int]]]) -> tuple[list[list[str | None]], list[Cell]]:
    """Rows of (text, rowspan, colspan) → a full grid (covered cells None) and its cells."""
    grid: dict[tuple[int, int], str | None] = {}
    cells: list[Cell] = []
    ncols = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in grid:
                c += 1
            rs, cs = max(1, min(rs, 500)), max(1, min(cs, 100))
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = None
            grid[(r, c)] = text
            cells.append(Cell(r, c, text, rowspan=rs, colspan=cs, page=1))
            c += cs
            ncols = max(ncols, c)
    nrows = len(rows)
    out = [[grid.get((r, c)) if (r, c) in grid else "" for c in range(ncols)] for r in range(nrows)]
    covered = {(cl.row, cl.col) for cl in cells}
    for r in range(nrows):
        for c in range(ncols):
            if (r, c) in grid and (r, c) not in covered:
                out[r][c] = None
    return out, cells


def _norm_ws(s: str) -> str:
    return re.sub(r"[ \t\r\n\f\u00a0]+", " ", s)


# --------------------------------------------------------------------------- HTML


def read_html(path: Path, text: str) -> MarkupRead:
    from lxml import etree, html

    _depth_guard(path, text)
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False, recover=True, encoding="utf-8")
    try:
        root = html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableReport("corrupt", path, f"HTML: {exc}") from None
    b = _Builder()
    body = root.find("body")
    _walk_html(body if body is not None else root, b, path)
    return b.result()


_IMPLIED = {  # an opening tag that closes these still-open ones (HTML's optional end tags)
    "p": {"p"}, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "option": {"option"},
    "td": {"td", "th"}, "th": {"td", "th"}, "tr": {"td", "th", "tr"},
}
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "param", "embed", "track"}


def _depth_guard(path: Path, text: str) -> None:
    """Reject absurd nesting before lxml builds a tree of it: one cheap pass over the tags.

    Optional end tags (``<p>``, ``<li>``, ``<td>`` left open) are closed as a browser would,
    so a long legal table is not mistaken for nesting.
    """
    stack: list[str] = []
    for m in re.finditer(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>", text):
        name = m.group(2).lower()
        if name in _VOID or m.group(3):
            continue
        if m.group(1):
            for k in range(len(stack) - 1, max(len(stack) - 64, -1), -1):
                if stack[k] == name:
                    del stack[k:]
                    break
            continue
        closes = _IMPLIED.get(name)
        while closes and stack and stack[-1] in closes:
            stack.pop()
        stack.append(name)
        if len(stack) > MAX_DEPTH:
            raise UnreadableReport("unsafe", path, f"tags nested deeper than {MAX_DEPTH}")


def _chrome(el) -> bool:
    cls = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
    return bool(cls) and bool(_CHROME.search(cls))


def _walk_html(root, b: _Builder, path: Path) -> None:
    stack: list[tuple[object, int, bool]] = [(root, 0, False)]  # (element, depth, closing)
    while stack:
        el, depth, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if closing:
            if tag in _BLOCK or tag in ("td", "th"):
                b.brk()
            if el.tail:
                b.add(_norm_ws(el.tail))
            continue
        if depth > MAX_DEPTH:
            raise UnreadableReport("unsafe", path, f"HTML nested deeper than {MAX_DEPTH}")
        if tag in _SKIP or (tag in ("div", "ul", "section", "aside") and _chrome(el)) or tag == "aside":
            if el.tail:
                b.add(_norm_ws(el.tail))
            continue
        if tag == "table" and not _layout_table(el):
            grid, cells = _html_table(el)
            b.table(grid, cells, "html")
            if el.tail:
                b.add(_norm_ws(el.tail))
            continue
        if tag in _BLOCK:
            b.brk()
        if el.text:
            b.add(_norm_ws(el.text))
        stack.append((el, depth, True))
        for child in reversed(list(el)):
            stack.append((child, depth + 1, False))


def _layout_table(table) -> bool:
    """A table used to lay out the page (it holds other tables or whole paragraphs), not a data table."""
    for inner in table.iter("table"):
        if inner is not table:
            return True
    for td in table.iter("td", "th"):
        if len(" ".join(td.itertext()).strip()) > 300:
            return True
    return False


def _cell_text(el) -> str:
    text = " ".join(t for t in el.itertext())
    return re.sub(r"\s+", " ", text).strip()


def _html_table(table) -> tuple[list[list[str | None]], list[Cell]]:
    rows: list[list[tuple[str, int, int]]] = []
    for tr in table.iter("tr"):
        # skip rows of nested tables: they belong to the inner table's cell text
        parent = tr.getparent()
        while parent is not None and parent.tag != "table":
            parent = parent.getparent()
        if parent is not table:
            continue
        row = []
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            row.append((_cell_text(td), _int(td.get("rowspan")), _int(td.get("colspan"))))
        rows.append(row)
    return _expand(rows)


def _int(v: str | None) -> int:
    try:
        return int(str(v).strip()) if v else 1
    except ValueError:
        return 1


# --------------------------------------------------------------------------- DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: Path, data: bytes) -> MarkupRead:
    from lxml import etree

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableReport("corrupt", path, f"DOCX: {exc}") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise UnreadableReport("unsafe", path, f"inflates to {total} bytes (zip bomb)")
    for i in infos:
        if i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise UnreadableReport("unsafe", path, f"{i.filename} compresses {i.file_size // max(i.compress_size, 1)}:1 (zip bomb)")
    try:
        xml = zf.read("word/document.xml")
    except KeyError:
        raise UnreadableReport("corrupt", path, "no word/document.xml") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise UnreadableReport("corrupt", path, f"DOCX: {exc}") from None
    if b"<!ENTITY" in xml[:65536] or b"<!DOCTYPE" in xml[:65536]:
        raise UnreadableReport("unsafe", path, "DOCX declares XML entities (not expanded)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        msg = str(exc)
        reason = "unsafe" if "depth" in msg.lower() or "huge" in msg.lower() else "corrupt"
        raise UnreadableReport(reason, path, f"DOCX XML: {msg[:120]}") from None
    body = root.find(f"{_W}body")
    b = _Builder()
    if body is None:
        return b.result()
    numbering = _Numbering(_numbering_xml(zf, path))
    for el in body:
        if el.tag == f"{_W}p":
            b.add(numbering.label(el) + _para_text(el))
            b.brk()
        elif el.tag == f"{_W}tbl":
            grid, cells = _docx_table(el)
            b.table(grid, cells, "docx")
        elif el.tag == f"{_W}sdt":
            for p in el.iter(f"{_W}p"):
                b.add(numbering.label(p) + _para_text(p))
                b.brk()
    return b.result()


def _numbering_xml(zf: zipfile.ZipFile, path: Path):
    from lxml import etree

    try:
        xml = zf.read("word/numbering.xml")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    if b"<!ENTITY" in xml[:65536] or b"<!DOCTYPE" in xml[:65536]:
        raise UnreadableReport("unsafe", path, "DOCX numbering declares XML entities (not expanded)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError:
        return None


_CN = "零一二三四五六七八九"


def _cn_count(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _fmt(n: int, fmt: str) -> str:
    if fmt.startswith("chinese") or fmt.startswith("ideograph") or fmt == "taiwaneseCounting":
        return _cn_count(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "none" or fmt == "bullet":
        return ""
    return str(n)


class _Numbering:
    """Word's automatic list numbers (``一、`` ``（一）`` ``1.``), which are not in the paragraph text."""

    def __init__(self, root) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self.counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(f"{_W}abstractNum"):
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(f"{_W}lvl"):
                ilvl = _int(lvl.get(f"{_W}ilvl")) if lvl.get(f"{_W}ilvl") else 0
                fmt = lvl.find(f"{_W}numFmt")
                txt = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                lv[ilvl] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    txt.get(f"{_W}val", "") if txt is not None else "",
                    _int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstract[an.get(f"{_W}abstractNumId", "")] = lv
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId", "")] = abstract.get(ref.get(f"{_W}val", ""), {})

    def label(self, p) -> str:
        pr = p.find(f"{_W}pPr/{_W}numPr")
        if pr is None or not self.levels:
            return ""
        nid_el, lvl_el = pr.find(f"{_W}numId"), pr.find(f"{_W}ilvl")
        nid = nid_el.get(f"{_W}val", "") if nid_el is not None else ""
        ilvl = _int(lvl_el.get(f"{_W}val")) if lvl_el is not None else 0
        ilvl = min(max(ilvl, 0), 8)
        levels = self.levels.get(nid)
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(nid, [0] * 9)
        fmt, text, start = levels[ilvl]
        counts[ilvl] = (counts[ilvl] or start - 1) + 1
        for k in range(ilvl + 1, 9):
            counts[k] = 0
        out = text
        for k in range(ilvl, -1, -1):
            f = levels.get(k, ("decimal", "", 1))[0]
            out = out.replace(f"%{k + 1}", _fmt(counts[k] or levels.get(k, ("", "", 1))[2], f))
        return out


def _para_text(p) -> str:
    out: list[str] = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            out.append(node.text or "")
        elif node.tag == f"{_W}tab":
            out.append(" ")
        else:
            out.append(" ")
    return "".join(out)


def _docx_table(tbl) -> tuple[list[list[str | None]], list[Cell]]:
    """w:tbl → grid, with gridSpan as colspan and vMerge continuation as rowspan."""
    raw: list[list[tuple[str, int, str | None]]] = []  # (text, colspan, vmerge)
    for tr in tbl.findall(f"{_W}tr"):
        row = []
        for tc in tr.findall(f"{_W}tc"):
            pr = tc.find(f"{_W}tcPr")
            span, vm = 1, None
            if pr is not None:
                gs = pr.find(f"{_W}gridSpan")
                if gs is not None:
                    span = _int(gs.get(f"{_W}val"))
                v = pr.find(f"{_W}vMerge")
                if v is not None:
                    vm = v.get(f"{_W}val") or "continue"
            text = " ".join(_para_text(p) for p in tc.iter(f"{_W}p")).strip()
            row.append((text, span, vm))
        raw.append(row)
    # place cells on the grid to compute rowspans from vMerge chains
    placed: list[list[tuple[int, str, int, str | None]]] = []  # (col, text, colspan, vmerge)
    for row in raw:
        c = 0
        pr = []
        for text, span, vm in row:
            pr.append((c, text, span, vm))
            c += span
        placed.append(pr)
    rows: list[list[tuple[str, int, int]]] = []
    for r, pr in enumerate(placed):
        out = []
        for c, text, span, vm in pr:
            if vm == "continue":
                continue
            rs = 1
            if vm == "restart":
                for r2 in range(r + 1, len(placed)):
                    if any(c2 == c and vm2 == "continue" for c2, _, _, vm2 in placed[r2]):
                        rs += 1
                    else:
                        break
            out.append((text, rs, span))
        rows.append(out)
    return _expand(rows)
