"""PDF: text from pypdfium2 (fast), ruled tables by pdfplumber's table finder on the ruling lines pdfium reads.

Each page's raw text is built from pdfium's characters so we know the box of
every raw offset: fake-bold duplicates (the same glyph drawn twice at almost
the same place) are dropped, reflow can ask whether a line reaches the right
margin, and a table's text range is the set of raw characters inside its
bounding box.  Only pages that draw path objects are searched for tables;
their edges go to ``pdfplumber.table.TableFinder`` without pdfminer parsing
the page again (about 4-5x faster than pdfplumber alone), and cell text comes
from pdfium's character boxes.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnreadableReport
from ..model import Cell, Limits, Page, Table

_PATH_OBJECTS_FOR_TABLE = 4  # a page drawing fewer path objects than this has no ruled table
_MAX_SEGMENTS = 40_000  # path segments read per page when looking for table rulings


@dataclass(slots=True)
class PdfRead:
    pages: list[Page]
    tables: list[Table]
    table_chars: list[tuple[int, set[int]]]  # per table: (page, raw offsets inside its bbox)
    warnings: list[str] = field(default_factory=list)
    boxes: dict[int, list] = field(default_factory=dict)  # page -> box of each raw character (None: break)

    def line_full(self):
        """A test for normalize: does a line run to the right margin (so it was wrapped, not ended)?"""
        in_table = {(pg, k) for pg, ks in self.table_chars for k in ks}
        margins: dict[int, float] = {}
        for pg, boxes in self.boxes.items():
            ends = sorted(boxes[k - 1][2] for k in range(1, len(boxes) + 1) if boxes[k - 1] is not None and (k == len(boxes) or boxes[k] is None))
            if len(ends) >= 3:
                margins[pg] = ends[int(len(ends) * 0.75)]  # body lines end at the margin; a few overhang
        default = sorted(margins.values())[len(margins) // 2] if margins else None

        def full(page: int, last: int, next_chars: int = 1, next_page: int | None = None, next_first: int | None = None) -> bool | None:
            boxes = self.boxes.get(page)
            if not boxes or not 0 <= last < len(boxes) or boxes[last] is None:
                return None
            if (page, last) in in_table:
                return False
            right = margins.get(page, default)
            if right is None:
                return None
            b = boxes[last]
            nb = self.boxes.get(next_page or page)
            if next_first is not None and nb and 0 <= next_first < len(nb) and nb[next_first] is not None:
                h0, h1 = b[3] - b[1], nb[next_first][3] - nb[next_first][1]
                if h0 > 0 and h1 > 0 and max(h0, h1) > 1.25 * min(h0, h1):
                    return False  # a change of font size (title, heading) ends the line
            ahead = (next_chars - 1) * 0.55 * (b[3] - b[1]) if next_chars > 1 else 0.0  # a number is never broken
            return b[2] + ahead >= right - max(1.2 * (b[3] - b[1]), 1.6 * (b[2] - b[0]), 6.0)

        return full


def read_pdf(path: Path, data: bytes, limits: Limits) -> PdfRead:
    import pypdfium2 as pdfium

    started = time.monotonic()
    try:
        pdf = pdfium.PdfDocument(data, password="")
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise UnreadableReport("encrypted", path, "a user password is set") from None
        raise UnreadableReport("corrupt", path, str(exc)) from None
    try:
        n = len(pdf)
        if n == 0:
            raise UnreadableReport("corrupt", path, "no pages")
        if n > limits.max_pages:
            raise UnreadableReport("too_many_pages", path, f"{n} pages > limit {limits.max_pages}")
        out = PdfRead([], [], [])
        ruled: list[int] = []
        boxes_by_page: dict[int, list[tuple[float, float, float, float] | None]] = {}
        edges_by_page: dict[int, tuple[list[dict], tuple[float, float, float, float]]] = {}
        total = 0
        for i in range(n):
            if time.monotonic() - started > limits.timeout:
                raise UnreadableReport("timeout", path, f"reading page {i + 1}")
            page = pdf[i]
            w, h = page.get_size()
            try:
                text, boxes, cut = _page_text(page, h, limits.max_chars_per_page)
            except Exception as exc:  # noqa: BLE001 - one broken page must not lose the report
                out.warnings.append(f"[E103] corrupt: page {i + 1} text not read ({type(exc).__name__})")
                text, boxes, cut = "", [], False
            if cut:
                out.warnings.append(f"[E106] too_large: page {i + 1} text cut at {limits.max_chars_per_page} characters")
            total += len(text)
            if total > limits.max_total_chars:
                raise UnreadableReport("too_large", path, f"more than {limits.max_total_chars} characters of text")
            out.pages.append(Page(i + 1, text, "text", w, h))
            boxes_by_page[i + 1] = boxes
            out.boxes[i + 1] = boxes
            edges = _edges(page, h) if _has_rules(page, pdfium) else []
            if edges:
                ruled.append(i + 1)
                edges_by_page[i + 1] = (edges, (0.0, 0.0, float(w), float(h)))
            page.close()
    finally:
        pdf.close()
    if ruled:
        _tables(path, data, ruled, boxes_by_page, edges_by_page, out, limits, started)
    return out


def _page_text(page, height: float, max_chars: int) -> tuple[str, list[tuple[float, float, float, float] | None], bool]:
    """Page text in pdfium's reading order, one box per raw character (None for generated breaks); True if cut."""
    tp = page.get_textpage()
    try:
        count = tp.count_chars()
        n = min(count, max_chars)
        if n <= 0:
            return "", [], False
        s = tp.get_text_range(0, n)
        if len(s) != n:  # surrogate pairs or generated chars: fall back to one call per character
            s = "".join(tp.get_text_range(k, 1) or " " for k in range(n))
        import pypdfium2.raw as raw

        chars: list[str] = []
        boxes: list[tuple[float, float, float, float] | None] = []
        seen: dict[tuple[str, int], list[tuple[int, float, float]]] = {}  # (glyph, round(y0)) -> drawn at
        rect = raw.FS_RECTF()
        loose_box = raw.FPDFText_GetLooseCharBox
        handle = tp.raw
        for k, ch in enumerate(s[:n]):
            if ch in "\r\n":
                if ch == "\n" or (k + 1 < n and s[k + 1] != "\n") or k + 1 == n:
                    chars.append("\n")
                    boxes.append(None)
                continue
            if loose_box(handle, k, rect):  # advance box: a comma fills its em
                x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
            else:  # a broken glyph box is not fatal
                x0 = y0 = x1 = y1 = 0.0
            if not ch.isspace():
                rx, ry = round(x0), round(y0)
                dup = False
                for dy in (-1, 0, 1):
                    for px_r, px, py in seen.get((ch, ry + dy), ()):
                        if -1 <= px_r - rx <= 1 and abs(px - x0) < 1.5 and abs(py - y0) < 1.5:
                            dup = True
                            break
                    if dup:
                        break
                if dup:
                    continue  # fake bold: the same glyph drawn again on top of itself
                seen.setdefault((ch, ry), []).append((rx, x0, y0))
            chars.append(ch)
            boxes.append((x0, height - y1, x1, height - y0))
        return "".join(chars), boxes, count > max_chars
    finally:
        tp.close()


def _path_objects(page, max_depth: int):
    """Raw handles of the page's path objects, descending into form XObjects (pdfium's own order).

    Talks to pdfium's C API directly: ``page.get_objects`` builds a Python helper per
    object and filters by type through enum arithmetic, which cost more than reading the text.
    """
    import pypdfium2.raw as raw

    def walk(count, get, parent, level):
        for i in range(count(parent)):
            obj = get(parent, i)
            if not obj:
                continue
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                yield obj
            elif kind == raw.FPDF_PAGEOBJ_FORM and level < max_depth - 1:
                yield from walk(raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, obj, level + 1)

    yield from walk(raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, page.raw, 0)


def _has_rules(page, pdfium=None) -> bool:
    count = 0
    for _ in _path_objects(page, 2):
        count += 1
        if count >= _PATH_OBJECTS_FOR_TABLE:
            return True
    return False


class _RulingPage:
    """Just enough of a pdfplumber page for its TableFinder: the ruling edges pdfium drew."""

    def __init__(self, edges: list[dict], bbox: tuple[float, float, float, float]) -> None:
        self.edges = edges
        self.bbox = bbox
        self.chars: list = []


def _edges(page, height: float) -> list[dict]:
    """Horizontal and vertical ruling segments of the page's path objects, as pdfplumber edges (top-down y)."""
    import ctypes

    import pypdfium2.raw as raw

    out: list[dict] = []
    budget = _MAX_SEGMENTS  # vector art (maps, charts) must not stall the reader
    for obj in _path_objects(page, 3):
        m = raw.FS_MATRIX()
        if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
            m.a, m.b, m.c, m.d, m.e, m.f = 1, 0, 0, 1, 0, 0
        n = raw.FPDFPath_CountSegments(obj)
        if n <= 0 or n > 5000:
            continue
        budget -= n
        if budget < 0:
            break
        start = prev = None
        x, y = ctypes.c_float(), ctypes.c_float()
        for k in range(n):
            seg = raw.FPDFPath_GetPathSegment(obj, k)
            if not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                continue
            pt = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = prev = pt
                continue
            if prev is not None and kind == raw.FPDF_SEGMENT_LINETO:
                _add_edge(out, prev, pt, height)
            prev = pt
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                _add_edge(out, pt, start, height)
                prev = start
    return out


def _add_edge(out: list[dict], p: tuple[float, float], q: tuple[float, float], height: float) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 0.5 and abs(x1 - x0) >= 1:
        a, b = sorted((x0, x1))
        top = height - y0
        out.append({"x0": a, "x1": b, "top": top, "bottom": top, "width": b - a, "height": 0.0, "orientation": "h", "object_type": "line"})
    elif abs(x0 - x1) < 0.5 and abs(y1 - y0) >= 1:
        a, b = sorted((height - y0, height - y1))
        out.append({"x0": x0, "x1": x0, "top": a, "bottom": b, "width": 0.0, "height": b - a, "orientation": "v", "object_type": "line"})


def _tables(path: Path, data: bytes, ruled: list[int], boxes_by_page, edges_by_page, out: PdfRead, limits: Limits, started: float) -> None:
    from pdfplumber.table import TableFinder

    for pno in ruled:
        if time.monotonic() - started > limits.timeout:
            out.warnings.append("[E108] timeout: table extraction stopped early")
            return
        try:
            edges, bbox = edges_by_page[pno]
            found = TableFinder(_RulingPage(edges, bbox)).tables  # pdfplumber's finder on pdfium's rulings
        except Exception as exc:  # noqa: BLE001
            out.warnings.append(f"[E103] corrupt: tables on page {pno} not read ({type(exc).__name__})")
            continue
        text = out.pages[pno - 1].text
        boxes = boxes_by_page.get(pno, [])
        index = _CharIndex(boxes)
        for ft in found:
            grid: list[list[str | None]] = []
            cells: list[Cell] = []
            used: set[int] = set()
            for r, row in enumerate(ft.rows):
                vals: list[str | None] = []
                for k, box in enumerate(row.cells):
                    if box is None:
                        vals.append(None)
                        cells.append(Cell(r, k, None, page=pno))
                        continue
                    idx = index.inside(box)
                    used.update(idx)
                    txt = _cell_text(text, boxes, idx)
                    vals.append(txt)
                    cells.append(Cell(r, k, txt, page=pno, bbox=tuple(float(x) for x in box)))
                grid.append(vals)
            if len(grid) < 2 and max((len(r) for r in grid), default=0) < 2:
                continue
            bbox = tuple(float(x) for x in ft.bbox)
            _spans(cells)
            out.tables.append(Table(f"t{len(out.tables) + 1}", pno, grid, cells, bbox, "pdf"))
            out.table_chars.append((pno, used | set(index.inside(bbox))))


def _spans(cells: list[Cell]) -> None:
    """Rowspan/colspan of merged PDF cells: how many grid lines their box crosses; covered positions are dropped."""
    xs = sorted({round(c.bbox[0], 1) for c in cells if c.bbox} | {round(c.bbox[2], 1) for c in cells if c.bbox})
    ys = sorted({round(c.bbox[1], 1) for c in cells if c.bbox} | {round(c.bbox[3], 1) for c in cells if c.bbox})
    for c in cells:
        if c.bbox:
            x0, top, x1, bottom = c.bbox
            c.colspan = max(1, sum(1 for x in xs if x0 + 1 < x < x1 - 1) + 1)
            c.rowspan = max(1, sum(1 for y in ys if top + 1 < y < bottom - 1) + 1)
    cells[:] = [c for c in cells if c.bbox is not None]


class _CharIndex:
    """Raw characters of one page sorted by the height of their centre, for box queries.

    A table asks for the characters of each of its cells: a bisect on the centre's y
    picks the cell's band, and only that band is tested for x (not the whole page per cell).
    """

    __slots__ = ("ys", "order", "cx")

    def __init__(self, boxes) -> None:
        pts = sorted(((b[1] + b[3]) / 2, k) for k, b in enumerate(boxes) if b is not None)
        self.ys = [y for y, _ in pts]
        self.order = [k for _, k in pts]
        self.cx = {k: (boxes[k][0] + boxes[k][2]) / 2 for k in self.order}

    def inside(self, bbox) -> list[int]:
        """Raw offsets (in reading order) whose box centre lies in ``bbox`` widened by 1 pt."""
        x0, top, x1, bottom = bbox
        lo = bisect_left(self.ys, top - 1)
        hi = bisect_right(self.ys, bottom + 1)
        cx = self.cx
        return sorted(k for k in self.order[lo:hi] if x0 - 1 <= cx[k] <= x1 + 1)


def _inside(boxes, bbox) -> list[int]:
    """Raw offsets whose box centre lies in ``bbox`` (one-off query; tables use :class:`_CharIndex`)."""
    return _CharIndex(boxes).inside(bbox)


def _cell_text(text: str, boxes, idx: list[int]) -> str:
    """A cell's characters in reading order; a new visual line inside the cell joins without a break."""
    if not idx:
        return ""
    out: list[str] = []
    prev = None
    for k in idx:
        b = boxes[k]
        if prev is not None and b[1] > prev[3] - 1 and out and out[-1].isascii() and text[k].isascii() and out[-1].isalnum() and text[k].isalnum():
            out.append(" ")
        out.append(text[k])
        prev = b
    return "".join(out).strip()


def usable_text(text: str) -> bool:
    """Does a page's text layer carry real text (not empty, not (cid:NNN) codes, not glyph garbage)?"""
    import re

    t = re.sub(r"\s+", "", text)
    if len(t) < 5:
        return False
    cid = sum(len(m) for m in re.findall(r"\(cid:\d+\)", t))
    if cid > len(t) * 0.3:
        return False
    good = sum(1 for ch in t if ch.isascii() and ch.isprintable() or 0x3000 <= ord(ch) <= 0x9FFF or 0xFF00 <= ord(ch) <= 0xFFEF or 0x2000 <= ord(ch) <= 0x206F)
    return good >= len(t) * 0.6
