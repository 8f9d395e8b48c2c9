"""The figures and the outline of one generated report (used by :mod:`extractor.generate`).

Figures are integer yuan, consistent first; the writer rounds them half-up to the
report's unit.  Planted inconsistencies (rule ids from docs/contracts.md) change one
stated figure each and are recorded with the indices of the facts involved;
rounding-only differences between a printed total and its printed parts are
recorded as ``must_not_flag``.

Stage conventions in the gold: stocks read from the 决算 (年初结转, 年末结余, 结余资金, 资产) are
``actual``; rates stated as results (执行率, 满意度) are ``actual``; a growth rate is
``change``; head counts are ``none``.
"""

from __future__ import annotations

import random
from decimal import Decimal

from .generate import CENT, HUNDRED, WAN, Report, Style, Templates, Writer, half_up, rate_of

PLANT_KINDS_DEPT = (
    "sum.basic_expenditure",
    "sum.procurement",
    "sum.three_public",
    "sum.breakdown",
    "ratio.execution_rate",
    "flow.carryover",
    "discipline.three_public_over_budget",
    "indicator.met_but_missed",
    "cross.duplicate_value",
    "ratio.formula",
)
PLANT_KINDS_PROJECT = ("sum.breakdown", "sum.procurement", "ratio.execution_rate", "indicator.met_but_missed", "cross.duplicate_value")
_ORDINALS = "一二三四五六七八九十"


def _style(rng: random.Random) -> Style:
    unit = "元" if rng.random() < 0.2 else "万元"
    return Style(
        unit=unit,
        commas=rng.random() < 0.6,
        space=rng.random() < 0.5,
        fullwidth=rng.random() < 0.15,
        wrapped=rng.random() < 0.6,
        width=rng.randrange(26, 34),
        table_text=rng.choice(["bars", "lines"]),
        three_public_yuan=unit == "万元" and rng.random() < 0.3,
        chinese_numerals=rng.random() < 0.25,
        pad=rng.random() < 0.3,
        page_marks=rng.random() < 0.4,
    )


class Outline:
    """Section numbering for the ladder 一、（一）1.（1）."""

    def __init__(self, w: Writer, year: int) -> None:
        self.w, self.year, self.counts = w, year, [0, 0, 0, 0]

    def head(self, level: int, key: str) -> None:
        self.counts[level - 1] += 1
        for i in range(level, 4):
            self.counts[i] = 0
        k = self.counts[level - 1]
        marker = {1: f"{_ORDINALS[k - 1]}、", 2: f"（{_ORDINALS[k - 1]}）", 3: f"{k}.", 4: f"（{k}）"}[level]
        title = self.w.rng.choice(self.w.tpl.phrasing.headings[key]).replace("{year}", str(self.year))
        self.w.heading(level, marker, title)


def build(rng: random.Random, tpl: Templates, planted: bool) -> tuple[Report, Style]:
    """Plan one report (kind, names, figures, plants) and phrase it."""
    style = _style(rng)
    w = Writer(rng, tpl, style)
    names = tpl.names
    prov = rng.choice(names.provinces)
    ci = rng.randrange(len(prov.cities))
    level = rng.choice(["city", "county", "county"])
    place = prov.cities[ci] + (prov.counties[ci] if level == "county" else "")
    region = prov.province + place
    org = rng.choice(names.bureaus) if rng.random() < 0.75 else rng.choice(names.units)
    dept = (prov.counties[ci] if level == "county" else prov.cities[ci]) + org
    year = rng.randrange(2016, 2025)
    project = rng.choice(names.projects)
    roll = rng.random()
    kind = "department_overall" if roll < 0.55 else "project" if roll < 0.9 else "self_evaluation_table"
    kinds = PLANT_KINDS_DEPT if kind == "department_overall" else PLANT_KINDS_PROJECT
    plants = set(rng.sample(kinds, rng.choice([1, 1, 2]))) if planted else set()
    if kind == "self_evaluation_table" and planted:
        plants = {"indicator.met_but_missed"}
    w.r.metadata = {"department": dept, "year": year, "kind": kind, "region": region}
    scale = rng.choice([(300, 3000), (3000, 30000), (30000, 300000)])
    if kind == "department_overall":
        w.r.blocks.append(("title", w.say("title_department", year=str(year), dept=dept)))
        w.r.blocks.append(("para", w.say("dept_line", dept=dept)))
        _department(w, Outline(w, year), dept, year, project, scale, plants)
    else:
        w.r.blocks.append(("title", w.say("title_project", year=str(year), project=project.name)))
        w.r.blocks.append(("para", ["项目名称：", project.name]))
        w.r.blocks.append(("para", ["实施单位：", dept]))
        _project_report(w, Outline(w, year), dept, year, project, scale, plants)
        if kind == "self_evaluation_table":
            _table_only(w, year)
    w.r.metadata["title"] = "".join(s for s in w.r.blocks[0][1] if isinstance(s, str))
    return w.r, style


def _bump(rng: random.Random, yuan: int) -> int:
    """A planted error: clearly beyond rounding (at least 1 万元, 3–15 % of the figure)."""
    return yuan + max(10000, yuan * rng.randrange(3, 16) // 100)


def _split(rng: random.Random, total: int, shares: list[int]) -> list[int]:
    """``total`` split into parts proportional to ``shares``; the parts add up exactly (the remainder goes to the largest)."""
    s = sum(shares)
    parts = [total * x // s for x in shares]
    parts[shares.index(max(shares))] += total - sum(parts)
    return parts


def _sum_rounding(w: Writer, rule: str, total: int, parts: list[int]) -> None:
    """Record a printed total that differs from its printed parts only by rounding."""
    val = lambda i: Decimal(w.r.facts[i].get("value_wanyuan") or w.r.facts[i]["value"])  # noqa: E731  (万元: a total may be in 亿元)
    diff = val(total) - sum(val(p) for p in parts)
    if diff:
        w.rounding(rule, [total, *parts], f"rounding-only difference {diff}")


# --------------------------------------------------------------------------- department overall


def _department(w: Writer, o: Outline, dept: str, year: int, project, scale, plants: set[str]) -> None:
    rng = w.rng
    exp_init = rng.randrange(scale[0] * 10000, scale[1] * 10000)
    basic_init = exp_init * rng.randrange(15, 50) // 100
    proj_init = exp_init - basic_init
    share = rng.randrange(70, 92)
    pers_init, pub_init = _split(rng, basic_init, [share, 100 - share])
    exp_adj = exp_init * rng.randrange(95, 160) // 100
    basic_adj = basic_init * rng.randrange(95, 111) // 100
    proj_adj = exp_adj - basic_adj
    pers_adj, pub_adj = _split(rng, basic_adj, [share, 100 - share])
    pers_act = pers_adj * rng.randrange(900, 1001) // 1000
    pub_act = pub_adj * rng.randrange(850, 1001) // 1000
    if w.style.unit == "万元" and rng.random() < 0.5:  # parts that each round down, a total that rounds up
        pers_act = pers_act // 100 * 100 + rng.randrange(45, 50)
        pub_act = pub_act // 100 * 100 + rng.randrange(45, 50)
    basic_act = pers_act + pub_act
    proj_act = proj_adj * rng.randrange(870, 1001) // 1000
    exp_act = basic_act + proj_act

    o.head(1, "basic")
    o.head(2, "functions")
    w.para(w.say("opening", year=str(year), dept=dept))
    w.para(w.say("functions", dept=dept))
    if rng.random() < 0.8:
        o.head(2, "staff")
        auth = rng.randrange(10, 300)
        w.para(w.say("staff", authorized=w.count("staff_authorized", "none", auth, "人"), actual=w.count("staff_actual", "none", auth - rng.randrange(0, auth // 5 + 1), "人"), retired=w.count("staff_retired", "none", rng.randrange(0, 120), "人")))

    o.head(2, "budget")
    o.head(3, "income")
    income_sources(w, "initial_budget", exp_init, growth=True)
    income_sources(w, "adjusted_budget", exp_adj, growth=False)
    o.head(3, "expenditure")
    as_table = rng.random() < 0.3  # figures in a 预算执行表 instead of prose
    basic_stated = _bump(rng, basic_act) if "sum.basic_expenditure" in plants else basic_act
    if as_table:
        first_adj = _budget_table(w, rows=(
            ("支出合计", "expenditure_total", (exp_init, exp_adj, exp_act)),
            ("基本支出", "basic_expenditure", (basic_init, basic_adj, basic_stated)),
            ("其中：" + w.label("personnel_expenditure"), "personnel_expenditure", (pers_init, pers_adj, pers_act)),
            (w.label("public_expenditure"), "public_expenditure", (pub_init, pub_adj, pub_act)),
            ("项目支出", "project_expenditure", (proj_init, proj_adj, proj_act)),
        ), plant_basic=basic_stated != basic_act)
    else:
        first_adj = w.amount("expenditure_total", "adjusted_budget", exp_adj)
        w.para(w.say("exp_budget", initial=w.amount("expenditure_total", "initial_budget", exp_init), adjusted=first_adj))
        for stage, label, b, p1, p2 in (("initial_budget", "年初", basic_init, pers_init, pub_init), ("adjusted_budget", "调整后", basic_adj, pers_adj, pub_adj)):
            t = w.amount("basic_expenditure", stage, b)
            a = w.amount("personnel_expenditure", stage, p1)
            c = w.amount("public_expenditure", stage, p2)
            w.para(w.say("basic_budget", stage_label=label, total=t, parts=w.breakdown([(w.label("personnel_expenditure"), a), (w.label("public_expenditure"), c)])))
            _sum_rounding(w, "sum.basic_expenditure", t, [a, c])
        w.para(w.say("project_budget", initial=w.amount("project_expenditure", "initial_budget", proj_init), adjusted=w.amount("project_expenditure", "adjusted_budget", proj_adj)))

    o.head(2, "execution")
    o.head(3, "funds")
    items = []
    # execution: a duplicated adjusted figure with another value, when planted (rate and rest follow the stated one)
    adj_stated = _bump(rng, exp_adj) if "cross.duplicate_value" in plants else exp_adj

    def execution() -> None:
        adj = w.amount("expenditure_total", "adjusted_budget", adj_stated)
        act = w.amount("expenditure_total", "actual", exp_act)
        unspent = w.amount("unspent_budget", "actual", adj_stated - exp_act)  # what was left unspent by year end: read from the 决算
        true_rate = rate_of(Decimal(w.r.facts[act]["value"]), Decimal(w.r.facts[adj]["value"]))
        stated = true_rate
        if "ratio.execution_rate" in plants:
            delta = Decimal(rng.randrange(300, 1500)) / HUNDRED
            stated = true_rate - delta if true_rate > 50 else true_rate + delta
        rate = w.rate("execution_rate", "actual", stated)
        w.para(w.say("execution", adjusted=adj, actual=act, unspent=unspent, rate=rate))
        w.low_execution(rate)
        if stated != true_rate:
            w.plant("ratio.execution_rate", [rate, act, adj], f"stated {stated}% against {true_rate}%")
        if adj_stated != exp_adj:
            w.plant("cross.duplicate_value", [first_adj, adj], "调整后支出预算 stated twice with two values")
            w.consequence("sum.expenditure", [adj], "the second 调整后支出预算 ≠ 基本支出 + 项目支出")

    def basic_actual() -> None:
        stated = basic_stated
        t = w.amount("basic_expenditure", "actual", stated)
        a = w.amount("personnel_expenditure", "actual", pers_act)
        c = w.amount("public_expenditure", "actual", pub_act)
        w.para(w.say("basic_actual", total=t, parts=w.breakdown([(w.label("personnel_expenditure"), a), (w.label("public_expenditure"), c)])))
        if stated != basic_act:
            w.plant("sum.basic_expenditure", [t, a, c], "基本支出决算 total raised")
            w.consequence("sum.expenditure", [t], "支出决算 ≠ the raised 基本支出 + 项目支出")
        else:
            _sum_rounding(w, "sum.basic_expenditure", t, [a, c])

    def project_actual() -> None:
        w.para(w.say("project_actual", total=w.amount("project_expenditure", "actual", proj_act)))

    items = [execution] if as_table else [execution, basic_actual, project_actual]
    if rng.random() < 0.4:
        items = items[:1] + items[1:][::-1]
    for fn in items:
        fn()
    if plants & {"flow.carryover", "ratio.formula"} or rng.random() < 0.85:
        o.head(3, "flow")
        _flow(w, exp_act, plants)
    if "sum.procurement" in plants or rng.random() < 0.8:
        o.head(3, "procurement")
        procurement(w, exp_act, plants)
    if plants & {"sum.three_public", "discipline.three_public_over_budget"} or rng.random() < 0.85:
        o.head(3, "three_public")
        _three_public(w, plants)
    if rng.random() < 0.7:
        o.head(3, "assets")
        assets = exp_adj * rng.randrange(10, 80) // 100
        fixed = assets * rng.randrange(30, 90) // 100
        w.para(w.say("assets", total=w.amount("assets_total", "actual", assets, yi=rng.random() < 0.5), fixed=w.amount("fixed_assets_total", "actual", fixed), added=w.amount("fixed_assets_added", "actual", fixed * rng.randrange(1, 30) // 100)))

    o.head(1, "performance")
    from .generate_table import project_section, self_evaluation_table

    _work_items(w, o)

    facts = project_section(w, project, scale, plants, kind="department_overall")
    o.head(1, "remedies")
    w.para(w.say("closing", dept=dept))
    o.head(1, "table")
    self_evaluation_table(w, dept, project, facts, plants)


def _budget_table(w: Writer, rows, plant_basic: bool) -> int:
    """Budget and execution figures as a ruled 5-column table; returns the 支出合计 调整后 cell."""
    unit = w.style.unit
    grid: list[list] = [[[f"项目（{unit}）"], ["年初预算数"], ["调整后预算数"], ["决算数"]]]
    refs: dict[str, list[int]] = {}
    for label, metric, values in rows:
        cells = [w.amount(metric, stage, v, table=True, bare=True) for stage, v in zip(("initial_budget", "adjusted_budget", "actual"), values)]
        refs[metric] = cells
        grid.append([[label]] + [[c] for c in cells])
    w.r.blocks.append(("para", [f"预算收支执行情况如下表（单位：{unit}）："]))
    w.r.blocks.append(("table", {"rows": grid, "spans": [], "ncols": 4, "unit": unit}))
    for col in range(3):
        parts = [refs["personnel_expenditure"][col], refs["public_expenditure"][col]]
        split = [refs["basic_expenditure"][col], refs["project_expenditure"][col]]
        if col == 2 and plant_basic:  # the raised 基本支出 breaks both its own sum and 支出合计's
            w.plant("sum.basic_expenditure", [refs["basic_expenditure"][2], *parts], "基本支出决算 total raised (table)")
            w.consequence("sum.expenditure", [refs["basic_expenditure"][2]], "follows from the raised 基本支出决算")
        else:
            _sum_rounding(w, "sum.basic_expenditure", refs["basic_expenditure"][col], parts)
            _sum_rounding(w, "sum.expenditure", refs["expenditure_total"][col], split)
    return refs["expenditure_total"][1]


def _table_only(w: Writer, year: int) -> None:
    """Keep only the 自评表 (a report published as the table alone) with the facts and cases it holds."""
    table = next(b for b in w.r.blocks if b[0] == "table")
    kept = sorted({s for row in table[1]["rows"] for cell in row if cell for s in cell if isinstance(s, int)})
    new = {old: i for i, old in enumerate(kept)}
    w.r.facts = [w.r.facts[i] for i in kept]
    table[1]["rows"] = [[None if c is None else [new[s] if isinstance(s, int) else s for s in c] for c in row] for row in table[1]["rows"]]
    title = w.rng.choice(w.tpl.phrasing.headings["table"]).replace("{year}", str(year)).replace("附表：", "")
    w.r.blocks = [("title", [f"{title}（{year}年度）" if str(year) not in title else title]), table]
    for attr in ("inconsistencies", "must_not_flag"):
        entries = [dict(e, facts=[new[i] for i in e["facts"]]) for e in getattr(w.r, attr) if all(i in new for i in e["facts"])]
        setattr(w.r, attr, entries)


def _work_items(w: Writer, o: Outline) -> None:
    """Qualitative 履职 paragraphs (no figures): the bulk of a real report, numbered 1. 2. …"""
    topics = w.rng.sample(w.tpl.phrasing.topics, w.rng.randrange(3, 8))
    for i, topic in enumerate(topics, 1):
        w.para([f"{i}."], w.say("work_item", topic=topic))


def income_sources(w: Writer, stage: str, total: int, growth: bool) -> None:
    rng = w.rng
    general = total * rng.randrange(70, 101) // 100
    fund = (total - general) * rng.randrange(0, 101) // 100
    other = total - general - fund
    t = w.amount("income_total", stage, total, yi=not growth and rng.random() < 0.4)
    parts: list[tuple[str, int]] = []
    if fund or other or rng.random() < 0.5:
        parts.append((w.label("general_budget_appropriation"), w.amount("general_budget_appropriation", stage, general)))
        if fund:
            parts.append((w.label("fund_budget_appropriation"), w.amount("fund_budget_appropriation", stage, fund)))
        if other:
            parts.append((w.label("other_income"), w.amount("other_income", stage, other)))
        pieces = w.breakdown(parts)
    else:  # a single source: "全部为…"
        pieces = ["，全部为" + w.label("general_budget_appropriation")]
    if growth:
        down = rng.random() < 0.3  # a decrease: 比上年减少 X，下降 Y%
        variant = w.rng.choice(w.tpl.variants("decline" if down else "growth"))
        prior = total * (rng.randrange(103, 140) if down else rng.randrange(60, 98)) // 100
        scale = WAN if w.style.unit == "万元" else 1
        pv = half_up(Decimal(prior) / scale)
        prior_ref = w.amount("income_total", "prior_year", prior) if "{prior}" in variant else None
        ch = abs(Decimal(w.r.facts[t]["value"]) - pv)  # written as a magnitude after 增加/减少
        change = w.amount("income_total", "change", ch * scale)
        rate = w.rate("growth_rate", "change", rate_of(ch, pv))
        g = w.say("decline" if down else "growth", variant=variant, change=change, rate=rate, prior=prior_ref)
        w.para(w.say("income_initial", total=t, parts=pieces, growth=g))
    else:
        w.para(w.say("income_adjusted", total=t, parts=pieces))
    if parts:
        _sum_rounding(w, "sum.income_sources", t, [p for _, p in parts])


def _flow(w: Writer, exp_act: int, plants: set[str]) -> None:
    rng = w.rng
    opening = exp_act * rng.randrange(0, 6) // 100 + rng.randrange(0, 10000)
    closing = exp_act * rng.randrange(0, 4) // 100 + rng.randrange(0, 10000)
    income = exp_act - opening + closing
    stated = _bump(rng, closing) if "flow.carryover" in plants else closing
    a = w.amount("carryover_opening", "actual", opening)
    b = w.amount("income_total", "actual", income)
    c = w.amount("expenditure_total", "actual", exp_act)
    d = w.amount("balance_closing", "actual", stated)
    w.para(w.say("flow", opening=a, income=b, spending=c, closing=d))
    if stated != closing:
        w.plant("flow.carryover", [a, b, c, d], "年末结转结余 does not close")
    if "ratio.formula" in plants or rng.random() < 0.4:
        _carryover_formula(w, a, b, d, "ratio.formula" in plants)


def _carryover_formula(w: Writer, opening: int, income: int, closing: int, plant: bool) -> None:
    """结余结转率 = 年末结转和结余 / (年初结转和结余 + 本年收入) × 100%, written out with its operands and result."""
    wan = lambda i: Decimal(w.r.facts[i].get("value_wanyuan") or w.r.facts[i]["value"])  # noqa: E731
    whole = wan(opening) + wan(income)
    places = CENT if wan(closing) * HUNDRED >= whole else Decimal("0.0001")
    true = half_up(wan(closing) * HUNDRED / whole, places) if whole else Decimal("0.00")
    stated = true
    if plant:  # a slip in the working: a wrong result, well beyond the operands' rounding
        stated = true + Decimal(w.rng.randrange(30, 300)) / HUNDRED if w.rng.random() < 0.7 else half_up(true * 10, places) + Decimal(1)
    ops = [w.operand(closing), w.operand(opening), w.operand(income)]
    r = w._add("carryover_rate", "actual", "department", stated, "%", f"{stated}%", False, kind="rate")  # plain digits: the working is copied, not styled
    w.para(w.say("formula_carryover", closing=ops[0], opening=ops[1], income=ops[2], rate=r))
    if plant:
        w.plant("ratio.formula", [r, *ops], f"结余结转率 written {stated}% against {true}%")
        w.consequence("ratio.carryover_rate", [r], "the stated 结余结转率 against the flow figures")


def procurement(w: Writer, base: int, plants: set[str], subject: str = "department") -> None:
    rng = w.rng
    total = base * rng.randrange(2, 30) // 100
    shares = [rng.randrange(5, 50), rng.choice([0, 0, rng.randrange(5, 60)]), rng.randrange(5, 50)]
    goods, works, services = _split(rng, total, shares)
    stated = _bump(rng, total) if "sum.procurement" in plants else total
    t = w.amount("procurement_total", "actual", stated, subject=subject)
    parts = [(w.label("procurement_goods"), w.amount("procurement_goods", "actual", goods, subject=subject))]
    if works:
        parts.append((w.label("procurement_works"), w.amount("procurement_works", "actual", works, subject=subject)))
    parts.append((w.label("procurement_services"), w.amount("procurement_services", "actual", services, subject=subject)))
    sme = w.amount("procurement_sme", "actual", total * rng.randrange(30, 91) // 100, subject=subject)
    w.para(w.say("procurement", total=t, parts=w.breakdown(parts), sme=sme))
    if stated != total:
        w.plant("sum.procurement", [t] + [p for _, p in parts], "政府采购 total raised")
    else:
        _sum_rounding(w, "sum.procurement", t, [p for _, p in parts])


def _three_public(w: Writer, plants: set[str]) -> None:
    rng = w.rng
    unit = "元" if w.style.three_public_yuan else None
    budget = {
        "three_public_overseas": rng.choice([0, 0, rng.randrange(20000, 200000)]),
        "three_public_vehicle": rng.randrange(20000, 600000),
        "three_public_reception": rng.randrange(5000, 200000),
    }
    actual = {k: v * rng.randrange(55, 101) // 100 for k, v in budget.items()}
    over = "discipline.three_public_over_budget" in plants
    if over:
        actual["three_public_vehicle"] = budget["three_public_vehicle"] * rng.randrange(108, 135) // 100
    refs: dict[tuple[str, str], int] = {}
    totals: dict[str, tuple[int, int]] = {}  # stage -> (fact, stated yuan)
    for stage, label, figures in (("initial_budget", rng.choice(["预算数", "年初预算"]), budget), ("actual", rng.choice(["决算数", "实际支出"]), actual)):
        total = sum(figures.values())
        stated = _bump(rng, total) if stage == "actual" and "sum.three_public" in plants else total
        t = w.amount("three_public_total", stage, stated, unit=unit)
        totals[stage] = (t, stated)  # the fact and its yuan
        parts = []
        for k, v in figures.items():
            refs[(k, stage)] = w.amount(k, stage, v, unit=unit)
            parts.append((w.label(k), refs[(k, stage)]))
        w.para(w.say("three_public", stage_label=label, total=t, parts=w.breakdown(parts)))
        if stated != total:
            w.plant("sum.three_public", [t] + [p for _, p in parts], "“三公”经费决算 total raised")
        else:
            _sum_rounding(w, "sum.three_public", t, [p for _, p in parts])
    if over:
        k = "three_public_vehicle"
        w.plant("discipline.three_public_over_budget", [refs[(k, "initial_budget")], refs[(k, "actual")]], "公务用车 actual above budget")
    printed = lambda i: Decimal(w.r.facts[i].get("value_wanyuan") or w.r.facts[i]["value"])  # noqa: E731
    tb, ta = totals["initial_budget"][0], totals["actual"][0]
    if printed(ta) > printed(tb) and (over or "sum.three_public" in plants):  # the raised item (or total) takes the whole 三公 over budget too
        w.consequence("discipline.three_public_over_budget", [tb, ta], "“三公”经费 total above budget as a result")


# --------------------------------------------------------------------------- project report


def _project_report(w: Writer, o: Outline, dept: str, year: int, project, scale, plants: set[str]) -> None:
    from .generate_table import project_section, self_evaluation_table

    rng = w.rng
    o.head(1, "project_basic")
    w.para(w.say("opening", year=str(year), dept=dept))
    w.para(w.say("functions", dept=dept))
    o.head(2, "project_funds")
    facts = project_section(w, project, scale, plants, kind="project")
    if "sum.procurement" in plants or rng.random() < 0.5:
        o.head(2, "procurement")
        procurement(w, facts["actual_yuan"], plants, subject=project.name)
    o.head(1, "remedies")
    w.para(w.say("closing", dept=dept))
    o.head(1, "table")
    self_evaluation_table(w, dept, project, facts, plants)
