"""The registered check functions that ``patterns/checks.yaml`` refers to by name.

Each function receives the document context, its validated arguments and an
:class:`~extractor.checks.Eval` to record passes, failures (message fields plus
the figures: expected, stated, difference, tolerance) and missing inputs.
Tolerances always come from the printed precision of the figures involved
(:mod:`extractor.tolerance`); amounts are compared in 万元.
"""

from __future__ import annotations

import itertools
from collections import Counter
from decimal import ROUND_UP, Decimal
from typing import Literal

import regex

from . import formula as _formula
from .checks import Ctx, Eval, fmt, fmt_fact, register
from .model import Fact
from .patterns import Strict
from .tolerance import Interval, decimals_of, fact_half_unit, ratio_consistent, scale_of, sum_tolerance, value_of

ZERO = Decimal(0)
HUNDRED = Decimal(100)
NEGATIVE = regex.compile(r"(减少|下降|降低|缩减|减|下滑|回落|降幅)[^，,。；0-9]{0,6}$")
_LISTING_END = regex.compile(r"[。；;]")


class Term(Strict):
    metric: str
    stage: str = "any"
    sign: Literal[1, -1] = 1


# --------------------------------------------------------------------------- helpers


def _groups(ctx: Ctx, scope: str, within_tables: bool = False) -> list[tuple[str | None, str | None]]:
    """(subject, table_id) groups: per table over table facts (scope table); else per subject over prose
    facts, then (``within_tables``, sums) per subject within each table (a 预算执行表's 支出合计 against its
    own 基本支出 + 项目支出), never mixing a table's figures with the prose's."""
    if scope == "table":
        return [(None, t) for t in ctx.tables()]
    if not within_tables:
        return [(s, None) for s in ctx.subjects()]
    within = [(s, t) for t in ctx.tables() for s in dict.fromkeys(f.subject for f in ctx.facts if f.table_id == t)]
    return [(s, None) for s in ctx.subjects()] + within


def _select(ctx: Ctx, metric: str, stage: str, group: tuple[str | None, str | None], scope: str) -> list[Fact]:
    subject, table = group
    if scope == "table":
        return ctx.select(metric, stage, table_id=table)
    if table is not None:
        return ctx.select(metric, stage, subject=subject, table_id=table)
    return [f for f in ctx.select(metric, stage, subject=subject) if f.table_id is None or scope == "all"]


def _distinct(facts: list[Fact]) -> list[Fact]:
    """One fact per distinct value (restating the same figure is not a second check)."""
    out: list[Fact] = []
    for f in facts:
        if all(value_of(f) != value_of(g) for g in out):
            out.append(f)
    return out


def _unit(facts: list[Fact]) -> tuple[str, bool]:
    """The unit to show and whether figures are shown in 万元 (printed units differ)."""
    units = {f.unit for f in facts}
    amounts = all(f.value_wanyuan is not None for f in facts)
    if len(units) == 1:
        return next(iter(units)), False
    return ("万元", True) if amounts else (facts[0].unit, False)


def _show(x: Decimal, facts: list[Fact], wan: bool) -> str:
    """A computed figure (in 万元 for amounts) shown in the unit the facts were printed in."""
    f = facts[0]
    if wan or f.value_wanyuan is None or f.unit == "万元" or not f.value:
        return fmt(x)
    return fmt((x * f.value / f.value_wanyuan).normalize() if x else x)


def _in_sentence(ctx: Ctx, f: Fact, anchor: Fact) -> bool:
    s, e = ctx.sentence_of(anchor)
    return s <= f.start < e


def signed(ctx: Ctx, f: Fact) -> Decimal:
    """A change's value with its direction: 减少/下降 X makes it negative."""
    v = value_of(f)
    if v < 0 or not ctx.doc.text:
        return v
    before = ctx.doc.text[max(0, f.start - 12) : f.start]
    return -v if NEGATIVE.search(before) else v


def _scale(f: Fact) -> Decimal:
    """万元 per unit of ``f`` (1 when ``f`` is not an amount)."""
    return scale_of(f) if f.value_wanyuan is not None else Decimal(1)


def _subject_name(subject: str) -> str:
    return "部门整体" if subject == "department" else subject


# --------------------------------------------------------------------------- sums


class SumArgs(Strict):
    total: str
    parts: list[str]
    stages: list[str]
    scope: Literal["subject", "table"] = "subject"


SUM_FIELDS = ("total_name", "stated", "parts", "expected", "difference", "tolerance", "unit", "subject", "rule_id")


def _sum_eval(ctx: Ctx, total: Fact, parts: list[Fact], names: list[str]) -> tuple[bool, list[Fact], tuple, dict]:
    unit, wan = _unit([total, *parts])
    expected = sum((value_of(p) for p in parts), ZERO)
    stated = value_of(total)
    tol = sum_tolerance([total, *parts])
    diff = stated - expected
    shown_expected = _show(expected, [total, *parts], wan)
    shown_diff = _show(abs(diff), [total, *parts], wan)
    fields = dict(
        stated=fmt_fact(total, wan),
        parts=" + ".join(f"{n} {fmt_fact(p, wan)}" for n, p in zip(names, parts)),
        expected=shown_expected if wan else fmt(sum((p.value for p in parts), ZERO)),
        difference=shown_diff if wan else fmt(abs(total.value - sum((p.value for p in parts), ZERO))),
        tolerance=fmt(tol),
        unit=unit,
        subject=_subject_name(total.subject),
    )
    return abs(diff) <= tol, [total, *parts], (expected, stated, diff, tol), fields


@register("sum", SumArgs, SUM_FIELDS)
def check_sum(ctx: Ctx, a: SumArgs, ev: Eval) -> None:
    """A stated total against its parts, stage by stage; with parts missing, only ``Σ present ≤ total``."""
    for group in _groups(ctx, a.scope, within_tables=True):
        for stage in a.stages:
            totals = _distinct(_select(ctx, a.total, stage, group, a.scope))
            part_cands = {p: _select(ctx, p, stage, group, a.scope) for p in a.parts}
            if not totals:
                if any(part_cands.values()):
                    ev.lack(ctx.name(a.total, stage))
                continue
            results = []
            for t in totals:
                chosen = [(p, ctx.nearest(part_cands[p], t)) for p in a.parts]
                present = [(p, f) for p, f in chosen if f is not None]
                if not present:
                    ev.lack(ctx.name(a.total, stage) + "的分项")
                    continue
                ctx.checked_totals.add(t.fact_id)
                ok, facts, cols, fields = _sum_eval(ctx, t, [f for _, f in present], [ctx.short(p) for p, _ in present])
                kids = [f for f in ctx.facts + ctx.parts if t.fact_id and f.parent == t.fact_id and f.metric not in ("procurement_sme", "capital_construction")]
                listed = a.scope == "subject" and len(present) >= 2 and all(f.parent == t.fact_id for _, f in present) and len(kids) == len(present)
                if len(present) < len(a.parts) and not listed:  # partial: parts may not exceed the total
                    ev.lack(*(ctx.name(p, stage) for p, f in chosen if f is None))
                    ok = cols[2] >= -cols[3]
                results.append((ok, facts, cols, fields))
            if not results:
                continue
            if any(r[0] for r in results):
                ev.ok()
            else:
                _, facts, cols, fields = min(results, key=lambda r: abs(r[2][2]))
                ev.fail(facts, *cols, total_name=ctx.name(a.total, stage), **fields)


class NamedSum(Strict):
    id: str  # the named rule a breakdown of these parts is reported under (sum.procurement)
    total: str
    parts: list[str]


class BreakdownArgs(Strict):
    exclude: list[str] = []  # part metrics that are subsets, not shares (中小企业, 基本建设类)
    named: list[NamedSum] = []  # parts that make a named decomposition, whatever the total was labeled


@register("breakdown", BreakdownArgs, SUM_FIELDS)
def check_breakdown(ctx: Ctx, a: BreakdownArgs, ev: Eval) -> None:
    """Any total with parts linked to it (``Fact.parent``) that no named sum rule already judged."""
    children: dict[str, list[Fact]] = {}
    for f in ctx.facts + ctx.parts:
        if f.parent and f.value is not None and f.metric not in a.exclude:
            children.setdefault(f.parent, []).append(f)
    if not children:
        ev.lack("分项明细")
        return
    for pid, kids in children.items():
        total = ctx.by_id.get(pid)
        if total is None or total.value is None or pid in ctx.checked_totals or total.unit in ("%", "％"):
            continue
        if total.value_wanyuan is None:
            continue  # counts: 在职 against 编制 is a comparison, not a breakdown
        kids = [k for k in kids if k.value_wanyuan is not None]
        if not kids:
            continue
        named = next((r for r in a.named if len({k.metric for k in kids}) >= 2 and {k.metric for k in kids} <= set(r.parts)), None)
        names = [k.label or ctx.short(k.metric) for k in kids]
        ok, facts, cols, fields = _sum_eval(ctx, total, kids, names)
        if len(kids) == 1:
            ok = cols[2] >= -cols[3]
        elif not ok and len(kids) >= 3 and _nested(total, kids):
            ok = True  # one listed item is a share of the others (面向中小企业 within 货物/服务): ambiguous, not an error
        if not ok and _unlinked(ctx, total, kids):
            ok = cols[2] >= -cols[3]  # the listing states amounts not linked to it: only Σ listed ≤ total is sure
        if ok:
            ev.ok()
        else:
            name = ctx.name(named.total, total.stage) if named else total.label or ctx.name(total.metric, total.stage)
            ev.fail(facts, *cols, total_name=name, rule_id=named.id if named else None, **fields)


def _unlinked(ctx: Ctx, total: Fact, kids: list[Fact]) -> list[Fact]:
    """Amounts inside the listing's sentences that are neither the total nor a linked item (an item read apart)."""
    start, last = total.start, max(kids, key=lambda k: k.end).end
    stop = _LISTING_END.search(ctx.doc.text, last, last + 200) if ctx.doc.text else None
    end = stop.start() if stop else last  # the listing runs to its full stop, even across a wrapped line
    ids = {id(k) for k in kids} | {id(total)}
    return [f for f in ctx.all_facts if start < f.start < end and f.value_wanyuan is not None and id(f) not in ids and f.table_id is None]


def _nested(total: Fact, kids: list[Fact]) -> bool:
    """Leaving out one item (the last listed, or any) closes the sum: that item overlaps the others."""
    for k in kids:
        rest = [x for x in kids if x is not k]
        if value_of(k) <= sum((value_of(x) for x in rest), ZERO):
            if abs(value_of(total) - sum((value_of(x) for x in rest), ZERO)) <= sum_tolerance([total, *rest]):
                return True
    return False


# --------------------------------------------------------------------------- ratios


class Variant(Strict):
    numerator: list[Term]
    denominator: list[Term]


class RatioArgs(Strict):
    rate: str
    variants: list[Variant]
    per: Decimal = HUNDRED
    scope: Literal["subject", "table"] = "subject"


RATIO_FIELDS = ("rate_name", "stated", "expected", "formula", "difference", "tolerance", "subject")


def _terms(ctx: Ctx, terms: list[Term], group, scope: str, anchor: Fact) -> tuple[list[list[Fact]], list[str]]:
    """Per term, its candidates (distinct values, best first, at most ``TOP``); the names of terms with none.

    In a table, a figure is read with the cells of its own row (a 执行率 on the 财政拨款 row is that row's).
    """
    got, missing = [], []
    for t in terms:
        pool = _select(ctx, t.metric, t.stage, group, scope)
        if scope == "table" and anchor.row is not None:
            pool = [f for f in pool if f.row == anchor.row]
        ranked = ctx.ranked(pool, anchor, (anchor,))
        distinct: list[Fact] = []
        for f in ranked:
            if all(value_of(f) != value_of(g) for g in distinct):
                distinct.append(f)
        got.append(distinct[:TOP])
        if not distinct:
            missing.append(ctx.name(t.metric, t.stage))
    return got, missing


TOP = 3  # candidates per term: a mislabeled figure elsewhere must not hide the one that belongs


def _combos(cands: list[list[Fact]]) -> list[list[Fact]]:
    """Every choice of one candidate per term, never the same figure twice."""
    where = lambda f: (f.start, f.end, f.table_id, f.row, f.col)  # noqa: E731 - one printed figure, however many facts
    return [list(c) for c in itertools.product(*cands) if len({where(f) for f in c}) == len(c)]


def _interval(terms: list[Term], facts: list[Fact]) -> Interval:
    acc = Interval.exact(ZERO)
    for t, f in zip(terms, facts):
        iv = Interval.of(f)
        acc = acc + iv if t.sign == 1 else acc - iv
    return acc


def _expr(terms: list[Term], facts: list[Fact], wan: bool) -> str:
    out = ""
    for i, (t, f) in enumerate(zip(terms, facts)):
        op = ("" if i == 0 else " + ") if t.sign == 1 else ("−" if i == 0 else " − ")
        out += op + fmt_fact(f, wan)
    return f"({out})" if len(terms) > 1 else out


def _ignores_neighbours(ctx: Ctx, anchor: Fact, used: list[Fact]) -> bool:
    """Some operand comes from outside the anchor's sentence while that sentence states amounts left unused."""
    if all(_in_sentence(ctx, f, anchor) for f in used if f is not anchor):
        return False
    s, e = ctx.sentence_of(anchor)
    ids = {id(f) for f in used}
    return any(s <= f.start < e and f.value_wanyuan is not None and id(f) not in ids for f in ctx.all_facts)


def _best(ctx: Ctx, options: list[tuple[bool, dict]], anchor: Fact) -> tuple[bool, dict] | None:
    """Among complete variants, those with most inputs in the anchor's sentence decide; any passing clears."""
    if not options:
        return None
    score = lambda o: sum(1 for f in o[1] if f is not anchor and _in_sentence(ctx, f, anchor))  # noqa: E731
    top = max(score(o) for o in options)
    best = [o for o in options if score(o) == top]
    for o in best:
        if o[0]:
            return o
    return best[0]


@register("ratio", RatioArgs, RATIO_FIELDS)
def check_ratio(ctx: Ctx, a: RatioArgs, ev: Eval) -> None:
    """A stated rate against numerator/denominator, by interval arithmetic over their rounding."""
    for group in _groups(ctx, a.scope):
        rates = [r for r in _distinct(_select(ctx, a.rate, "any", group, a.scope)) if r.unit in ("%", "％")]
        if not rates:
            continue
        for r in rates:
            options, missing = [], []
            for v in a.variants:
                ncands, m1 = _terms(ctx, v.numerator, group, a.scope, r)
                dcands, m2 = _terms(ctx, v.denominator, group, a.scope, r)
                if m1 or m2:
                    missing = missing or m1 + m2
                    continue
                for combo in _combos(ncands + dcands):
                    nums, dens = combo[: len(ncands)], combo[len(ncands) :]
                    den = _interval(v.denominator, dens)
                    if den.lo <= 0 <= den.hi:
                        continue
                    d = decimals_of(r.value, r.decimals)
                    ok, computed, tol = ratio_consistent(_interval(v.numerator, nums), den, r.value, d, a.per)
                    _, wan = _unit(nums + dens)
                    mid = computed.mid.quantize(Decimal(1).scaleb(-max(d, 2)))
                    options.append((ok, [r, *nums, *dens], (computed.mid, r.value, r.value - computed.mid, tol), dict(
                        rate_name=ctx.name(a.rate), stated=fmt_fact(r) + "%", expected=fmt(mid) + "%",
                        formula=f"{_expr(v.numerator, nums, wan)} / {_expr(v.denominator, dens, wan)}",
                        difference=fmt(abs(r.value - mid)), tolerance=fmt(tol.quantize(Decimal("0.0001"))), subject=_subject_name(r.subject),
                    )))
            _decide(ctx, ev, options, r, missing)


def _decide(ctx: Ctx, ev: Eval, options: list, anchor: Fact, missing: list[str]) -> None:
    """Pass, fail or skip from the candidate readings; a failure that ignores figures stated beside the anchor is ambiguous."""
    best = _best(ctx, options, anchor)
    if best is None:
        ev.lack(*missing)
    elif best[0]:
        ev.ok()
    elif anchor.table_id is None and _ignores_neighbours(ctx, anchor, best[1]):
        ev.lack(f"{ctx.name(anchor.metric)}同句数字的含义")
    else:
        ok, facts, (exp, st, diff, tol), fields = best
        ev.fail(facts, exp, st, diff, tol, **fields)


class GrowthArgs(Strict):
    rate: str = "growth_rate"
    per: Decimal = HUNDRED


GROWTH_FIELDS = ("metric_name", "stated", "expected", "current", "prior", "difference", "tolerance", "subject")


@register("growth", GrowthArgs, GROWTH_FIELDS)
def check_growth(ctx: Ctx, a: GrowthArgs, ev: Eval) -> None:
    """增长率 Y% against the change and the figures it compares, found in the rate's own sentence."""
    rates = ctx.select(a.rate)
    if not rates:
        ev.lack(ctx.name(a.rate))
        return
    readings = [(r, _growth_operands(ctx, a, r)) for r in rates]
    # a row of rates after one pair of figures (a table flattened into one sentence) cannot say which rate the pair is for
    claims = Counter(tuple(id(f) for f in used) for _, (kind, *rest) in readings if kind == "judge" for used in [rest[3]])
    for r, (kind, *rest) in readings:
        if kind == "lack":
            ev.lack(rest[0])
            continue
        if kind == "skip":
            continue
        c, p, d, used, num, den, metric = rest
        if claims[tuple(id(f) for f in used)] > 1:
            ev.lack(ctx.name(a.rate) + "所比较的数（多个增长率共用同一组数字）")
            continue
        stated = signed(ctx, r)
        dec = decimals_of(r.value, r.decimals)
        ok, computed, tol = ratio_consistent(num, den, stated, dec, a.per)
        if ok:
            ev.ok()
            continue
        mid = computed.mid.quantize(Decimal(1).scaleb(-max(dec, 2)))
        # a figure worked out from the change is shown in the unit of the figure it is set beside
        prior_shown = fmt_fact(p) if p is not None else fmt((value_of(c) - signed(ctx, d)) / _scale(c))
        current_shown = fmt_fact(c) if c is not None else fmt((value_of(p) + signed(ctx, d)) / _scale(p))
        ev.fail([r, *used], computed.mid, stated, stated - computed.mid, tol,
                metric_name=ctx.name(metric), stated=fmt(stated) + "%", expected=fmt(mid) + "%", current=current_shown,
                prior=prior_shown, difference=fmt(abs(stated - mid)), tolerance=fmt(tol.quantize(Decimal("0.0001"))), subject=_subject_name(r.subject))


def _growth_operands(ctx: Ctx, a: GrowthArgs, r: Fact) -> tuple:
    """("judge", c, p, d, used, num, den, metric) for one growth rate, or ("lack", what) / ("skip",)."""
    s, e = ctx.sentence_of(r)
    near = [f for f in ctx.facts if s <= f.start < e and f is not r and f.value is not None and f.metric != a.rate and f.start <= r.start]
    changes = [f for f in near if (f.stage == "change" or _says_change(ctx, f)) and f.unit not in ("%", "％")]
    d = changes[-1] if changes else None
    # the compared figure is the sentence's topic: the last figure before the change that is not a bracketed part
    before = [f for f in near if (d is None or f.start < d.start) and f.stage not in ("change", "prior_year") and not _says_change(ctx, f) and f.unit not in ("%", "％")]
    prior = [f for f in before if _says_prior(ctx, f)] + [f for f in near if f.stage == "prior_year"]
    topics = [f for f in before if f.parent is None and not _says_prior(ctx, f) and not _in_brackets(ctx, f, d.start if d else r.start)
              and not _listed_under(ctx, f, before, s)]
    c = topics[-1] if topics else None
    p = max(prior, key=lambda f: f.start) if prior else None
    if c is None and p is None and d is None:
        return ("lack", ctx.name(a.rate) + "所比较的数")
    metric = (c or p or d).metric
    if d is not None and p is not None:  # the change and the base, both stated: the rate's own operands
        num, den, used = Interval.around(signed(ctx, d), fact_half_unit(d)), Interval.of(p), [p, d]
    elif d is not None and c is not None:
        dv = Interval.around(signed(ctx, d), fact_half_unit(d))
        num, den, used = dv, Interval.of(c) - dv, [c, d]
    elif p is not None and c is not None:
        num, den, used = Interval.of(c) - Interval.of(p), Interval.of(p), [c, p]
    else:
        return ("lack", ctx.name(metric, "prior_year"))
    if den.lo <= 0 <= den.hi:
        return ("skip",)
    return ("judge", c, p, d, used, num, den, metric)


PRIOR = regex.compile(r"(比|较|同比|与)?(上年|去年|上一年度?|上年度|(?:19|20)\d{2}\s*年)(同期)?(的)?(决算数|预算数|实际数)?(为|是)?\s*$")


CHANGE = regex.compile(r"(增加|减少|增长|下降|降低|提高|上升|缩减)了?\s*$")


def _says_change(ctx: Ctx, f: Fact) -> bool:
    """The figure right after 增加了 / 减少 is a change, whatever its stage says."""
    return bool(ctx.doc.text) and bool(CHANGE.search(ctx.doc.text[max(0, f.start - 8) : f.start]))


def _listed_under(ctx: Ctx, f: Fact, figures: list[Fact], start: int) -> bool:
    """The figure follows a 其中 that itself follows an earlier figure of the sentence: a listed part."""
    i = ctx.doc.text.rfind("其中", start, f.start)
    return i >= 0 and any(g.start < i for g in figures)


def _in_brackets(ctx: Ctx, f: Fact, upto: int) -> bool:
    """The figure sits inside a bracket that closes before ``upto`` (a part listed in （…）)."""
    depth = 0
    for ch in ctx.doc.text[f.end : upto]:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
            if depth < 0:
                return True
    return False


def _says_prior(ctx: Ctx, f: Fact) -> bool:
    """The figure right after 比上年的 / 上年 / 2019年 is the prior-year figure, whatever its stage says."""
    if not ctx.doc.text:
        return False
    return bool(PRIOR.search(ctx.doc.text[max(0, f.start - 12) : f.start])) and (ctx.doc.metadata.year is None or str(ctx.doc.metadata.year) not in ctx.doc.text[max(0, f.start - 8) : f.start])


class FormulaArgs(Strict):
    pass


@register("formula", FormulaArgs, ("name", "formula", "stated", "expected", "difference", "tolerance"))
def check_formula(ctx: Ctx, a: FormulaArgs, ev: Eval) -> None:
    """Every formula written out in the text, evaluated exactly over its operands' rounding."""
    found = ctx.formulas
    if not found:
        ev.lack("文中写出的计算公式")
        return
    for fm in found:
        try:
            v = _formula.check(fm)
        except _formula.FormulaError:
            continue
        if v.consistent:
            ev.ok()
            continue
        involved = [f for f in ctx.all_facts if fm.start <= f.start < fm.end] or [_synthetic(ctx, fm)]
        mid = v.computed.mid
        shown = mid.quantize(Decimal(1).scaleb(-(v.decimals + 2))) if mid != 0 else mid
        pct = "%" if fm.result.strip().endswith(("%", "％")) else ""
        ev.fail(involved, mid, v.stated, v.stated - mid, v.tolerance, name=fm.name, formula=f"{fm.name}={fm.expr}".strip("="),
                stated=fm.result.strip(), expected=fmt(shown) + pct, difference=fmt(abs(v.stated - shown)),
                tolerance=fmt(v.tolerance.quantize(Decimal(1).scaleb(-(v.decimals + 4)), rounding=ROUND_UP)))


def _synthetic(ctx: Ctx, fm) -> Fact:
    """Evidence for a formula no fact covers: its text, page and offsets."""
    doc = ctx.doc
    return Fact(doc.doc_id, doc.source, doc.metadata.department, doc.metadata.year, "department", "", "other", "none",
                None, "", None, fm.name, doc.page_of(fm.start), fm.start, fm.end, doc.text[fm.start:fm.end], "ratio.formula", 1.0,
                source_kind=doc.source_kind_at(fm.start))


# --------------------------------------------------------------------------- flows and changes


class FlowArgs(Strict):
    result: Term
    variants: list[list[Term]]
    scope: Literal["subject", "table"] = "subject"


FLOW_FIELDS = ("result_name", "stated", "formula", "expected", "difference", "tolerance", "unit", "subject")


@register("flow", FlowArgs, FLOW_FIELDS)
def check_flow(ctx: Ctx, a: FlowArgs, ev: Eval) -> None:
    """A stated result against signed terms (结余 = 预算 − 支出; 年初 + 收入 − 支出 = 年末)."""
    for group in _groups(ctx, a.scope):
        results = _distinct(_select(ctx, a.result.metric, a.result.stage, group, a.scope))
        for r in results:
            options, missing = [], []
            for terms in a.variants:
                cands, m = _terms(ctx, terms, group, a.scope, r)
                if m:
                    missing = missing or m
                    continue
                for got in _combos(cands):
                    if abs(value_of(r)) > abs(value_of(got[0])) and all(t.sign == 1 for t in terms[:1]) and len(terms) == 2:
                        continue  # a remainder larger than what it is left from is not this flow's result
                    unit, wan = _unit([r, *got])
                    exp = sum((value_of(f) * t.sign for t, f in zip(terms, got)), ZERO)
                    tol = sum_tolerance([r, *got])
                    diff = value_of(r) - exp
                    options.append((abs(diff) <= tol, [r, *got], (exp, value_of(r), diff, tol), dict(
                        result_name=r.label or ctx.name(a.result.metric, r.stage), formula=_expr(terms, got, wan).strip("()"),
                        stated=fmt_fact(r, wan), expected=_show(exp, [r, *got], wan), difference=_show(abs(diff), [r, *got], wan), tolerance=fmt(tol),
                        unit=unit, subject=_subject_name(r.subject))))
            _decide(ctx, ev, options, r, missing)


def _compared(ctx: Ctx, c: Fact) -> tuple[Fact | None, Fact | None]:
    """The two figures a stated change compares, read from its own sentence: the topic before it and the 比上年 figure."""
    s, _ = ctx.sentence_of(c)
    before = [f for f in ctx.facts if s <= f.start < c.start and f.value_wanyuan is not None and f is not c and f.unit not in ("%", "％")]
    prior = [f for f in before if f.stage == "prior_year" or _says_prior(ctx, f)]
    topics = [f for f in before if f.stage not in ("change", "prior_year") and f.parent is None and not _says_prior(ctx, f)
              and not _says_change(ctx, f) and not _in_brackets(ctx, f, c.start) and not _listed_under(ctx, f, before, s)]
    return (topics[-1] if topics else None), (prior[-1] if prior else None)


class ChangeArgs(Strict):
    stages: list[str] = ["actual", "adjusted_budget", "initial_budget"]


@register("change", ChangeArgs, ("metric_name", "stated", "current", "prior", "expected", "difference", "tolerance", "unit", "subject"))
def check_change(ctx: Ctx, a: ChangeArgs, ev: Eval) -> None:
    """增加/减少 X (and 持平 as 0) against this year's and the prior year's figure, where both are stated."""
    changes = [f for f in ctx.facts if f.stage == "change" and f.value is not None and f.metric not in ("growth_rate",) and f.unit not in ("%", "％")]
    if not changes:
        ev.lack("增减额")
        return
    for c in changes:
        cur, prior = _compared(ctx, c)
        if cur is None or prior is None:
            ev.lack(ctx.name(c.metric, "prior_year" if prior is None else "actual"))
            continue
        unit, wan = _unit([c, cur, prior])
        exp = value_of(cur) - value_of(prior)
        st = signed(ctx, c)
        tol = sum_tolerance([c, cur, prior])
        if abs(st - exp) <= tol:
            ev.ok()
        else:
            ev.fail([c, cur, prior], exp, st, st - exp, tol, metric_name=ctx.name(c.metric), stated=fmt(st if not wan else st),
                    current=fmt_fact(cur, wan), prior=fmt_fact(prior, wan), expected=fmt(exp), difference=fmt(abs(st - exp)),
                    tolerance=fmt(tol), unit=unit, subject=_subject_name(c.subject))


from . import rules_more  # noqa: E402,F401 - discipline, indicator, table and cross-source checks
