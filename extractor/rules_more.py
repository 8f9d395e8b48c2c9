"""Registered checks, continued: budget discipline, indicators, 自评表 blocks, cross-source, coverage.

Split from :mod:`extractor.rules` to keep modules small; imported by it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import regex

from .checks import Ctx, Eval, fmt, fmt_fact, register
from .model import Fact
from .patterns import Strict
from .rules import _subject_name, _unit
from .tolerance import Interval, decimals_of, fact_half_unit, half_unit, ratio_consistent, sum_tolerance, value_of

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_NUM = regex.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")


# --------------------------------------------------------------------------- discipline


class OverBudgetArgs(Strict):
    items: list[str]
    budget_stages: list[str] = ["adjusted_budget", "initial_budget"]
    actual_stage: str = "actual"


OVER_FIELDS = ("name", "actual", "budget", "over", "unit", "subject", "budget_stage")


@register("over_budget", OverBudgetArgs, OVER_FIELDS)
def check_over_budget(ctx: Ctx, a: OverBudgetArgs, ev: Eval) -> None:
    """Actual above budget (beyond rounding) for each listed item."""
    for subject in ctx.subjects():
        for item in a.items:
            actuals = ctx.select(item, a.actual_stage, subject=subject)
            if not actuals:
                continue
            for act in actuals[:1] if len({value_of(x) for x in actuals}) == 1 else actuals:
                budget = None
                for st in a.budget_stages:
                    budget = ctx.nearest(ctx.select(item, st, subject=subject), act)
                    if budget is not None:
                        break
                if budget is None:
                    ev.lack(ctx.name(item, a.budget_stages[0]))
                    continue
                tol = sum_tolerance([act, budget])
                over = value_of(act) - value_of(budget)
                if over <= tol:
                    ev.ok()
                    continue
                unit, wan = _unit([act, budget])
                ev.fail([act, budget], value_of(budget), value_of(act), over, tol, name=ctx.name(item), actual=fmt_fact(act, wan),
                        budget=fmt_fact(budget, wan), over=fmt(over if wan or act.unit == "万元" else act.value - budget.value),
                        unit=unit, subject=_subject_name(subject), budget_stage=ctx.rules.names.stages.get(budget.stage, ""))
    if not ev.passed and not ev.failures and not ev.missing:
        ev.lack(*(ctx.name(i, a.actual_stage) for i in a.items[:1]))


class DeviationArgs(Strict):
    metric: str
    factor: Decimal
    budget_stages: list[str] = ["adjusted_budget", "initial_budget"]


@register("deviation", DeviationArgs, ("name", "actual", "budget", "ratio", "factor", "unit", "subject"))
def check_deviation(ctx: Ctx, a: DeviationArgs, ev: Eval) -> None:
    """Actual far from plan: above ``factor`` × plan or below plan / ``factor``."""
    for subject in ctx.subjects():
        for act in ctx.select(a.metric, "actual", subject=subject)[:1]:
            plan = None
            for st in a.budget_stages:
                plan = ctx.nearest(ctx.select(a.metric, st, subject=subject), act)
                if plan is not None:
                    break
            if plan is None:
                ev.lack(ctx.name(a.metric, a.budget_stages[0]))
                continue
            p, x = Interval.of(plan), Interval.of(act)
            if p.lo <= 0:
                continue
            far = x.lo > p.hi * a.factor or x.hi < p.lo / a.factor
            if not far:
                ev.ok()
                continue
            unit, wan = _unit([act, plan])
            ratio = (value_of(act) / value_of(plan) * HUNDRED).quantize(Decimal("0.01"))
            ev.fail([act, plan], value_of(plan), value_of(act), value_of(act) - value_of(plan), sum_tolerance([act, plan]),
                    name=ctx.name(a.metric), actual=fmt_fact(act, wan), budget=fmt_fact(plan, wan), ratio=fmt(ratio),
                    factor=fmt(a.factor), unit=unit, subject=_subject_name(subject))
    if not ev.passed and not ev.failures and not ev.missing:
        ev.lack(ctx.name(a.metric, "actual"))


class ThresholdArgs(Strict):
    metric: str
    below: Decimal
    total_rows: list[str] = ["project_total"]  # in a 自评表, only the rate on these rows counts


@register("threshold", ThresholdArgs, ("name", "stated", "threshold", "subject"))
def check_threshold(ctx: Ctx, a: ThresholdArgs, ev: Eval) -> None:
    """A stated rate below a threshold (as printed: 89.99% is below 90%, 90.00% is not)."""
    tables_have_rates = any(f.table_id and f.metric == a.metric for f in ctx.facts)
    extra = [] if tables_have_rates else [f for f in ctx.table_text if f.metric == a.metric]  # table reader missed it
    rates = [r for r in ctx.select(a.metric) + extra if r.unit in ("%", "％")]
    if not rates:
        ev.lack(ctx.name(a.metric))
        return
    seen: set[tuple[str, Decimal]] = set()
    for r in rates:
        if r.table_id and r.row is not None and not any(
            f.table_id == r.table_id and f.row == r.row and f.metric in a.total_rows for f in ctx.facts
        ):
            continue  # a 自评表 source row (其中：财政专户 0/0) is not the project's execution
        if (r.subject, r.table_id, r.value) in seen or (r.start, r.end) in seen:
            continue  # one finding per printed statement (prose and 自评表 each)
        seen.update({(r.subject, r.table_id, r.value), (r.start, r.end)})
        if r.value >= a.below:
            ev.ok()
        else:
            ev.fail([r], a.below, r.value, r.value - a.below, ZERO, name=ctx.name(a.metric), stated=fmt_fact(r),
                    threshold=fmt(a.below), subject=_subject_name(r.subject))


class ExceedsArgs(Strict):
    higher: str
    lower: str


@register("exceeds", ExceedsArgs, ("higher_name", "higher", "lower_name", "lower", "unit", "subject"))
def check_exceeds(ctx: Ctx, a: ExceedsArgs, ev: Eval) -> None:
    """One count above the number that caps it (实有人数 > 编制数); counts are exact."""
    for subject in ctx.subjects():
        for h in ctx.select(a.higher, subject=subject)[:1]:
            lo = ctx.nearest(ctx.select(a.lower, subject=subject), h)
            if lo is None:
                ev.lack(ctx.name(a.lower))
                continue
            if value_of(h) <= value_of(lo) + (sum_tolerance([h, lo]) if decimals_of(h.value, h.decimals) else ZERO):
                ev.ok()
            else:
                ev.fail([h, lo], value_of(lo), value_of(h), value_of(h) - value_of(lo), ZERO, higher_name=ctx.name(a.higher),
                        higher=fmt_fact(h), lower_name=ctx.name(a.lower), lower=fmt_fact(lo), unit=h.unit, subject=_subject_name(subject))
    if not ev.passed and not ev.failures and not ev.missing:
        ev.lack(ctx.name(a.higher))


# --------------------------------------------------------------------------- indicators


def number(text: str | None) -> tuple[Decimal, int] | None:
    """The first number written in an indicator cell (``≥90%`` → 90), with its decimals."""
    if not text:
        return None
    m = _NUM.search(text)
    if not m:
        return None
    try:
        d = Decimal(m.group(0).replace(",", ""))
    except InvalidOperation:
        return None
    return d, decimals_of(d)


def _norm_unit(u: str | None) -> str:
    u = (u or "").strip()
    return {"百分比": "%", "％": "%", "百分率": "%"}.get(u, u)


def _unit_of(text: str | None, unit: str | None) -> str:
    """The unit a target or actual is in: the stated column unit, else what follows the number."""
    if unit:
        return _norm_unit(unit)
    m = _NUM.search(text or "")
    return _norm_unit((text or "")[m.end() :].strip()[:3]) if m else ""


def _misses(comparator: str, actual: Decimal, target: Decimal) -> bool:
    return {
        "≥": actual < target, ">=": actual < target, ">": actual <= target,
        "≤": actual > target, "<=": actual > target, "<": actual >= target,
        "=": actual != target, "＝": actual != target,
    }.get(comparator, False)


def _indicators(ctx: Ctx) -> list[Fact]:
    return [f for f in ctx.facts if f.metric == "indicator"]


class MetArgs(Strict):
    missed: str  # reason text for met/full score but target missed
    unmet_full: str  # reason text for met = false awarded full score


@register("met_but_missed", MetArgs, ("name", "comparator", "target", "actual", "unit", "score", "weight", "reason"))
def check_met_but_missed(ctx: Ctx, a: MetArgs, ev: Eval) -> None:
    """An indicator claimed met (or given full score) whose actual misses the target; or unmet yet full score."""
    rows = _indicators(ctx)
    if not rows:
        ev.lack("绩效指标")
        return
    for f in rows:
        full = f.score is not None and f.weight is not None and f.weight > 0 and f.score >= f.weight
        fields = dict(name=f.indicator_name or f.label, comparator=f.comparator or "", target=f.target or "—", actual=f.actual or "—",
                      unit=_norm_unit(f.target_unit or f.actual_unit), score=fmt(f.score), weight=fmt(f.weight))
        if f.met is False and full:
            ev.fail([f], f.weight, f.score, ZERO, ZERO, reason=a.unmet_full, **fields)
            continue
        t, x = number(f.target), number(f.actual)
        if t is None or x is None or not f.comparator:
            ev.lack("指标目标值、比较符与实际值")  # no comparator written: the target cannot be judged as missed
            continue
        if not (f.met or full):
            ev.ok()
            continue
        if _unit_of(f.target, f.target_unit) != _unit_of(f.actual, f.actual_unit):
            continue  # 1-12月 against 已完成100%: not the same measure
        comp = f.comparator
        if _misses(comp, x[0], t[0]):
            ev.fail([f], t[0], x[0], x[0] - t[0], ZERO, reason=a.missed, **fields)
        else:
            ev.ok()


class NoArgs(Strict):
    pass


_TOTAL_LABEL = regex.compile(r"^\s*(总分|合计|总计)")


def _is_total(f: Fact) -> bool:
    """The 总分/合计 row itself (its 分值 100 is the stated total, not a share)."""
    return f.metric == "score_total" or bool(_TOTAL_LABEL.match(f.label or "")) or "score_total" in (f.rule or "")


def _row_values(ctx: Ctx, table: str, attr: str, metric: str) -> list[tuple[Fact, Decimal]]:
    """Per row of a table: the indicator's ``attr`` (score/weight), else that row's ``metric`` fact."""
    by_row: dict[int | None, tuple[Fact, Decimal]] = {}
    for f in ctx.facts:
        if f.table_id != table or _is_total(f):
            continue
        if f.metric == "indicator" and getattr(f, attr) is not None:
            by_row[f.row if f.row is not None else -id(f)] = (f, getattr(f, attr))
    for f in ctx.facts:
        if f.table_id == table and f.metric == metric and f.value is not None and not _is_total(f):
            key = f.row if f.row is not None else -id(f)
            by_row.setdefault(key, (f, f.value))
    return list(by_row.values())


@register("score_over_weight", NoArgs, ("name", "score", "weight"))
def check_score_over_weight(ctx: Ctx, a: NoArgs, ev: Eval) -> None:
    """A score above its weight (分值)."""
    rows = [f for f in _indicators(ctx) if f.score is not None and f.weight is not None]
    for t in ctx.tables():
        s = {f.row: f for f in ctx.facts if f.table_id == t and f.metric == "score" and f.value is not None}
        w = {f.row: f for f in ctx.facts if f.table_id == t and f.metric == "weight" and f.value is not None}
        for r in s.keys() & w.keys():
            if s[r].value > w[r].value:
                ev.fail([s[r], w[r]], w[r].value, s[r].value, s[r].value - w[r].value, ZERO, name=s[r].label or "预算执行率",
                        score=fmt_fact(s[r]), weight=fmt_fact(w[r]))
            else:
                ev.ok()
    if not rows and not ev.passed and not ev.failures:
        ev.lack("指标分值与得分")
        return
    for f in rows:
        if f.score > f.weight:
            ev.fail([f], f.weight, f.score, f.score - f.weight, ZERO, name=f.indicator_name or f.label, score=fmt(f.score), weight=fmt(f.weight))
        else:
            ev.ok()


def _dec_tol(values: list[Decimal]) -> Decimal:
    return sum((half_unit(decimals_of(v)) for v in values if decimals_of(v) > 0), ZERO)


def _complete(ctx: Ctx, table: str) -> bool:
    """The table's budget block was read too (its 执行率, 年度资金总额, or a 分值/得分 outside the indicator rows)."""
    return any(
        f.table_id == table and (f.metric in ("execution_rate", "project_total") or (f.metric in ("score", "weight") and not _is_total(f)))
        for f in ctx.facts
    )


@register("score_total", NoArgs, ("stated", "expected", "difference", "count", "tolerance"))
def check_score_total(ctx: Ctx, a: NoArgs, ev: Eval) -> None:
    """总分 against the sum of the table's scores (budget block and indicator rows)."""
    totals = [f for f in ctx.facts if f.metric == "score_total" and f.value is not None]
    if not totals:
        ev.lack(ctx.name("score_total"))
        return
    for tot in totals:
        rows = _row_values(ctx, tot.table_id, "score", "score") if tot.table_id else []
        rows = [(f, v) for f, v in rows if f is not tot]
        if not rows:
            ev.lack(ctx.name("score"))
            continue
        if not _complete(ctx, tot.table_id):
            ev.lack("自评表预算执行部分")
            continue
        exp = sum((v for _, v in rows), ZERO)
        tol = _dec_tol([tot.value] + [v for _, v in rows])
        if abs(tot.value - exp) <= tol:
            ev.ok()
        else:
            ev.fail([tot, *(f for f, _ in rows)], exp, tot.value, tot.value - exp, tol, stated=fmt_fact(tot), expected=fmt(exp),
                    difference=fmt(abs(tot.value - exp)), count=len(rows), tolerance=fmt(tol))


class WeightTotalArgs(Strict):
    total: Decimal = HUNDRED  # the usual full mark, used when the table states no total of its own
    stated_label: str = r"(分值合计|总分值|权重合计|分值总计|满分)"  # a weight so labelled is the stated total


def _stated_weight_total(ctx: Ctx, table: str | None, pat: regex.Pattern) -> Fact | None:
    """The 分值 of the table's 总分/合计 row, or a weight labelled 分值合计/总分值 (prose or table)."""
    for f in ctx.facts:
        if f.metric == "weight" and f.value is not None and ((f.table_id == table and _is_total(f)) or pat.search(f.label or "")):
            return f
    return None


@register("weight_total", WeightTotalArgs, ("stated", "expected", "difference", "count"))
def check_weight_total(ctx: Ctx, a: WeightTotalArgs, ev: Eval) -> None:
    """Σ 分值 of a complete table (one with a 总分 row) against its stated total (分值合计), else 100 (weights are assigned, so exact)."""
    done = False
    pat = regex.compile(a.stated_label)
    for tot in (f for f in ctx.facts if f.metric == "score_total" and f.table_id):
        rows = [(f, v) for f, v in _row_values(ctx, tot.table_id, "weight", "weight") if not pat.search(f.label or "")]
        if not rows:
            continue
        done = True
        stated = _stated_weight_total(ctx, tot.table_id, pat)
        target = stated.value if stated is not None else a.total
        s = sum((v for _, v in rows), ZERO)
        if abs(s - target) <= _dec_tol([v for _, v in rows]):
            ev.ok()
        elif not _complete(ctx, tot.table_id):
            ev.lack("自评表预算执行部分")
        else:
            cited = [f for f, _ in rows] + ([stated] if stated is not None else [])
            ev.fail(cited, target, s, s - target, ZERO, stated=fmt(s), expected=fmt(target), difference=fmt(abs(s - target)), count=len(rows))
    if not done:
        ev.lack("指标分值（含总分的完整评分表）")


class ClaimArgs(Strict):
    claim: str  # regex the text just before a figure matches when it claims money spent
    spent: list[list[str]]  # [metric, stage] pairs for the money actually spent, in order of preference


@register("claim_above_actual", ClaimArgs, ("claim", "stated", "spent_name", "spent", "over", "unit", "subject"))
def check_claim(ctx: Ctx, a: ClaimArgs, ev: Eval) -> None:
    """A target that claims money spent ("支出达到 12,800.00 万元") above what the project spent."""
    pat = regex.compile(a.claim)
    claims = [f for f in ctx.facts if f.value_wanyuan is not None and ctx.doc.text and pat.search(ctx.doc.text[max(0, f.start - 16) : f.start])]
    if not claims:
        ev.lack("支出类目标值")
        return
    for c in claims:
        spent = None
        for metric, stage in a.spent:
            spent = ctx.nearest([f for f in ctx.select(metric, stage, subject=c.subject) if f is not c and f.start != c.start], c)
            if spent is not None:
                break
        if spent is None:
            ev.lack(ctx.name(a.spent[0][0], a.spent[0][1]))
            continue
        tol = sum_tolerance([c, spent])
        over = value_of(c) - value_of(spent)
        if over <= tol:
            ev.ok()
            continue
        unit, wan = _unit([c, spent])
        ev.fail([c, spent], value_of(spent), value_of(c), over, tol, claim=_clause(ctx, c),
                stated=fmt_fact(c, wan), spent_name=ctx.name(spent.metric, spent.stage), spent=fmt_fact(spent, wan), over=fmt(over),
                unit=unit, subject=_subject_name(c.subject))


def _clause(ctx: Ctx, f: Fact) -> str:
    """The clause a figure closes: back to the previous comma, semicolon or full stop (at most 40 chars)."""
    text = ctx.doc.text
    i = f.start
    while i > max(0, f.start - 40) and text[i - 1] not in "，,；;。：:（(":
        i -= 1
    return text[i : f.end].strip()


# --------------------------------------------------------------------------- 自评表 blocks


@register("budget_score", NoArgs, ("stated", "expected", "rate", "weight", "difference"))
def check_budget_score(ctx: Ctx, a: NoArgs, ev: Eval) -> None:
    """预算执行 得分 = 执行率 × 分值, capped at 分值, over the rate's rounding."""
    for t in ctx.tables():
        ind_rows = {f.row for f in ctx.facts if f.table_id == t and f.metric == "indicator"}
        rate = next((f for f in ctx.facts if f.table_id == t and f.metric == "execution_rate" and f.value is not None), None)
        if rate is None:
            continue
        cands = lambda m: [f for f in ctx.facts if f.table_id == t and f.metric == m and f.value is not None and f.row not in ind_rows]  # noqa: E731
        score, weight = ctx.nearest(cands("score"), rate), ctx.nearest(cands("weight"), rate)
        if score is None or weight is None:
            ev.lack(ctx.name("score" if score is None else "weight"))
            continue
        w = Interval.exact(weight.value) if not decimals_of(weight.value, weight.decimals) else Interval.of(weight, False)
        exp = (Interval.of(rate, False).scale(Decimal("0.01")) * w).cap(w.hi)
        got = Interval.of(score, False)
        if exp.overlaps(got):
            ev.ok()
        else:
            mid = exp.mid.quantize(Decimal("0.01"))
            ev.fail([score, rate, weight], exp.mid, score.value, score.value - exp.mid, exp.radius + fact_half_unit(score, False),
                    stated=fmt_fact(score), expected=fmt(mid), rate=fmt_fact(rate), weight=fmt_fact(weight), difference=fmt(abs(score.value - mid)))
    if not ev.passed and not ev.failures and not ev.missing:
        ev.lack("自评表执行率与得分")


# --------------------------------------------------------------------------- cross-source and bookkeeping


class DuplicateArgs(Strict):
    exclude_metrics: list[str] = []
    exclude_stages: list[str] = []
    other_period: str  # regex for text before a figure that puts it in another period or comparison
    min_confidence: float = 0.8
    prose_metrics: list[str] = []  # department totals there is only one of per stage (支出/收入 预算)
    prose_stages: list[str] = []
    prose_confidence: float = 0.9
    prose_pairs: bool = False  # also compare two prose statements with one specific label (else text vs 自评表 only)
    prose_exclude_metrics: list[str] = []  # stated per project as often as per department: prose pairs unreliable
    min_label: int = 5  # two prose statements match only on a specific label (not 收入 / 实际支出)
    year: str = r"((?:19|20)\d{2})\s*年"


_LABEL_NOISE = regex.compile(r"^[\s（(]*[0-9一二三四五六七八九十]*[)）.、]?\s*|(?:19|20)\d{2}\s*年度?|[\s“”\"']")


def _norm_label(label: str | None) -> str:
    """A label without its list marker, year and quotes: 1）年初本单位支出预算数 → 年初本单位支出预算数."""
    return _LABEL_NOISE.sub("", label or "")


def _prose_pair(a: "DuplicateArgs", metric: str, stage: str, x: Fact, y: Fact) -> bool:
    """Two prose statements are one figure: a department budget total stated twice, or (if enabled) one specific label."""
    if metric in a.prose_metrics and stage in a.prose_stages and min(x.confidence, y.confidence) >= a.prose_confidence:
        return True
    return a.prose_pairs and _norm_label(x.label) == _norm_label(y.label) and len(_norm_label(x.label)) >= a.min_label and metric not in a.prose_exclude_metrics


def _other_column(ctx: Ctx, x: Fact, y: Fact) -> bool:
    """The prose figure is what the 自评表 prints in another column (年初 vs 全年): a stage misread, not a discrepancy."""
    prose, table = (x, y) if y.table_id else (y, x)
    if prose.table_id or not table.table_id:
        return False
    return any(
        f.table_id == table.table_id and f.metric == table.metric and f is not table and not _differ(prose, f)
        for f in ctx.facts
    )


def _differ(x: Fact, y: Fact) -> bool:
    """Two statements of one figure disagree: printed alike, any difference; else beyond both roundings."""
    if x.unit == y.unit and decimals_of(x.value, x.decimals) == decimals_of(y.value, y.decimals):
        return x.value != y.value
    return abs(value_of(x) - value_of(y)) > fact_half_unit(x) + fact_half_unit(y)


@register("duplicate", DuplicateArgs, ("name", "values", "difference", "unit", "subject"))
def check_duplicate(ctx: Ctx, a: DuplicateArgs, ev: Eval) -> None:
    """The same metric, stage and subject stated twice (different sentences) with values that differ beyond rounding."""
    other, year = regex.compile(a.other_period), regex.compile(a.year)
    own = ctx.doc.metadata.year
    groups: dict[tuple[str, str, str], list[Fact]] = {}
    for f in ctx.facts:
        if f.value is None or f.metric in a.exclude_metrics or f.stage in a.exclude_stages or f.confidence < a.min_confidence:
            continue
        if f.value_wanyuan is not None and f.stage == "none":
            continue  # an amount of unknown stage (budget or actual?) is not comparable
        if ctx.doc.text:
            s, _ = ctx.sentence_of(f)
            before = ctx.doc.text[max(s, f.start - 20) : f.start]
            if other.search(before) or (own and any(int(y) != own for y in year.findall(before))):
                continue
        groups.setdefault((f.subject, f.metric, f.stage), []).append(f)
    compared = False
    for (subject, metric, stage), fs in groups.items():
        if len(fs) < 2:
            continue
        compared = True
        clash = None
        for i, x in enumerate(fs):
            for y in fs[i + 1 :]:
                if (x.value_wanyuan is None) != (y.value_wanyuan is None) or (x.value_wanyuan is None and x.unit != y.unit):
                    continue
                if (x.table_id is None and y.table_id is None and ctx.sentence_of(x) == ctx.sentence_of(y)) or (x.table_id and x.table_id == y.table_id):
                    continue
                if (x.table_id is None) == (y.table_id is None) and not _prose_pair(a, metric, stage, x, y):
                    continue  # two prose statements are one figure only when labeled alike; text vs 自评表 always
                if _differ(x, y) and not _other_column(ctx, x, y):
                    clash = (x, y)
                    break
            if clash:
                break
        if clash is None:
            ev.ok()
            continue
        x, y = clash
        unit, wan = _unit([x, y])
        ev.fail([x, y], value_of(x), value_of(y), value_of(y) - value_of(x), fact_half_unit(x) + fact_half_unit(y),
                name=ctx.name(metric, stage), values=f"{fmt_fact(x, wan)}（第 {x.page} 页）与 {fmt_fact(y, wan)}（第 {y.page} 页）",
                difference=fmt(abs(value_of(y) - value_of(x)) if wan or x.unit != y.unit else abs(y.value - x.value)), unit=unit, subject=_subject_name(subject))
    if not compared:
        ev.lack("重复陈述的同一数字")


@register("external", NoArgs, ())
def check_external(ctx: Ctx, a: NoArgs, ev: Eval) -> None:
    """A rule whose findings another stage reports (table.unit_mismatch from the table reader)."""
    ev.silent = True


@register("coverage", NoArgs, ("skipped", "total", "run"))
def check_coverage(ctx: Ctx, a: NoArgs, ev: Eval) -> None:
    """Placeholder: the engine computes coverage after every other rule has run."""


# --------------------------------------------------------------------------- a rate beside both its operands


class ClauseRatioArgs(Strict):
    rate_words: str  # regex the words just before the rate match (办结率, 利用率)
    numerator: str  # regex the words just before the numerator match (办结, 在用)
    denominator: str  # regex the words just before the denominator match (受理, 固定资产总额)
    window: int = 14  # characters of the clause before a figure that name it


_CLAUSE_STOP = regex.compile(r"[，,；;。：:、（(）)]")


def _words_before(ctx: Ctx, f: Fact, window: int) -> str:
    """The words naming a figure: the clause text right before it, up to ``window`` characters."""
    text = ctx.doc.text or ""
    before = text[max(0, f.start - window) : f.start]
    cut = [m.end() for m in _CLAUSE_STOP.finditer(before)]
    return before[cut[-1] :] if cut else before


def _comparable(x: Fact, y: Fact) -> bool:
    """Both amounts (compared in 万元) or both in the same unit (件, 人, 台)."""
    return (x.value_wanyuan is not None and y.value_wanyuan is not None) or (x.value_wanyuan is None and y.value_wanyuan is None and (x.unit or "") == (y.unit or ""))


@register("clause_ratio", ClauseRatioArgs, ("rate_name", "stated", "expected", "numerator", "denominator", "difference", "tolerance", "subject"))
def check_clause_ratio(ctx: Ctx, a: ClauseRatioArgs, ev: Eval) -> None:
    """A rate stated in the same sentence as both figures it divides (受理 X 件，办结 Y 件，办结率 Z%)."""
    rate_pat, num_pat, den_pat = regex.compile(a.rate_words), regex.compile(a.numerator), regex.compile(a.denominator)
    rates = [f for f in ctx.facts if f.unit in ("%", "％") and f.value is not None and rate_pat.search(_words_before(ctx, f, a.window))]
    if not rates:
        ev.lack("与其分子分母同句的比率")
        return
    for r in rates:
        s, _ = ctx.sentence_of(r)
        # a part listed under its total (其中在用固定资产 X) sits in ctx.parts: it is an operand all the same
        before = sorted((f for f in ctx.facts + ctx.parts if s <= f.start < r.start and f.value is not None and f.unit not in ("%", "％")), key=lambda f: f.start)
        named = lambda pat: [f for f in before if pat.search(_words_before(ctx, f, a.window)) and not rate_pat.search(_words_before(ctx, f, a.window))]  # noqa: E731
        nums, dens = named(num_pat), named(den_pat)
        num = nums[-1] if nums else None
        den = next((f for f in reversed(dens) if f is not num), None)
        if num is None or den is None or not _comparable(num, den):
            ev.lack("比率的分子与分母")
            continue
        d = Interval.of(den)
        if d.lo <= 0 <= d.hi:
            continue
        dec = decimals_of(r.value, r.decimals)
        ok, computed, tol = ratio_consistent(Interval.of(num), d, r.value, dec)
        if ok:
            ev.ok()
            continue
        mid = computed.mid.quantize(Decimal(1).scaleb(-max(dec, 2)))
        ev.fail([r, num, den], computed.mid, r.value, r.value - computed.mid, tol, rate_name=_words_before(ctx, r, a.window) or "比率",
                stated=fmt_fact(r) + "%", expected=fmt(mid) + "%", numerator=fmt_fact(num), denominator=fmt_fact(den),
                difference=fmt(abs(r.value - mid)), tolerance=fmt(tol.quantize(Decimal("0.0001"))), subject=_subject_name(r.subject))
