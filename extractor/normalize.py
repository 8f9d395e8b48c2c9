"""Normalization with offsets kept: pages of raw text → one clean text plus a map back to the source.

Steps, all keeping ``char_page``/``char_src`` (page, offset in that page's raw
text) for every output character:

* drop blank lines, page numbers and running headers/footers (``patterns/layout.yaml``);
* reflow hard-wrapped text: join lines a PDF wrapped mid-sentence, keep real
  paragraph breaks (heading, numbered item, line ending in 。；：, short line);
* rejoin numbers split by a wrap (``1,540.`` / ``23``, ``22,719.86 万`` / ``元``);
* fold full-width digits/letters to ASCII and ``．，％`` inside numbers;
  Traditional → Simplified one character at a time; drop pinyin noise
  (``項(xiàng)``) and zero-width characters.

Separators that normalization inserts (the ``\\n`` or space of a join) map to
the raw line break they replace.
"""

from __future__ import annotations

import functools
import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import regex
from pydantic import Field, model_validator

from . import patterns
from .model import Page

# --------------------------------------------------------------------------- layout patterns


class _Pat(patterns.Strict):
    id: str
    pattern: str
    edge_only: bool = False


class _Heading(patterns.Strict):
    id: str
    level: int = Field(ge=1, le=5)
    pattern: str


class _Kind(patterns.Strict):
    id: str
    kind: str
    pattern: str


class _Running(patterns.Strict):
    edge_lines: int = 2
    min_share: float = 0.5
    min_pages: int = 2
    max_chars: int = 60


class _Sentence(patterns.Strict):
    ends: str
    closers: str
    line_final: str


class _Reflow(patterns.Strict):
    full_line_share: float = 0.8
    wrapped_share: float = 0.35
    max_wrap_width: int = 200
    unit_continuation: str
    new_field: str = "(?!)"
    no_line_start: str = "(?!)"


class _Meta(patterns.Strict):
    scan_chars: int = 3000
    department_labels: list[_Pat]
    department_titles: list[_Pat]
    department_fallbacks: list[_Pat] = []
    department_valid: str
    department_reject: str
    department_strip: str
    years: list[_Pat]
    year_reject: str
    kinds: list[_Kind]
    kind_requires: str
    kind_scan_chars: int = 400
    region: str


class _Traditional(patterns.Strict):
    from_: str = Field(alias="from")
    to: str

    @model_validator(mode="after")
    def _same_length(self):
        if len(self.from_) != len(self.to):
            raise ValueError(f"traditional.from has {len(self.from_)} characters, traditional.to has {len(self.to)}")
        if len(set(self.from_)) != len(self.from_):
            raise ValueError("traditional.from repeats a character")
        return self


class _LayoutFile(patterns.Strict):
    pieces: dict[str, str] = {}
    page_numbers: list[_Pat]
    running: _Running
    headings: list[_Heading]
    title_stop: str
    title_run_on: str = "(?!)"
    title_max: int = 60
    sentence: _Sentence
    reflow: _Reflow
    pinyin_noise: str
    traditional: _Traditional | None = None
    report_cues: str = "(?s:.)"  # a document with none of these words is not a report (not_a_report)
    metadata: _Meta


@dataclass(frozen=True)
class Rule:
    id: str
    rx: regex.Pattern
    level: int = 0
    kind: str = ""
    edge_only: bool = False


class Layout:
    """``patterns/layout.yaml`` compiled once."""

    def __init__(self, f: _LayoutFile) -> None:
        name = "layout.yaml"
        pieces = f.pieces

        def c(p: str, entry: str | None = None) -> regex.Pattern:
            return patterns.compile_pattern(p, pieces, name, entry)

        for group in (f.page_numbers, f.headings, f.metadata.department_labels, f.metadata.department_titles + f.metadata.department_fallbacks, f.metadata.years, f.metadata.kinds):
            patterns.check_unique(name, [x.id for x in group])
        self.page_numbers = [Rule(p.id, c(p.pattern, p.id), edge_only=p.edge_only) for p in f.page_numbers]
        self.running = f.running
        self.headings = [Rule(h.id, c(h.pattern, h.id), level=h.level) for h in f.headings]
        self.title_stop = c(f.title_stop, "title_stop")
        self.title_run_on = c(f.title_run_on, "title_run_on")
        self.title_max = f.title_max
        self.sentence_ends = c(f.sentence.ends, "sentence.ends")
        self.closers = c(f.sentence.closers, "sentence.closers")
        self.line_final = c(f.sentence.line_final, "sentence.line_final")
        # every sentence end: an end mark (not ``;`` ``!`` ``?`` inside Latin text) or a line-final colon,
        # each with the closing quotes/brackets that follow it
        e, cl, fin = self.sentence_ends.pattern, self.closers.pattern, self.line_final.pattern
        self.sentence_end = regex.compile(rf"(?:(?![;!?](?=[\x21-\x7e])){e}|{fin}(?=\s*$)){cl}*")
        self.reflow = f.reflow
        self.unit_continuation = c(f.reflow.unit_continuation, "reflow.unit_continuation")
        self.new_field = c(f.reflow.new_field, "reflow.new_field")
        self.no_line_start = c(f.reflow.no_line_start, "reflow.no_line_start")
        self.pinyin = c(f.pinyin_noise, "pinyin_noise")
        self.report_cues = c(f.report_cues, "report_cues")
        self.traditional = dict(zip(f.traditional.from_, f.traditional.to)) if f.traditional else {}
        m = f.metadata
        self.meta = m
        self.dept_labels = [Rule(p.id, c(p.pattern, p.id)) for p in m.department_labels]
        self.dept_titles = [Rule(p.id, c(p.pattern, p.id)) for p in m.department_titles]
        self.dept_fallbacks = [Rule(p.id, c(p.pattern, p.id)) for p in m.department_fallbacks]
        self.dept_valid = c(m.department_valid, "department_valid")
        self.dept_reject = c(m.department_reject, "department_reject")
        self.dept_strip = c(m.department_strip, "department_strip")
        self.years = [Rule(p.id, c(p.pattern, p.id)) for p in m.years]
        self.year_reject = c(m.year_reject, "year_reject")
        self.kinds = [Rule(k.id, c(k.pattern, k.id), kind=k.kind) for k in m.kinds]
        self.kind_requires = c(m.kind_requires, "kind_requires")
        self.region = c(m.region, "region")


@functools.lru_cache(maxsize=1)
def layout() -> Layout:
    return Layout(patterns.load("layout", _LayoutFile))


# --------------------------------------------------------------------------- characters

_ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_SPACES = set(" \t\f\v\u3000\u00a0\u2002\u2003\u2009\u202f")


_WIDE = regex.compile(r"[\p{East_Asian_Width=W}\p{East_Asian_Width=F}]")


def visual_width(s: str) -> int:
    """Display width: CJK and full-width characters count 2."""
    return len(s) + len(_WIDE.findall(s))


@functools.lru_cache(maxsize=8192)
def simplify_char(ch: str) -> str:
    """Traditional → Simplified for one character: the table in layout.yaml, then zhconv when installed."""
    if ord(ch) < 0x3400:
        return ch
    known = layout().traditional.get(ch)
    if known:
        return known
    try:
        import zhconv
    except ImportError:  # pragma: no cover - optional
        return ch
    out = zhconv.convert(ch, "zh-cn")
    return out if len(out) == 1 else ch


_FOLD = {o: o - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for o in range(r[0], r[1] + 1)}


class _Simplifier(dict):
    """A ``str.translate`` table that converts Traditional → Simplified one character at a time, cached."""

    def __missing__(self, o: int) -> int:
        ch = chr(o)
        out = ord(simplify_char(ch)) if o >= 0x3400 else o
        self[o] = out
        return out


_SIMPLIFY = _Simplifier()

_NUM_PUNCT = regex.compile(r"(?<=\d)[．](?=\d)|(?<=(?<![\d,，])\d{1,3}(?:[,，]\d{3})*)，(?=\d{3}(?!\d))|(?<=\d)％")
_MAP_PUNCT = {"．": ".", "，": ",", "％": "%"}


# --------------------------------------------------------------------------- lines


@dataclass(slots=True)
class Line:
    page: int
    start: int  # offset of text[0] in the page's raw text
    text: str
    end_src: int  # offset of the raw line break after the line (or last char)
    drop: str = ""  # why the line is dropped ("" = kept)
    trailing_space: bool = False  # the raw line ended in a space: the writer's space before what follows


_STRIP = "".join(_SPACES) + "".join(_ZERO_WIDTH)


def split_lines(page: Page) -> list[Line]:
    out: list[Line] = []
    raw = page.text
    for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", raw):
        seg = m.group(0)
        if not seg and m.start() >= len(raw):
            break
        body = seg.rstrip("\r\n")
        lead = len(body) - len(body.lstrip(_STRIP))
        text = body.strip(_STRIP)
        end_src = m.start() + len(body)
        if end_src >= len(raw):
            end_src = max(len(raw) - 1, 0)
        trail = bool(text) and body[-1:] in _SPACES
        out.append(Line(page.number, m.start() + lead, text, end_src, "" if text else "blank", trail))
    return out


def _furniture(lines_by_page: list[list[Line]], lay: Layout) -> None:
    """Mark page numbers and running headers/footers as dropped."""
    multi = len(lines_by_page) > 1
    edge = lay.running.edge_lines
    for lines in lines_by_page:
        kept = [ln for ln in lines if not ln.drop]
        edges = set(id(x) for x in kept[:edge] + kept[-(edge + 1):])
        for ln in kept:
            if len(ln.text) > 24:
                continue  # page furniture is short
            t = ln.text.replace(" ", "")
            for r in lay.page_numbers:
                if r.edge_only and not (multi and id(ln) in edges):
                    continue
                if r.rx.match(t) or r.rx.match(ln.text):
                    ln.drop = r.id
                    break
    if not multi:
        return
    counts: dict[str, int] = {}
    for lines in lines_by_page:
        kept = [ln for ln in lines if not ln.drop]
        seen = set()
        for ln in kept[:edge] + kept[-edge:]:
            if len(ln.text) <= lay.running.max_chars:
                seen.add(_running_key(ln.text))
        for k in seen:
            counts[k] = counts.get(k, 0) + 1
    n = len(lines_by_page)
    need = max(lay.running.min_pages, lay.running.min_share * n)
    running = {k for k, v in counts.items() if v >= need}
    if not running:
        return
    for lines in lines_by_page:
        kept = [ln for ln in lines if not ln.drop]
        for ln in kept[:edge] + kept[-edge:]:
            if _running_key(ln.text) in running:
                ln.drop = "page.running"


_AMOUNT_IN_LINE = re.compile(r"\d[.,，]\d")
_DIGITS = re.compile(r"\d+")


def _running_key(text: str) -> str:
    """A running line compared across pages: a page number in it is ignored, amounts are not."""
    t = text.replace(" ", "")
    if _AMOUNT_IN_LINE.search(t):
        return t
    return _DIGITS.sub("#", t)


def _is_heading_start(text: str, lay: Layout) -> bool:
    return any(h.rx.match(text) for h in lay.headings)


def _ends_sentence(text: str, lay: Layout) -> bool:
    t = text
    while t and lay.closers.fullmatch(t[-1]):
        t = t[:-1]
    return bool(t) and (bool(lay.sentence_ends.fullmatch(t[-1])) or bool(lay.line_final.fullmatch(t[-1])))


@dataclass(frozen=True, slots=True)
class Wrap:
    """How a hard-wrapped text was wrapped: by display width (a PDF's line) and/or by character count."""

    visual: int | None
    chars: int | None


def _wrap_width(lines: list[Line], lay: Layout) -> Wrap | None:
    """The hard-wrap width of the text, or None when lines are paragraphs."""
    prose = [ln.text for ln in lines if visual_width(ln.text) >= 24 and not _table_piece(ln.text)]  # prose lines, not cells or table rows
    if len(prose) < 4:
        return None
    share = lay.reflow.full_line_share

    def typical(values: list[int], cap: int) -> int | None:
        # the wrap width is where the longest lines cluster: the densest window among the upper half
        values = sorted(values)
        upper = values[len(values) // 2 :]
        w = max(upper, key=lambda v: (sum(1 for x in upper if v * 0.93 <= x <= v * 1.07), v))
        if w > cap or w < 10:
            return None
        near = sum(1 for x in values if w * share <= x <= w * 1.15)
        return w if near >= lay.reflow.wrapped_share * len(values) else None

    vis = typical([visual_width(t) for t in prose], lay.reflow.max_wrap_width)
    cnt = typical([len(t) for t in prose], lay.reflow.max_wrap_width // 2)
    return Wrap(vis, cnt) if vis or cnt else None


def _short(a: str, b: str, wrap: Wrap, share: float) -> bool:
    """Did line ``a`` end before the wrap width (so it ended a paragraph)?  A number is never broken,
    so ``a`` counts as full when the first token of ``b`` would not have fitted on it."""
    tok = _first_token(b)
    if wrap.visual and visual_width(a) + visual_width(tok) >= wrap.visual * share:
        return False
    if wrap.chars and len(a) + len(tok) >= wrap.chars * (share + 0.05):
        return False
    return True


_NUM_TAIL = regex.compile(r"\d[.,，．]$|(?<![\d.])\d{1,3},\d{1,2}$")


_TOKEN = regex.compile(r"[\x21-\x7e]+|.")  # an ASCII run is never broken by a wrap


def _first_token(b: str) -> str:
    m = _TOKEN.match(b)
    return m.group(0) if m else ""


_GAP = re.compile(r"(?<=\S)[ \t\u3000\u00a0\u2002\u2003\u2009\u202f]{2,}(?=\S)")  # a column gap between two cells
_FIGURES_ONLY = re.compile(r"[-+−]?\d[\d,.]*[%％]?(?:[ \t\u3000]+[-+−]?\d[\d,.]*[%％]?)+")


def _table_piece(line: str) -> bool:
    """A table row, or a piece of one a flattening cut (opening or closing on a ``|`` cell border)."""
    return is_table_row(line) or line[:1] in "|｜" or line[-1:] in "|｜"


def is_table_row(line: str) -> bool:
    """A line of a flattened table: cells split by `` | ``, cells apart by a gap of 2+ spaces, or figures only."""
    return " | " in line or bool(_GAP.search(line)) or bool(_FIGURES_ONLY.fullmatch(line))


def _join(a: str, b: str, width: Wrap | None, lay: Layout, full: bool | None = None, spaced: bool = False) -> str:
    """The separator between line ``a`` and the next line ``b``: '' (join), ' ' or '\\n' (paragraph).

    ``full`` is the reader's own answer (PDF geometry) to "does ``a`` run to the margin?"; ``spaced``
    says the raw line ``a`` ended in a space.
    """
    if _NUM_TAIL.search(a) and b[:1].isdigit():
        return ""  # 1,540. / 23  and  4,4 / 63.51
    if (a[-1:].isdigit() or a[-1:] in "万亿") and lay.unit_continuation.match(b):
        return ""  # 22,719.86 万 / 元
    if is_table_row(a) or is_table_row(b):
        return "\n"  # a flattened table row (cells apart by `` | `` or a column gap, or figures only) is never prose
    if lay.no_line_start.match(b):
        return ""  # a paragraph never opens with a comma or a closing bracket
    if _is_heading_start(b, lay) or _ends_sentence(a, lay) or lay.new_field.match(b):
        return "\n"
    if width is None and full is None:
        return "" if _label_cut_from_figure(a, b, spaced) else "\n"
    if full is False or (full is None and _short(a, b, width, lay.reflow.full_line_share)):
        return "" if spaced and _label_cut_from_figure(a, b, spaced) else "\n"
    x, y = a[-1], b[0]
    if x.isdigit() and y.isdigit():
        # a digit run ending a line that reaches the margin and one opening the next are one number cut
        # by the wrap (对202 / 2年度, ×10 / 0%); short of the margin they stay two figures
        return "" if (full or (full is None and _at_margin(a, width))) else " "
    if (x.isascii() and x.isalnum()) and (y.isascii() and y.isalnum()):
        return " "
    return ""


_MARGIN_SHARE = 0.9  # a line this close to the wrap width was cut by the wrap, not ended by the writer


def _at_margin(a: str, wrap: Wrap) -> bool:
    """Does line ``a`` itself reach the wrap width (without borrowing the next line's first token)?"""
    if wrap.visual and visual_width(a) >= wrap.visual * _MARGIN_SHARE:
        return True
    return bool(wrap.chars and len(a) >= wrap.chars * _MARGIN_SHARE)


_PROSE_WITH_FIGURE = regex.compile(r"\d.*[，、；,]|[，、；,].*\d")
_FIGURE_WITH_UNIT = regex.compile(r"[-+]?\d[\d,.]*\s*(?:万元|亿元|元|%|％)(?=[\p{Han}，、；。,）)]|$)")


def _label_cut_from_figure(a: str, b: str, spaced: bool = False) -> bool:
    """With no wrap width to go by: is ``a`` a prose line cut between a label and the figure opening ``b``?

    ``…1,500.00万元，其中清淤疏浚`` / ``1372.80 万元、…``: a prose line (a figure and a clause mark in it,
    ending on a Han character, or one the writer ended with a space before the figure: ``调整后预算 ``)
    followed by a line that opens with an amount or rate.  A paragraph never opens with a bare amount,
    and a one-cell-per-line table cell carries neither clause marks nor a trailing space.
    """
    if not regex.match(r"\p{Han}", a[-1:]):
        return False
    if not spaced and (len(a) < 12 or not _PROSE_WITH_FIGURE.search(a)):
        return False
    return bool(_FIGURE_WITH_UNIT.match(b))


# --------------------------------------------------------------------------- the normalizer


@dataclass(slots=True)
class Normalized:
    text: str
    char_page: array
    char_src: array


def normalize(pages: list[Page], reflow: bool = True, line_full=None) -> Normalized:
    """Normalize ``pages`` into one text with a per-character map back to (page, raw offset).

    ``line_full(page, raw_offset_of_last_char, next_token_chars, next_page, next_raw_offset) -> bool | None`` lets a reader with geometry (PDF)
    say whether a line reaches the right margin; otherwise line widths are compared.
    """
    lay = layout()
    by_page = [split_lines(p) for p in pages]
    _furniture(by_page, lay)
    lines = [ln for lines in by_page for ln in lines if not ln.drop]
    width = _wrap_width(lines, lay) if reflow else None
    chars: list[str] = []
    cpage = array("i")
    csrc = array("i")
    prev: Line | None = None
    for ln in lines:
        if prev is not None:
            full = line_full(prev.page, prev.start + len(prev.text) - 1, len(_first_token(ln.text)), ln.page, ln.start) if (line_full and reflow) else None
            sep = _join(prev.text, ln.text, width, lay, full, prev.trailing_space)
            if sep:
                chars.append(sep)
                cpage.append(prev.page)
                csrc.append(prev.end_src)
        n = len(ln.text)
        chars.append(ln.text)
        cpage.extend([ln.page] * n)
        csrc.extend(range(ln.start, ln.start + n))
        prev = ln
    text = "".join(chars)
    text, cpage, csrc = _clean(text, cpage, csrc, lay)
    return Normalized(text, cpage, csrc)


def _clean(text: str, cpage: array, csrc: array, lay: Layout) -> tuple[str, array, array]:
    """Character-level clean-up: deletions (noise, zero-width, doubled spaces) then 1:1 folding."""
    delete = bytearray(len(text))
    breaks = set(_flattened_heading_breaks(text, lay))  # decided before any space is removed
    for m in lay.pinyin.finditer(text):
        for i in range(m.start(), m.end()):
            delete[i] = 1
    for m in re.finditer(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f]", text):
        delete[m.start()] = 1
    for i in _flattened_wrap_spaces(text):
        if i not in breaks and not (i >= 2 and i - 2 in breaks and text[i - 1] in "一二三四五六七八九十"):
            delete[i] = 1  # (keep the space of a "一 绩效…" heading marker)
    cells: list[int] = []  # a column gap (2+ spaces between two characters of a line) becomes the cell separator " | "
    for m in re.finditer(r"[ \t\u3000\u00a0\u2002\u2003\u2009\u202f]{2,}", text):
        if m.start() and text[m.start() - 1] not in "\n|｜" and m.end() < len(text) and text[m.end()] not in "\n|｜":
            cells.append(m.start())
        for i in range(m.start() + 1, m.end()):
            delete[i] = 1
    out = list(text.translate(_FOLD))
    for i in breaks:
        out[i] = "\n"
    for i in cells:
        out[i] = " | "  # three characters, each mapped to the gap's first space
    if any(delete) or cells:
        keep = [i for i in range(len(text)) if not delete[i]]
        if cells:
            cpage = array("i", (cpage[i] for i in keep for _ in out[i]))
            csrc = array("i", (csrc[i] for i in keep for _ in out[i]))
        else:
            cpage = array("i", (cpage[i] for i in keep))
            csrc = array("i", (csrc[i] for i in keep))
        out = [out[i] for i in keep]
    text = "".join(out)
    text = text.translate(_SIMPLIFY)
    text = _NUM_PUNCT.sub(lambda m: _MAP_PUNCT[m.group(0)], text)
    text = re.sub(r"[\t\u3000\u00a0\u2002\u2003\u2009\u202f]", " ", text)
    return text, cpage, csrc


_FLAT_MIN = 120  # a line this long with sparse Han-space-Han gaps is flattened wrapped text
_HAN_SPACE = regex.compile(r"(?<=[\p{Han}，。、：；）》”])[ \u3000](?=[\p{Han}（《“])")


def _flattened_wrap_spaces(text: str) -> list[int]:
    """Spaces left where a PDF's wrapped lines were flattened into one long line (``布置自 评任务``).

    Only in long lines whose Han-space-Han gaps are sparse (a median of 15+ characters apart,
    like line ends); dense spaces are cell separators of a flattened table and stay.
    """
    out: list[int] = []
    pos = 0
    for line in text.split("\n"):
        if len(line) > _FLAT_MIN:
            hits = [m.start() for m in _HAN_SPACE.finditer(line)]
            if len(hits) >= 3:
                gaps = sorted(b - a for a, b in zip(hits, hits[1:]))
                if gaps[len(gaps) // 2] >= 15:
                    out.extend(pos + h for h in hits)
        pos += len(line) + 1
    return out


_SPACE_BEFORE_MARK = regex.compile(r"(?<=[^\d\sA-Za-z])[ \u3000](?=\S)")


def _flattened_heading_breaks(text: str, lay: Layout) -> list[int]:
    """In a long flattened line, the space before a heading marker (`` 一、`` `` (二)`` `` 1.``) was a line break."""
    out: list[int] = []
    pos = 0
    for line in text.split("\n"):
        if len(line) > _FLAT_MIN:
            for m in _SPACE_BEFORE_MARK.finditer(line):
                ahead = line[m.end() : m.end() + 12]
                for h in lay.headings:
                    hm = h.rx.match(ahead)
                    if hm and not ahead[hm.end() : hm.end() + 1].isdigit() and hm.end() < len(ahead):
                        out.append(pos + m.start())
                        break
        pos += len(line) + 1
    return out


def fold_char(ch: str) -> str:
    """The form a raw character takes after normalization, out of context (tests compare on it)."""
    ch = ch.translate(_FOLD)
    ch = _MAP_PUNCT.get(ch, ch)
    if ch in "\t\u3000\u00a0\u2002\u2003\u2009\u202f":
        return " "
    return ch if ch.isascii() else simplify_char(ch)


def raw_range_to_text(char_page: array, char_src: array, page: int, raw_start: int, raw_end: int) -> tuple[int, int] | None:
    """The normalized range covering raw offsets ``[raw_start, raw_end)`` of ``page`` (None if all dropped)."""
    lo = bisect_left(char_page, page)
    hi = bisect_right(char_page, page)
    first = last = None
    for i in range(lo, hi):
        s = char_src[i]
        if raw_start <= s < raw_end:
            if first is None:
                first = i
            last = i
    if first is None:
        return None
    return first, last + 1


def raw_set_to_text(char_page: array, char_src: array, page: int, raw: set[int]) -> tuple[int, int] | None:
    """The normalized range spanning every kept character whose raw offset is in ``raw``."""
    lo = bisect_left(char_page, page)
    hi = bisect_right(char_page, page)
    idx = [i for i in range(lo, hi) if char_src[i] in raw]
    if not idx:
        return None
    return idx[0], idx[-1] + 1
