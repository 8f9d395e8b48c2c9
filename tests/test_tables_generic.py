"""Generic tables (row label × column header): 三公 comparisons, 预算执行表, 部门整体支出绩效自评表 blocks;
and the second-wave regressions: regions claimed once, one range in one table, glued label+figures, provenance."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal as D

import pytest

from extractor import ingest, pipeline, tables
from tablehelp import only as one


def facts_of(text: str, year: int | None = None):
    doc = ingest.from_text(text, source="t.txt")
    if year is not None:
        doc.metadata.year = year
    return doc, tables.extract(doc)


# --------------------------------------------------------------------------- real-024: 三公 items × years, one cell per line with |

R024 = [
    ("three_public_reception", "actual", "公务接待费", "1356"),
    ("three_public_total", "prior_year", "合计", "2840"),
    ("three_public_total", "actual", "合计", "2364"),
    ("three_public_overseas", "prior_year", "因公出国(境)经费", "90"),
    ("three_public_vehicle", "actual", "公车购置及运行维护费 合计", "996"),
    ("three_public_vehicle_purchase", "prior_year", "车辆购置", "73"),
    ("three_public_vehicle_operation", "actual", "车辆运行", "959"),
    ("growth_rate", "change", "车辆购置", "-47.95"),
    ("growth_rate", "change", "合计", "-16.77"),
    ("growth_rate", "change", "公车购置及运行维护费 合计", "-26.24"),
]


@pytest.fixture(scope="module")
def r024(real_dev):
    doc = pipeline.read(real_dev / "real-024.txt")
    return doc, tables.extract(doc)


@pytest.mark.parametrize("metric,stage,label,value", R024, ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in R024])
def test_real024_three_public_table(r024, metric, stage, label, value):
    _, res = r024
    f = one(res, metric, stage, label)
    assert f.value == D(value)
    assert f.unit == ("%" if metric == "growth_rate" else "万元")
    assert f.subject == "department" and f.table_id == "tx1"


def test_real024_every_figure_read_once(r024, real_dev):
    doc, res = r024
    assert len(res.facts) == 18
    facts = pipeline.extract(doc)
    spans = Counter((f.start, f.end) for f in facts)
    assert all(n == 1 for n in spans.values())
    assert not [f for f in facts if f.table_id is None and any(a <= f.start < b for a, b in res.regions)]


def test_real024_row_col_provenance(r024):
    _, res = r024
    f = one(res, "three_public_reception", "actual")
    assert (f.row, f.col) == (2, 3)
    assert "公务接待费" in f.quote and "1356" in f.quote


# --------------------------------------------------------------------------- 预算执行表 (generator's department table) in three shapes

EXEC_LINES = """预算收支执行情况如下表（单位：万元）：
项目（万元）
年初预算数
调整后预算数
决算数
支出合计
1,068.02
1,569.99
1,391.79
基本支出
267.00
285.70
262.90
其中：人员经费
234.96
251.41
231.29
日常公用支出
32.04
34.28
31.60
项目支出
801.01
1,284.29
1,128.89
（四）部门预算执行情况
"""

EXEC_PIPES = """| 项目 | 年初预算数 | 调整后预算数 | 决算数 |
| 支出合计 | 1,068.02 | 1,569.99 | 1,391.79 |
| 基本支出 | 267.00 | 285.70 | 262.90 |
| 其中：人员经费 | 234.96 | 251.41 | 231.29 |
| 公用经费 | 32.04 | 34.28 | 31.60 |
| 项目支出 | 801.01 | 1,284.29 | 1,128.89 |
"""

EXEC_HTML = """<html><body><p>单位：万元</p><table>
<tr><td>项目</td><td>年初预算数</td><td>调整后预算数</td><td>决算数</td></tr>
<tr><td>支出合计</td><td>1,068.02</td><td>1,569.99</td><td>1,391.79</td></tr>
<tr><td>基本支出</td><td>267.00</td><td>285.70</td><td>262.90</td></tr>
<tr><td>其中：人员经费</td><td>234.96</td><td>251.41</td><td>231.29</td></tr>
<tr><td>日常公用经费</td><td>32.04</td><td>34.28</td><td>31.60</td></tr>
<tr><td>项目支出</td><td>801.01</td><td>1,284.29</td><td>1,128.89</td></tr>
</table></body></html>"""

EXEC_CASES = [
    ("expenditure_total", "initial_budget", "1068.02"),
    ("expenditure_total", "actual", "1391.79"),
    ("basic_expenditure", "adjusted_budget", "285.70"),
    ("personnel_expenditure", "actual", "231.29"),
    ("public_expenditure", "initial_budget", "32.04"),
    ("project_expenditure", "adjusted_budget", "1284.29"),
]


def _exec_doc(shape, tmp_path):
    if shape == "html":
        p = tmp_path / "t.html"
        p.write_text(EXEC_HTML, encoding="utf-8")
        return pipeline.read(p)
    return ingest.from_text(EXEC_LINES if shape == "lines" else EXEC_PIPES, source="t.txt")


@pytest.mark.parametrize("shape", ["lines", "pipes", "html"])
@pytest.mark.parametrize("metric,stage,value", EXEC_CASES, ids=[f"{m}-{s}" for m, s, _ in EXEC_CASES])
def test_budget_execution_table(tmp_path, shape, metric, stage, value):
    doc = _exec_doc(shape, tmp_path)
    res = tables.extract(doc)
    f = one(res, metric, stage)
    assert f.value == D(value) and f.unit == "万元" and f.value_wanyuan == D(value) and f.subject == "department"
    assert len(res.facts) == 15
    # claimed: prose does not read the same figures again
    assert not [p for p in pipeline.extract(doc) if p.table_id is None and p.value == D(value)]


# --------------------------------------------------------------------------- 部门整体支出绩效自评表: income and expenditure blocks side by side

DEPT_FORM = """部门整体支出绩效自评表（2023年度）
| 部门（单位）名称 | 某县农业农村局 | | | | | | |
| 年度部门整体支出预算执行情况（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 | |
| 年度资金总额 | 1,200.00 | 1,350.50 | 1,296.48 | 10 | 96.00% | 9.60 | |
| 按收入性质分 | 年初预算数 | 全年预算数 | 全年执行数 | 按支出性质分 | 年初预算数 | 全年预算数 | 全年执行数 |
| 其中：一般公共预算 | 1,100.00 | 1,230.50 | 1,180.00 | 其中：基本支出 | 700.00 | 720.00 | 716.20 |
| 政府性基金 | 60.00 | 80.00 | 76.48 | 项目支出 | 500.00 | 630.50 | 580.28 |
| 其他资金 | 40.00 | 40.00 | 40.00 | | | | |
"""

DEPT_CASES = [
    ("expenditure_total", "adjusted_budget", "1350.50"),
    ("general_budget_appropriation", "initial_budget", "1100.00"),
    ("general_budget_appropriation", "actual", "1180.00"),
    ("fund_budget_appropriation", "adjusted_budget", "80.00"),
    ("other_income", "actual", "40.00"),
    ("basic_expenditure", "initial_budget", "700.00"),
    ("basic_expenditure", "actual", "716.20"),
    ("project_expenditure", "adjusted_budget", "630.50"),
    ("project_expenditure", "actual", "580.28"),
    ("execution_rate", "actual", "96.00"),
]


def one_cell_per_line(text: str) -> str:
    """The same form as a grid's text layer: every non-empty cell on its own line."""
    cells = [c.strip() for line in text.splitlines() for c in (line.strip().strip("|").split("|") if "|" in line else [line])]
    return "\n".join(c for c in cells if c) + "\n"


@pytest.fixture(scope="module", params=["pipes", "lines"])
def dept_form(request):
    return facts_of(DEPT_FORM if request.param == "pipes" else one_cell_per_line(DEPT_FORM))


@pytest.mark.parametrize("metric,stage,value", DEPT_CASES, ids=[f"{m}-{s}" for m, s, _ in DEPT_CASES])
def test_department_form_blocks(dept_form, metric, stage, value):
    _, res = dept_form
    f = one(res, metric, stage)
    assert f.value == D(value)
    assert f.subject == "department"


def test_department_form_parents_and_no_false_alarm():
    """The income sources point at 年度资金总额 of their stage (and add up to it); a clean form raises no error."""
    doc, res = facts_of(DEPT_FORM)
    by_id = {f.fact_id: f for f in res.facts}
    for stage in ("initial_budget", "adjusted_budget", "actual"):
        total = one(res, "expenditure_total", stage)
        assert total.parent is None
        parts = [f for f in res.facts if f.parent == total.fact_id]
        assert {f.metric for f in parts} == {"general_budget_appropriation", "fund_budget_appropriation", "other_income"}
        assert sum(f.value for f in parts) == total.value
        assert all(by_id[f.parent].stage == stage for f in parts)
    clean = pipeline.check(ingest.from_text(DEPT_FORM, source="t.txt"))
    assert [f.rule for f in clean.findings if f.severity == "error"] == []


# --------------------------------------------------------------------------- unknown headers: nothing lost


def test_unknown_headers_yield_other_with_both_labels():
    text = "| 指标 | 甲类 | 乙类 |\n| 2022年 | 12.5 | 30 |\n| 2023年 | 14 | 31.5 |\n| 完成数 | 7 | 8 |\n"
    _, res = facts_of(text, year=2023)
    f = one(res, "other", "actual", "2023年 / 甲类")
    assert f.value == D("14")
    assert {g.label for g in res.facts if g.metric == "other" and g.value == D("8")} == {"完成数 / 乙类"}


# --------------------------------------------------------------------------- second-wave regressions (issue 5 follow-up)


def test_label_glued_to_its_figures_one_cell_per_line():
    """A one-cell-per-line 自评表 whose reader joined the row label and its figures on one line."""
    text = ("项目名称\n农村饮水安全巩固提升工程\n项目资金（万元）\n年初预算数\n全年预算数\n全年执行数\n分值\n执行率\n得分\n"
            "年度资金总额22,798.00 25,533.76 24,920.95\n10\n97.60%\n9.76\n其中：当年财政拨款177.00\n187.62\n175.05\n—\n—\n—\n")
    _, res = facts_of(text)
    assert one(res, "project_total", "initial_budget").value == D("22798.00")
    assert one(res, "general_budget_appropriation", "initial_budget").value == D("177.00")
    assert one(res, "execution_rate", "actual").value == D("97.60")


@pytest.mark.parametrize("name", ["real-014.txt", "real-015.txt", "real-020.txt", "real-022.txt", "real-024.txt"])
def test_real_dev_no_figure_twice_and_one_table_per_range(real_dev, name):
    doc = pipeline.read(real_dev / name)
    res = tables.extract(doc)
    facts = pipeline.extract(doc)
    table_facts = [f for f in facts if f.table_id]
    prose = [f for f in facts if f.table_id is None]
    for f in table_facts:  # every table figure sits in a claimed region
        assert any(a <= f.start and f.end <= b for a, b in res.regions), (f.table_id, f.label, f.value)
    assert not [p for p in prose if any(p.start < t.end and t.start < p.end for t in table_facts)]
    owners: dict[tuple[int, int], set[str]] = {}
    for f in table_facts:
        owners.setdefault((f.start, f.end), set()).add(f.table_id)
    assert all(len(v) == 1 for v in owners.values())
    regions = sorted(res.regions)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(regions, regions[1:]))


def test_real022_budget_cells_have_row_and_col(real_dev):
    doc = pipeline.read(real_dev / "real-022.txt")
    res = tables.extract(doc)
    amounts = [f for f in res.facts if f.table_id == "tx1" and f.kind == "amount"]
    assert amounts and all(f.row and f.col for f in amounts)
    total = [f for f in amounts if f.metric == "project_total"]
    assert {f.row for f in total} == {1} and sorted(f.col for f in total) == [1, 2, 3]
    rows = {f.metric: f.row for f in amounts}  # the form's printed order, not the PDF's drawing order
    assert rows == {"project_total": 1, "general_budget_appropriation": 2, "carryover_opening": 3, "other_income": 4}
    assert len({f.fact_id for f in res.facts}) == len(res.facts)


def test_no_regex_compiled_per_cell(monkeypatch):
    """tables.extract compiles nothing once a shape has been seen (patterns hoisted or cached)."""
    import regex

    doc = ingest.from_text(EXEC_LINES + DEPT_FORM, source="t.txt")
    tables.extract(doc)
    calls = []
    real = regex.compile
    monkeypatch.setattr(regex, "compile", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    tables.extract(ingest.from_text(EXEC_LINES + DEPT_FORM, source="t.txt"))
    assert calls == []


@pytest.mark.parametrize("year", [2016, None], ids=["report-year", "latest-year-row"])
def test_three_public_blank_cell_keeps_its_column(year):
    """One cell per line with |: a blank between two | holds its column; without a report year the latest year is actual."""
    cells = ["年度", "合计", "因公出国(境)经费", "公务接待费", "2015年", "100", "", "60", "2016年", "90", "10", "80",
             "2016年比2015年增减%", "-10.00", "", "33.33"]
    doc = ingest.from_text("对比情况\n" + "\n|\n".join(cells) + "\n|\n", source="t.txt")
    doc.metadata.year = year
    res = tables.extract(doc)
    assert one(res, "three_public_reception", "prior_year").value == D("60")
    assert one(res, "three_public_overseas", "actual").value == D("10")
    assert not [f for f in res.facts if f.metric == "three_public_overseas" and f.stage == "prior_year"]
    assert one(res, "growth_rate", "change", "公务接待费").value == D("33.33")
    assert len(res.facts) == 7
