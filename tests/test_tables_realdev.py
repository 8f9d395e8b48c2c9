"""自评表 rows recovered from the real-dev excerpts (../shared/real-dev): every budget figure with its
stage, every indicator row with target, actual, weight and score.  One module-level read per file."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from extractor import ingest, tables


def _read(real_dev, name):
    doc = ingest.from_text((real_dev / name).read_text(encoding="utf-8"), source=name)
    return doc, tables.extract(doc)


@pytest.fixture(scope="module")
def r015(real_dev):
    return _read(real_dev, "real-015.txt")


@pytest.fixture(scope="module")
def r020(real_dev):
    return _read(real_dev, "real-020.txt")


@pytest.fixture(scope="module")
def r022(real_dev):
    return _read(real_dev, "real-022.txt")


@pytest.fixture(scope="module")
def r014(real_dev):
    return _read(real_dev, "real-014.txt")


def budget(result, subject=None):
    return {
        (f.metric, f.stage, f.label.split(" ")[0]): f.value
        for f in result.facts
        if f.metric != "indicator" and (subject is None or f.subject == subject)
    }


def indicators(result, subject=None):
    return [f for f in result.facts if f.metric == "indicator" and (subject is None or f.subject == subject)]


# --------------------------------------------------------------------------- real-015: one cell per line

R015_BUDGET = [
    ("project_total", "initial_budget", "总额", "238.93"),
    ("project_total", "adjusted_budget", "总额", "251.89"),
    ("project_total", "actual", "总额", "251.89"),
    ("execution_rate", "actual", "总额", "100.00"),
    ("weight", "none", "总额", "10"),
    ("general_budget_appropriation", "initial_budget", "其中:财政资金", "238.93"),
    ("general_budget_appropriation", "adjusted_budget", "其中:财政资金", "251.89"),
    ("general_budget_appropriation", "actual", "其中:财政资金", "251.89"),
    ("other_income", "actual", "财政专户管理资金", "0.00"),
    ("other_income", "actual", "单位资金", "0.00"),
]


@pytest.mark.parametrize("metric,stage,label,value", R015_BUDGET, ids=[f"{c[2]}-{c[1]}-{c[0]}" for c in R015_BUDGET])
def test_real015_budget(r015, metric, stage, label, value):
    _, res = r015
    got = budget(res)
    assert got[(metric, stage, label)] == D(value)
    assert str(got[(metric, stage, label)]) == value  # precision as printed


def test_real015_subject_strips_code_and_unit_is_wanyuan(r015):
    _, res = r015
    total = next(f for f in res.facts if f.metric == "project_total")
    assert total.subject == "工资性支出"
    assert total.unit == "万元" and total.value_wanyuan == D("238.93")
    assert not res.findings


R015_IND = [
    ("发放(缴纳)覆盖率", "产出指标", "数量指标", "=", "100", "%", None, "60", None),
    ("足额保障率(参保率)", "效益指标", "社会效益指标", "=", "100", "%", None, "30", None),
]


@pytest.mark.parametrize("name,l1,l2,cmp_,target,unit,actual,weight,score", R015_IND, ids=[c[0] for c in R015_IND])
def test_real015_indicators(r015, name, l1, l2, cmp_, target, unit, actual, weight, score):
    _, res = r015
    f = next(f for f in indicators(res) if f.indicator_name == name)
    assert (f.indicator_level1, f.indicator_level2, f.comparator, f.target, f.target_unit) == (l1, l2, cmp_, target, unit)
    assert f.actual == actual and f.met is None  # 完成值 left blank in the form
    assert f.weight == D(weight) and f.score is None


def test_real015_total_row_has_no_score(r015):
    doc, res = r015
    assert not [f for f in res.facts if f.metric == "score_total"]  # 合计 | 100 (分值) | (得分 empty)
    assert [f.value for f in res.facts if f.metric == "weight"] == [D("10")]  # only the budget block's 分值


def test_real015_provenance_points_at_the_cell(r015):
    doc, res = r015
    for f in res.facts:
        assert f.table_id and f.fact_id.startswith(f.table_id)
        cell = doc.text[f.start : f.end]
        assert cell.strip(), f
    rate = next(f for f in res.facts if f.metric == "execution_rate")
    assert doc.text[rate.start : rate.end] == "100.00%"
    assert res.regions and res.regions[0][0] <= rate.start < res.regions[0][1]


# --------------------------------------------------------------------------- real-020: rows joined by |, Traditional

R020_BUDGET = [
    ("project_total", "initial_budget", "年度资金总额", "7.29"),
    ("project_total", "adjusted_budget", "年度资金总额", "7.29"),
    ("project_total", "actual", "年度资金总额", "7.29"),
    ("weight", "none", "年度资金总额", "10.00"),
    ("execution_rate", "actual", "年度资金总额", "100"),
    ("score", "none", "年度资金总额", "10.00"),
    ("general_budget_appropriation", "initial_budget", "其中:当年财政拨款", "7.29"),
    ("general_budget_appropriation", "adjusted_budget", "其中:当年财政拨款", "7.29"),
    ("general_budget_appropriation", "actual", "其中:当年财政拨款", "7.29"),
    ("execution_rate", "actual", "其中:当年财政拨款", "100"),
]


@pytest.mark.parametrize("metric,stage,label,value", R020_BUDGET, ids=[f"{c[2]}-{c[1]}-{c[0]}" for c in R020_BUDGET])
def test_real020_budget(r020, metric, stage, label, value):
    _, res = r020
    assert budget(res)[(metric, stage, label)] == D(value)


def test_real020_parts_point_at_the_total(r020):
    _, res = r020
    by_id = {f.fact_id: f for f in res.facts}
    part = next(f for f in res.facts if f.metric == "general_budget_appropriation" and f.stage == "actual")
    assert by_id[part.parent].metric == "project_total" and by_id[part.parent].stage == "actual"


R020_IND = [
    ("卫片执法补助经费", "产出指标", "数量指标", "=", "72890", "元", "72890", "10.00", "9.00", True),
    ("项目验收合格率", "产出指标", "质量指标", "=", "100", "%", "100", "20", "19", True),
    ("项目完成及时率", "产出指标", "时效指标", "=", "100", "%", "100", "20.00", "19.00", True),
    ("违法行为责停率", "效益指标", "社会效益指标", "≥", "95", "%", "95", "30.00", "27.00", True),
    ("满意度", "满意度指标", "服务对象满意度指标", "≥", "95", "%", "95", "10.00", None, True),  # excerpt cut before 得分
]


@pytest.mark.parametrize("name,l1,l2,cmp_,target,unit,actual,weight,score,met", R020_IND, ids=[c[0] for c in R020_IND])
def test_real020_indicators(r020, name, l1, l2, cmp_, target, unit, actual, weight, score, met):
    _, res = r020
    f = next(f for f in indicators(res) if f.indicator_name == name)
    assert (f.indicator_level1, f.indicator_level2, f.comparator, f.target, f.target_unit) == (l1, l2, cmp_, target, unit)
    assert (f.actual, f.weight, f.met) == (actual, D(weight), met)
    assert f.score == (D(score) if score else None)
    assert f.value == D(actual)


def test_real020_yuan_indicator_under_wanyuan_budget_is_not_a_mismatch(r020):
    _, res = r020
    assert not [x for x in res.findings if x.rule == "table.unit_mismatch"]


# --------------------------------------------------------------------------- real-022: no separators, scrambled

P1 = "普陀体育中心与委托运营方结算费用"
P2 = "援滇对口支援及结对帮扶经费"

R022_BUDGET = [
    (P1, "project_total", "initial_budget", "250000.00"),
    (P1, "project_total", "adjusted_budget", "250000.00"),
    (P1, "project_total", "actual", "215457.6"),
    (P1, "weight", "none", "10"),
    (P1, "score", "none", "8.62"),
    (P1, "execution_rate", "actual", "86.19"),
    (P1, "general_budget_appropriation", "actual", "215457.6"),
    (P1, "general_budget_appropriation", "adjusted_budget", "250000.00"),
    (P2, "project_total", "adjusted_budget", "20000.00"),
    (P2, "project_total", "actual", "9034"),
    (P2, "weight", "none", "10"),
    (P2, "score", "none", "4.52"),
    (P2, "execution_rate", "actual", "45.17"),
]


@pytest.mark.parametrize("subject,metric,stage,value", R022_BUDGET, ids=[f"{c[0][:4]}-{c[1]}-{c[2]}" for c in R022_BUDGET])
def test_real022_budget(r022, subject, metric, stage, value):
    _, res = r022
    got = [f for f in res.facts if (f.subject, f.metric, f.stage) == (subject, metric, stage) and "score_total" not in f.rule]
    assert [f.value for f in got] == [D(value)]
    assert got[0].unit in ("元", "分", "%")


def test_real022_amounts_are_yuan_and_convert_to_wanyuan(r022):
    _, res = r022
    total = next(f for f in res.facts if f.subject == P1 and f.metric == "project_total" and f.stage == "actual")
    assert total.unit == "元" and total.value_wanyuan == D("21.54576")
    assert not [x for x in res.findings if x.rule == "table.unit_mismatch"]


def test_real022_keeps_the_stated_rate_that_is_off_by_rounding(r022):
    """215,457.6 / 250,000 = 86.18 %, printed 86.19 %: the reader keeps what is printed (checks flag it)."""
    _, res = r022
    rate = next(f for f in res.facts if f.subject == P1 and f.metric == "execution_rate")
    assert rate.value == D("86.19") and rate.decimals == 2


R022_IND = [
    ("与委托运营方结算完成率", "数量指标", "=", "100", "100", "10", "10", True),
    ("合同结算条款完成率", "质量指标", "=", "100", "100", "20", "20", True),
    ("费用结算及时性", "时效指标", None, "及时", "及时", "20", "20", True),
    ("与委托运营方合同完成率", "社会效益指标", "=", "100", "100", "30", "30", True),
    ("场馆开放满意度", "服务对象满意度指标", "≥", "90", "100", "10", "10", True),
]


@pytest.mark.parametrize("name,l2,cmp_,target,actual,weight,score,met", R022_IND, ids=[c[0] for c in R022_IND])
def test_real022_indicators(r022, name, l2, cmp_, target, actual, weight, score, met):
    _, res = r022
    rows = indicators(res, P1)
    assert len(rows) == 5
    f = next(f for f in rows if f.indicator_name == name)
    assert (f.indicator_level2, f.comparator, f.target, f.actual, f.weight, f.score, f.met) == (
        l2, cmp_, target, actual, D(weight), D(score), met)


def test_real022_score_total(r022):
    _, res = r022
    st = [f for f in res.facts if f.metric == "score_total" and f.subject == P1]
    assert [f.value for f in st] == [D("98.62")] and st[0].weight == D("100")
    budget_score = next(f for f in res.facts if f.subject == P1 and f.metric == "score")
    assert sum(f.score for f in indicators(res, P1)) + budget_score.value == D("98.62")  # 90 + 8.62


def test_real022_regions_cover_both_tables(r022):
    doc, res = r022
    assert len(res.regions) == 2
    for f in res.facts:
        assert any(a <= f.start < b for a, b in res.regions)


# --------------------------------------------------------------------------- real-014: label line + "| cell" lines

R014_IND = [
    ("宣传次数", "项目决策", "数量指标", "全年完成2次宣传", "已完成100%", True),
    ("创建质量", None, "质量指标", "按质按量完成", "已完成100%", True),
    ("成本", None, "成本指标", "10", "已完成100%", True),
    ("提升全县消费者维权意识", "项目效益", "社会效益指标", "不断提升", "已完成100%", True),
    ("群众满意度", "满意度指标", "满意度指标", "90", "已完成100%", True),
]


@pytest.mark.parametrize("name,l1,l2,target,actual,met", R014_IND, ids=[c[0] for c in R014_IND])
def test_real014_indicators(r014, name, l1, l2, target, actual, met):
    _, res = r014
    f = next(f for f in indicators(res) if f.indicator_name == name)
    if l1:
        assert f.indicator_level1 == l1
    assert (f.indicator_level2, f.target, f.actual, f.met) == (l2, target, actual, met)


# --------------------------------------------------------------------------- corpus-level floor (generated reports with gold)


def test_generated_forms_recall_and_precision(tmp_path):
    """Every 自评表 fact of the generated reports' gold is read (text and DOCX), and nothing is read that the
    gold lacks.  Floors, not exact cases: the generator may grow new phrasings."""
    import json

    from extractor import generate, read

    generate.generate(8, 5, tmp_path, pdf=False, docx_share=0.25)
    want = found = emitted = extra = 0
    for gold_path in sorted(tmp_path.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        rows = [g for g in gold["facts"] if g.get("table") and g["metric"] in TABLE_METRICS]
        keys = {_gold_key(g) for g in rows}
        for doc_path in [tmp_path / d for d in gold.get("documents", [gold["source"]]) if (tmp_path / d).exists()]:
            got = {_fact_key(f) for f in tables.extract(read(doc_path)).facts}
            want += len(keys)
            found += len(keys & got)
            emitted += len(got)
            extra += len(got - keys)
    assert want > 0
    assert found / want >= 0.95, (found, want)
    assert extra / emitted <= 0.05, (extra, emitted)


TABLE_METRICS = {"project_total", "general_budget_appropriation", "carryover_opening", "other_income", "execution_rate",
                 "weight", "score", "score_total", "indicator",
                 # the 预算执行表 (generic table: row label × stage column)
                 "expenditure_total", "basic_expenditure", "personnel_expenditure", "public_expenditure", "project_expenditure"}


def _gold_key(g):
    if g["metric"] == "indicator":
        return ("indicator", g.get("indicator_name"), g.get("target"), g.get("actual"), D(g["weight"]), D(g["score"]))
    v = g.get("value_wanyuan") or g["value"]
    return (g["metric"], g["stage"], D(v).normalize())


def _fact_key(f):
    if f.metric == "indicator":
        return ("indicator", f.indicator_name, f.target, f.actual, f.weight, f.score)
    v = f.value_wanyuan if f.value_wanyuan is not None else f.value
    return (f.metric, f.stage, v.normalize())
