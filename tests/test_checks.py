"""Every consistency rule on real report phrasing: one passing and one failing case each.

Facts are built by a small factory from short phrases modelled on the seed
(福田区企业发展服务中心 2020), real-022 (普陀 自评表) and real-024 (衢江 三公),
so the checks are tested apart from the extractors that feed them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from extractor import checks, ingest
from extractor.errors import PatternError
from extractor.model import Fact

SCALE = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000)}


@dataclass
class Spec:
    """One fact to build: the figure as written, where it sits (``at``: a phrase just before it)."""

    metric: str
    stage: str
    text: str  # the figure as printed: "22,719.86"
    unit: str = "万元"
    at: str = ""  # text that precedes the figure (to find its offset)
    subject: str = "department"
    key: str = ""
    parent: str | None = None
    extra: dict = field(default_factory=dict)


def build(text: str, specs: list[Spec]):
    """A Document from ``text`` and Facts located in it (figures found after their ``at`` phrase)."""
    doc = ingest.from_text(text)
    facts, ids = [], {}
    for i, s in enumerate(specs, 1):
        start = doc.text.find(s.text, doc.text.find(s.at) if s.at else 0) if doc.text else -1
        if start < 0:
            start = len(doc.text) + i  # a table cell with no text position
        value = Decimal(s.text.replace(",", ""))
        fid = f"p{i:04d}"
        ids[s.key or fid] = fid
        facts.append(Fact(
            doc_id=doc.doc_id, source=doc.source, department=None, year=2020, subject=s.subject, section="",
            metric=s.metric, stage=s.stage, value=value, unit=s.unit,
            value_wanyuan=value * SCALE[s.unit] if s.unit in SCALE else None, label=s.extra.pop("label", ""),
            page=1, start=start, end=start + len(s.text), quote=s.text, rule="test", confidence=1.0, fact_id=fid,
            parent=s.parent, **s.extra,
        ))
    for f, s in zip(facts, specs):
        if s.parent:
            f.parent = ids[s.parent]
    return doc, facts


def run(text: str, specs: list[Spec]):
    doc, facts = build(text, specs)
    return checks.run(doc, facts)


def outcome(report, rule: str) -> str:
    return next(o.status for o in report.outcomes if o.rule == rule)


def found(report, rule: str):
    return [f for f in report.findings if f.rule == rule]


S = Spec

# --------------------------------------------------------------------------- case table: (rule, text, specs, status)

PROCUREMENT = "政府采购支出决算数 {t} 万元，其中政府采购货物支出 7.87 万元，政府采购工程支出 537.69 万元，政府采购服务支出 190.82 万元。"
BASIC = "基本支出决算数1,540.23万元，其中人员经费决算数{p}万元，日常公用经费决算数 188.03 万元。"
INCOME = "调整后预算数 {t} 万元，其中一般公共预算财政拨款收入预算数 254,614.67 万元，政府性基金预算财政拨款收入预算数 39,315.28 万元。"
EXPEND = "年初本单位支出预算数 22,719.86 万元。年初基本支出预算数 1,724.92 万元。年初项目支出预算数 {p} 万元。"
THREE = "“三公”经费支出预算数 9.34 万元，其中因公出国（境）费用预算数 0.00 万元，公务用车购置和运行维护费预算数 7.34 万元，公务接待费预算数 {r}万元。"
VEHICLE = "公车购置及运行费{t}万元(其中公务用车购置费38万元,公务用车运行费958万元)。"
TALENT = "该项目年初预算数为 {t} 万元，其中预计成熟型经营人才奖励支持7,200万元，成长型经营人才奖励支持1,200万元，实用型人才奖励支持 4,310 万元，商协会人才支持 90 万元，人才创业起步支持 500 万元，共享人才支持 200 万元，品牌推广支持 300 万元，商业模式创新支持 300 万元，科研成果转化支持500 万元，设立海归创业港 600 万元。"
TALENT_ITEMS = ["7,200", "1,200", "4,310", " 90 ", "500", "200", "300", "300", "500", "600"]
EXEC = "年初调整后年度部门预算指标 293,929.96 万元，年度总支出 289,466.44 万元，剩余指标 {u} 万元，预算执行率是 {r}%。"
GROWTH = "年初本单位收入预算 22,719.86 万元，比2019年增加17,019.31万元，增长率为{r}%。"
FLOW = "年初结转和结余 170.24 万元，本年收入 289,296.28 万元，支出 287,926.21 万元，年末收支结余 {b} 万元。"
STAFF = "2020 年本单位事业编制总数 50 人，实有在编人数 {n} 人。"
CHANGE = "衢江区2016年“三公”经费决算数2364万元，上年决算数2840万元，比上年决算数减少{d}万元。"


def talent(total: str) -> list[Spec]:
    specs = [S("project_total", "initial_budget", total, at="年初预算数为", subject="英才荟专项", key="t")]
    at = ""
    for item in TALENT_ITEMS:
        specs.append(S("other", "initial_budget", item.strip(), at=at or "其中", subject="英才荟专项", parent="t"))
        at = item
    # the two 300s and two 500s: locate each after the previous label
    labels = ["成熟型", "成长型", "实用型", "商协会", "起步", "共享", "品牌", "商业模式", "科研", "海归"]
    for s, lab in zip(specs[1:], labels):
        s.at = lab
    return specs


CASES = [
    ("sum.procurement", PROCUREMENT.format(t="736.38"), [S("procurement_total", "actual", "736.38", key="t"), S("procurement_goods", "actual", "7.87", parent="t"), S("procurement_works", "actual", "537.69", parent="t"), S("procurement_services", "actual", "190.82", parent="t")], "passed"),
    ("sum.procurement", PROCUREMENT.format(t="743.00"), [S("procurement_total", "actual", "743.00", key="t"), S("procurement_goods", "actual", "7.87", parent="t"), S("procurement_works", "actual", "537.69", parent="t"), S("procurement_services", "actual", "190.82", parent="t")], "failed"),
    ("sum.basic_expenditure", BASIC.format(p="1,352.20"), [S("basic_expenditure", "actual", "1,540.23"), S("personnel_expenditure", "actual", "1,352.20"), S("public_expenditure", "actual", "188.03")], "passed"),
    ("sum.basic_expenditure", BASIC.format(p="1,325.20"), [S("basic_expenditure", "actual", "1,540.23"), S("personnel_expenditure", "actual", "1,325.20"), S("public_expenditure", "actual", "188.03")], "failed"),
    ("sum.income_sources", INCOME.format(t="293,929.96"), [S("income_total", "adjusted_budget", "293,929.96", key="t"), S("general_budget_appropriation", "adjusted_budget", "254,614.67", parent="t"), S("fund_budget_appropriation", "adjusted_budget", "39,315.28", parent="t")], "passed"),
    ("sum.income_sources", INCOME.format(t="293,939.96"), [S("income_total", "adjusted_budget", "293,939.96", key="t"), S("general_budget_appropriation", "adjusted_budget", "254,614.67", parent="t"), S("fund_budget_appropriation", "adjusted_budget", "39,315.28", parent="t")], "failed"),
    ("sum.expenditure", EXPEND.format(p="20,994.94"), [S("expenditure_total", "initial_budget", "22,719.86"), S("basic_expenditure", "initial_budget", "1,724.92"), S("project_expenditure", "initial_budget", "20,994.94")], "passed"),
    ("sum.expenditure", EXPEND.format(p="20,949.94"), [S("expenditure_total", "initial_budget", "22,719.86"), S("basic_expenditure", "initial_budget", "1,724.92"), S("project_expenditure", "initial_budget", "20,949.94")], "failed"),
    ("sum.three_public", THREE.format(r="2.00"), [S("three_public_total", "initial_budget", "9.34"), S("three_public_overseas", "initial_budget", "0.00"), S("three_public_vehicle", "initial_budget", "7.34"), S("three_public_reception", "initial_budget", "2.00", at="公务接待费")], "passed"),
    ("sum.three_public", THREE.format(r="2.50"), [S("three_public_total", "initial_budget", "9.34"), S("three_public_overseas", "initial_budget", "0.00"), S("three_public_vehicle", "initial_budget", "7.34"), S("three_public_reception", "initial_budget", "2.50", at="公务接待费")], "failed"),
    # real-024 prints 995 = 38 + 958 (= 996): integers carry ±0.5 each, so 1.5 of tolerance: consistent
    ("sum.three_public_vehicle", VEHICLE.format(t="995"), [S("three_public_vehicle", "actual", "995"), S("three_public_vehicle_purchase", "actual", "38"), S("three_public_vehicle_operation", "actual", "958")], "passed"),
    ("sum.three_public_vehicle", VEHICLE.format(t="990"), [S("three_public_vehicle", "actual", "990"), S("three_public_vehicle_purchase", "actual", "38"), S("three_public_vehicle_operation", "actual", "958")], "failed"),
    ("sum.breakdown", TALENT.format(t="15,200.00"), talent("15,200.00"), "passed"),
    ("sum.breakdown", TALENT.format(t="15,300.00"), talent("15,300.00"), "failed"),
    ("ratio.execution_rate", EXEC.format(u="4,463.51", r="98.48"), [S("expenditure_total", "adjusted_budget", "293,929.96"), S("expenditure_total", "actual", "289,466.44"), S("execution_rate", "none", "98.48", unit="%")], "passed"),
    ("ratio.execution_rate", EXEC.format(u="4,463.51", r="98.58"), [S("expenditure_total", "adjusted_budget", "293,929.96"), S("expenditure_total", "actual", "289,466.44"), S("execution_rate", "none", "98.58", unit="%")], "failed"),
    ("ratio.growth_rate", GROWTH.format(r="298.56"), [S("income_total", "initial_budget", "22,719.86"), S("income_total", "change", "17,019.31"), S("growth_rate", "none", "298.56", unit="%")], "passed"),
    ("ratio.growth_rate", GROWTH.format(r="289.56"), [S("income_total", "initial_budget", "22,719.86"), S("income_total", "change", "17,019.31"), S("growth_rate", "none", "289.56", unit="%")], "failed"),
    ("ratio.carryover_rate", FLOW.format(b="0.076") + "结余结转率为 0.000026%。", [S("carryover_opening", "actual", "170.24"), S("income_total", "actual", "289,296.28"), S("balance_closing", "actual", "0.076"), S("carryover_rate", "none", "0.000026", unit="%")], "passed"),
    ("ratio.carryover_rate", FLOW.format(b="0.076") + "结余结转率为 0.0026%。", [S("carryover_opening", "actual", "170.24"), S("income_total", "actual", "289,296.28"), S("balance_closing", "actual", "0.076"), S("carryover_rate", "none", "0.0026", unit="%")], "failed"),
    ("ratio.formula", "结余结转率=0.076万元/( 170.24万元+289,296.28万元)*100%=0.000026%。", [], "passed"),
    ("ratio.formula", "执行率=215,457.6元/250,000.00元*100%=86.19%。", [], "failed"),
    ("flow.unspent", EXEC.format(u="4,463.51", r="98.48"), [S("expenditure_total", "adjusted_budget", "293,929.96"), S("expenditure_total", "actual", "289,466.44"), S("unspent_budget", "actual", "4,463.51")], "passed"),
    ("flow.unspent", EXEC.format(u="4,436.51", r="98.48"), [S("expenditure_total", "adjusted_budget", "293,929.96"), S("expenditure_total", "actual", "289,466.44"), S("unspent_budget", "actual", "4,436.51")], "failed"),
    ("flow.carryover", FLOW.format(b="1,540.31"), [S("carryover_opening", "actual", "170.24"), S("income_total", "actual", "289,296.28"), S("expenditure_total", "actual", "287,926.21"), S("balance_closing", "actual", "1,540.31")], "passed"),
    ("flow.carryover", FLOW.format(b="0.076"), [S("carryover_opening", "actual", "170.24"), S("income_total", "actual", "289,296.28"), S("expenditure_total", "actual", "287,926.21"), S("balance_closing", "actual", "0.076")], "failed"),
    ("change.stated", CHANGE.format(d="476"), [S("three_public_total", "actual", "2364"), S("three_public_total", "prior_year", "2840"), S("three_public_total", "change", "476")], "passed"),
    ("change.stated", CHANGE.format(d="486"), [S("three_public_total", "actual", "2364"), S("three_public_total", "prior_year", "2840"), S("three_public_total", "change", "486")], "failed"),
    ("discipline.three_public_over_budget", "公务用车购置和运行维护费预算数 7.34 万元；公务用车购置和运行维护费决算数 7.34 万元。", [S("three_public_vehicle", "initial_budget", "7.34"), S("three_public_vehicle", "actual", "7.34", at="决算数")], "passed"),
    ("discipline.three_public_over_budget", "公务用车购置和运行维护费预算数 7.34 万元；公务用车购置和运行维护费决算数 7.37 万元。", [S("three_public_vehicle", "initial_budget", "7.34"), S("three_public_vehicle", "actual", "7.37")], "failed"),
    ("discipline.procurement_deviation", "政府采购项目纳入2020年部门预算共计 223.40 万元；政府采购支出决算数 236.00 万元。", [S("procurement_total", "initial_budget", "223.40"), S("procurement_total", "actual", "236.00")], "passed"),
    ("discipline.procurement_deviation", "政府采购项目纳入2020年部门预算共计 223.40 万元；政府采购支出决算数 743.00 万元。", [S("procurement_total", "initial_budget", "223.40"), S("procurement_total", "actual", "743.00")], "failed"),
    ("discipline.low_execution", "预算执行率是 98.48%。", [S("execution_rate", "none", "98.48", unit="%")], "passed"),
    ("discipline.low_execution", "执行率 86.19%。", [S("execution_rate", "none", "86.19", unit="%")], "failed"),
    ("discipline.staff_over_authorized", STAFF.format(n="42"), [S("staff_authorized", "none", "50", unit="人"), S("staff_actual", "none", "42", unit="人")], "passed"),
    ("discipline.staff_over_authorized", STAFF.format(n="52"), [S("staff_authorized", "none", "50", unit="人"), S("staff_actual", "none", "52", unit="人")], "failed"),
    ("indicator.claim_above_actual", "年度总支出 8,799.78 万元。年底支持人才创新创业资金支出达到 1,800.00 万元。", [S("project_total", "actual", "8,799.78", subject="英才荟专项"), S("indicator", "none", "1,800.00", subject="英才荟专项")], "passed"),
    ("indicator.claim_above_actual", "年度总支出 8,799.78 万元。年底企业及商协会人才支持资金支出达到 12,800.00 万元。", [S("project_total", "actual", "8,799.78", subject="英才荟专项"), S("indicator", "none", "12,800.00", subject="英才荟专项")], "failed"),
    ("cross.duplicate_value", "调整后部门整体支出预算数 293,929.96 万元。年初调整后年度部门预算指标 293,929.96 万元。", [S("expenditure_total", "adjusted_budget", "293,929.96"), S("expenditure_total", "adjusted_budget", "293,929.96", at="指标")], "passed"),
    # real-024: the prose says 公车购置及运行费995万元, its own table 996
    ("cross.duplicate_value", "公车购置及运行费995万元。\n2016年 | 2364 | 12 | 1356 | 996 | 37 | 959", [S("three_public_vehicle", "actual", "995"), S("three_public_vehicle", "actual", "996", extra=dict(table_id="t1", row=2, col=4))], "failed"),
    ("cross.duplicate_value", "公车购置及运行费995万元。另一句：公车购置及运行维护费合计 996 万元。", [S("three_public_vehicle", "actual", "995", extra=dict(label="公车购置及运行费")), S("three_public_vehicle", "actual", "996", extra=dict(label="公车购置及运行维护费合计"))], "passed"),
]


def _id(case) -> str:
    return f"{case[0]}-{case[3]}"


@pytest.mark.parametrize("rule,text,specs,status", CASES, ids=[_id(c) for c in CASES])
def test_rule(rule, text, specs, status):
    report = run(text, specs)
    assert outcome(report, rule) == status, [(o.rule, o.status, o.detail) for o in report.outcomes]
    if status == "failed":
        f = found(report, rule)[0]
        assert f.message and f.severity in ("error", "warning", "info")
    else:
        assert not found(report, rule)


def test_every_rule_has_a_passing_and_a_failing_case():
    covered = {(c[0], c[3]) for c in CASES} | {(r, s) for r in TABLE_RULES for s in ("passed", "failed")} | {(r, s) for r in INDICATOR_RULES for s in ("passed", "failed")}
    covered |= {(c[0], c[4]) for c in CLAUSE_RATIO_CASES}
    for lr in checks.load_rules().rules:
        if lr.rule.check in ("external", "coverage"):
            continue
        assert (lr.rule.id, "passed") in covered and (lr.rule.id, "failed") in covered, lr.rule.id


# --------------------------------------------------------------------------- messages carry the numbers


def test_procurement_message_has_the_numbers():
    report = run(PROCUREMENT.format(t="743.00"), CASES[1][2])
    (f,) = found(report, "sum.procurement")
    assert f.message == "政府采购支出决算数 743.00 万元 ≠ 货物 7.87 + 工程 537.69 + 服务 190.82 = 736.38 万元，相差 6.62 万元"
    assert (f.expected, f.stated, f.difference, f.tolerance) == (Decimal("736.38"), Decimal("743.00"), Decimal("6.62"), Decimal("0.020"))
    assert [x.value for x in f.facts] == [Decimal("743.00"), Decimal("7.87"), Decimal("537.69"), Decimal("190.82")]


def test_flow_message_names_the_figures():
    report = run(FLOW.format(b="0.076"), CASES[25][2])
    (f,) = found(report, "flow.carryover")
    assert "170.24 + 289,296.28 − 287,926.21 = 1,540.31 万元" in f.message
    assert f.difference == Decimal("0.076") - Decimal("1540.31")


def test_rounding_only_difference_passes_remaining_budget():
    """剩余指标 4,463.51 vs 293,929.96 − 289,466.44 = 4,463.52: three figures at 2 decimals, tolerance 0.015."""
    report = run(EXEC.format(u="4,463.51", r="98.48"), CASES[22][2])
    assert outcome(report, "flow.unspent") == "passed"


def test_unspent_in_yuan_compared_in_wanyuan():
    text = "全年预算数 250,000.00 元，全年执行数 215,457.60 元，结余 34,542.40 元。"
    report = run(text, [S("project_total", "adjusted_budget", "250,000.00", unit="元", subject="体育中心结算"),
                        S("project_total", "actual", "215,457.60", unit="元", subject="体育中心结算"),
                        S("unspent_budget", "actual", "34,542.40", unit="元", subject="体育中心结算")])
    assert outcome(report, "flow.unspent") == "passed"


def test_change_with_direction_word_is_negative():
    report = run(CHANGE.format(d="476"), CASES[26][2])
    assert outcome(report, "change.stated") == "passed"


def test_ocr_figures_ask_for_the_scan():
    doc, facts = build(PROCUREMENT.format(t="743.00"), [Spec(**{**s.__dict__, "extra": {}}) for s in CASES[1][2]])
    facts[0].source_kind = "ocr"
    (f,) = found(checks.run(doc, facts), "sum.procurement")
    assert f.source_kind == "ocr" and "扫描件" in f.message


def test_skipped_rule_names_missing_inputs_in_chinese():
    report = run("基本支出决算数1,540.23万元。", [S("basic_expenditure", "actual", "1,540.23")])
    (o,) = [o for o in report.outcomes if o.rule == "sum.expenditure"]
    assert o.status == "skipped" and o.detail.startswith("missing: ") and "支出决算数" in o.detail


def test_low_coverage_is_an_info_finding():
    report = run("执行率 98.48%。", [S("execution_rate", "none", "98.48", unit="%")])
    (f,) = found(report, "coverage.low_coverage")
    assert f.severity == "info"
    ids = {o.rule for o in report.outcomes}
    assert "coverage.low_coverage" in ids and "table.unit_mismatch" not in ids


def test_one_outcome_per_rule():
    report = run(PROCUREMENT.format(t="743.00"), CASES[1][2])
    rules = [o.rule for o in report.outcomes]
    assert len(rules) == len(set(rules)) == len([r for r in checks.load_rules().rules if r.rule.check != "external"])


def test_two_projects_with_different_budgets_are_not_duplicates():
    text = "甲项目全年预算数 250,000.00 元。乙项目全年预算数 20,000.00 元。"
    report = run(text, [S("project_total", "adjusted_budget", "250,000.00", unit="元", subject="甲项目"),
                        S("project_total", "adjusted_budget", "20,000.00", unit="元", subject="乙项目")])
    assert not found(report, "cross.duplicate_value")


def test_prior_year_restatement_is_not_a_duplicate():
    text = "2016年“三公”经费决算数2364万元。比上年决算数2840万元下降16.77%。"
    report = run(text, [S("three_public_total", "actual", "2364"), S("three_public_total", "actual", "2840")])
    assert not found(report, "cross.duplicate_value")


# --------------------------------------------------------------------------- 自评表 (real-022 shape)

TABLE_RULES = ("table.execution_rate", "table.budget_score", "table.fund_total")
INDICATOR_RULES = ("indicator.met_but_missed", "indicator.score_over_weight", "indicator.score_total", "indicator.weight_total")
PROJECT = "普陀体育中心与委托运营方结算费用"


def table_facts(actual="215,457.6", rate="86.19", score="8.62", fund_actual="215,457.6", total="98.62", ind_scores=("10", "20", "20", "30", "10"), weights=("10", "20", "20", "30", "10"), met=True, actual_rate="100", weight_total=None):
    t = dict(table_id="t1")
    rows = [
        S("project_total", "adjusted_budget", "250000.00", unit="元", subject=PROJECT, extra=dict(row=2, col=2, **t)),
        S("project_total", "actual", actual, unit="元", subject=PROJECT, extra=dict(row=2, col=3, **t)),
        S("weight", "none", "10", unit="分", subject=PROJECT, extra=dict(row=2, col=4, **t)),
        S("execution_rate", "none", rate, unit="%", subject=PROJECT, extra=dict(row=2, col=5, **t)),
        S("score", "none", score, unit="分", subject=PROJECT, extra=dict(row=2, col=6, **t)),
        S("general_budget_appropriation", "adjusted_budget", "250000.00", unit="元", subject=PROJECT, extra=dict(row=3, col=2, **t)),
        S("general_budget_appropriation", "actual", fund_actual, unit="元", subject=PROJECT, extra=dict(row=3, col=3, **t)),
        S("carryover_opening", "adjusted_budget", "0", unit="元", subject=PROJECT, extra=dict(row=4, col=2, **t)),
        S("other_income", "adjusted_budget", "0", unit="元", subject=PROJECT, extra=dict(row=5, col=2, **t)),
    ]
    names = ["与委托运营方结算完成率", "合同结算条款完成率", "费用结算及时性", "与委托运营方合同完成率", "场馆开放满意度"]
    for i, (n, s, w) in enumerate(zip(names, ind_scores, weights)):
        qualitative = n == "费用结算及时性"
        rows.append(S("indicator", "none", w, unit="分", subject=PROJECT, extra=dict(
            row=10 + i, col=0, indicator_name=n, comparator=None if qualitative else ("≥" if "满意" in n else "="),
            target="及时" if qualitative else ("90" if "满意" in n else "100"), target_unit=None if qualitative else "%",
            actual="及时" if qualitative else actual_rate, actual_unit=None if qualitative else "%",
            weight=Decimal(w), score=Decimal(s), met=met, **t)))
    rows.append(S("score_total", "none", total, unit="分", subject=PROJECT, extra=dict(row=20, col=8, **t)))
    if weight_total is not None:  # the 总分 row's 分值 cell: the table's own stated total
        rows.append(S("weight", "none", weight_total, unit="分", subject=PROJECT, extra=dict(row=20, col=7, label="总分 分值", **t)))
    return rows


TABLE_CASES = [
    # real-022: 215,457.6 / 250,000.00 = 86.183…%, printed 86.19%: a real error beyond rounding
    ("table.execution_rate", dict(), "failed"),
    ("table.execution_rate", dict(rate="86.18"), "passed"),
    ("table.budget_score", dict(), "passed"),
    ("table.budget_score", dict(score="9.62", total="99.62"), "failed"),
    ("table.fund_total", dict(), "passed"),
    ("table.fund_total", dict(fund_actual="215,475.6"), "failed"),
    ("indicator.score_total", dict(), "passed"),
    ("indicator.score_total", dict(total="99.62"), "failed"),
    ("indicator.weight_total", dict(), "passed"),
    ("indicator.weight_total", dict(weights=("10", "20", "20", "30", "20"), ind_scores=("10", "20", "20", "30", "20"), total="108.62"), "failed"),
    ("indicator.weight_total", dict(weight_total="100"), "passed"),
    # a table scored out of 110 that says so (总分 row 分值 110): its weights add up to its own total
    ("indicator.weight_total", dict(weights=("10", "20", "20", "30", "20"), ind_scores=("10", "20", "20", "30", "20"), total="108.62", weight_total="110"), "passed"),
    ("indicator.weight_total", dict(weight_total="110"), "failed"),  # weights add to 100, the table states 110
    ("indicator.score_over_weight", dict(), "passed"),
    ("indicator.score_over_weight", dict(ind_scores=("10", "20", "20", "30", "12"), total="100.62"), "failed"),
    ("indicator.met_but_missed", dict(), "passed"),
    ("indicator.met_but_missed", dict(actual_rate="85"), "failed"),
    ("indicator.met_but_missed", dict(met=False), "failed"),
]


@pytest.mark.parametrize("rule,kw,status", TABLE_CASES, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(TABLE_CASES)])
def test_table_rule(rule, kw, status):
    doc, facts = build("", table_facts(**kw))
    report = checks.run(doc, facts)
    assert outcome(report, rule) == status, [(o.rule, o.status, o.detail) for o in report.outcomes] + [f.message for f in report.findings]


def test_real_022_execution_rate_message():
    doc, facts = build("", table_facts())
    (f,) = found(checks.run(doc, facts), "table.execution_rate")
    assert "86.19%" in f.message and "86.18%" in f.message
    assert f.stated == Decimal("86.19")


# --------------------------------------------------------------------------- strict rules file


def _write(tmp_path, edit):
    from extractor.patterns import patterns_dir

    text = (patterns_dir() / "checks.yaml").read_text(encoding="utf-8")
    (tmp_path / "checks.yaml").write_text(edit(text), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("edit,needle", [
    (lambda t: t.replace("  - id: sum.basic_expenditure", "  - id: sum.expenditure"), "duplicate"),
    (lambda t: t.replace("check: growth", "check: no_such_check"), "unknown check function"),
    (lambda t: t.replace("severity: warning\n    args: {metric: execution_rate", "severity: warning\n    colour: red\n    args: {metric: execution_rate"), "discipline.low_execution"),
    (lambda t: t.replace("'{subject}{name} {stated}% 低于 {threshold}%'", "'{subject}{nonsense}'"), "unknown field"),
    (lambda t: t.replace("args: {metric: execution_rate, below: '90'}", "args: {metric: execution_rate, bellow: '90'}"), "discipline.low_execution"),
], ids=["duplicate-id", "unknown-check", "unknown-field", "bad-template-field", "bad-arg"])
def test_bad_rules_file_is_rejected_naming_the_entry(tmp_path, edit, needle):
    with pytest.raises(PatternError) as exc:
        checks.load_rules(_write(tmp_path, edit))
    assert "checks.yaml" in str(exc.value) and needle in str(exc.value)


def test_threshold_is_data(tmp_path):
    d = _write(tmp_path, lambda t: t.replace("below: '90'", "below: '99'"))
    doc, facts = build("预算执行率是 98.48%。", [S("execution_rate", "none", "98.48", unit="%")])
    assert found(checks.run(doc, facts, checks.load_rules(d)), "discipline.low_execution")


# --------------------------------------------------------------------------- guards against uncertain labels (regressions)


def test_growth_from_prior_and_change_both_stated():
    """比上年的 X 万元增加了 Y 万元，增幅 Z%: the rate is Y / X, whatever else the sentence holds."""
    text = "年初本单位收入预算28,380.95 万元（其他资金收入3,178.67 万元），比上年的24,975.23 万元增加了3,405.72 万元，增幅{r}%。"
    specs = lambda r: [S("income_total", "initial_budget", "28,380.95"), S("other_income", "initial_budget", "3,178.67"),  # noqa: E731
                       S("income_total", "none", "24,975.23"), S("income_total", "change", "3,405.72"), S("growth_rate", "none", r, unit="%")]
    assert outcome(run(text.format(r="13.64"), specs("13.64")), "ratio.growth_rate") == "passed"
    assert outcome(run(text.format(r="31.64"), specs("31.64")), "ratio.growth_rate") == "failed"


def test_growth_topic_is_not_a_bracketed_part():
    text = "本单位年初收入预算数为1548.12万元（一般公共预算拨款1223.01万元，其他收入117.04万元），比上年增加479.92万元，增长44.93%。"
    report = run(text, [S("income_total", "initial_budget", "1548.12", key="t"), S("general_budget_appropriation", "initial_budget", "1223.01", parent="t"),
                        S("other_income", "initial_budget", "117.04", parent="t"), S("other_income", "change", "479.92"), S("growth_rate", "none", "44.93", unit="%")])
    assert outcome(report, "ratio.growth_rate") == "passed"


@pytest.mark.parametrize("text,rate,status", [
    ("比上年的4119.21万元减少了1022.06万元，降幅{r}%。", "24.81", "passed"),  # 降幅: a decrease, the rate is a magnitude
    ("比上年的4119.21万元减少了1022.06万元，降幅{r}%。", "42.81", "failed"),
    ("比上年的4119.21万元减少了1022.06万元，下降{r}%。", "24.81", "passed"),
], ids=["jiangfu-right", "jiangfu-wrong", "xiajiang-right"])
def test_growth_decrease(text, rate, status):
    t = "年初预算收入合计3097.15万元" + text.format(r=rate)
    specs = [S("income_total", "initial_budget", "3097.15"), S("income_total", "prior_year", "4119.21"), S("income_total", "change", "1022.06"), S("growth_rate", "change", rate, unit="%")]
    assert outcome(run(t, specs), "ratio.growth_rate") == status


def test_growth_rates_sharing_one_pair_of_figures_are_not_judged():
    """real-024: a 增减% table flattened into one sentence puts a row of rates after one pair of figures."""
    text = "2015年 1277 2016年 959 2016年比2015年增减% -16.77 -86.62 -24.98"
    specs = [S("three_public_vehicle_operation", "prior_year", "1277", unit="万元"), S("three_public_vehicle_operation", "actual", "959", unit="万元"),
             S("growth_rate", "change", "-16.77", unit="%"), S("growth_rate", "change", "-86.62", unit="%"), S("growth_rate", "change", "-24.98", unit="%")]
    report = run(text, specs)
    assert not found(report, "ratio.growth_rate")


def test_sum_within_a_generic_table():
    """A 预算执行表 read by the table reader (table_id set): its 支出合计 is judged against its own rows, not the prose."""
    t = dict(table_id="tx1")
    text = "支出合计 12,721.82 基本支出 2,601.29 项目支出 10,244.40"
    specs = [S("expenditure_total", "actual", "12,721.82", extra=dict(row=1, col=3, **t)), S("basic_expenditure", "actual", "2,601.29", extra=dict(row=2, col=3, **t)),
             S("project_expenditure", "actual", "10,244.40", extra=dict(row=5, col=3, **t))]
    (f,) = found(run(text, specs), "sum.expenditure")
    assert f.expected == Decimal("12845.69") and f.stated == Decimal("12721.82")
    specs[0] = S("expenditure_total", "actual", "12,845.69", extra=dict(row=1, col=3, **t))
    assert outcome(run(text.replace("12,721.82", "12,845.69"), specs), "sum.expenditure") == "passed"


def test_breakdown_with_an_item_read_apart_is_not_flagged():
    """The last item wrapped onto the next line and was not linked: Σ linked < total is no error."""
    text = "专项年初安排预算4,074.00 万元，其中图书购置1,134.00 万元，文艺演出819.00 万元，场馆免费开放1,121.00 万元，数字资源建设\n1,000.00 万元。"
    specs = [S("project_total", "initial_budget", "4,074.00", subject="专项", key="t"), S("other", "initial_budget", "1,134.00", subject="专项", parent="t"),
             S("other", "initial_budget", "819.00", subject="专项", parent="t"), S("other", "initial_budget", "1,121.00", subject="专项", parent="t"),
             S("other", "none", "1,000.00", subject="专项")]
    assert not found(run(text, specs), "sum.breakdown")


def test_breakdown_with_a_nested_share_is_not_flagged():
    text = "本年度实施政府采购12.22万元，其中采购货物3.19万元，工程类采购1.59万元，政府采购服务7.44万元，面向中小企业采购金额10.26万元。"
    specs = [S("other", "actual", "12.22", key="t"), S("other", "actual", "3.19", parent="t"), S("other", "actual", "1.59", parent="t"),
             S("other", "actual", "7.44", parent="t"), S("other", "actual", "10.26", parent="t")]
    assert not found(run(text, specs), "sum.breakdown")


def test_breakdown_of_named_parts_reports_under_the_named_rule():
    """A total the extractor could not name, broken into 货物/工程/服务: reported as sum.procurement."""
    text = "政府采购合同金额 4,867.79 万元，其中货物类采购 2,212.63 万元，采购工程 1,412.32 万元，服务类采购 800.31 万元。"
    specs = [S("other", "actual", "4,867.79", key="t"), S("procurement_goods", "actual", "2,212.63", parent="t"),
             S("procurement_works", "actual", "1,412.32", parent="t"), S("procurement_services", "actual", "800.31", parent="t")]
    (f,) = [f for f in run(text, specs).findings if f.rule == "sum.procurement"]
    assert f.difference == Decimal("442.53")


def test_rate_beside_unread_figures_is_skipped_not_flagged():
    """执行率 stated with a project's own figures (not labeled): not checked against the department's."""
    text = "年度总支出 289,466.44 万元，调整后预算 293,929.96 万元。项目实际拨付资金920.64 万元，调整后预算958.00 万元，执行率为96.10%。"
    report = run(text, [S("expenditure_total", "actual", "289,466.44"), S("expenditure_total", "adjusted_budget", "293,929.96"),
                        S("other", "actual", "920.64"), S("other", "adjusted_budget", "958.00"), S("execution_rate", "none", "96.10", unit="%")])
    assert not found(report, "ratio.execution_rate")
    assert outcome(report, "ratio.execution_rate") == "skipped"


def test_a_figure_is_never_its_own_denominator():
    text = "该项目调整后预算21,767,100.00 元，年度总支出19,503,321.00 元，预算执行率89.60%。"
    report = run(text, [S("expenditure_total", "adjusted_budget", "21,767,100.00", unit="元"), S("expenditure_total", "actual", "21,767,100.00", unit="元"),
                        S("execution_rate", "none", "89.60", unit="%")])
    assert not any("100.00%" in f.message for f in found(report, "ratio.execution_rate"))


def test_amounts_read_by_prose_from_a_flattened_table_are_left_to_the_table_reader():
    text = "说明。\n年度资金总额 | 4,074.00 | 3,666.60 | 3,175.28 | 10 | 86.60% | 8.66\n其中：当年财政拨款 | 3,621.33 | 3,259.20 | 2,822.47 | — | — | —"
    report = run(text, [S("expenditure_total", "adjusted_budget", "3,666.60", key="t"), S("other", "adjusted_budget", "3,259.20", parent="t"),
                        S("other", "adjusted_budget", "2,822.47", parent="t")])
    assert not found(report, "sum.breakdown")


@pytest.mark.parametrize("target,actual,comparator,tu,au,status", [
    ("90", "100", "≥", "%", "%", "passed"),
    ("90", "85", "≥", "%", "%", "failed"),
    ("≥100百分比", "95%", "≥", None, None, "failed"),
    ("1-12月", "已完成100%", None, None, None, "skipped"),  # real-014: no comparator, different measure
    ("10万元", "已完成100%", "≤", None, None, "passed"),  # 万元 against %: not compared (other rows pass)
], ids=["met", "missed", "percent-word", "real-014-months", "real-014-units"])
def test_indicator_comparison_needs_comparator_and_one_unit(target, actual, comparator, tu, au, status):
    spec = S("indicator", "none", "10", unit="分", subject="项目", extra=dict(
        indicator_name="指标", comparator=comparator, target=target, target_unit=tu, actual=actual, actual_unit=au,
        weight=Decimal(10), score=Decimal(10), met=True, table_id="t1", row=1))
    other = S("indicator", "none", "10", unit="分", subject="项目", extra=dict(
        indicator_name="满意度", comparator="≥", target="90", target_unit="%", actual="95", actual_unit="%",
        weight=Decimal(10), score=Decimal(10), met=True, table_id="t1", row=2))
    doc, facts = build("", [spec] + ([other] if status == "passed" and "万元" in target else []))
    assert outcome(checks.run(doc, facts), "indicator.met_but_missed") == status


def test_project_figure_on_the_department_of_a_one_project_report():
    """该项目调整后预算 2,033.74 left on the department; the 自评表 prints 1,815.84 for the project: a duplicate."""
    text = "该项目调整后预算2,033.74 万元。\n年度资金总额 | 1,552.00 | 1,815.84 | 1,697.81"
    report = run(text, [S("project_total", "adjusted_budget", "2,033.74"),
                        S("project_total", "adjusted_budget", "1,815.84", subject="能力提升项目", extra=dict(table_id="t1", row=1, col=2))])
    (f,) = found(report, "cross.duplicate_value")
    assert "2,033.74" in f.message and "1,815.84" in f.message


def test_prose_figure_printed_in_another_table_column_is_not_a_duplicate():
    """项目全年预算资金144.00 read as 调整后; the 自评表 has 144.00 as 年初 and 129.60 as 全年: a stage misread."""
    text = "项目全年预算资金144.00 万元。\n年度资金总额 | 144.00 | 129.60 | 124.03"
    report = run(text, [S("project_total", "adjusted_budget", "144.00", subject="饮水工程"),
                        S("project_total", "initial_budget", "144.00", subject="饮水工程", at="|", extra=dict(table_id="t1", row=1, col=1)),
                        S("project_total", "adjusted_budget", "129.60", subject="饮水工程", extra=dict(table_id="t1", row=1, col=2))])
    assert not found(report, "cross.duplicate_value")


def test_growth_topic_skips_parts_in_brackets():
    text = "年初收入预算 24,849.85 万元（一般公共预算拨款 19382.88 万元、其他资金收入 1366.74 万元），比上年增加 7703.45 万元，增长 44.93%。"
    report = run(text, [S("income_total", "initial_budget", "24,849.85"), S("general_budget_appropriation", "initial_budget", "19382.88"),
                        S("income_total", "initial_budget", "1366.74"), S("income_total", "change", "7703.45"), S("growth_rate", "none", "44.93", unit="%")])
    assert outcome(report, "ratio.growth_rate") == "passed"


def test_change_compares_its_own_sentence_not_a_shared_label():
    """比上年的420.01 万元增加了57.28 万元: the change of 477.29 against 420.01, though 其他资金收入 shares the change's label."""
    text = "本单位年初收入预算数为477.29 万元（其他资金收入83.19 万元），比上年的420.01 万元增加了57.28 万元，增幅13.64%。"
    report = run(text, [S("income_total", "initial_budget", "477.29"), S("other_income", "initial_budget", "83.19"),
                        S("other_income", "prior_year", "420.01"), S("other_income", "change", "57.28"), S("growth_rate", "none", "13.64", unit="%")])
    assert outcome(report, "change.stated") == "passed" and outcome(report, "ratio.growth_rate") == "passed"


def test_score_totals_wait_for_the_budget_block():
    """Only the indicator rows were read (Σ 分值 90): the budget block's 10 points are missing, not wrong."""
    facts = [s for s in table_facts() if s.metric in ("indicator", "score_total")]
    doc, built = build("", facts)
    report = checks.run(doc, built)
    assert not found(report, "indicator.score_total") and not found(report, "indicator.weight_total")


# --------------------------------------------------------------------------- corpus floor (generated reports, planted errors)


@pytest.mark.slow
def test_generated_corpus_recall_and_false_alarms(tmp_path):
    """Planted inconsistencies found (by rule, per report) and almost nothing raised on clean reports."""
    import collections
    import json

    from extractor import generate, pipeline

    paths = generate.generate(n=20, seed=7, out=tmp_path, pdf=False, docx_share=0.0)
    planted = found_planted = clean = clean_findings = 0
    for p in paths:
        gold = json.loads(p.with_name(p.stem + ".gold.json").read_text(encoding="utf-8"))
        got = collections.Counter(f.rule for f in pipeline.check(p).findings if f.severity != "info")
        want = collections.Counter(i["rule"] for i in gold["inconsistencies"] if i.get("kind") == "planted")
        planted += sum(want.values())
        found_planted += sum(min(n, got[r]) for r, n in want.items())
        if not gold["inconsistencies"]:
            clean += 1
            clean_findings += sum(got.values())
    assert planted and found_planted / planted >= 0.85, (found_planted, planted)
    assert clean_findings * 20 <= max(clean, 20), (clean_findings, clean)


@pytest.mark.parametrize("second,stage,status", [
    ("3785.82", "adjusted_budget", "failed"),  # 调整后支出预算 3505.39 vs 全年预算总额（调整后）3785.82
    ("3505.39", "adjusted_budget", "passed"),
    ("3481.53", "actual", "passed"),  # actual spending restated for a narrower scope is not compared prose to prose
], ids=["budget-twice-differs", "budget-twice-same", "actual-not-compared"])
def test_department_budget_total_stated_twice(second, stage, status):
    text = f"调整后支出预算3505.39 万元。本年已支出3,400.00 万元。全年预算总额（调整后）{second} 万元。"
    first_stage = "adjusted_budget" if stage == "adjusted_budget" else "actual"
    first = "3505.39" if stage == "adjusted_budget" else "3,400.00"
    report = run(text, [S("expenditure_total", first_stage, first, extra=dict(label="调整后支出预算")),
                        S("expenditure_total", stage, second, at="全年预算总额", extra=dict(label="全年预算总额（调整后）"))])
    assert outcome(report, "cross.duplicate_value") == status


# --------------------------------------------------------------------------- any facts, no crash

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

METRICS = ["expenditure_total", "basic_expenditure", "personnel_expenditure", "public_expenditure", "project_expenditure",
           "procurement_total", "procurement_goods", "three_public_total", "three_public_vehicle", "execution_rate", "growth_rate",
           "unspent_budget", "balance_closing", "carryover_opening", "income_total", "project_total", "score", "weight",
           "score_total", "indicator", "staff_actual", "staff_authorized", "other"]
STAGES = ["initial_budget", "adjusted_budget", "actual", "prior_year", "change", "none"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(METRICS), st.sampled_from(STAGES), st.from_regex(r"\A-?[0-9]{1,6}(\.[0-9]{1,3})?\Z"),
                          st.sampled_from(["万元", "元", "%", "人"]), st.booleans(), st.integers(0, 4)), max_size=14))
def test_any_fact_list_yields_one_outcome_per_rule(rows):
    text = "。".join(f"数字{r[2]}{r[3]}" for r in rows) + "。"
    specs = []
    for i, (metric, stage, num, unit, in_table, parent) in enumerate(rows):
        extra = dict(table_id="t1", row=i % 3, col=i) if in_table else {}
        if metric == "indicator":
            extra.update(comparator="≥", target=num, actual="0", weight=Decimal(10), score=Decimal(num).copy_abs() % 20, met=True)
        specs.append(S(metric, stage, num, unit=unit, at=f"数字{num}", key=str(i), parent=str(parent) if parent < i else None, extra=extra))
    doc, facts = build(text, specs)
    report = checks.run(doc, facts)
    rules = [o.rule for o in report.outcomes]
    assert len(rules) == len(set(rules)) and not any(o.detail.startswith("internal") for o in report.outcomes), report.outcomes


# --------------------------------------------------------------------------- a rate beside both its operands (办结率, 利用率)

CLAUSE_RATIO_CASES = [
    ("ratio.completion_rate", "全年共受理群众来电1,200件，办结1,176件，办结率{r}%。", [S("other", "none", "1,200", unit="件"), S("other", "none", "1,176", unit="件")], "98.00", "passed"),
    ("ratio.completion_rate", "全年共受理群众来电1,200件，办结1,176件，办结率{r}%。", [S("other", "none", "1,200", unit="件"), S("other", "none", "1,176", unit="件")], "96.00", "failed"),
    ("ratio.completion_rate", "计划完成培训40期，实际完成38期，完成率{r}%。", [S("other", "none", "40", unit="期"), S("other", "none", "38", unit="期")], "95", "passed"),
    ("ratio.completion_rate", "项目完成率{r}%。", [], "100", "skipped"),  # no operands stated: nothing to judge
    ("ratio.utilization_rate", "固定资产总额1,250.00万元，其中在用固定资产1,200.00万元，固定资产利用率{r}%。",
     [S("fixed_assets_total", "actual", "1,250.00"), S("other", "actual", "1,200.00")], "96.00", "passed"),
    ("ratio.utilization_rate", "固定资产总额1,250.00万元，其中在用固定资产1,200.00万元，固定资产利用率{r}%。",
     [S("fixed_assets_total", "actual", "1,250.00"), S("other", "actual", "1,200.00")], "90.00", "failed"),
]


@pytest.mark.parametrize("rule,text,specs,rate,status", CLAUSE_RATIO_CASES, ids=["banjie-ok", "banjie-wrong", "wancheng-ok", "no-operands", "liyong-ok", "liyong-wrong"])
def test_clause_ratio(rule, text, specs, rate, status):
    metric = "completion_rate" if rule == "ratio.completion_rate" else "fixed_asset_utilization"
    report = run(text.format(r=rate), [*specs, S(metric, "actual", rate, unit="%", at="率")])
    assert outcome(report, rule) == status, [(o.rule, o.status, o.detail) for o in report.outcomes if o.rule == rule]


# --------------------------------------------------------------------------- end to end: a named project's execution rate


@pytest.mark.parametrize("rate,status", [("96.64", "passed"), ("90.16", "failed")], ids=["right", "wrong"])
def test_project_execution_rate_end_to_end(tmp_path, rate, status):
    """Text → facts → checks: 项目全年预算资金 is the adjusted budget (issue 4), and the project's own rate is judged on it."""
    from extractor.pipeline import check

    p = tmp_path / "r.txt"
    p.write_text("2021年度城乡居民养老服务补助项目绩效自评报告\n\n项目名称：城乡居民养老服务补助\n\n"
                 f"项目全年预算资金254.88万元，全年实际支出246.32万元，预算执行率{rate}%。\n", encoding="utf-8")
    report = check(p)
    assert outcome(report, "ratio.execution_rate") == status, [(o.rule, o.status, o.detail) for o in report.outcomes]
