"""Tables that survive only as text: find them and turn them back into rows of cells.

Three flattened shapes are seen in real submissions:

* rows joined by ``|`` (HTML flattened, ``| 年度資金總額 | 7.29 | 7.29 | … | ||||``);
* a row label on its own line and its cells on indented ``| cell`` lines;
* one cell per line, each ending ``|`` (no row boundaries at all: rows are
  cut where a row label, an indicator level or a block title begins);

and one with **no separators** (PDF text in drawing order, numbers run together),
found here and read by ``tablescramble``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from . import tablegeneric
from .model import Document
from .tables import Tok
from .tablevocab import match, norm, parse_cell, vocab


@dataclass
class TextTable:
    id: str
    kind: str  # rows | stream | scrambled
    start: int
    end: int
    rows: list[list[Tok]] = field(default_factory=list)


_LINE = regex.compile(r"[^\n]*\n?")
_WORD = regex.compile(r"\S+")


def find(doc: Document, claimed: list[tuple[int, int]]) -> list[TextTable]:
    """Every text table in ``doc`` outside ``claimed`` ranges (already read as grids)."""
    text = doc.text
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.end() > m.start()]
    out: list[TextTable] = []
    taken: list[tuple[int, int]] = list(claimed)
    for a, b in _pipe_regions(text, lines):
        if _overlaps(a, b, taken):
            continue
        seg = text[a:b]
        if not _has_vocab(seg):
            if tablegeneric.looks_generic([norm(x) for x in _PIPE.split(seg)]):
                rows = _generic_rows(text, a, b)
                out.append(TextTable(f"tx{len(out) + 1}", "generic", a, b, rows))
                taken.append((a, b))
            continue
        rows, kind = _rows_of(text, a, b)
        out.append(TextTable(f"tx{len(out) + 1}", kind, a, b, rows))
        taken.append((a, b))
    for a, b in _line_regions(text, lines, taken):
        toks = [piece for s, e in lines if a <= s < b for word in _figure_words(text, s, e) for piece in unglue(word)]
        rows = segment([t for t in toks if t.end > t.start])
        out.append(TextTable(f"tx{len(out) + 1}", "lines", a, b, rows))
        taken.append((a, b))
    from .tablescramble import scrambled_regions

    for a, b in scrambled_regions(text, taken):
        out.append(TextTable(f"tx{len(out) + 1}", "scrambled", a, b))
        taken.append((a, b))
    keys = [norm(text[s:e]) for s, e in lines]
    for a, b in tablegeneric.line_regions(text, lines, keys, taken):
        toks = [piece for s, e in lines if a <= s < b for word in _figure_words(text, s, e) for piece in unglue(word)]
        out.append(TextTable(f"tx{len(out) + 1}", "generic", a, b, [[t for t in toks if t.end > t.start]]))
        taken.append((a, b))
    return out


_PIPE = regex.compile(r"\|")


def _generic_rows(text: str, a: int, b: int) -> list[list[Tok]]:
    """A generic table joined by ``|``: one row per line when lines hold several cells (empty cells kept,
    they place the figures); one cell per line (``2840 |``) gives a single stream, cut by the reader."""
    seg_lines = [(a + m.start(), a + m.end()) for m in _LINE.finditer(text[a:b]) if text[a + m.start() : a + m.end()].strip()]
    multi = sum(1 for s, e in seg_lines if text[s:e].count("|") >= 2)
    if multi >= max(2, len(seg_lines) // 2):
        rows, _ = _rows_of(text, a, b, cut=False)
        return rows
    cells = _cells(text, a, b)
    while cells and cells[-1][0] == cells[-1][1]:
        cells.pop()
    # an empty cell between two | is a blank in the grid: kept, it holds its column's place
    return [[piece for cs, ce in cells for piece in unglue(Tok(text[cs:ce], cs, ce))]]


def _overlaps(a: int, b: int, spans) -> bool:
    return any(a < e and s < b for s, e in spans)


def _has_vocab(seg: str) -> bool:
    v = vocab()
    keys = [norm(x) for x in _PIPE.split(seg)]
    hits = sum(1 for k in keys if k and (match(v.budget_columns, k) or match(v.indicator_columns, k)))
    return hits >= 2


# --------------------------------------------------------------------------- | separated


def _pipe_regions(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of lines holding ``|``, bridging gaps of ≤ 2 short lines; 1–2 short lines before are the head cell."""
    regions = []
    i, n = 0, len(lines)
    while i < n:
        if "|" not in text[lines[i][0] : lines[i][1]]:
            i += 1
            continue
        first = last = i
        j = i + 1
        while j < n:
            seg = text[lines[j][0] : lines[j][1]]
            if "|" in seg:
                last = j
                j += 1
                continue
            gap = j
            while gap < n and "|" not in text[lines[gap][0] : lines[gap][1]] and gap - j < 3 and len(text[lines[gap][0] : lines[gap][1]].strip()) <= 40:
                gap += 1
            if gap < n and gap - j < 3 and "|" in text[lines[gap][0] : lines[gap][1]]:
                j = gap
                continue
            break
        k = first
        while k > 0 and first - k < 2:
            prev = text[lines[k - 1][0] : lines[k - 1][1]].strip()
            if not prev or len(prev) > 20:
                break
            k -= 1
        regions.append((lines[k][0], lines[last][1]))
        i = last + 1
    return regions


def _span(text: str, s: int, e: int) -> tuple[str, int, int]:
    s, e = _strip(text, s, e)
    return text[s:e], s, e


_PROSE_END = regex.compile(r"[。；;！!？?]$")


def _line_regions(text: str, lines: list[tuple[int, int]], taken) -> list[tuple[int, int]]:
    """One cell per line without separators (a grid's text layer): short lines around a run of header cells."""
    v = vocab()
    keys = [norm(text[s:e]) for s, e in lines]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if _overlaps(*lines[i], taken + out) or not (match(v.budget_columns, keys[i]) or match(v.indicator_columns, keys[i])):
            i += 1
            continue
        near = [j for j in range(i, min(len(lines), i + 12)) if match(v.budget_columns, keys[j]) or match(v.indicator_columns, keys[j])]
        if len(near) < 3:
            i += 1
            continue
        a = i
        while a > 0 and i - a < 12 and _cellish(text, lines[a - 1], keys[a - 1]) and not v.title.search(keys[a]):
            a -= 1
        b = i
        while b + 1 < len(lines) and _cellish(text, lines[b + 1], keys[b + 1]) and not _overlaps(*lines[b + 1], taken):
            b += 1
            if match(v.total_rows, keys[b]):  # 总分 and the figures after it close the table
                while b + 1 < len(lines) and (not keys[b + 1] or _valuelike(keys[b + 1])):
                    b += 1
                break
        out.append((lines[a][0], lines[b][1]))
        i = b + 1
    return out


def _figure_words(text: str, s: int, e: int) -> list[Tok]:
    """A line as cells: one cell, or one per figure when a reader joined a row's figures on one line."""
    raw, a, b = _span(text, s, e)
    words = [(a + m.start(), a + m.end()) for m in _WORD.finditer(raw)]
    if len(words) > 1 and all(_valuelike(norm(text[x:y])) for x, y in words):
        return [Tok(text[x:y], x, y) for x, y in words]
    return [Tok(raw, a, b)]


def _cellish(text: str, line: tuple[int, int], key: str) -> bool:
    body = text[line[0] : line[1]].strip()
    if "|" in body:
        return False
    if body and all(_valuelike(norm(w)) for w in body.split()):
        return True
    return not body or (len(body) <= 40 and not _PROSE_END.search(body)) or (len(body) <= 80 and not _PROSE_END.search(body) and "，" in body and len(key) < 60)


def _cells(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cell spans between ``|`` in ``text[a:b]``, stripped (empty cells kept as zero-length)."""
    out = []
    pos = a
    for m in _PIPE.finditer(text[a:b]):
        out.append(_strip(text, pos, a + m.start()))
        pos = a + m.end()
    out.append(_strip(text, pos, b))
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _rows_of(text: str, a: int, b: int, cut: bool = True) -> tuple[list[list[Tok]], str]:
    seg_lines = [(a + m.start(), a + m.end()) for m in _LINE.finditer(text[a:b]) if m.end() > m.start()]
    pipe = [(s, e) for s, e in seg_lines if "|" in text[s:e]]
    lead = [(s, e) for s, e in pipe if text[s:e].lstrip().startswith("|")]
    multi = sum(1 for s, e in lead if text[s:e].count("|") >= 3)
    if len(lead) >= max(2, len(pipe) // 2) and multi >= max(2, len(lead) // 3):
        # | a | b | c |: a row begins at each line that begins with |
        kind, starts = "rows", [s for s, e in seg_lines if text[s:e].lstrip().startswith("|")]
    elif sum(1 for s, e in pipe if text[s:e].count("|") >= 2) >= max(2, len(pipe) * 2 // 3):
        # a | b | c (a grid rendered as text, rows without a leading |): one row per line
        kind, starts = "rows", [s for s, e in seg_lines if "|" in text[s:e]]
    elif len(lead) >= max(2, len(pipe) // 2):
        # a label line, then its cells on "| cell" lines: a row begins at a line without |
        kind, starts = "rows", _label_line_starts(text, seg_lines)
    else:
        kind, starts = "stream", []
    if kind == "rows":
        bounds = sorted(set([a] + starts)) + [b]
        rows = []
        for r, (s, e) in enumerate(zip(bounds, bounds[1:])):
            cells = _cells(text, s, e)
            if text[s] == "|" and cells and cells[0][0] == cells[0][1]:
                cells = cells[1:]
            rows.append([piece for cs, ce in cells for piece in unglue(Tok(text[cs:ce], cs, ce))])
        # a reader that reflowed the text may have joined rows: cut again where a row label begins
        if not cut:
            return _number([r for r in rows if r]), kind
        return _number([sub for r in rows if r for sub in segment(r)]), kind
    toks = [piece for cs, ce in _cells(text, a, b) for piece in unglue(Tok(text[cs:ce], cs, ce))]
    return (segment(toks) if cut else [toks]), kind


def _label_line_starts(text: str, seg_lines: list[tuple[int, int]]) -> list[int]:
    """Row starts in the label-line shape: a line without | that is not the wrapped tail of the cell above
    (``社会效益`` / ``指标``: a tail is ≤ 2 characters, indented, or completes a known label)."""
    v = vocab()
    starts = []
    prev_cell = ""
    for s, e in seg_lines:
        line = text[s:e]
        body = line.strip()
        if not body:
            continue
        if body.startswith("|"):
            prev_cell = body.split("|")[-1].strip() or prev_cell
            continue
        joined = norm(prev_cell + body)
        tail = line[0] in " \t" or len(body) <= 2 or (prev_cell and (v.level2.search(joined) or v.level1.search(joined)))
        if not (tail and starts):
            starts.append(s)
        prev_cell = body
    return starts


def _starter(key: str, v) -> bool:
    """A cell that begins a row or names a column: row labels, levels, block titles, headers."""
    return bool(
        match(v.budget_rows, key) or match(v.total_rows, key) or v.project_name.search(key) or v.stop_labels.match(key)
        or v.group_headers.search(key) or v.level1.search(key) or v.level2.search(key)
        or match(v.budget_columns, key) or match(v.indicator_columns, key) or match(v.generic_metrics, key)
        or v.department_form.search(key)
    )


def unglue(tok: Tok) -> list[Tok]:
    """Split a cell glued to the next row's first cell when line breaks were lost
    (``9.37其中：当年财政拨款``, ``得分年度资金总额``, ``—上年结转资金``)."""
    v = vocab()
    key = tok.key
    tail = _LABEL_FIGS.match(tok.raw)
    if tail and _starter(norm(tail.group("label")), v):
        # a row label and its figures on one line (line breaks lost): 年度资金总额22,798.00 25,533.76
        lab = tail.group("label").rstrip()
        out = [Tok(lab, tok.start, tok.start + len(lab))]
        base = tok.start + tail.start("figs")
        out += [Tok(m.group(), base + m.start(), base + m.end()) for m in _WORD.finditer(tail.group("figs"))]
        return out
    if not key or _starter(key, v) or len(key) < 3:
        return [tok]
    for i in range(1, len(key) - 1):
        head, tail = key[:i], key[i:]
        if not _starter(tail, v):
            continue
        field_label = v.group_headers.search(tail) or v.stop_labels.match(tail) or v.project_name.search(tail)
        row_label = v.level1.search(tail) or v.level2.search(tail) or match(v.total_rows, tail) or match(v.budget_rows, tail)
        prose = bool(_CLAUSE.search(head)) and len(head) >= 6  # a 偏差原因 sentence
        if not (_valuelike(head) or head in ("—", "/", "-") or _starter(head, v) or (len(head) >= 2 and field_label) or (prose and row_label)):
            continue
        at = _raw_index(tok.raw, i)
        if at is None:
            continue
        left, right = tok.raw[:at], tok.raw[at:]
        cut = tok.start + at
        return [Tok(left.rstrip(), tok.start, tok.start + len(left.rstrip())), *unglue(Tok(right, cut, tok.end))]
    return [tok]


_FIG = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?"
_LABEL_FIGS = regex.compile(rf"^(?P<label>.*?[^\d\s.,%+\-])\s*(?P<figs>{_FIG}(?:\s+{_FIG})*)\s*$")


def _raw_index(raw: str, k: int) -> int | None:
    """Position in ``raw`` where the normalized key's k-th character starts (keys drop only whitespace here)."""
    seen = 0
    for j, ch in enumerate(raw):
        if ch.isspace():
            continue
        if seen == k:
            return j
        seen += 1
    return None


def segment(toks: list[Tok]) -> list[list[Tok]]:
    """Cut a stream of cells (one per line) into rows where a row label, level or block title starts."""
    v = vocab()
    rows: list[list[Tok]] = [[]]
    prev_key = ""
    for t in toks:
        k = t.key
        after_header = bool(match(v.budget_columns, prev_key) or match(v.indicator_columns, prev_key) or v.group_headers.search(prev_key))
        starts = bool(k) and (
            match(v.budget_rows, k) or match(v.total_rows, k) or v.project_name.search(k) or v.stop_labels.search(k)
            or match(v.generic_metrics, k) or v.department_form.search(k)
            or ((v.group_headers.search(k) or match(v.budget_columns, k) or match(v.indicator_columns, k)) and not after_header)
            or ((v.level1.search(k) or v.level2.search(k)) and not (v.level1.search(prev_key) or v.level2.search(prev_key)))
        )
        if starts and rows[-1]:
            rows.append([])
        rows[-1].append(t)
        if k:
            prev_key = k
    return _number([r for r in rows if r])


def _number(rows: list[list[Tok]]) -> list[list[Tok]]:
    for r, row in enumerate(rows):
        for c, t in enumerate(row):
            t.row, t.col = r, c
    return rows


_PAGE_NO = regex.compile(r"-\d+-")
_CLAUSE = regex.compile(r"[,，;；、。]")
_NUMLIKE = regex.compile(r"^(?:[=≥≤><]|>=|<=)?[-+]?\d[\d,]*(?:\.\d+)?%?$|^[—–-]{1,2}$")


def _valuelike(key: str) -> bool:
    """A figure cell: ``100%``, ``=100%``, ``≥12公里``, ``—`` (not a page number such as ``-1-``)."""
    if _PAGE_NO.fullmatch(key):
        return False
    return bool(_NUMLIKE.match(key)) or parse_cell(key) is not None
