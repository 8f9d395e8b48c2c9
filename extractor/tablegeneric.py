"""Tables that are not the 自评表 form: every figure as row label × column header.

部门整体支出绩效自评表 blocks (按收入性质分 / 按支出性质分: 收入合计 | 财政拨款 | 其他 …,
支出合计 | 基本支出 | 项目支出 by 年初预算数 / 全年预算数 / 全年执行数), 预算执行表 and 三公
comparison tables (items as columns, years as rows, a 增减% row).  A row label and a column
header are each read as a metric, a stage, a year or a change (patterns/tables.yaml
``generic_*``); the figure takes its metric from one side and its stage from the other.  A
table whose headers say nothing known still yields every figure, as ``other`` labelled
"row label / column header": nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import regex

from .model import Document, Fact
from .tablevocab import clean, match, norm, parse_cell, vocab

WAN = Decimal(10000)
_UNIT_NOTE = regex.compile(r"\((?:单位[:：]?)?(?P<unit>万元|元|亿元|%)\)$|(?P<pct>%)$")
_UNIT_NEAR = regex.compile(r"单位[:：]\s*(?P<unit>万元|亿元|元)|[(（](?:单位[:：]?)?(?P<unit2>万元|亿元|元)[)）]")
_PROSE = regex.compile(r"[。；;！？]$")


@dataclass
class Side:
    """What a row label or column header says: a metric, a stage, a year, or nothing known."""

    text: str  # as displayed, unit note removed
    metric: str | None = None
    stage: str | None = None  # initial_budget … / growth / change
    year: int | None = None
    total: bool = False  # 合计 / 小计: the family's total, resolved per table
    rule: str = ""
    unit: str | None = None


def side(raw: str) -> Side:
    """Read one label or header (memoized through ``_side``)."""
    return _side(norm(raw))


_SIDE_MEMO: dict[str, Side] = {}


def _side(key: str) -> Side:
    if key in _SIDE_MEMO:
        return _SIDE_MEMO[key]
    v = vocab()
    unit = None
    m = _UNIT_NOTE.search(key)
    core = key
    if m and m.start() > 0:
        unit = m.group("unit") or m.group("pct")
        core = key[: m.start()]
    s = Side(core, unit=unit)
    st = match(v.generic_stages, key) or match(v.generic_stages, core)
    if st is not None:
        s.stage, s.rule = st.key, st.id
    y = v.generic_year.match(core)
    if y and st is None:
        s.year, s.rule = int(y.group("year")), "year"
    mt = match(v.generic_metrics, core)
    if mt is not None:
        s.metric, s.rule = mt.key, mt.id
    elif v.generic_total.match(core):
        s.total, s.rule = True, "total"
    if len(_SIDE_MEMO) < 50_000:
        _SIDE_MEMO[key] = s
    return s


def _is_num(t) -> bool:
    if t.empty:
        return False
    return vocab().generic_year.match(t.key) is None and parse_cell(t.raw) is not None


def looks_generic(keys: list[str]) -> bool:
    """≥ 2 cells that name a metric, a stage or a year: worth reading as a generic table."""
    hits = 0
    for k in keys:
        s = _side(k)
        if s.metric or s.stage or s.year:
            hits += 1
    return hits >= 2


# --------------------------------------------------------------------------- structure


def restructure(rows: list[list]) -> tuple[list, list[list]]:
    """(header cells, data rows): rows as given when they already hold a label and figures each,
    else the cell stream cut at each label that is followed by figures."""
    data_rows = [r for r in rows if any(_is_num(t) for t in r) and not _is_num(next((t for t in r if not t.empty), r[0]))]
    if len(data_rows) >= 2:
        first = rows.index(data_rows[0])
        header = [t for r in rows[:first] for t in r if not t.empty]
        return header, [r for r in rows[first:] if any(not t.empty for t in r)]
    flat = [t for r in rows for t in r]
    i0 = next((i for i, t in enumerate(flat) if _is_num(t)), None)
    if i0 is None:
        return [], []
    l0 = max((i for i in range(i0) if not flat[i].empty), default=None)
    if l0 is None:
        return [], []
    header = [t for t in flat[:l0] if not t.empty]
    out: list[list] = []
    cur: list = []
    for t in flat[l0:]:
        if not t.empty and not _is_num(t) and (not cur or any(_is_num(x) for x in cur[1:])):
            if cur:
                out.append(cur)
            cur = [t]
        elif not t.empty and not _is_num(t):
            cur = [t]  # a section label (按收入性质分) before the row label: the later one labels the row
        else:
            cur.append(t)
    if cur:
        out.append(cur)
    return header, out


def groups(row: list) -> list[tuple[object, list]]:
    """A data row as (label, value cells) groups: 收入合计 | 1 | 2 | 3 | 支出合计 | 4 | 5 | 6 is two groups."""
    out: list[tuple[object, list]] = []
    for t in row:
        if not t.empty and not _is_num(t):
            out.append((t, []))
        elif out:
            out[-1][1].append(t)
    for _, vals in out:  # trailing empty cells (a closing |) are no column
        while vals and vals[-1].empty:
            vals.pop()
    return [(lab, vals) for lab, vals in out if any(_is_num(t) for t in vals)]


def heads(header: list, ncols: int) -> list[tuple[str | None, str | None]]:
    """Value-column headers (text, group header) for ``ncols`` value columns.

    The label column's own header (项目, 年度) is dropped; a group header spanning sub-columns
    (公车购置及运行维护费 over 合计 | 车辆购置 | 车辆运行) is taken out and names its sub-columns."""
    texts = [t.raw for t in header]
    while len(texts) > ncols and not _known(texts[0]):
        texts.pop(0)
    group_of: dict[int, str] = {}
    while len(texts) > ncols:
        j = max((i for i in range(1, len(texts)) if _side(norm(texts[i])).total), default=None)
        if j is None:
            texts = texts[len(texts) - ncols :]
            break
        group = texts.pop(j - 1)
        shifted = {k - 1 if k >= j else k: g for k, g in group_of.items()}
        group_of = shifted | {k: group for k in range(j - 1, len(texts))}
    out = [(t, group_of.get(i)) for i, t in enumerate(texts)]
    while len(out) < ncols:
        out.append((None, None))
    return out


def _known(raw: str) -> bool:
    s = _side(norm(raw))
    return bool(s.metric or s.stage or s.year or s.total)


# --------------------------------------------------------------------------- reading


def read(doc: Document, reader, rows: list[list]) -> list[Fact]:
    """Every figure of a generic table as a fact (``reader`` is a tables.Reader: provenance and quotes)."""
    v = vocab()
    header, data = restructure(rows)
    if not data:
        return []
    grouped = [(r, g) for r, row in enumerate(data, 1) for g in groups(row)]
    if not grouped:
        return []
    ncols = max(len(vals) for _, (_, vals) in grouped)
    per_group = [len(vals) for _, (_, vals) in grouped]
    hs = heads(header, ncols)
    multi = max(sum(1 for r, _ in grouped if r == rr) for rr, _ in grouped) > 1
    if multi and len(header) and len([h for h in hs if h[0]]) == ncols and max(per_group) < ncols:
        hs = hs[: max(per_group)]
    unit = _table_unit(doc, reader, header)
    years = [s.year for s in (_side(norm(t.raw)) for _, (t, _) in grouped) if s.year]
    years += [s.year for s in (_side(norm(h)) for h, _ in hs if h) if s.year]
    report_year = doc.metadata.year or (max(years) if years else None)
    row_sides = [_side(norm(lab.raw)) for _, (lab, _) in grouped]
    col_sides = [_side(norm(h)) if h else Side("") for h, _ in hs]
    row_total = _family_total([s.metric for s in row_sides])
    col_total = _family_total([s.metric for s in col_sides])
    facts: list[Fact] = []
    for (r, (lab, vals)), rs in zip(grouped, row_sides):
        for c, tok in enumerate(vals):
            if not _is_num(tok):
                continue
            h, grp = hs[c] if c < len(hs) else (None, None)
            cs = col_sides[c] if c < len(col_sides) else Side("")
            f = _one(doc, reader, tok, lab, rs, h, grp, cs, row_total, col_total, report_year, unit, r, c + 1)
            if f is not None:
                facts.append(f)
    return facts


def _family_total(metrics: list[str | None]) -> str | None:
    have = {m for m in metrics if m}
    best = None
    for _id, total, members in vocab().families:
        n = len(have & members)
        if n and (best is None or n > best[0]):
            best = (n, total)
    return best[1] if best else None


def _resolve(s: Side, group: str | None, family_total: str | None) -> str | None:
    if s.metric:
        return s.metric
    if s.total:
        if group:
            g = _side(norm(group))
            if g.metric:
                return g.metric
        return family_total
    return None


def _one(doc, reader, tok, lab, rs: Side, h, grp, cs: Side, row_total, col_total, report_year, unit, r, c) -> Fact | None:
    num = parse_cell(tok.raw)
    if num is None:
        return None
    row_metric = _resolve(rs, None, row_total)
    col_metric = _resolve(cs, grp, col_total)
    col_text = f"{clean(grp)} {clean(h)}" if grp and cs.total else (clean(h) if h else f"第{c}列")
    row_text = clean(lab.raw)

    def stage_of(s: Side) -> str | None:
        if s.stage and s.stage not in ("growth",):
            return s.stage
        if s.year is not None and report_year is not None:
            return "actual" if s.year >= report_year else "prior_year"
        return None

    growth = rs.stage == "growth" or cs.stage == "growth"
    metric, stage, label, rule = "other", "none", f"{row_text} / {col_text}", "generic.other"
    if growth:
        item = col_metric if rs.stage == "growth" else row_metric
        item_text = col_text if rs.stage == "growth" else row_text
        metric, stage, label, rule = "growth_rate", "change", item_text, f"generic.growth/{item or 'other'}"
    elif row_metric and stage_of(cs):
        metric, stage, label, rule = row_metric, stage_of(cs), row_text, f"{rs.rule or 'total'}/{cs.rule}"
    elif col_metric and stage_of(rs):
        metric, stage, label, rule = col_metric, stage_of(rs), col_text, f"{cs.rule or 'total'}/{rs.rule}"
    elif stage_of(cs) or stage_of(rs):
        stage = stage_of(cs) or stage_of(rs)
    f_unit = num.unit or ("%" if growth else (cs.unit or rs.unit or unit or "万元"))
    conf = reader.base_conf * (1.0 if (num.unit or unit or growth or cs.unit or rs.unit) else 0.85)
    if metric == "other":
        conf *= 0.8
    f = reader.fact(tok, metric, stage, num.value, f_unit, label, rule, conf, num)
    f.row, f.col = r, c
    f.fact_id = f"{reader.table_id}r{r}c{c}"
    f.subject = "department"
    if f_unit in ("万元", "元", "亿元"):
        f.kind = "amount"
        f.value_wanyuan = num.value if f_unit == "万元" else (num.value / WAN if f_unit == "元" else num.value * WAN)
    elif f_unit == "%":
        f.kind = "rate"
    else:
        f.kind = "count"
    if len(f.quote) <= len(tok.raw.strip()) + 2:
        f.quote = f"{row_text} | {col_text} | {tok.raw.strip()}"
    return f


def _table_unit(doc: Document, reader, header: list) -> str | None:
    for t in header:
        m = _UNIT_NOTE.search(t.key)
        if m and (m.group("unit") in ("万元", "元", "亿元")):
            return m.group("unit")
        e = match(vocab().unit_cues, t.key)
        if e:
            return e.key
    a = reader.span[0] if reader.span and reader.span[0] is not None else 0
    near = doc.text[max(0, a - 120) : a + 40]
    found = list(_UNIT_NEAR.finditer(near))
    if found:
        m = found[-1]
        return m.group("unit") or m.group("unit2")
    return None


_UNIT_TAIL = regex.compile(r"\((?:单位[:：]?)?(?:万元|元|亿元)\)$|[:：]$")


def _core(key: str) -> str:
    """A label without its unit note or trailing colon (一般公共预算：, 支出合计（万元）)."""
    return _UNIT_TAIL.sub("", key)


def _label_groups(toks: list) -> list[tuple]:
    """A row as (label, figures) groups; labels without figures (按收入性质分) are dropped."""
    out: list[tuple] = []
    for t in toks:
        if t.empty or parse_cell(t.raw) is not None:
            if out:
                out[-1][1].append(t)
        else:
            out.append((t, []))
    return [(lab, vals) for lab, vals in out if any(parse_cell(x.raw) is not None for x in vals)]


# --------------------------------------------------------------------------- finding them in text


def line_regions(text: str, lines: list[tuple[int, int]], keys: list[str], taken) -> list[tuple[int, int]]:
    """One cell per line: ≥ 2 known headers within 8 lines, then label lines each followed by figures."""
    out: list[tuple[int, int]] = []
    n = len(lines)
    i = 0

    def overl(a, b):
        return any(a < e and s < b for s, e in taken + out)

    def known_hdr(j):
        s = _side(keys[j])
        return bool(s.stage or s.year)

    while i < n:
        if overl(*lines[i]) or not known_hdr(i) or len(keys[i]) > 30:
            i += 1
            continue
        near = [j for j in range(i, min(n, i + 8)) if known_hdr(j) and len(keys[j]) <= 30]
        if len(near) < 2:
            i += 1
            continue
        a = i
        while a > 0 and i - a < 3 and 0 < len(keys[a - 1]) <= 20 and not _PROSE.search(keys[a - 1]) and not keys[a - 1].endswith(":"):
            a -= 1
        j = near[-1] + 1
        last = None
        while j < n:
            k = keys[j]
            if not k:
                j += 1
                continue
            if _numlike(k):
                last = j
                j += 1
                continue
            nxt = next((x for x in range(j + 1, min(n, j + 3)) if keys[x]), None)
            if len(k) <= 30 and not _PROSE.search(k) and nxt is not None and _numlike(keys[nxt]):
                j = nxt
                continue
            break
        if last is not None and not overl(lines[a][0], lines[last][1]):
            out.append((lines[a][0], lines[last][1]))
            i = last + 1
        else:
            i += 1
    return out


def _numlike(key: str) -> bool:
    if vocab().generic_year.match(key):
        return False
    if parse_cell(key) is not None:
        return True
    return all(parse_cell(w) is not None for w in key.split(" ")) if " " in key else False
