"""The named-project analysis and the 项目支出绩效自评表 of a generated report.

The 自评表 is a 10-column grid with merged cells: a budget block (年初预算数 |
全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 over 年度资金总额 / 其中：当年财政拨款 /
上年结转资金 / 其他资金), an indicator block (一级指标 … 偏差原因) and 总分.
Scores follow the usual rule: budget score = 分值 × 执行率 (at most 分值); an indicator
met scores its full weight, one missed scores weight × actual / target.
"""

from __future__ import annotations

from decimal import Decimal

from .generate import HUNDRED, Writer, half_up, rate_of
from .generate_plan import _bump, _split, _sum_rounding

NCOLS = 10
_REASONS = ["受项目实施进度影响，部分任务顺延至下年度", "前期调研不充分，目标设定偏高", "受天气等客观因素影响，施工进度滞后", "部分资金年底才下达，未能及时支付"]


def project_section(w: Writer, project, scale: tuple[int, int], plants: set[str], kind: str) -> dict:
    """Prose about the named project: its budget with a listed breakdown, sources, execution, satisfaction."""
    rng = w.rng
    name = project.name
    k = rng.randrange(2, len(project.parts) + 1)
    labels = project.parts[:k]
    lo, hi = max(5, scale[0] // 40), max(20, scale[1] // 20)
    parts_wan = [rng.randrange(lo, hi) for _ in labels]
    init = sum(parts_wan) * 10000
    adj = init * rng.randrange(90, 121) // 100
    act = adj * rng.randrange(860, 1001) // 1000
    shares = [rng.randrange(60, 100), rng.choice([0, rng.randrange(1, 30)]), rng.choice([0, 0, rng.randrange(1, 20)])]
    srcs = {st: _split(rng, v, shares) for st, v in (("initial_budget", init), ("adjusted_budget", adj), ("actual", act))}

    w.para(w.say("project_intro", project=name))
    t = w.amount("project_total", "initial_budget", init, subject=name)
    bump_at = rng.randrange(k) if "sum.breakdown" in plants else -1
    refs = [w.amount("other", "initial_budget", (wan * 10000 if i != bump_at else _bump(rng, wan * 10000)), subject=name, label=lab) for i, (lab, wan) in enumerate(zip(labels, parts_wan))]
    w.para(w.say("project_funds", project=name, initial=t, parts=w.breakdown(list(zip(labels, refs)))))
    if bump_at >= 0:
        w.plant("sum.breakdown", [t, *refs], f"part {labels[bump_at]} raised")
    if kind == "project" or rng.random() < 0.5:
        g, c, o = srcs["adjusted_budget"]
        st = w.amount("project_total", "adjusted_budget", adj, subject=name)
        parts = [("当年财政拨款", w.amount("general_budget_appropriation", "adjusted_budget", g, subject=name))]
        if c:
            parts.append(("上年结转资金", w.amount("carryover_opening", "adjusted_budget", c, subject=name)))
        if o:
            parts.append(("其他资金", w.amount("other_income", "adjusted_budget", o, subject=name)))
        w.para(w.say("project_sources", total=st, parts=w.breakdown(parts)))
        _sum_rounding(w, "sum.income_sources", st, [p for _, p in parts])
    adj_stated = _bump(rng, adj) if kind == "project" and "cross.duplicate_value" in plants else adj
    a = w.amount("project_total", "adjusted_budget", adj_stated, subject=name)
    e = w.amount("project_total", "actual", act, subject=name)
    true_rate = rate_of(Decimal(w.r.facts[e]["value"]), Decimal(w.r.facts[a]["value"]))
    stated = true_rate
    if kind == "project" and "ratio.execution_rate" in plants:
        delta = Decimal(rng.randrange(300, 1500)) / HUNDRED
        stated = true_rate - delta if true_rate > 50 else true_rate + delta
    r = w.rate("execution_rate", "actual", stated, subject=name)
    w.para(w.say("project_exec", adjusted=a, actual=e, rate=r))
    w.low_execution(r)
    if stated != true_rate:
        w.plant("ratio.execution_rate", [r, e, a], f"stated {stated}% against {true_rate}%")
    indicators = _indicators(w, plants)
    sat = next((i for i in indicators if i["kind"] == "rate" and "满意" in i["name"]), None)
    if sat is not None or rng.random() < 0.6:
        value = sat["actual"] if sat is not None else Decimal(rng.randrange(85, 100))
        w.para(w.say("satisfaction", rate=w.rate("satisfaction_rate", "actual", value, subject=name)))
    return {"init": init, "adj": adj, "act": act, "actual_yuan": act, "adj_stated": adj_stated, "adj_ref": a, "srcs": srcs, "indicators": indicators}


def _indicators(w: Writer, plants: set[str]) -> list[dict]:
    rng = w.rng
    pool = w.tpl.names.indicators
    chosen = sorted(rng.sample(range(len(pool)), rng.randrange(4, min(8, len(pool)) + 1)))
    k = len(chosen)
    units = [1] * k
    for _ in range(90 // 5 - k):
        units[rng.randrange(k)] += 1
    plant_at = rng.randrange(k) if "indicator.met_but_missed" in plants else -1
    out = []
    for j, (i, u) in enumerate(zip(chosen, units)):
        ind = pool[i]
        weight = Decimal(u * 5)
        missed = j == plant_at or rng.random() < 0.2
        if ind.kind == "rate":
            target = Decimal(rng.choice([80, 85, 90, 95, 98, 100]))
            comparator = "=" if target == 100 and rng.random() < 0.5 else "≥"
            if missed:
                actual = target - Decimal(rng.randrange(200, 1500)) / HUNDRED
            else:
                actual = target + Decimal(rng.randrange(0, int(HUNDRED - target) * 10 + 1)) / 10
                actual = actual if actual != actual.to_integral() else actual.to_integral()
        else:
            target = Decimal(rng.randrange(5, 3000))
            comparator = "≥"
            actual = Decimal(target * rng.randrange(60, 96) // 100) if missed else target + rng.randrange(0, int(target) // 10 + 1)
        met = actual >= target
        score = weight if met or j == plant_at else min(weight, half_up(weight * actual / target))
        out.append({"level1": ind.level1, "level2": ind.level2, "name": ind.name, "unit": ind.unit, "kind": ind.kind, "comparator": comparator, "target": target, "actual": actual, "weight": weight, "score": score, "met": met, "reason": "" if met or j == plant_at else rng.choice(_REASONS), "planted": j == plant_at})
    return out


def self_evaluation_table(w: Writer, dept: str, project, info: dict, plants: set[str]) -> None:
    """Append the 自评表 block (rows of cells: None = covered by a merge) and its gold facts."""
    rng = w.rng
    name = project.name
    unit = w.style.unit
    rows: list[list] = []
    spans: list[tuple[int, int, int, int]] = []

    def row(cells: list, merges: list[tuple[int, int]] = ()) -> None:
        r = len(rows)
        grid: list = [None] * NCOLS
        col = 0
        for cell in cells:
            grid[col] = cell if isinstance(cell, list) else [cell]
            width = next((b - a + 1 for a, b in merges if a == col), 1)
            if width > 1:
                spans.append((col, r, col + width - 1, r))
            col += width
        rows.append(grid)

    row(["项目名称", name], [(1, 9)])
    row(["主管部门", dept, "实施单位", dept], [(1, 4), (6, 9)])
    row([f"项目资金（{unit}）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], [(0, 3)])
    am = lambda metric, stage, v: w.amount(metric, stage, v, subject=name, table=True, bare=True)  # noqa: E731
    tot = [am("project_total", "initial_budget", info["init"]), am("project_total", "adjusted_budget", info["adj"]), am("project_total", "actual", info["act"])]
    adj_v = Decimal(w.r.facts[tot[1]]["value"])
    rate = rate_of(Decimal(w.r.facts[tot[2]]["value"]), adj_v)
    budget_score = min(Decimal(10), half_up(Decimal(10) * rate / HUNDRED))
    weight_ref = w.plain("weight", "none", Decimal(10), "分", "10", name)
    rate_ref = w.rate("execution_rate", "actual", rate, subject=name, table=True)
    w.low_execution(rate_ref)
    score_ref = w.plain("score", "none", budget_score, "分", f"{budget_score}", name)
    row(["年度资金总额", *tot, weight_ref, rate_ref, score_ref], [(0, 3)])
    for j, (label, metric) in enumerate((("其中：当年财政拨款", "general_budget_appropriation"), ("上年结转资金", "carryover_opening"), ("其他资金", "other_income"))):
        cells = [am(metric, stage, info["srcs"][stage][j]) for stage in ("initial_budget", "adjusted_budget", "actual")]
        row([label, *cells, "—", "—", "—"], [(0, 3)])
    for c in range(3):
        col_parts = [rows[4 + j][4 + c][0] for j in range(3)]
        _sum_rounding(w, "table.fund_total", tot[c], col_parts)
    if "cross.duplicate_value" in plants and info["adj_stated"] != info["adj"]:
        w.plant("cross.duplicate_value", [info["adj_ref"], tot[1]], "项目全年预算 differs between prose and 自评表")
    row(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分", "偏差原因"])
    first = len(rows)
    total_score = budget_score
    for ind in info["indicators"]:
        nature = "定量" if rng.random() < 0.8 else "正向"
        ref = w._add(
            "indicator", "actual", name, ind["actual"], ind["unit"], f"{ind['actual']}", True, kind=ind["kind"],
            indicator_name=ind["name"], indicator_level1=ind["level1"], indicator_level2=ind["level2"], comparator=ind["comparator"],
            target=format(ind["target"], "f"), actual=format(ind["actual"], "f"), weight=format(ind["weight"], "f"),
            score=format(ind["score"], "f"), met=ind["met"],
        )
        row([ind["level1"], ind["level2"], ind["name"], nature, f"{ind['comparator']}{ind['target']}", ind["unit"], ref, f"{ind['weight']}", f"{ind['score']}", ind["reason"] or "—"])
        if ind["planted"]:
            w.plant("indicator.met_but_missed", [ref], f"{ind['name']} {ind['actual']} against {ind['comparator']}{ind['target']} scored in full")
        total_score += ind["score"]
    # merge runs of the same 一级指标 vertically
    r = first
    while r < len(rows):
        e = r
        while e + 1 < len(rows) and rows[e + 1][0] == rows[r][0]:
            e += 1
        if e > r:
            spans.append((0, r, 0, e))
            for k in range(r + 1, e + 1):
                rows[k][0] = None
        r = e + 1
    total_ref = w.plain("score_total", "none", total_score, "分", f"{total_score}", name)
    row(["总分", "100", total_ref, ""], [(0, 6)])
    w.r.blocks.append(("table", {"rows": rows, "spans": spans, "ncols": NCOLS, "unit": unit}))
