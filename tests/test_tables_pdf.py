"""Ruled PDF 自评表 (drawn with reportlab): merged cells, a cell wrapped inside (可持续影响指/标),
an indicator table continued on the next page with its header repeated, and grids the reader hands
over with or without a header on the continuation page."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from extractor import cli, ingest, read, tables
from extractor.model import Cell, Table

from builders import cjk_font
from tablehelp import only as fact

BUDGET = [
    ["项目名称", "2020年省级自然资源卫片执法补助经费", "", "", "", "", ""],
    ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["年度资金总额", "7.29", "7.29", "7.29", "10.00", "100%", "10.00"],
    ["其中：当年财政拨款", "7.29", "7.29", "7.29", "", "100%", ""],
    ["上年结转资金", "", "", "", "", "", ""],
]
INDICATORS = [
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分"],
    ["产出指标", "数量指标", "卫片执法补助经费", "＝", "72890", "元", "72890", "10.00", "9.00"],
    ["", "质量指标", "项目验收合格率", "＝", "100", "%", "100", "20", "19"],
    ["", "时效指标", "项目完成及时率", "＝", "100", "%", "100", "20.00", "19.00"],
    ["效益指标", "可持续影响指\n标", "制度长效机制", "≥", "3", "项", "3", "10", "10"],
    ["", "社会效益指标", "违法行为责停率", "≥", "95", "%", "90", "20.00", "18.00"],
    ["满意度指标", "服务对象满意度指标", "满意度", "≥", "95", "%", "95", "10.00", "10.00"],
    ["总分", "", "", "", "", "", "", "100", "95.00"],
]


def build_pdf(path):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table as RLTable, TableStyle

    font = cjk_font("ttf")
    base = [("FONT", (0, 0), (-1, -1), font, 9), ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    budget = RLTable(BUDGET, style=TableStyle(base + [("SPAN", (1, 0), (-1, 0))]))
    ind = RLTable(
        INDICATORS,
        style=TableStyle(base + [("SPAN", (0, 1), (0, 3)), ("SPAN", (0, 4), (0, 5)), ("SPAN", (0, 7), (6, 7))]),
        repeatRows=1,
        colWidths=[54, 84, 80, 44, 36, 40, 50, 30, 30],
    )
    # the spacer pushes the indicator table to the foot of page 1 so its last rows go to page 2
    SimpleDocTemplate(str(path), pagesize=A4).build([budget, Spacer(1, 480), ind])
    return path


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    return build_pdf(tmp_path_factory.mktemp("pdf") / "zipingbiao.pdf")


@pytest.fixture(scope="module")
def got(pdf):
    doc = read(pdf)
    if not doc.tables:
        pytest.skip("the PDF reader found no ruled tables (pdfplumber missing?)")
    return doc, tables.extract(doc)


BUDGET_CASES = [
    ("project_total", "initial_budget", "7.29"),
    ("project_total", "adjusted_budget", "7.29"),
    ("project_total", "actual", "7.29"),
    ("general_budget_appropriation", "actual", "7.29"),
    ("weight", "none", "10.00"),
    ("score", "none", "10.00"),
]


@pytest.mark.parametrize("metric,stage,value", BUDGET_CASES, ids=[f"{m}-{s}" for m, s, _ in BUDGET_CASES])
def test_budget_rows(got, metric, stage, value):
    _, res = got
    f = fact(res, metric, stage)
    assert f.value == D(value)
    assert f.subject == "2020年省级自然资源卫片执法补助经费"
    assert f.page == 1 and f.bbox is not None and f.table_id == "t1"


def test_execution_rates_and_parent_links(got):
    _, res = got
    rates = [f.value for f in res.facts if f.metric == "execution_rate"]
    assert rates == [D("100"), D("100")]
    part = fact(res, "general_budget_appropriation", "adjusted_budget")
    total = fact(res, "project_total", "adjusted_budget")
    assert part.parent == total.fact_id


IND_CASES = [
    ("卫片执法补助经费", "产出指标", "数量指标", "=", "72890", "元", "72890", "10.00", "9.00", True, 1),
    ("项目验收合格率", "产出指标", "质量指标", "=", "100", "%", "100", "20", "19", True, 1),  # 一级指标 merged down
    ("制度长效机制", "效益指标", "可持续影响指标", "≥", "3", "项", "3", "10", "10", True, 1),  # wrapped cell joined
    ("违法行为责停率", "效益指标", "社会效益指标", "≥", "95", "%", "90", "20.00", "18.00", False, 1),
    ("满意度", "满意度指标", "服务对象满意度指标", "≥", "95", "%", "95", "10.00", "10.00", True, 2),  # page 2
]


@pytest.mark.parametrize("name,l1,l2,cmp_,target,unit,actual,weight,score,met,page", IND_CASES, ids=[c[0] for c in IND_CASES])
def test_indicator_rows(got, name, l1, l2, cmp_, target, unit, actual, weight, score, met, page):
    doc, res = got
    f = fact(res, "indicator", name=name)
    assert (f.indicator_level1, f.indicator_level2, f.comparator, f.target, f.target_unit) == (l1, l2, cmp_, target, unit)
    assert (f.actual, f.weight, f.score, f.met, f.value) == (actual, D(weight), D(score), met, D(actual))
    assert f.page == page and f.bbox is not None
    assert doc.text[f.start : f.end] == actual


def test_continued_table_is_one_table(got):
    _, res = got
    ind = [f for f in res.facts if f.metric == "indicator"]
    assert len(ind) == 6
    # budget grid and indicator grid (page 1) and the continuation (page 2) are one form for the checks
    assert {f.table_id for f in res.facts} == {"t1"}
    assert len({f.fact_id for f in res.facts}) == len(res.facts)
    assert len({(f.row, f.col) for f in res.facts}) == len(res.facts)
    total = fact(res, "score_total")
    assert total.value == D("95.00") and total.page == 2
    assert total.weight == D("100")  # the printed 分值 total
    assert not [f for f in res.facts if f.metric == "weight" and f.value == D("100")]


def test_table_checks_pass_on_a_consistent_form(got):
    """总分 = Σ 得分 (budget block + indicators), Σ 分值 = 100, 得分 ≤ 分值: nothing to flag here."""
    from extractor import pipeline

    doc, res = got
    result = pipeline.check(doc, facts=pipeline.assign_ids(list(res.facts)))
    status = {o.rule: o.status for o in result.outcomes}
    for rule in ("indicator.score_total", "indicator.weight_total", "indicator.score_over_weight", "table.execution_rate"):
        if rule in status:
            assert status[rule] != "failed", (rule, [f.message for f in result.findings])


def test_extract_cli_shows_table_rows(pdf, capsys):
    assert cli.main(["extract", str(pdf), "--format", "json", "--extended"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ind = [r for r in rows if r["metric"] == "indicator"]
    assert {r["indicator_name"] for r in ind} >= {"卫片执法补助经费", "制度长效机制", "满意度"}
    assert all(r["table_id"] and r["row"] is not None for r in ind)


# --------------------------------------------------------------------------- grids as the reader hands them over


def _grid(tid, page, rows, start, text_len):
    cells = [Cell(r, c, v, page=page, bbox=(c * 50.0, r * 20.0, c * 50.0 + 50, r * 20.0 + 20)) for r, row in enumerate(rows) for c, v in enumerate(row)]
    return Table(tid, page, rows, cells, None, "pdf", start, start + text_len)


def _doc_with(grids):
    parts = []
    for rows in grids:
        parts.append("\n".join(" ".join(c for c in row if c) for row in rows))
    text = "\n".join(parts)
    doc = ingest.from_text(text)
    pos = 0
    for i, rows in enumerate(grids):
        n = len(parts[i])
        doc.tables.append(_grid(f"t{i + 1}", i + 1, rows, pos, n))
        pos += n + 1
    return doc


HEAD = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"]


@pytest.mark.parametrize("repeat", [True, False], ids=["header-repeated", "header-missing"])
def test_page_continuation_merges(repeat):
    p1 = [HEAD, ["产出指标", "数量指标", "培训人次", "≥500人次", "620人次", "20", "20"]]
    p2 = ([HEAD] if repeat else []) + [[None, "时效指标", "完成及时率", "100%", "100%", "10", "10"]]
    doc = _doc_with([p1, p2])
    res = tables.extract(doc)
    ind = [f for f in res.facts if f.metric == "indicator"]
    assert [(f.indicator_name, f.table_id, f.page) for f in ind] == [("培训人次", "t1", 1), ("完成及时率", "t1", 2)]
    assert ind[0].comparator == "≥" and ind[0].target == "500" and ind[0].target_unit == "人次" and ind[0].met is True
    assert ind[1].indicator_level1 == "产出指标"  # merged 一级指标 carried across the page break


def test_reader_filled_merges_do_not_duplicate_values():
    """A reader that fills merged cells right (colspan) must not shift the budget figures."""
    rows = [["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", "120.00", "118.50", "110.20", "10", "93.00%", "9.30"]]
    doc = _doc_with([rows])
    doc.tables[0].cells[0] = Cell(0, 0, "项目资金（万元）", colspan=1)
    res = tables.extract(doc)
    got = {(f.metric, f.stage): f.value for f in res.facts}
    assert got[("project_total", "adjusted_budget")] == D("118.50")
    assert got[("execution_rate", "actual")] == D("93.00")
    assert got[("score", "none")] == D("9.30")


def test_cell_not_found_in_text_lowers_confidence():
    rows = [["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数"], ["年度资金总额", "50.00", "50.00", "49.00"]]
    doc = ingest.from_text("第三部分 自评表见附件")
    doc.tables.append(_grid("t1", 1, rows, 0, len(doc.text)))
    res = tables.extract(doc)
    f = next(f for f in res.facts if f.stage == "actual")
    assert f.value == D("49.00") and f.start == f.end == 0 and f.confidence < 1.0
