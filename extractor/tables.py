"""自评表 reader: budget rows and indicator rows from tables in every shape they arrive.

Shapes: ruled PDF / HTML / DOCX grids (``Document.tables``), and tables that
survive only as text (rows joined by ``|``, one cell per line, or no
separators at all — see ``tableshapes``).  Every shape is turned into rows of
:class:`Tok` (cell text + provenance) and read by one interpreter
(:class:`Reader`), so a phrasing learnt once works in every shape.

``extract(doc) -> TableResult`` is the stage function (docs/contracts.md).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal

import regex

from . import tablegeneric
from .model import Document, Fact, Finding, Table
from .tablegeneric import _core, _label_groups
from .tablevocab import EMPTY, INDICATOR_FIELDS, Num, clean, comparator_of, display, is_comparator, match, norm, parse_cell, vocab

WAN = Decimal(10000)


@dataclass
class Tok:
    """One table cell: its text as in the source, where it is, and its normalized key for matching."""

    raw: str
    start: int
    end: int
    row: int = 0
    col: int = 0
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    located: bool = True  # False: the text could not be found in doc.text (start=end=table start)

    @property
    def key(self) -> str:
        return norm(self.raw)  # cached by text

    @property
    def empty(self) -> bool:
        return self.key in EMPTY


@dataclass
class TableResult:
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    regions: list[tuple[int, int]] = field(default_factory=list)


# --------------------------------------------------------------------------- stage


def extract(doc: Document) -> TableResult:
    """Read every 自评表 in ``doc``: grids first, then tables left only as text."""
    from . import tablescramble, tableshapes

    out = TableResult()
    ids: set[str] = set()
    ctx = {"subject": "project"}  # a form split into several grids: later grids keep the project named earlier
    try:
        grids = grid_tables(doc)
    except Exception as exc:  # noqa: BLE001 - a grid we cannot read must not cost the report its prose
        grids = []
        doc.warnings.append(f"[E199] internal: tables not read ({type(exc).__name__}: {exc})")
    for table_id, rows, span, origin in grids:
        _guarded(doc, table_id, _read_into, doc, out, ids, table_id, rows, span, origin, confidence=1.0, ctx=ctx)
    claimed = list(out.regions) + [(t.start, t.end) for t in doc.tables if t.start is not None and t.end is not None]
    for tt in _guarded(doc, "text", tableshapes.find, doc, claimed) or []:
        if tt.kind == "generic":
            _guarded(doc, tt.id, _read_generic, doc, out, ids, tt.id, tt.rows, (tt.start, tt.end), "text", 0.9)
        elif tt.kind == "scrambled":
            res = _guarded(doc, tt.id, tablescramble.read_scrambled, doc, tt)
            if res:
                _keep(out, ids, res.facts, res.findings, (tt.start, tt.end))
        else:
            _guarded(doc, tt.id, _read_into, doc, out, ids, tt.id, tt.rows, (tt.start, tt.end), "text", confidence=0.95, ctx=ctx)
    out.regions.sort()
    return out


def _guarded(doc: Document, what: str, fn, *args, **kw):
    """Run one table's reading; a failure becomes a coded warning on the document, never a traceback."""
    try:
        return fn(*args, **kw)
    except Exception as exc:  # noqa: BLE001
        doc.warnings.append(f"[E199] internal: table {what} not read ({type(exc).__name__}: {exc})")
        return None


def _read_into(doc, out, ids, table_id, rows, span, origin, confidence, ctx) -> None:
    reader = Reader(doc, table_id, span, origin, confidence)
    reader.subject = ctx["subject"]
    reader.read(rows)
    if not reader.facts and not reader.mode and reader.subject == ctx["subject"]:
        # not a 自评表 form (nor its title block): row label × column header
        _read_generic(doc, out, ids, table_id, rows, span, origin, confidence)
        return
    ctx["subject"] = reader.subject
    _keep(out, ids, reader.facts, reader.findings, span)


def _read_generic(doc, out, ids, table_id, rows, span, origin, confidence) -> None:
    reader = Reader(doc, table_id, span, origin, confidence)
    _keep(out, ids, tablegeneric.read(doc, reader, rows), [], span)


def _keep(out: TableResult, ids: set[str], facts: list[Fact], findings: list[Finding], span) -> None:
    """Add one table's facts (ids made unique) and findings to ``out``; its text range is claimed when it has one."""
    facts = _unique(facts, ids)
    if facts:
        out.facts.extend(facts)
        out.findings.extend(findings)
        if span[0] is not None and span[1] is not None and span[1] > span[0]:
            out.regions.append(span)


def _unique(facts: list[Fact], ids: set[str]) -> list[Fact]:
    """Provisional ids unique across the document (a second fact from one cell gets a suffix)."""
    for f in facts:
        base, n = f.fact_id, 2
        while f.fact_id in ids:
            f.fact_id = f"{base}_{n}"
            n += 1
        ids.add(f.fact_id)
    return facts


# --------------------------------------------------------------------------- grids (PDF / HTML / DOCX)


def grid_tables(doc: Document) -> list[tuple[str, list[list[Tok]], tuple[int, int], str]]:
    """``Document.tables`` as rows of cells; a table continued on the next page is merged into one."""
    out: list[tuple[str, list[list[Tok]], tuple[int, int], str]] = []
    prev: Table | None = None
    for t in doc.tables:
        rows = grid_rows(doc, t)
        if out and prev is not None and _continues(prev, t, out[-1][1], rows):
            tid, old, (s, e), origin = out[-1]
            rows = _drop_repeated_header(old, rows)
            base = len(old)
            for r in rows:
                for tok in r:
                    tok.row += base
            end = max(e, t.end or e)
            out[-1] = (tid, old + rows, (s, end), origin)
        else:
            start = t.start if t.start is not None else 0
            end = t.end if t.end is not None else start
            out.append((t.id, rows, (start, end), t.origin))
        prev = t
    return out


def grid_rows(doc: Document, t: Table) -> list[list[Tok]]:
    """One table's rows: covered cells (None) skipped, wrapped text kept, each cell located in doc.text."""
    cells = {(c.row, c.col): c for c in t.cells}
    lo = t.start if t.start is not None else 0
    hi = t.end if t.end is not None else len(doc.text)
    covered = _covered_by_spans(t)
    cursor = lo
    rows: list[list[Tok]] = []
    for r, row in enumerate(t.rows):
        toks: list[Tok] = []
        last_key = None
        for c, text in enumerate(row):
            if text is None or (r, c) in covered:
                continue
            cell = cells.get((r, c))
            key = norm(text)
            if key and key == last_key and not parse_cell(text):  # a merged label filled right by the reader
                continue
            last_key = key
            s, e, found = _locate(doc.text, text, cursor, lo, hi)
            if found:
                cursor = e
            toks.append(Tok(text, s, e, r, c, (cell.page if cell and cell.page else t.page), cell.bbox if cell else None, found))
        rows.append(toks)
    return rows


def _covered_by_spans(t: Table) -> set[tuple[int, int]]:
    """Grid positions covered by another cell's rowspan/colspan (when the reader filled them in)."""
    out: set[tuple[int, int]] = set()
    for c in t.cells:
        if c.rowspan > 1 or c.colspan > 1:
            for dr in range(c.rowspan):
                for dc in range(c.colspan):
                    if dr or dc:
                        out.add((c.row + dr, c.col + dc))
    return out


def _locate(text: str, cell: str, cursor: int, lo: int, hi: int) -> tuple[int, int, bool]:
    """Where a cell's text sits in doc.text inside the table's range (whitespace-insensitive)."""
    rx = _cell_rx(cell)
    if rx is None:
        return lo, lo, False
    for a in (cursor, lo):
        m = rx.search(text, a, hi)
        if m:
            return m.start(), m.end(), True
    return lo, lo, False


@functools.lru_cache(maxsize=8192)
def _cell_rx(cell: str) -> regex.Pattern | None:
    """A cell's text as a whitespace-insensitive pattern, compiled once per distinct text."""
    chars = [regex.escape(ch) for ch in cell if not ch.isspace()]
    return regex.compile(r"\s*".join(chars)) if chars else None


def _continues(prev: Table, t: Table, prev_rows: list[list[Tok]], rows: list[list[Tok]]) -> bool:
    """A table on the next page with the same columns and no title of its own continues the previous one."""
    if prev.page is None or t.page is None or t.page not in (prev.page, prev.page + 1):
        return False
    v = vocab()
    if t.page == prev.page:
        # a form drawn as two grids (budget block, indicator block) on one page: one table for the checks
        near = prev.end is not None and t.start is not None and 0 <= t.start - prev.end <= 40
        has_vocab = any(match(v.indicator_columns, tok.key) or match(v.budget_columns, tok.key) for r in rows[:3] for tok in r)
        titled = any(v.project_name.search(tok.key) or v.title.search(tok.key) for r in rows[:2] for tok in r)
        return near and has_vocab and not titled and _is_form(prev_rows)
    for r in rows[:2]:
        for tok in r:
            if v.project_name.search(tok.key) or v.title.search(tok.key):
                return False
    width = max((len(r) for r in prev.rows), default=0)
    if width == max((len(r) for r in t.rows), default=0):
        return True
    # a different grid (a 总分 row drawn with merged cells): continues when it opens with a row label
    first = next((tok.key for r in rows[:1] for tok in r if tok.key), "")
    return bool(match(v.total_rows, first) or v.level1.search(first) or v.level2.search(first) or match(v.budget_rows, first))


def _is_form(rows: list[list[Tok]]) -> bool:
    v = vocab()
    return sum(1 for r in rows for tok in r if match(v.budget_columns, tok.key) or match(v.indicator_columns, tok.key)) >= 3


def _drop_repeated_header(old: list[list[Tok]], rows: list[list[Tok]]) -> list[list[Tok]]:
    seen = {tuple(t.key for t in r) for r in old[:12]}
    while rows and tuple(t.key for t in rows[0]) in seen:
        rows = rows[1:]
    return rows


# --------------------------------------------------------------------------- the interpreter


AMOUNT_FIELDS = ("initial_budget", "adjusted_budget", "actual")
_INCOME_PARTS = {"general_budget_appropriation", "fund_budget_appropriation", "state_capital_appropriation", "other_income", "carryover_opening"}


class Reader:
    """Reads rows of cells (any shape) as a 自评表: project name, unit, budget block, indicator block, 总分."""

    def __init__(self, doc: Document, table_id: str, span: tuple[int, int], origin: str, confidence: float) -> None:
        self.doc, self.table_id, self.span, self.origin, self.base_conf = doc, table_id, span, origin, confidence
        self.v = vocab()
        self.facts: list[Fact] = []
        self.findings: list[Finding] = []
        self.subject = "project"
        self.unit: str | None = None
        self.unit_rule = "unit.default"
        self.mode: str | None = None
        self.budget_cols: list[tuple[str, str]] = []  # (field, rule id) in column order
        self.ind_cols: dict[str, str] = {}  # field -> rule id
        self.ind_order: list[str] = []
        self.last_l1: str | None = None
        self.last_l2: str | None = None
        self.total_fact: dict[str, Fact] = {}  # stage -> 年度资金总额 fact (parent of 其中 rows)
        self.budget_amounts: list[Fact] = []
        self.department = False  # a 部门整体支出绩效自评表

    # ---- driving
    def read(self, rows: list[list[Tok]]) -> None:
        """Walk the rows once: headers switch the block, row labels and levels say what a row is."""
        for i, row in enumerate(rows):
            toks = _trim(row)
            if not toks:
                continue
            self._row(toks, rows, i)
        for f in self.budget_amounts:  # parts listed before their 合计 row
            if f.parent is None and f.stage in self.total_fact and f is not self.total_fact[f.stage]:
                f.parent = self.total_fact[f.stage].fact_id
        self._unit_check()

    def _row(self, toks: list[Tok], rows: list[list[Tok]], i: int) -> None:
        v = self.v
        keys = [t.key for t in toks]
        for k, t in enumerate(toks):
            if v.project_name.search(t.key):
                self._subject(toks[k + 1 :] or (rows[i + 1] if i + 1 < len(rows) else []))
        for t in toks:
            self._unit_from(t.key)
            if v.department_form.search(t.key):
                self.department = True
                self.subject = "department"
        bcols = [(match(v.budget_columns, k), k) for k in keys]
        money = {e.key for e, _ in bcols if e and e.key in ("initial_budget", "adjusted_budget", "actual", "rate")}
        if sum(1 for e, _ in bcols if e) >= 3 and len(money) >= 2:
            self._budget_header([e for e, _ in bcols if e])
            self.mode = "budget"
            return
        icols = [match(v.indicator_columns, k) for k in keys]
        if sum(1 for e in icols if e and e.key not in ("weight", "score")) >= 2 or (
            self.mode == "indicator_header" and any(icols)
        ):
            self._indicator_header([e for e in icols if e])
            self.mode = "indicator_header"
            return
        first = next((t for t in toks if not t.empty), None)
        if first is None:
            return
        fk = first.key
        total = match(v.total_rows, fk)
        if total and self.mode in ("indicator", "indicator_header"):
            whole = rows[i]
            self._score_total(whole[whole.index(first) + 1 :], total.id, clean(first.raw))
            self.mode = None
            return
        if self.mode == "budget":
            label = match(v.budget_rows, fk)
            parts = _label_groups(toks)
            if len(parts) > 1 or (parts and not label and match(v.generic_metrics, _core(parts[0][0].key))):
                # 部门整体 blocks side by side (按收入性质分 | … | 按支出性质分 | …): each label with its own figures
                for lab_tok, vals in parts:
                    lab = match(v.budget_rows, lab_tok.key)
                    if lab is not None:
                        self._budget_row(lab_tok, lab, vals)
                    else:
                        self._generic_row(lab_tok, vals)
                return
            if label:
                self._budget_row(first, label, toks[toks.index(first) + 1 :])
                return
            if v.stop_labels.search(fk):
                self.mode = None
            return
        if self.mode in ("indicator", "indicator_header"):
            self.mode = "indicator"
            self._indicator_row(toks)

    # ---- context
    def _subject(self, after: list[Tok]) -> None:
        for t in after:
            if t.empty:
                continue
            if self.v.stop_labels.search(t.key) or self.v.project_name.search(t.key):
                return
            name = self.v.code_prefix.sub("", clean(t.raw))
            if name:
                self.subject = name
            return

    def _unit_from(self, key: str) -> None:
        if self.unit is not None or len(key) > 30:
            return
        e = match(self.v.unit_cues, key)
        if e:
            self.unit, self.unit_rule = e.key, e.id

    # ---- budget block
    def _budget_header(self, entries) -> None:
        fields = {e.key for e in entries if not e.fallback}
        self.budget_cols = [(e.key, e.id) for e in entries if not (e.fallback and e.key in fields)]

    def _budget_row(self, label_tok: Tok, label, values: list[Tok], assigned: dict[str, Tok] | None = None) -> None:
        """One budget row → amount facts per stage, 执行率, and (total row) the block's 分值/得分."""
        if assigned is None:
            assigned = assign_budget([f for f, _ in self.budget_cols], _trim(values))
        rules = dict(self.budget_cols)
        unit = self.unit or "万元"
        conf = self.base_conf * (1.0 if self.unit else 0.85)
        label_text = clean(label_tok.raw)
        is_total = label.id == "row.project_total"
        total_metric = "expenditure_total" if self.department else label.key
        for fld, tok in assigned.items():
            num = parse_cell(tok.raw)
            if num is None or fld == "reason":
                continue
            rule = f"{label.id}/{rules.get(fld, 'col.' + fld)}"
            if fld in AMOUNT_FIELDS:
                stage = fld  # the amount columns are named after their stage
                f = self.fact(tok, total_metric if is_total else label.key, stage, num.value, unit, label_text, rule, conf, num)
                f.value_wanyuan = num.value if unit == "万元" else num.value / WAN
                f.kind = "amount"
                if is_total:
                    self.total_fact[stage] = f
                elif stage in self.total_fact:
                    f.parent = self.total_fact[stage].fact_id
                self.budget_amounts.append(f)
            elif fld == "rate":
                f = self.fact(tok, "execution_rate", "actual", num.value, "%", f"{label_text} 执行率", rule, conf, num)
                f.kind = "rate"
            elif fld in ("weight", "score"):
                if not is_total:
                    continue
                f = self.fact(tok, fld, "none", num.value, "分", f"{label_text} {'分值' if fld == 'weight' else '得分'}", rule, conf, num)
                f.kind = "count"
                f.indicator_name = "预算执行率"
                if fld == "weight":
                    f.weight = num.value
                else:
                    f.score = num.value
            else:
                continue
            self.facts.append(f)

    def _generic_row(self, label_tok: Tok, values: list[Tok]) -> None:
        """A budget-block row whose label is a department metric (收入合计, 基本支出 …): amounts by stage column."""
        e = match(self.v.generic_metrics, _core(label_tok.key))
        if e is None:
            return
        fields = list(dict.fromkeys(f for f, _ in self.budget_cols if f in AMOUNT_FIELDS))
        rules = dict(self.budget_cols)
        unit = self.unit or "万元"
        conf = self.base_conf * (1.0 if self.unit else 0.85)
        for fld, tok in zip(fields, values):
            num = parse_cell(tok.raw)
            if num is None:
                continue
            f = self.fact(tok, e.key, fld, num.value, unit, clean(label_tok.raw), f"{e.id}/{rules.get(fld, 'col.' + fld)}", conf, num)
            f.value_wanyuan = num.value if unit == "万元" else num.value / WAN
            f.kind = "amount"
            f.subject = "department"
            if e.key in _INCOME_PARTS and fld in self.total_fact:  # the sources add up to 年度资金总额
                f.parent = self.total_fact[fld].fact_id
            self.facts.append(f)

    # ---- indicator block
    def _indicator_header(self, entries) -> None:
        """Header rows may come in two layers (年度指标值 over 指标性质|指标值|度量单位): a specific
        synonym beats a fallback one; columns are read in the form's canonical order."""
        for e in entries:
            if e.fallback and e.key in self.ind_cols:
                continue
            self.ind_cols[e.key] = e.id
        self.ind_order = [f for f in INDICATOR_FIELDS if f in self.ind_cols]

    def _indicator_row(self, toks: list[Tok]) -> None:
        cells = list(toks)
        while cells and cells[-1].empty:
            cells.pop()
        if not cells:
            return
        lvl = levels(cells, self.v)
        if lvl is None:
            return
        l1, l2, name_tok, rest = lvl
        l1 = l1 or self.last_l1 or level1_for(l2, self.v)  # a missing 一级指标 cell is merged from above
        l2 = l2 or self.last_l2
        self.last_l1, self.last_l2 = l1, l2
        value_cols = [f for f in self.ind_order if f not in ("level1", "level2", "level3")]
        got = align_values(value_cols, rest, self.v)
        ind = read_indicator(got, self.v, l2)
        anchor = next((got[k] for k in ("actual", "target", "score") if k in got and not got[k].empty), name_tok)
        f = self.fact(anchor, "indicator", "actual", ind["value"], ind["unit"] or "", clean(name_tok.raw), "indicator.row", self.base_conf, ind["num"])
        f.indicator_level1, f.indicator_level2, f.indicator_name = l1, l2, clean(name_tok.raw)
        for k in ("comparator", "target", "target_unit", "actual", "actual_unit", "weight", "score", "met", "deviation_reason"):
            setattr(f, k, ind[k])
        f.kind = ind["kind"]
        self.facts.append(f)

    def _score_total(self, values: list[Tok], rule: str, label: str = "总分") -> None:
        """总分 / 合计 row: the 得分 total (score_total) and, when printed, the 分值 total (weight)."""
        nums = [(t, parse_cell(t.raw)) for t in values]
        nums = [(t, n) for t, n in nums if n is not None]
        if not nums:
            return
        weight = score = None
        if len(nums) == 1:
            # 合计 | 100 | (empty 得分) …: a lone figure followed by an empty cell is the 分值 total
            t, n = nums[0]
            k = values.index(t)
            if k + 1 < len(values) and values[k + 1].empty and "score" in self.ind_cols:
                weight = (t, n)
            else:
                score = (t, n)
        else:
            weight, score = nums[-2], nums[-1]
        if score:
            # the printed 分值 total rides on the score_total fact (a separate `weight` fact would be
            # summed with the rows' weights by Σ 分值 checks)
            t, n = score
            f = self.fact(t, "score_total", "none", n.value, "分", label, f"{rule}/col.score", self.base_conf, n)
            f.score = n.value
            f.weight = weight[1].value if weight else None
            self.facts.append(f)

    # ---- facts and findings
    def fact(self, tok: Tok, metric: str, stage: str, value, unit: str, label: str, rule: str, conf: float, num: Num | None) -> Fact:
        doc = self.doc
        start, end = tok.start, tok.end
        page = tok.page or doc.page_of(start)
        sec = doc.section_at(start)
        f = Fact(
            doc_id=doc.doc_id, source=doc.source, department=doc.metadata.department, year=doc.metadata.year,
            subject=self.subject, section=sec.path if sec else "", metric=metric, stage=stage, value=value, unit=unit,
            value_wanyuan=None, label=label, page=page, start=start, end=end, quote=self.quote(tok), rule=rule,
            confidence=round(conf * (1.0 if tok.located else 0.8), 3),
        )
        f.fact_id = f"{self.table_id}r{tok.row}c{tok.col}"
        f.table_id, f.row, f.col, f.bbox = self.table_id, tok.row, tok.col, tok.bbox
        f.decimals = num.decimals if num else None
        f.comparator = num.comparator if num else None
        f.source_kind = doc.source_kind_at(start) if doc.text else "text"
        return f

    def quote(self, tok: Tok) -> str:
        """The line(s) of doc.text holding the cell, as printed (≤ 160 chars)."""
        text = self.doc.text
        if not tok.located:
            return tok.raw.strip()[:160]
        a = text.rfind("\n", max(0, tok.start - 120), tok.start) + 1 or max(0, tok.start - 60)
        b = text.find("\n", tok.end, tok.end + 120)
        b = b if b != -1 else min(len(text), tok.end + 60)
        q = text[a:b].strip()
        if len(q) > 160:
            s = max(0, tok.start - a - 70)
            q = q[s : s + 160]
        return q

    def _unit_check(self) -> None:
        amounts = [f for f in self.budget_amounts if f.value]
        if not amounts:
            return
        big = max(amounts, key=lambda f: f.value)
        in_yuan = {Decimal(x) for f in self.facts if f.metric == "indicator"
                   for x, u in ((f.target, f.target_unit), (f.actual, f.actual_unit)) if u == "元" and x and parse_cell(x)}
        same = next((f for f in amounts if f.value >= 1000 and f.value in in_yuan), None)
        if self.unit == "万元" and same is not None and big.value < self.v.wanyuan_above:
            msg = (f"自评表{self.table_id}“{self.subject}”资金单位为万元，但{same.label} {same.value} 与以元计的指标值 "
                   f"{same.value} 元相同，数额像以元填报；保留表头单位万元")
            self.findings.append(unit_finding(self.doc, msg, same))
        elif self.unit == "万元" and big.value >= self.v.wanyuan_above:
            msg = (f"自评表{self.table_id}“{self.subject}”资金单位为万元，但{big.label}填报 {big.value} "
                   f"（按万元计为 {big.value / WAN} 亿元），数额像以元填报；保留表头单位万元")
            self.findings.append(unit_finding(self.doc, msg, big))
        elif self.unit == "元" and all(f.value < self.v.yuan_below and (f.decimals or 0) > 0 for f in amounts):
            msg = (f"自评表{self.table_id}“{self.subject}”资金单位为元，但{big.label}仅 {big.value} 元，"
                   f"数额像以万元填报；保留表头单位元")
            self.findings.append(unit_finding(self.doc, msg, big))


def unit_finding(doc: Document, message: str, fact: Fact) -> Finding:
    """table.unit_mismatch: figures that contradict the block's stated unit (the unit is kept)."""
    return Finding(doc_id=doc.doc_id, source=doc.source, rule="table.unit_mismatch", severity="warning", message=message,
                   expected=None, stated=fact.value, difference=None, tolerance=None, facts=[fact], source_kind=fact.source_kind)


# --------------------------------------------------------------------------- row logic (shared with tableshapes)


def _trim(toks: list[Tok]) -> list[Tok]:
    toks = list(toks)
    while toks and not toks[-1].key:
        toks.pop()
    return toks


def _kind(tok: Tok) -> str:
    """'empty', 'rate' (a % figure), 'num' or 'text'."""
    if tok.empty:
        return "empty"
    n = parse_cell(tok.raw)
    if n is None:
        return "text"
    return "rate" if n.unit == "%" else "num"


def assign_budget(fields: list[str], values: list[Tok]) -> dict[str, Tok]:
    """Budget row cells → header fields: by position when the types fit, else around the % cell.

    Rows keep their empty cells in most shapes (positional); HTML rows drop cells merged
    away (``7.29 | 7.29 | 7.29 | 100%`` under 年初|全年|执行|分值|执行率|得分), so the %
    cell anchors 执行率 and the figures before it fill the amount columns first.
    """
    kinds = [_kind(t) for t in values]
    if not fields:
        return {}

    def fits(f: str, k: str) -> bool:
        if k == "empty":
            return True
        if f == "rate":
            return k == "rate"
        if f == "reason":
            return True
        return k == "num"

    if len(values) <= len(fields) and all(fits(f, k) for f, k in zip(fields, kinds)):
        return {fields[i]: values[i] for i in range(len(values)) if kinds[i] != "empty"}
    out: dict[str, Tok] = {}
    if "rate" in fields and "rate" in kinds:
        r, p = fields.index("rate"), kinds.index("rate")
        out["rate"] = values[p]
        before_f = [f for f in fields[:r] if f in AMOUNT_FIELDS] + [f for f in fields[:r] if f not in AMOUNT_FIELDS and f != "reason"]
        before_v = [t for t, k in zip(values[:p], kinds[:p]) if k == "num"]
        out.update(zip(before_f, before_v))
        after_f = [f for f in fields[r + 1 :] if f != "reason"]
        after_v = [t for t, k in zip(values[p + 1 :], kinds[p + 1 :]) if k == "num"]
        out.update(zip(after_f, after_v))
        return out
    nums = [t for t, k in zip(values, kinds) if k == "num"]
    order = [f for f in fields if f in AMOUNT_FIELDS] + [f for f in fields if f in ("weight", "score")]
    out.update(zip(order, nums))
    return out


def levels(cells: list[Tok], v) -> tuple[str | None, str | None, Tok, list[Tok]] | None:
    """Split an indicator row into (level1, level2, name cell, value cells); levels merged away are None."""
    nonempty = [c for c in cells if not c.empty]
    if len(nonempty) < 2:
        return None
    j = None
    for cand in (1, 0):
        if cand < len(cells) and v.level2.search(cells[cand].key) and cand + 1 < len(cells):
            j = cand
            break
    if j is not None:
        l1 = clean(cells[0].raw) if j == 1 else None
        return l1, clean(cells[j].raw), cells[j + 1], cells[j + 2 :]
    if v.level1.search(cells[0].key) and len(cells) > 2 and not _is_value(cells[2]):
        return clean(cells[0].raw), clean(cells[1].raw), cells[2], cells[3:]
    return None, None, cells[0], cells[1:]


def _is_value(t: Tok) -> bool:
    return t.empty or is_comparator(t.key) or parse_cell(t.raw) is not None


def level1_for(l2: str | None, v) -> str | None:
    if not l2:
        return None
    e = match(v.level1_of, norm(l2))
    return e.key if e else None


def align_values(cols: list[str], cells: list[Tok], v) -> dict[str, Tok]:
    """Indicator value cells → columns.  Shapes that drop empty cells (one cell per line) lose a blank
    指标性质 or 度量单位: those columns take a cell only when it looks like one."""
    out: dict[str, Tok] = {}
    i = 0
    for col in cols:
        if i >= len(cells):
            break
        t = cells[i]
        if col == "nature" and not (t.empty or is_comparator(t.key) or v.nature_words.search(t.key)):
            continue
        if col == "unit" and not (t.empty or v.unit_word.search(t.key)):
            continue
        out[col] = t
        i += 1
    return out


def read_indicator(got: dict[str, Tok], v, level2: str | None = None) -> dict:
    """An indicator row's value cells → comparator, target, actual, weight, score, met, deviation reason."""
    def text(k):
        t = got.get(k)
        return None if t is None or t.empty else display(t.raw)

    comparator = None
    nature = got.get("nature")
    if nature is not None and not nature.empty:
        comparator, _ = comparator_of(nature.key)
    unit_col = text("unit")
    target_raw = text("target")
    target = target_unit = None
    tnum = None
    if target_raw is not None:
        c, rest = comparator_of(norm(target_raw))
        comparator = comparator or c
        tnum = parse_cell(rest)
        if tnum is not None:
            target, target_unit = tnum.text.replace(",", ""), tnum.unit or unit_col
        else:
            target, target_unit = (rest or target_raw), unit_col
    actual_raw = text("actual")
    actual = actual_unit = None
    anum = None
    if actual_raw is not None:
        anum = parse_cell(actual_raw)
        if anum is not None:
            actual, actual_unit = anum.text.replace(",", ""), anum.unit or unit_col or target_unit
            if anum.comparator and not comparator:
                comparator = anum.comparator
        else:
            actual = actual_raw
    w, s = parse_cell(text("weight")), parse_cell(text("score"))
    # no comparator written: a cost indicator is met at or under its target, any other at or over it
    implied = comparator or ("≤" if level2 and "成本" in level2 else "≥")
    met = judge(implied, tnum, target, anum, actual, v)
    return {
        "comparator": comparator, "target": target, "target_unit": target_unit, "actual": actual, "actual_unit": actual_unit,
        "weight": w.value if w else None, "score": s.value if s else None, "met": met, "deviation_reason": text("reason"),
        "value": anum.value if anum else None, "unit": actual_unit or target_unit, "num": anum,
        "kind": ("rate" if (actual_unit or target_unit) in ("%", "百分比") else "count") if anum else None,
    }


def judge(cmp_: str | None, tnum: Num | None, target: str | None, anum: Num | None, actual: str | None, v) -> bool | None:
    """Met or not: numbers compare with the comparator; qualitative targets compare as text or by cue."""
    if actual is None:
        return None
    if tnum is not None and anum is not None:
        a, t = anum.value, tnum.value
        return {"=": a == t, "≥": a >= t, ">": a > t, "≤": a <= t, "<": a < t}.get(cmp_ or "≥", a >= t)
    key = norm(actual)
    if v.not_met_cues.search(key):
        return False
    if target is not None and norm(target) == key:
        return True
    if v.met_cues.search(key):
        return True
    return None
