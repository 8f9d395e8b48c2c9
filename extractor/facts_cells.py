"""Tables that reach prose as one cell per line (with or without ``|`` lines between cells).

When no table reader claimed such a block (a 预算收支执行表 copied from a PDF,
a 三公 决算 comparison flattened from HTML), its figures still become facts —
nothing is dropped — but each is labeled only from its **own** row label and
column header, never from a neighbouring row: row label × column header gives
metric and stage (a header that is a year is this year's or last year's figure;
增减% is a growth rate).  A merged group header over a 合计 sub-column
("公车购置及运行维护费 | 合计 | 车辆购置 | 车辆运行") is folded: the 合计 column is
the group.  A 合计 column among parts of one total takes that total
(``totals`` in ``patterns/metrics.yaml``).  Confidence is lower than prose.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from . import labels as L
from .model import Document

_CELL_MAX = 30
_VALUE = regex.compile(r"^[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*%?$|^[—–\-－/]+$")
_SEP = regex.compile(r"^\s*\|?\s*$")
_PROSE = regex.compile(r"[。；;，,：:！？]\s*\S|[。；]$")
_TOTAL = regex.compile(r"^(?:合计|总计|小计|总额|总计数)$")
_CHANGE = regex.compile(r"增减|增长|变动|增幅|同比|比上年|较上年")
_YEAR = regex.compile(r"^(\d{4})\s*年(?:度)?(?:决算数?|预算数?|实际数?)?$")
_LEAD = regex.compile(r"^(?:其中|其|含)[：:]?\s*")
_CORNER = regex.compile(r"^(?:年度|年份|项目|科目|类别|名称|内容|单位|指标)(?:名称)?\s*(?:[（(][^（）()]*[）)])?$")
_DIGIT = regex.compile(r"\d")
_UNIT = regex.compile(r"单位[：:]\s*(万元|元|亿元)|[（(](万元|元|亿元)[）)]")


@dataclass(frozen=True, slots=True)
class Cell:
    """A value cell of a cell-stream table with the row label and column header it sits under."""

    start: int
    end: int
    row_label: str
    header: str  # "" when the header cannot be aligned with the row's values
    siblings: tuple[str, ...]  # every column header of the table (for 合计 columns)
    title: str  # the line(s) just above the block (table title, 单位)
    unit: str | None  # 万元 / 元 / 亿元 when the title or corner states it


def find(doc: Document) -> list[Cell]:
    """Every value cell of every cell-stream block in ``doc`` (computed once per document)."""
    text = doc.text
    lines = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, pos + len(raw), raw))
        pos += len(raw) + 1
    out: list[Cell] = []
    i = 0
    while i < len(lines):
        if not _is_cell(lines[i][2]):
            i += 1
            continue
        j = i
        while j < len(lines) and _is_cell(lines[j][2]):
            j += 1
        cells = [(s + len(t) - len(t.lstrip()), s + len(t.rstrip()), t.strip().strip("|").strip()) for s, _, t in lines[i:j] if not _SEP.match(t)]
        if len(cells) >= 4 and _multi_line_block(lines[i:j]):
            title = "\n".join(t for _, _, t in lines[max(0, i - 2):i])
            out.extend(_read(cells, title))
        i = j
    return out


def at(cells: list[Cell], start: int, end: int) -> Cell | None:
    """The cell holding the quantity ``[start, end)`` (one that ran on into the next line starts in it)."""
    for c in cells:
        if c.start <= start < c.end:
            return c
    return None


def is_value_cell(text: str) -> bool:
    """A line that is only a figure (a table cell), not a figure running on into prose."""
    return bool(_VALUE.match(text.strip().strip("|").strip()))


def _is_cell(line: str) -> bool:
    t = line.strip()
    if not t:
        return False
    if _SEP.match(t):
        return True
    t = t.strip("|").strip()
    return 0 < len(t) <= _CELL_MAX and not _PROSE.search(_LEAD.sub("", t)) and t.count("|") == 0


def _multi_line_block(block) -> bool:
    vals = sum(1 for _, _, t in block if _VALUE.match(t.strip().strip("|").strip()) and _DIGIT.search(t))
    return vals >= 2


def _read(cells: list[tuple[int, int, str]], title: str) -> list[Cell]:
    """Cut the stream into header, then rows (a label followed by its values)."""
    is_val = [bool(_VALUE.match(t)) for _, _, t in cells]
    if True not in is_val:
        return []
    first = is_val.index(True)
    if first < 1:
        return []
    head = [t for _, _, t in cells[: first - 1]]
    rows: list[tuple[list[str], list[tuple[int, int, str]]]] = []
    k = first - 1
    while k < len(cells):
        labels = []
        while k < len(cells) and not is_val[k]:
            labels.append(cells[k][2])
            k += 1
        vals = []
        while k < len(cells) and is_val[k]:
            vals.append(cells[k])
            k += 1
        if vals:
            rows.append((labels, vals))
    if not rows:
        return []
    width = len(rows[0][1])
    headers = _fold_groups(head)
    unit = None
    for src in [title] + head[:1]:
        m = _UNIT.search(src)
        if m:
            unit = m.group(1) or m.group(2)
            break
    corner = next((n for n, h in enumerate(headers) if _CORNER.match(h)), None)
    if corner is not None:
        headers = headers[corner + 1:]  # the corner cell (项目 / 年度) heads the row labels; a title may sit above it
    elif len(headers) > width:
        headers = headers[len(headers) - width:]
    aligned = len(headers) == width
    out = []
    for labels, vals in rows:
        label = labels[-1] if labels else ""
        for n, (s, e, _) in enumerate(vals):
            header = headers[n] if aligned and len(vals) == width else ""
            out.append(Cell(s, e, _LEAD.sub("", label), header, tuple(headers) if aligned else (), title, unit))
    return out


def _fold_groups(head: list[str]) -> list[str]:
    """"X | 合计 | a | b" where X heads a merged group: the 合计 column is X."""
    out = list(head)
    i = 0
    while i < len(out) - 2:  # a group has parts after its 合计
        if _TOTAL.match(out[i + 1]) and not _TOTAL.match(out[i]) and not _CORNER.match(out[i]) and i > 0:
            out[i + 1] = out[i]
            del out[i]
        i += 1
    return out


# --------------------------------------------------------------------------- a "label | v1 | v2" line


def pipe_row(text: str, q, r: L.Compiled) -> tuple[L.LabelMatch | None, str, str] | None:
    """(row label, column header, stage) for a figure in a "label | v1 | v2" line, or None outside such lines."""
    ls = text.rfind("\n", 0, q.span.start) + 1
    le = text.find("\n", q.span.end)
    le = len(text) if le < 0 else le
    line = text[ls:le]
    if line.count("|") < 2:
        return None
    cells = line.split("|")
    col = text.count("|", ls, q.span.start)
    if col == 0:
        return None
    lm = L.nearest_label(cells[0].strip(), q.kind, r) if cells[0].strip() else None
    header, stage = "", "none"
    pos = ls
    for _ in range(15):  # the header line above: the column's stage
        if pos <= 0:
            break
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        prev = text[prev_start:pos - 1]
        pos = prev_start
        if prev.count("|") >= 2 and not _DIGIT.search(prev):
            hcells = prev.split("|")
            if col < len(hcells):
                header = hcells[col].strip()
                cues = [c for c in L.stage_cues(header, None, r)]
                explicit = [c for c in cues if c[2] != "budget"]
                stage = (explicit or cues)[-1][2] if cues else "none"
                stage = "initial_budget" if stage == "budget" else stage
            break
    return lm, header, stage


# --------------------------------------------------------------------------- labeling


def label(cell: Cell, kind: str, year: int | None, r: L.Compiled) -> tuple[str, str, str, str, str | None]:
    """(metric, stage, rule id, label text, unit override) for a value cell."""
    row, col = cell.row_label, cell.header
    unit = "%" if "%" in col or "%" in row else cell.unit
    kinds = ("rate",) if unit == "%" else ("amount",) if unit in ("万元", "元", "亿元") else ("amount", "count")
    metric, rule, stage = "other", "metric.other", None
    for text in (row, col):
        if _CHANGE.search(text) and unit == "%":
            metric, rule, stage = "growth_rate", "metric.growth_rate", "change"
            break
        lm = _label(text, kinds, r)
        if lm is not None:
            metric, rule = lm.rule.metric, lm.rule.id
            stage = lm.rule.stage
            break
    if metric == "other":
        total = _total_of(cell, kinds, r)
        if total is not None:
            metric, rule = total
    if stage is None:
        stage = _stage(col, year, r) or _stage(row, year, r) or _stage(cell.title, year, r) or "none"
    text = " ".join(x for x in (row, col) if x)
    return metric, stage, rule, text, unit


def _label(text: str, kinds, r: L.Compiled):
    for kind in kinds:
        lm = L.nearest_label(text, kind, r)
        if lm is not None:
            return lm
    return None


def _total_of(cell: Cell, kinds, r: L.Compiled) -> tuple[str, str] | None:
    """A 合计 column whose sibling columns are all parts of one total takes that total's metric."""
    if not (_TOTAL.match(cell.header) or _TOTAL.match(cell.row_label)):
        return None
    parts = set()
    for h in cell.siblings:
        if h == cell.header:
            continue
        lm = _label(h, kinds, r)
        if lm is not None:
            parts.add(lm.rule.metric)
    for total, members in sorted(r.spec.totals.items(), key=lambda kv: len(kv[1])):  # the narrowest total
        if parts and parts <= set(members):
            rule = next((m.id for m, _ in r.metrics if m.metric == total), "metric." + total)
            return total, rule
    return None


def _stage(text: str, year: int | None, r: L.Compiled) -> str | None:
    if not text:
        return None
    m = _YEAR.match(text.strip())
    if m and year is not None:
        y = int(m.group(1))
        return "actual" if y == year else "prior_year" if y == year - 1 else None
    cues = L.stage_cues(text, None, r)
    explicit = [c for c in cues if c[2] != "budget"]
    if explicit:
        return max(explicit, key=lambda c: c[1])[2]
    return "initial_budget" if cues else None
