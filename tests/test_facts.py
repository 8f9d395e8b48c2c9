"""Prose facts: labels, stages, parents, subjects and indicators on the family of phrasings reports use."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor import facts, ingest
from extractor.model import FACT_COLUMNS, Page


def run(text: str, **kw):
    return facts.extract(ingest.from_text(text), **kw)


def triples(out, *, subject=False):
    if subject:
        return [(f.metric, f.stage, format(f.value, "f"), f.subject) for f in out]
    return [(f.metric, f.stage, format(f.value, "f")) for f in out]


# (id, text, expected (metric, stage, value) in order)
CASES = [
    ("bracket-parts-take-their-own-labels",
     "年初基本支出预算数 1,724.92 万元(人员经费预算数 1,526.86 万元，日常公用经费预算数 198.06 万元)。",
     [("basic_expenditure", "initial_budget", "1724.92"), ("personnel_expenditure", "initial_budget", "1526.86"),
      ("public_expenditure", "initial_budget", "198.06")]),
    ("qizhong-keeps-adjusted-stage",
     "调整后收入预算数 300.00 万元，其中一般公共预算财政拨款收入 280.00 万元，政府性基金预算财政拨款收入 20.00 万元。",
     [("income_total", "adjusted_budget", "300.00"), ("general_budget_appropriation", "adjusted_budget", "280.00"),
      ("fund_budget_appropriation", "adjusted_budget", "20.00")]),
    ("quanniian-and-tiaozhengshu-are-adjusted",
     "基本支出全年预算数 300.00 万元；项目支出预算调整数 80.00 万元。",
     [("basic_expenditure", "adjusted_budget", "300.00"), ("project_expenditure", "adjusted_budget", "80.00")]),
    ("actual-synonyms",
     "项目支出执行数 270.00 万元；基本支出实际支出 1,200.50 万元；公用经费支出数 33.00 万元；项目资金已拨付 88.00 万元。",
     [("project_expenditure", "actual", "270.00"), ("basic_expenditure", "actual", "1200.50"),
      ("public_expenditure", "actual", "33.00"), ("project_total", "actual", "88.00")]),
    ("initial-synonyms",
     "人员经费年初批复 500.00 万元；项目支出批复预算 60.00 万元。",
     [("personnel_expenditure", "initial_budget", "500.00"), ("project_expenditure", "initial_budget", "60.00")]),
    ("three-public-synonyms-and-parens",
     "“三公”经费决算数 23.50 万元，其中因公出国(境)费 0.00 万元，公车购置及运行费 12.00 万元（其中公务用车运行维护费 8.00 万元），公务接待费 11.50 万元。",
     [("three_public_total", "actual", "23.50"), ("three_public_overseas", "actual", "0.00"),
      ("three_public_vehicle", "actual", "12.00"), ("three_public_vehicle_operation", "actual", "8.00"),
      ("three_public_reception", "actual", "11.50")]),
    ("fullwidth-overseas",
     "因公出国（境）经费预算数 3.00 万元。",
     [("three_public_overseas", "initial_budget", "3.00")]),
    ("jun-wei-gives-two-facts",
     "“三公”经费支出决算数 5.00 万元，其中因公出国（境）费用和公务接待费决算数均为 0.00 万元。",
     [("three_public_total", "actual", "5.00"), ("three_public_overseas", "actual", "0.00"),
      ("three_public_reception", "actual", "0.00")]),
    ("change-and-growth",
     "年初部门收入预算 5,000.00 万元，比上年增加 1,200.00 万元，增长率为 31.58%。",
     [("income_total", "initial_budget", "5000.00"), ("income_total", "change", "1200.00"), ("growth_rate", "change", "31.58")]),
    ("prior-year",
     "上年决算数 2,840.00 万元。",
     [("other", "prior_year", "2840.00")]),
    ("remaining-quota",
     "调整后部门预算指标 500.00 万元，年度总支出 495.80 万元，剩余指标 4.20 万元，预算执行率为 99.16%。",
     [("expenditure_total", "adjusted_budget", "500.00"), ("expenditure_total", "actual", "495.80"),
      ("unspent_budget", "actual", "4.20"), ("execution_rate", "actual", "99.16")]),
    ("flow-closes",
     "年初结转和结余 10.00 万元，本年收入 200.00 万元，支出 190.00 万元，年末结转和结余 20.00 万元。",
     [("carryover_opening", "actual", "10.00"), ("income_total", "actual", "200.00"),
      ("expenditure_total", "actual", "190.00"), ("balance_closing", "actual", "20.00")]),
    ("rates",
     "结余结转率为 2.1%；固定资产利用率为 98%；事项办结率 100%；工程完成率 80%。",
     [("carryover_rate", "actual", "2.1"), ("fixed_asset_utilization", "actual", "98"),
      ("completion_rate", "actual", "100"), ("completion_rate", "actual", "80")]),
    ("staff",
     "核定编制数 30 人，实有人员 28 人，离退休人员 5 人，编外聘用人员 3 人。",
     [("staff_authorized", "none", "30"), ("staff_actual", "none", "28"), ("staff_retired", "none", "5"),
      ("staff_contract", "none", "3")]),
    ("procurement",
     "政府采购预算 100.00 万元，其中货物类采购 40.00 万元；政府采购实际支出 96.00 万元，其中授予中小企业合同金额 50.00 万元。",
     [("procurement_total", "initial_budget", "100.00"), ("procurement_goods", "initial_budget", "40.00"),
      ("procurement_total", "actual", "96.00"), ("procurement_sme", "actual", "50.00")]),
    ("assets",
     "资产总额为 4,451.72 万元，其中固定资产原值 1,000.00 万元；本年新增固定资产 106.53 万元。",
     [("assets_total", "actual", "4451.72"), ("fixed_assets_total", "actual", "1000.00"),
      ("fixed_assets_added", "actual", "106.53")]),
    ("project-money-and-execution",
     "项目资金共 2179 万元，已完成拨付 2113.63 万元，执行率 97%。",
     [("project_total", "none", "2179"), ("project_total", "actual", "2113.63"), ("execution_rate", "actual", "97")]),
    ("fenbie-wei-pairs-labels-and-figures",
     "公务接待费、因公出国（境）费用决算数分别为 2.00 万元和 0.50 万元。",
     [("three_public_reception", "actual", "2.00"), ("three_public_overseas", "actual", "0.50")]),
    ("formula-head-labels-the-result",
     "结余结转率=5.00万元/(10.00万元+200.00万元)*100%=2.38%。",
     [("other", "none", "5.00"), ("other", "none", "10.00"), ("other", "none", "200.00"), ("other", "none", "100"),
      ("carryover_rate", "actual", "2.38")]),
]


@pytest.mark.parametrize("text, expected", [pytest.param(t, e, id=i) for i, t, e in CASES])
def test_labels_and_stages(text, expected):
    assert triples(run(text)) == expected


def test_brackets_and_qizhong_record_parents():
    out = run("年初基本支出预算数 1,724.92 万元(人员经费预算数 1,526.86 万元，日常公用经费预算数 198.06 万元)，"
              "项目支出决算数 90.00 万元，其中基本建设类项目 30.00 万元。")
    total, p1, p2, proj, cap = out
    assert p1.parent == total.fact_id and p2.parent == total.fact_id
    assert proj.parent is None and cap.parent == proj.fact_id
    assert [f.fact_id for f in out] == ["p0001", "p0002", "p0003", "p0004", "p0005"]


def test_qizhong_after_a_full_stop_still_points_back():
    out = run("项目金额 46.00 万元。其中: 城市道路养护经费 46.00 万元。")
    assert out[1].parent == out[0].fact_id
    assert (out[1].metric, out[1].subject) == ("project_total", "城市道路养护经费")


def test_unknown_label_is_kept_as_other_with_its_label():
    (f,) = run("发放宣传折页 5,000 份。")
    assert f.metric == "other" and "宣传折页" in f.label and f.value == Decimal("5000")


def test_spending_category_names_the_sentence():
    out = run("二是学前教育支出，即幼儿园补助资金、教师培训资金合计 3624.71 万元，已于本年度支出 3624.71 万元，预算完成率 100%。")
    assert triples(out, subject=True) == [
        ("project_total", "none", "3624.71", "学前教育支出"),
        ("project_total", "actual", "3624.71", "学前教育支出"),
        ("execution_rate", "actual", "100", "学前教育支出"),
    ]


def test_project_scope_runs_until_the_section_ends():
    text = ("一、部门履职情况\n现就“乡村道路改造”项目进行绩效分析：该项目年初预算数为 500.00 万元，年度总支出 480.00 万元，结余资金为 20.00 万元。\n"
            "二、其他情况\n基本支出决算数 100.00 万元。\n")
    out = run(text)
    assert triples(out, subject=True) == [
        ("project_total", "initial_budget", "500.00", "乡村道路改造"),
        ("project_total", "actual", "480.00", "乡村道路改造"),
        ("unspent_budget", "actual", "20.00", "乡村道路改造"),
        ("basic_expenditure", "actual", "100.00", "department"),
    ]


def test_prose_indicators():
    text = ("（一）产出指标\n1.质量目标：年初预计培训学员 200 人，年底均达标完成目标。\n"
            "2.数量目标：年底补助资金支出达到 500.00 万元。\n3.满意度：群众满意度达 95%。\n")
    ind = [f for f in run(text) if f.metric == "indicator"]
    got = [(f.indicator_level1, f.indicator_level2, f.indicator_name, f.target, f.actual, f.met) for f in ind]
    assert got == [
        ("产出指标", "质量目标", "培训学员", "200", "200", True),
        ("产出指标", "数量目标", "补助资金支出", None, "500.00", True),
        ("产出指标", None, "群众满意度", None, "95", None),
    ]


def test_indicator_missed_is_met_false():
    ind = [f for f in run("（一）产出指标\n数量指标：计划完成道路维修 30 公里，实际完成 25 公里，未完成目标。\n") if f.metric == "indicator"]
    assert [(f.target, f.actual, f.met) for f in ind] == [("30", None, False), (None, "25", False)]


def test_skip_leaves_table_regions_to_the_table_reader():
    text = "基本支出决算数 100.00 万元。项目支出决算数 50.00 万元。"
    doc = ingest.from_text(text)
    cut = text.index("项目")
    out = facts.extract(doc, skip=[(cut, len(doc.text))])
    assert triples(out) == [("basic_expenditure", "actual", "100.00")]


def test_every_column_is_filled():
    doc = ingest.from_text("一、预算执行情况\n调整后基本支出预算数 1,624.92 万元。\n")
    (f,) = facts.extract(doc)
    row = f.as_row()
    assert tuple(row) == FACT_COLUMNS
    assert f.doc_id == doc.doc_id and f.source == doc.source and f.page == 1
    assert f.label == "调整后基本支出预算数" and f.rule == "metric.basic_expenditure"
    assert f.section.endswith("预算执行情况") and "1,624.92" in f.quote
    assert doc.text[f.start:f.end].startswith("1,624.92") and f.value_wanyuan == Decimal("1624.92")
    assert (f.kind, f.decimals, f.source_kind) == ("amount", 2, "text") and 0 < f.confidence <= 1


def test_ocr_pages_lower_confidence():
    doc = ingest.from_pages([Page(1, "基本支出决算数 100.00 万元。", "ocr")], source="scan.png")
    (f,) = facts.extract(doc)
    (g,) = run("基本支出决算数 100.00 万元。")
    assert f.source_kind == "ocr" and f.confidence < g.confidence


def test_amounts_in_yuan_convert_to_wanyuan():
    (f,) = run("公务接待费决算数 25,000.00 元。")
    assert (f.metric, f.unit, f.value, f.value_wanyuan) == ("three_public_reception", "元", Decimal("25000.00"), Decimal("2.5"))


def test_jieba_keeps_metric_terms_whole():
    from extractor import nlp

    words = [w for w, _ in nlp.words("一般公共预算财政拨款收入和公务用车购置和运行维护费")]
    assert "一般公共预算财政拨款" in words or "一般公共预算财政拨款收入" in words
    assert "公务用车购置和运行维护费" in words


def test_spacy_view_marks_terms_and_quantities():
    pytest.importorskip("spacy")
    from extractor import nlp

    doc = ingest.from_text("公务用车购置和运行维护费决算数 7.37 万元。")
    out = facts.extract(doc)
    sdoc = nlp.annotate(doc, 0, len(doc.text), out)
    labels = {(e.label_, e._.metric) for e in sdoc.ents}
    assert ("QUANTITY", "three_public_vehicle") in labels and ("METRIC", None) in labels
    assert sdoc._.doc_id == doc.doc_id
    q = next(e for e in sdoc.ents if e.label_ == "QUANTITY")
    assert doc.text[q._.doc_start:q._.doc_end].startswith("7.37")


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_cli_extract_formats(tmp_path, capsys, fmt):
    import json

    from extractor import cli

    path = tmp_path / "r.txt"
    path.write_text("一、预算执行情况\n调整后基本支出预算数 1,624.92 万元，基本支出决算数 1,540.23 万元。\n", encoding="utf-8")
    assert cli.main(["extract", str(path), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        rows = json.loads(out)
        assert [tuple(r) for r in rows] == [FACT_COLUMNS] * 2
        assert all(v is None or isinstance(v, str) for r in rows for v in r.values())
        assert [(r["metric"], r["stage"], r["value"]) for r in rows] == [
            ("basic_expenditure", "adjusted_budget", "1624.92"), ("basic_expenditure", "actual", "1540.23")]
    elif fmt == "csv":
        assert out.splitlines()[0] == ",".join(FACT_COLUMNS) and "1624.92" in out
    else:
        assert "basic_expenditure" in out


def test_cli_extract_parquet_and_bad_input(tmp_path, capsys):
    import pandas as pd

    from extractor import cli

    path = tmp_path / "r.txt"
    path.write_text("公务接待费决算数 2.00 万元。\n", encoding="utf-8")
    assert cli.main(["extract", str(path), "--format", "parquet", "-o", str(tmp_path / "f.parquet")]) == 0
    frame = pd.read_parquet(tmp_path / "f.parquet")
    assert list(frame.columns) == list(FACT_COLUMNS) and frame["value"].tolist() == ["2.00"]
    assert cli.main(["extract", str(tmp_path / "missing.txt")]) == 3
    assert "[E100]" in capsys.readouterr().err


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ALPHABET = list("0123456789,.%（）()，。；：:、其中年初调整后预算决算数万元支出收入基本项目三公经费“”\n 人个达到完成均为比上年增加=/*+")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_any_text_gives_facts_without_raising(text):
    doc = ingest.from_text(text)
    out = facts.extract(doc)
    ids = [f.fact_id for f in out]
    assert len(ids) == len(set(ids))
    for f in out:
        assert 0 <= f.start < f.end <= len(doc.text)
        assert f.parent is None or f.parent in ids
        assert f.stage in ("initial_budget", "adjusted_budget", "actual", "prior_year", "change", "none")


# --------------------------------------------------------------------------- second wave: defects from end-to-end runs

WAVE2 = [
    ("change-after-breakdown-takes-the-head-total",
     "年初收入预算 500.00 万元（一般公共预算财政拨款 400.00 万元，其他收入 100.00 万元），比上年增加 79.92 万元。",
     [("income_total", "initial_budget", "500.00"), ("general_budget_appropriation", "initial_budget", "400.00"),
      ("other_income", "initial_budget", "100.00"), ("income_total", "change", "79.92")]),
    ("change-after-qizhong-list-takes-the-head-total",
     "部门整体支出决算数 900.00 万元，其中基本支出 600.00 万元，项目支出 300.00 万元，比上年减少 20.50 万元。",
     [("expenditure_total", "actual", "900.00"), ("basic_expenditure", "actual", "600.00"),
      ("project_expenditure", "actual", "300.00"), ("expenditure_total", "change", "20.50")]),
    ("change-after-semicolon-parts-takes-their-total",
     "本年收入合计 500.00 万元。其中：财政拨款收入 400.00 万元；其他收入 100.00 万元；比上年增加 79.92 万元。",
     [("income_total", "actual", "500.00"), ("general_budget_appropriation", "actual", "400.00"),
      ("other_income", "actual", "100.00"), ("income_total", "change", "79.92")]),
    ("bi-shangnian-de-is-prior-year",
     "年初预算收入合计 500.00 万元，比上年的 420.01 万元增加了 79.99 万元。",
     [("income_total", "initial_budget", "500.00"), ("income_total", "prior_year", "420.01"), ("income_total", "change", "79.99")]),
    ("bi-shangniandu-is-prior-year",
     "本年支出 800.00 万元，较上年度的 760.00 万元增加 40.00 万元。",
     [("expenditure_total", "actual", "800.00"), ("expenditure_total", "prior_year", "760.00"), ("expenditure_total", "change", "40.00")]),
    ("bi-year-de-is-prior-year",
     "2020 年收入决算 800.00 万元，比 2019 年的 700.00 万元增加 100.00 万元。",
     [("income_total", "actual", "800.00"), ("income_total", "prior_year", "700.00"), ("income_total", "change", "100.00")]),
    ("tiaozheng-yusuan-is-adjusted",
     "部门整体支出年初预算 13,000.00 万元，调整预算 14,395.38 万元。",
     [("expenditure_total", "initial_budget", "13000.00"), ("expenditure_total", "adjusted_budget", "14395.38")]),
    ("yusuan-tiaozhengwei-is-adjusted",
     "项目支出年初预算 100.00 万元，预算调整为 120.00 万元。",
     [("project_expenditure", "initial_budget", "100.00"), ("project_expenditure", "adjusted_budget", "120.00")]),
    ("three-public-bracket-parts-inherit-budget",
     "2020 年“三公”经费支出预算数 9.34 万元（因公出国（境）费 0.00 万元、公务用车购置及运行维护费 7.34 万元、公务接待费 2.00 万元）。",
     [("three_public_total", "initial_budget", "9.34"), ("three_public_overseas", "initial_budget", "0.00"),
      ("three_public_vehicle", "initial_budget", "7.34"), ("three_public_reception", "initial_budget", "2.00")]),
    ("three-public-bracket-parts-inherit-actual",
     "“三公”经费决算支出 8.10 万元（因公出国（境）费 0.00 万元、公务用车购置及运行维护费 6.10 万元、公务接待费 2.00 万元）。",
     [("three_public_total", "actual", "8.10"), ("three_public_overseas", "actual", "0.00"),
      ("three_public_vehicle", "actual", "6.10"), ("three_public_reception", "actual", "2.00")]),
    ("unspent-is-actual",
     "全年调整后预算 140.09 万元，实际支出 128.07 万元，结余资金 12.02 万元。",
     [("expenditure_total", "adjusted_budget", "140.09"), ("expenditure_total", "actual", "128.07"), ("unspent_budget", "actual", "12.02")]),
    ("sme-procurement",
     "政府采购实际支出 300.00 万元，其中货物类采购 100.00 万元，服务类采购 200.00 万元，面向中小企业采购金额 250.00 万元。",
     [("procurement_total", "actual", "300.00"), ("procurement_goods", "actual", "100.00"),
      ("procurement_services", "actual", "200.00"), ("procurement_sme", "actual", "250.00")]),
]


@pytest.mark.parametrize("text, expected", [pytest.param(t, e, id=i) for i, t, e in WAVE2])
def test_wave2_labels_and_stages(text, expected):
    assert triples(run(text)) == expected


def test_sme_amount_is_not_a_part_of_the_procurement_total():
    out = run("政府采购支出 300.00 万元，其中货物类采购 100.00 万元，服务类采购 200.00 万元，授予中小企业合同金额 250.00 万元。")
    by = {f.metric: f for f in out}
    assert by["procurement_goods"].parent == by["procurement_total"].fact_id
    assert by["procurement_sme"].parent is None


def test_last_item_of_a_wrapped_qizhong_list_is_kept():
    text = ("年初基本支出预算数 1,724.92 万元，其\n中人员经费预算数 1,526.86 万元，日\n常公用经费预算数\n198.06 万元。")
    assert triples(run(text)) == [("basic_expenditure", "initial_budget", "1724.92"),
                                  ("personnel_expenditure", "initial_budget", "1526.86"),
                                  ("public_expenditure", "initial_budget", "198.06")]


def test_gai_xiangmu_sentence_takes_the_current_project():
    text = ("三、项目绩效情况\n现就“英才荟专项”项目进行绩效分析：\n项目年初预算 100.00 万元。\n"
            "该项目预算执行率为 95.00%。本项目实际支出 95.00 万元。")
    out = run(text)
    rate = next(f for f in out if f.metric == "execution_rate")
    assert rate.subject == "英才荟专项"
    assert all(f.subject == "英才荟专项" for f in out if f.kind == "amount")


def test_gai_xiangmu_after_a_named_project_sentence():
    text = "“乡村道路养护工程”项目资金 200.00 万元。该项目预算执行率为 90.00%。"
    rate = next(f for f in run(text) if f.metric == "execution_rate")
    assert rate.subject == "乡村道路养护工程"


def test_count_with_wan_scale_is_the_full_count():
    """A count is a count: 319 万只 is 3,190,000 只, the quote keeps 319 万只."""
    f = next(f for f in run("全年共发放宣传资料 319 万只。") if f.unit == "只")
    assert f.value == Decimal("3190000") and "319 万只" in f.quote


CELL_TABLE = "预算收支执行情况如下表（单位：万元）：\n项目（万元）\n年初预算数\n调整后预算数\n决算数\n支出合计\n900.00\n950.00\n940.50\n基本支出\n600.00\n610.00\n605.00\n其中：人员经费\n500.00\n505.00\n503.00\n项目支出\n300.00\n340.00\n335.50\n"
PIPE_CELLS = "2016年决算数与2015年决算数对比情况\n年度\n|\n合计\n|\n因公出国(境)经费\n|\n公务接待费\n|\n公车购置及运行维护费\n|\n合计\n|\n车辆购置\n|\n车辆运行\n|\n2015年\n|\n100\n|\n10\n|\n40\n|\n50\n|\n20\n|\n30\n|\n2016年比2015年增减%\n|\n-1.5\n|\n-2.5\n|\n-3.5\n|\n-4.5\n|\n-5.5\n|\n-6.5\n|"


def test_one_cell_per_line_table_row_label_times_column_header():
    out = run(CELL_TABLE)
    got = [(f.metric, f.stage, format(f.value, "f"), f.unit) for f in out]
    assert got[:3] == [("expenditure_total", "initial_budget", "900.00", "万元"), ("expenditure_total", "adjusted_budget", "950.00", "万元"),
                       ("expenditure_total", "actual", "940.50", "万元")]
    assert ("personnel_expenditure", "actual", "503.00", "万元") in got
    assert ("project_expenditure", "adjusted_budget", "340.00", "万元") in got
    assert all(f.confidence < 0.8 and f.parent is None for f in out)


def test_pipe_cell_table_folds_a_group_header_and_reads_years():
    doc = ingest.from_text("2016年“三公”经费决算说明\n" + PIPE_CELLS)
    doc.metadata.year = 2016
    got = [(f.metric, f.stage, format(f.value, "f")) for f in facts.extract(doc)]
    assert got[:6] == [("three_public_total", "prior_year", "100"), ("three_public_overseas", "prior_year", "10"),
                       ("three_public_reception", "prior_year", "40"), ("three_public_vehicle", "prior_year", "50"),
                       ("three_public_vehicle_purchase", "prior_year", "20"), ("three_public_vehicle_operation", "prior_year", "30")]
    assert got[6:] == [("growth_rate", "change", v) for v in ("-1.5", "-2.5", "-3.5", "-4.5", "-5.5", "-6.5")]


def test_cell_table_never_borrows_a_label_from_another_row():
    out = run(CELL_TABLE + "其他支出\n")  # a trailing label with no value: the last values stay with 项目支出
    last = [f for f in out if format(f.value, "f") == "335.50"]
    assert [(f.metric, f.stage) for f in last] == [("project_expenditure", "actual")] and "其他" not in last[0].label


def test_a_year_split_by_a_stray_space_is_no_quantity():
    out = run("为加强预算绩效管理，我单位对2 018年度支出开展绩效自评，共实施 3 个项目。")
    assert [(f.value, f.unit) for f in out] == [(Decimal("3"), "个")]


def test_last_years_figure_named_by_its_year():
    doc = ingest.from_text("2020 年项目支出决算数 800.00 万元；2019 年项目支出决算数 700.00 万元；2019 年结转资金 5.00 万元。")
    doc.metadata.year = 2020
    assert triples(facts.extract(doc)) == [("project_expenditure", "actual", "800.00"), ("project_expenditure", "prior_year", "700.00"),
                                           ("carryover_opening", "actual", "5.00")]


# --------------------------------------------------------------------------- wrap defects (wave 3)

_PROJECT = "三、项目绩效情况\n现就“河道综合治理项目”项目进行绩效分析：\n"


@pytest.mark.parametrize(
    "text",
    ["该项目年初预算数为1,500.00万元，其中清淤疏浚 \n\n1372.80 万元、护岸加固127.20万元。",
     "该项目年初预算数为1,500.00万元，其中清淤疏浚 1372.80 万元、护岸加固127.20万元。"],
    ids=["wrapped-after-a-space", "one-line"],
)
def test_qizhong_parts_keep_their_whole_labels_across_a_wrap(text):
    total, a, b = run(text)
    assert (a.metric, a.stage, a.label, a.parent, a.value) == ("other", "initial_budget", "清淤疏浚", total.fact_id, Decimal("1372.80"))
    assert (b.metric, b.stage, b.label, b.parent) == ("other", "initial_budget", "护岸加固", total.fact_id)


@pytest.mark.parametrize(
    "line",
    ["项目实际拨付资金 3268.65 万元，调整后预算 \n\n3737.48 万元，执行率为 87.46%。", "该项目调整后预算 \n\n3737.48 万元。"],
    ids=["after-another-figure", "bare-label-line"],
)
def test_adjusted_budget_cut_from_its_figure_by_a_wrap(line):
    f = next(f for f in run(_PROJECT + line) if f.value == Decimal("3737.48"))
    assert (f.metric, f.stage, f.subject) == ("project_total", "adjusted_budget", "河道综合治理项目")


@pytest.mark.parametrize(
    "text, total_metric, part_label",
    [("固定资产总额 3,000.00 万元，其中在用固定资产1,200.00万元。", "fixed_assets_total", "在用固定资产"),
     ("年末资产总额 5,000.00 万元，其中流动资产 2,000.00 万元。", "assets_total", "流动资产"),
     ("本年项目支出 800.00 万元，其中基建项目支出 300.00 万元。", "project_expenditure", "基建项目支出")],
    ids=["fixed-assets-in-use", "current-assets", "capital-projects"],
)
def test_a_part_named_like_its_total_is_not_the_total(text, total_metric, part_label):
    total, part = run(text)
    assert total.metric == total_metric
    assert (part.metric, part.label, part.parent) == ("other", part_label, total.fact_id)


def test_a_year_cut_by_a_wrap_is_no_quantity():
    lines = ["为加强预算绩效管理，提高财政资金使用效益，根据有关规定，我", "单位组织开展了项目支出绩效自评工作，现将有关情况报告如下。",
             "本项目主要用于辖区河道的日常维护管理和整治提升，保障防洪", "安全和水环境质量持续改善，各项工作按计划推进完成情况良好。",
             "为加强预算绩效管理，提高财政资金使用效益，我单位对202", "2年度支出开展绩效自评，共实施 3 个项目，执行率＝执行数÷预算数×10",
             "0%，项目执行率为 95.00%。"]
    out = run("\n\n".join(lines) + "\n")
    assert [(f.value, f.unit) for f in out if f.kind != "rate"] == [(Decimal("3"), "个")]
    assert [f.value for f in out if f.kind == "rate"] == [Decimal("100"), Decimal("95.00")]  # the formula's ×100% is whole


@pytest.mark.parametrize("text, value, stage, label", [
    ("项目支出决算1,300.92万元，占38.25%。", "38.25", "actual", "占比重"),
    ("授予中小企业合同金额420.00万元，占政府采购支出总额的74.95%。", "74.95", "actual", "占政府采购支出总额比重"),
    ("调整后预算安排基本支出800.00万元，占部门支出的比例为40%。", "40", "adjusted_budget", "占部门支出比重"),
], ids=["bare-share", "share-of-named-total", "share-of-adjusted"])
def test_a_share_carries_the_stage_of_the_amount_it_is_a_share_of(text, value, stage, label):
    share = next(f for f in run(text) if f.kind == "rate")
    assert (format(share.value, "f"), share.stage) == (value, stage)
    if label is not None:
        assert (share.metric, share.rule, share.label) == ("other", "share.of", label)


def test_share_cue_examples_match():
    from extractor import labels as L

    r = L.rules()
    assert all(r.share.search(e) for e in r.spec.share.examples)


@pytest.mark.parametrize("text, expected", [
    ("项目支出调整后预算1,450.00万元，部门实际支出3,401.22万元。",
     [("project_expenditure", "adjusted_budget", "1450.00"), ("expenditure_total", "actual", "3401.22")]),
    ("共实施项目8个，金额500.00万元。", [("project_count", "none", "8"), ("other", "none", "500.00")]),
    ("群众满意度达到95%以上。", [("satisfaction_rate", "actual", "95")]),
], ids=["bumen-keeps-the-total", "count-label-names-no-amount", "bound-after-a-reach-verb-is-actual"])
def test_clause_carry_stops_where_the_words_say_otherwise(text, expected):
    assert [t for t in triples(run(text)) if t[0] != "indicator"] == expected
