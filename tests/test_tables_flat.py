"""自评表 flattened to text, in every style seen in real submissions, plus the block unit, the
unit_mismatch finding, the run-together figure splitter and strict loading of patterns/tables.yaml."""

from __future__ import annotations

import shutil
from array import array
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import ingest, pipeline, tablescramble, tables
from extractor.errors import PatternError
from extractor.model import Document, Page
from extractor.tables import Tok
from extractor.tablevocab import build, norm, parse_cell


def raw_doc(text: str) -> Document:
    """A Document whose text is exactly ``text`` (no reader normalization): the table reader must cope alone."""
    return Document("d" * 8, "t.txt", "t.txt", "text", text, array("i", [1] * len(text)), array("i", range(len(text))), [Page(1, text)])


def by(res, metric, stage=None, label=None):
    return [f for f in res.facts if f.metric == metric and (stage is None or f.stage == stage) and (label is None or f.label.startswith(label))]


# --------------------------------------------------------------------------- rows joined by |, Traditional conversion noise

PIPE_TRAD = """| 2020年度項(xiàng)目支出績效自評表 | ||||||||||
| 項(xiàng)目名稱 |
城鄉(xiāng)供水保障補助資金 |
|||||||||
|
項(xiàng)目資金 (萬元) |
年初預(yù)算數(shù) | 全年預(yù)算數(shù) | 全年執(zhí)行數(shù) | 分值 | 執(zhí)行率 | 得分 | ||||
| 年度資金總額 | 52.00 | 48.60 | 45.20 | 10.00 | 93.00% | 9.30 | ||||
| 其中:當(dāng)年財政撥款 | 52.00 | 48.60 | 45.20 | 93.00% | ||||||
| 上年結(jié)轉(zhuǎn)資金 | ||||||||||
| 績效指標(biāo) | 年度指標(biāo)值 | 實際完成值 | 分值 | 得分 | 偏差原因分析及改進(jìn)措施 | |||||
|
一級 指標(biāo) |
二級指標(biāo) | 三級指標(biāo) | 指標(biāo)性質(zhì) | 指標(biāo)值 | 度量單位 | |||||
| 產(chǎn)出指標(biāo) | 數(shù)量指標(biāo) | 新建供水管網(wǎng) | ≥ | 12 | 公里 | 12.5 | 20.00 | 20.00 | ||
| 質(zhì)量指標(biāo) | 工程驗收合格率 | ﹦ | 100 | % | 100 | 20 | 20 | |||
| 效益指標(biāo) | 社會效益指標(biāo) | 受益人口 | ≥ | 8000 | 人 | 7600 | 30.00 | 27.00 | 部分村組管網(wǎng)未完工 ||
| 總分 | 100 | 96.30 ||||||||
"""


@pytest.fixture(scope="module", params=["raw", "reader"])
def pipe_res(request):
    doc = raw_doc(PIPE_TRAD) if request.param == "raw" else ingest.from_text(PIPE_TRAD)
    return doc, tables.extract(doc)


PIPE_BUDGET = [
    ("project_total", "initial_budget", "52.00"),
    ("project_total", "adjusted_budget", "48.60"),
    ("project_total", "actual", "45.20"),
    ("weight", "none", "10.00"),
    ("score", "none", "9.30"),
    ("general_budget_appropriation", "actual", "45.20"),
]


@pytest.mark.parametrize("metric,stage,value", PIPE_BUDGET, ids=[f"{m}-{s}" for m, s, _ in PIPE_BUDGET])
def test_pipe_rows_traditional_budget(pipe_res, metric, stage, value):
    doc, res = pipe_res
    got = by(res, metric, stage)
    assert [f.value for f in got] == [D(value)]
    assert got[0].subject == "城乡供水保障补助资金"
    if got[0].kind == "amount":
        assert got[0].unit == "万元"


def test_pipe_rows_execution_rate_anchors_a_short_row(pipe_res):
    """`| 其中 | 52.00 | 48.60 | 45.20 | 93.00% |` has no 分值 cell: the % still lands on 执行率."""
    _, res = pipe_res
    rates = {f.label: f.value for f in by(res, "execution_rate")}
    assert rates == {"年度资金总额 执行率": D("93.00"), "其中:当年财政拨款 执行率": D("93.00")}


PIPE_IND = [
    ("新建供水管网", "产出指标", "数量指标", "≥", "12", "公里", "12.5", "20.00", "20.00", True, None),
    ("工程验收合格率", "产出指标", "质量指标", "=", "100", "%", "100", "20", "20", True, None),
    ("受益人口", "效益指标", "社会效益指标", "≥", "8000", "人", "7600", "30.00", "27.00", False, "部分村组管网未完工"),
]


@pytest.mark.parametrize("name,l1,l2,cmp_,target,unit,actual,weight,score,met,reason", PIPE_IND, ids=[c[0] for c in PIPE_IND])
def test_pipe_rows_traditional_indicators(pipe_res, name, l1, l2, cmp_, target, unit, actual, weight, score, met, reason):
    doc, res = pipe_res
    f = next(f for f in by(res, "indicator") if f.indicator_name == name)
    assert (f.indicator_level1, f.indicator_level2, f.comparator, f.target, f.target_unit) == (l1, l2, cmp_, target, unit)
    assert (f.actual, f.weight, f.score, f.met, f.value) == (actual, D(weight), D(score), met, D(actual))
    if reason:
        assert norm(f.deviation_reason) == reason  # as printed; compared after normalization


def test_pipe_rows_quote_keeps_the_text_as_printed(pipe_res):
    doc, res = pipe_res
    f = by(res, "project_total", "actual")[0]
    assert doc.text[f.start : f.end] == "45.20"
    assert "45.20" in f.quote and f.quote in doc.text
    total = by(res, "score_total")[0]
    assert (total.value, total.weight) == (D("96.30"), D("100"))


# --------------------------------------------------------------------------- one cell per line

ONE_PER_LINE = "\n".join(
    c + " |"
    for c in [
        "部门预算项目支出绩效自评表(2023年度)", "项目名称", "51000021R000000033333-网格化服务管理经费", "主管部门", "某某县委政法委",
        "预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因",
        "总额", "60.00", "72.50", "68.88", "95.01%", "10", "9.50", "",
        "其中:财政资金", "60.00", "72.50", "68.88", "95.01%", "/", "/",
        "其他资金", "", "", "", "", "/", "/",
        "绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析",
        "产出指标", "数量指标", "网格员培训人次", "≥", "200", "人次", "236", "30", "30", "",
        "时效指标", "经费拨付及时率", "=", "100", "%", "100", "20", "20", "",
        "满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%", "92", "40", "40", "",
        "合计", "100", "99.50", "",
    ]
)


def test_one_cell_per_line():
    doc = raw_doc(ONE_PER_LINE)
    res = tables.extract(doc)
    got = {(f.metric, f.stage, f.label): f.value for f in res.facts if f.metric != "indicator"}
    assert got[("project_total", "adjusted_budget", "总额")] == D("72.50")
    assert got[("project_total", "actual", "总额")] == D("68.88")
    assert got[("execution_rate", "actual", "总额 执行率")] == D("95.01")
    assert got[("score", "none", "总额 得分")] == D("9.50")
    assert got[("general_budget_appropriation", "initial_budget", "其中:财政资金")] == D("60.00")
    assert got[("score_total", "none", "合计")] == D("99.50")
    ind = {f.indicator_name: f for f in res.facts if f.metric == "indicator"}
    assert set(ind) == {"网格员培训人次", "经费拨付及时率", "群众满意度"}
    t = ind["经费拨付及时率"]  # its 一级指标 cell was merged away: row starts at 二级指标
    assert (t.indicator_level1, t.indicator_level2, t.target, t.actual, t.weight, t.score, t.met) == (
        "产出指标", "时效指标", "100", "100", D("20"), D("20"), True)
    assert {f.subject for f in res.facts} == {"网格化服务管理经费"}
    assert all(doc.text[f.start : f.end].strip() for f in res.facts)


# --------------------------------------------------------------------------- a label line, then "| cell" lines

LABEL_LINES = """绩效
       指标
        | 一级指标
        | 二级指标
        | 三级指标
        | 指标值
        | 实际完成值
        | 分值
        | 得分
项目产出
        | 数量指标
        | 宣传次数
        | 至少全年完成2次宣传
        | 3次
        | 20
        | 20
质量指标
        | 活动覆盖率
        | ≥90%
        | 95%
        | 20
        | 20
项目效益
        | 社会效益
       指标
        | 提升消费者维权意识
        | 不断提升
        | 达成预期指标
        | 30
        | 28
"""


@pytest.mark.parametrize("indent", [True, False], ids=["indented", "reflowed"])
def test_label_line_then_cells(indent):
    text = LABEL_LINES if indent else "\n".join(line.strip() for line in LABEL_LINES.splitlines())
    res = tables.extract(raw_doc(text))
    ind = {f.indicator_name: f for f in res.facts if f.metric == "indicator"}
    assert set(ind) == {"宣传次数", "活动覆盖率", "提升消费者维权意识"}
    a = ind["宣传次数"]
    assert (a.indicator_level1, a.comparator, a.target, a.actual, a.actual_unit, a.met) == ("项目产出", "≥", "全年完成2次宣传", "3", "次", None)
    b = ind["活动覆盖率"]
    assert (b.indicator_level1, b.comparator, b.target, b.target_unit, b.actual, b.met, b.weight) == ("项目产出", "≥", "90", "%", "95", True, D("20"))
    c = ind["提升消费者维权意识"]
    assert (c.indicator_level2, c.target, c.actual, c.met, c.score) == ("社会效益指标", "不断提升", "达成预期指标", True, D("28"))


# --------------------------------------------------------------------------- no separators, scrambled, figures run together

SCRAMBLED = (
    "财政项目支出绩效自评表 (2023 年度) 项目名称 城市道路大中修工程 主管部门 某某区建设管理委员会 "
    "年初预算数 全年预算数 全年执行数 分值 执行率 得分 145000000.00145000000.00145000000.0010100.0%10 "
    "其中:当年财政拨款 145000000.00 145000000.00 145000000.00 — 上年结转资金 0 0 — 年度资金总额 项目资金 (元) "
    "一级指标 二级指标 三级指标 年度 指标值 实际 完成值 分值 得分 ≥12公里 12.6公里 30 30 =100% 100% 30 30 ≥90% 93% 30 30 100 100 "
    "产出指标 数量指标 维修道路长度 质量指标 验收合格 率 满意度指标 服务对象满意度指标 市民满意度 总分"
)


@pytest.fixture(scope="module")
def scrambled():
    doc = raw_doc(SCRAMBLED)
    return doc, tables.extract(doc)


def test_scrambled_run_together_total_row(scrambled):
    _, res = scrambled
    got = {(f.metric, f.stage): f.value for f in res.facts if f.label.startswith("年度资金总额")}
    assert got == {
        ("project_total", "initial_budget"): D("145000000.00"),
        ("project_total", "adjusted_budget"): D("145000000.00"),
        ("project_total", "actual"): D("145000000.00"),
        ("weight", "none"): D("10"),
        ("execution_rate", "actual"): D("100.0"),
        ("score", "none"): D("10"),
    }
    rate = by(res, "execution_rate")[0]
    assert rate.decimals == 1 and rate.confidence < 1


def test_scrambled_labelled_rows_and_subject(scrambled):
    _, res = scrambled
    assert {f.subject for f in res.facts} == {"城市道路大中修工程"}
    part = by(res, "general_budget_appropriation", "actual")[0]
    assert part.value == D("145000000.00") and part.unit == "元" and part.value_wanyuan == D("14500")
    carry = by(res, "carryover_opening")
    assert [f.value for f in carry] == [D("0"), D("0")]
    assert all(f.confidence < 0.75 for f in carry)  # two figures for three amount columns: a guess, said so


def test_scrambled_indicators(scrambled):
    _, res = scrambled
    ind = [f for f in res.facts if f.metric == "indicator"]
    assert [(f.indicator_name, f.indicator_level2, f.comparator, f.target, f.target_unit, f.actual, f.weight, f.score, f.met) for f in ind] == [
        ("维修道路长度", "数量指标", "≥", "12", "公里", "12.6", D("30"), D("30"), True),
        ("验收合格率", "质量指标", "=", "100", "%", "100", D("30"), D("30"), True),
        ("市民满意度", "服务对象满意度指标", "≥", "90", "%", "93", D("30"), D("30"), True),
    ]
    total = by(res, "score_total")[0]
    assert (total.value, total.weight) == (D("100"), D("100"))


def test_split_run_candidates():
    tok = Tok("145000000.00145000000.00145000000.0010100.0%10", 0, 47)
    cands = [[t.raw for t in c] for c in tablescramble.split_run(tok)]
    assert ["145000000.00", "145000000.00", "145000000.00", "10", "100.0%", "10"] in cands
    assert len(cands) > 1  # ambiguous by precision alone: the block arithmetic decides


# --------------------------------------------------------------------------- block unit and unit_mismatch


def _budget_text(unit_cue: str, total: str, part: str) -> str:
    return (
        f"| 项目名称 | 社区文化活动经费 |\n| {unit_cue} | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
        f"| 年度资金总额 | {total} | {total} | {part} | 10 | 86.18% | 8.62 |\n"
    )


def test_yuan_sized_amounts_under_wanyuan_header_raise_unit_mismatch():
    doc = raw_doc(_budget_text("项目资金（万元）", "250000.00", "215457.60"))
    res = tables.extract(doc)
    total = by(res, "project_total", "actual")[0]
    assert total.unit == "万元" and total.value == D("215457.60")  # the stated unit is kept
    [finding] = res.findings
    assert (finding.rule, finding.severity) == ("table.unit_mismatch", "warning")
    assert "250000.00" in finding.message and "万元" in finding.message
    assert finding.facts and finding.facts[0].metric == "project_total"


@pytest.mark.parametrize("cue,unit", [("项目资金（万元）", "万元"), ("单位：万元", "万元"), ("项目资金（元）", "元"), ("項目資金 (萬元)", "万元")],
                         ids=["paren-wanyuan", "danwei-wanyuan", "paren-yuan", "traditional"])
def test_block_unit_applies_to_cells(cue, unit):
    res = tables.extract(raw_doc(_budget_text(cue, "25000.00", "21545.76")))
    total = by(res, "project_total", "actual")[0]
    assert total.unit == unit
    assert total.value_wanyuan == (D("21545.76") if unit == "万元" else D("2.154576"))
    assert not res.findings


def test_wanyuan_sized_amounts_under_yuan_header():
    res = tables.extract(raw_doc(_budget_text("项目资金（元）", "7.29", "7.29")))
    assert [f.rule for f in res.findings] == ["table.unit_mismatch"]
    assert "7.29" in res.findings[0].message


# --------------------------------------------------------------------------- pipeline and prose


def test_pipeline_prose_skips_table_regions():
    text = "一、项目概况\n本项目年初预算 52.00 万元。\n" + PIPE_TRAD
    doc = ingest.from_text(text)
    facts = pipeline.extract(doc)
    res = tables.extract(doc)
    table_facts = [f for f in facts if f.table_id]
    assert len(table_facts) == len(res.facts)
    for f in facts:
        if not f.table_id:
            assert not any(a <= f.start < b for a, b in res.regions), f
    by_id = {f.fact_id: f for f in facts}
    part = next(f for f in table_facts if f.metric == "general_budget_appropriation" and f.stage == "actual")
    assert by_id[part.parent].metric == "project_total"  # parent survives the renumbering


# --------------------------------------------------------------------------- cells and patterns


CELLS = [("215,457.6", "215457.6", None, None), ("100.00%", "100.00", "%", None), (">=90%", "90", "%", "≥"),
         ("≥100百分比", "100", "%", "≥"), ("﹦100", "100", None, "="), ("≥50个", "50", "个", "≥"), ("72890元", "72890", "元", None),
         # cells quantities.parse declines, read by tablevocab's own exact fallback (signed counts, 年/月/日 counts)
         ("+3", "3", None, None), ("-2个", "-2", "个", None), ("5年", "5", "年", None), ("0.5月", "0.5", "月", None)]


@pytest.mark.parametrize("cell,value,unit,cmp_", CELLS, ids=[c[0] for c in CELLS])
def test_parse_cell(cell, value, unit, cmp_):
    n = parse_cell(cell)
    assert (n.value, str(n.value), n.unit, n.comparator) == (D(value), value, unit, cmp_)


@pytest.mark.parametrize("cell", ["—", "/", "", "及时", "1-12月"], ids=["dash", "slash", "empty", "qualitative", "range"])
def test_parse_cell_none(cell):
    assert parse_cell(cell) is None


@pytest.fixture
def patterns_copy(tmp_path):
    from extractor.patterns import patterns_dir

    shutil.copy(patterns_dir() / "tables.yaml", tmp_path / "tables.yaml")
    return tmp_path / "tables.yaml"


def test_tables_yaml_rejects_unknown_field(patterns_copy):
    text = patterns_copy.read_text(encoding="utf-8").replace("{id: col.score, field: score,", "{id: col.score, field: score, colour: red,", 1)
    patterns_copy.write_text(text, encoding="utf-8")
    with pytest.raises(PatternError, match=r"tables\.yaml.*col\.score"):
        build(patterns_copy.parent)


def test_tables_yaml_rejects_duplicate_id(patterns_copy):
    text = patterns_copy.read_text(encoding="utf-8").replace("{id: col.rate,", "{id: col.weight,", 1)
    patterns_copy.write_text(text, encoding="utf-8")
    with pytest.raises(PatternError, match=r"tables\.yaml.*col\.weight.*duplicate"):
        build(patterns_copy.parent)


def test_tables_yaml_rejects_unknown_field_name(patterns_copy):
    text = patterns_copy.read_text(encoding="utf-8").replace("field: rate,", "field: ratio,", 1)
    patterns_copy.write_text(text, encoding="utf-8")
    with pytest.raises(PatternError, match=r"col\.rate.*ratio"):
        build(patterns_copy.parent)


# --------------------------------------------------------------------------- grid text layers: "a | b" rows, one cell per line

ROWS_NO_LEAD = """四、附表：项目支出绩效自评表
项目名称 | 义务教育学校营养改善计划
主管部门 | 某某县教育局 | 实施单位 | 某某县教育局
项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
年度资金总额 | 827.00 | 810.46 | 759.40 | 10 | 93.70% | 9.37
其中：当年财政拨款 | 695.61 | 681.70 | 638.75 | — | — | —
其他资金 | 131.39 | 128.76 | 120.65 | — | — | —
一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 实际完成值 | 分值 | 得分 | 偏差原因
产出指标 | 数量指标 | 培训人次 | 定量 | ≥346 | 人次 | 346 | 15 | 15 | —
质量指标 | 验收合格率 | 正向 | ≥85 | % | 76.2 | 10 | 8.96 | 受天气等客观因素影响，施工进度滞后
总分 | 100 | 98.33 |
"""


def _glued(text: str) -> str:
    """What a reflowing reader can make of it: some line breaks lost."""
    return text.replace("\n其他资金", "其他资金").replace("\n质量指标", "质量指标").replace("\n总分", "总分")


@pytest.mark.parametrize("text", [ROWS_NO_LEAD, _glued(ROWS_NO_LEAD), "\n".join(c.strip() for line in ROWS_NO_LEAD.splitlines() for c in line.split("|"))],
                         ids=["a|b-rows", "rows-glued-by-reflow", "one-cell-per-line-no-separator"])
def test_grid_text_layers(text):
    res = tables.extract(raw_doc(text))
    got = {(f.metric, f.stage, f.label.split(" ")[0]): f.value for f in res.facts if f.metric != "indicator"}
    assert got[("project_total", "adjusted_budget", "年度资金总额")] == D("810.46")
    assert got[("execution_rate", "actual", "年度资金总额")] == D("93.70")
    assert got[("other_income", "actual", "其他资金")] == D("120.65")
    assert got[("score_total", "none", "总分")] == D("98.33")
    ind = {f.indicator_name: f for f in res.facts if f.metric == "indicator"}
    q = ind["验收合格率"]
    assert (q.indicator_level1, q.indicator_level2, q.comparator, q.target, q.target_unit, q.actual, q.weight, q.score, q.met) == (
        "产出指标", "质量指标", "≥", "85", "%", "76.2", D("10"), D("8.96"), False)
    assert q.deviation_reason == "受天气等客观因素影响，施工进度滞后"
    assert ind["培训人次"].met is True and ind["培训人次"].actual_unit == "人次"
    assert {f.subject for f in res.facts} == {"义务教育学校营养改善计划"}


SHAPES = {"pipe-rows": PIPE_TRAD, "one-cell-per-line": ONE_PER_LINE, "label-lines": LABEL_LINES, "scrambled": SCRAMBLED, "a|b-rows": ROWS_NO_LEAD}


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_extract_cli_on_each_text_shape(shape, tmp_path, capsys):
    import json

    from extractor import cli

    p = tmp_path / f"{shape}.txt"
    p.write_text(SHAPES[shape], encoding="utf-8")
    assert cli.main(["extract", str(p), "--format", "json", "--extended"]) == 0
    rows = [r for r in json.loads(capsys.readouterr().out) if r["table_id"]]
    assert any(r["metric"] == "indicator" and r["target"] and r["weight"] for r in rows), shape
    for r in rows:
        assert r["row"] is not None and r["start"] is not None and int(r["end"]) >= int(r["start"]) and r["quote"]


def test_parts_listed_before_their_total_still_point_at_it():
    text = (
        "| 项目名称 | 老旧小区改造补助 |\n| 资金来源（万元） | 年初预算数 | 调整后预算数 | 实际执行数 |\n"
        "| 财政拨款 | 300.00 | 320.00 | 318.40 |\n| 单位资金 | 20.00 | 20.00 | 19.10 |\n| 合计 | 320.00 | 340.00 | 337.50 |\n"
    )
    res = tables.extract(raw_doc(text))
    by_id = {f.fact_id: f for f in res.facts}
    parts = [f for f in res.facts if f.metric in ("general_budget_appropriation", "other_income")]
    assert len(parts) == 6
    for f in parts:
        assert by_id[f.parent].metric == "project_total" and by_id[f.parent].stage == f.stage


def test_an_amount_in_an_indicator_cell_is_not_the_block_unit():
    """No unit stated for the block: a cost target `10万元` must not set it (the default is used, said by confidence)."""
    text = (
        "| 项目名称 | 消费维权宣传 |\n| 项目资金 | 年初预算数 | 全年预算数 | 全年执行数 |\n| 年度资金总额 | 10.00 | 10.00 | 9.80 |\n"
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 | 实际完成值 |\n| 产出指标 | 成本指标 | 宣传经费 | ≤10万元 | 9.8万元 |\n"
    )
    res = tables.extract(raw_doc(text))
    total = by(res, "project_total", "actual")[0]
    assert total.unit == "万元" and total.confidence < 0.95
    cost = by(res, "indicator")[0]
    assert (cost.comparator, cost.target, cost.target_unit, cost.actual, cost.actual_unit, cost.met) == ("≤", "10", "万元", "9.8", "万元", True)


# --------------------------------------------------------------------------- hostile and odd input

_PIECES = ["|", " | ", "\n", "||||", "年度资金总额", "其中：当年财政拨款", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
           "一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "总分", "项目名称", "（万元）", "—", "≥", "﹦",
           "250000.00", "215,457.6", "86.19%", "10", "8.62", "100", "145000000.0010100.0%10", "及时", "率", " "]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=80))
def test_never_raises_on_table_debris(pieces):
    doc = raw_doc("".join(pieces))
    res = tables.extract(doc)
    for f in res.facts:
        assert 0 <= f.start <= f.end <= len(doc.text)
        assert f.value is None or f.value == f.value  # a Decimal, never NaN
    assert len({f.fact_id for f in res.facts}) == len(res.facts)
    assert not [w for w in doc.warnings if "E199" in w]  # the guard did not have to catch anything


# --------------------------------------------------------------------------- header synonyms (one case per wording)

HEADERS = [
    ("template-letters", "年初预算数 | 全年预算数（A） | 全年执行数（B） | 分值 | 执行率（B/A） | 得分"),
    ("sichuan", "年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分"),
    ("annual-as-initial", "年度预算数 | 调整预算数 | 实际执行数 | 分值 | 执行率 | 得分"),
]


@pytest.mark.parametrize("header", [h for _, h in HEADERS], ids=[i for i, _ in HEADERS])
def test_budget_header_synonyms(header):
    cols = [c.strip() for c in header.split("|")]
    values = {"年初预算数": "80.00", "全年预算数（A）": "90.00", "全年执行数（B）": "81.00", "分值": "10", "执行率（B/A）": "90.00%", "得分": "9.00"}
    canon = ["年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"]
    kinds = {"年初": 0, "年度预算": 0, "全年预算": 1, "调整": 1, "执行数": 2, "分值": 3, "权重": 3, "执行率": 4, "得分": 5}
    row = []
    for c in cols:
        k = next(v for key, v in kinds.items() if key in c)
        row.append(values[canon[k]])
    text = f"| 项目名称 | 城乡环卫保洁经费 |\n| 项目资金（万元） | {header} |\n| 年度资金总额 | {' | '.join(row)} |\n"
    res = tables.extract(raw_doc(text))
    got = {(f.metric, f.stage): f.value for f in res.facts}
    assert got == {
        ("project_total", "initial_budget"): D("80.00"), ("project_total", "adjusted_budget"): D("90.00"),
        ("project_total", "actual"): D("81.00"), ("weight", "none"): D("10"), ("execution_rate", "actual"): D("90.00"),
        ("score", "none"): D("9.00"),
    }


MET = [
    ("成本指标", "单位成本", "", "120", "元", "112", True),  # no comparator: a cost is met at or under target
    ("成本指标", "单位成本", "", "120", "元", "131", False),
    ("数量指标", "培训人次", "", "500", "人次", "480", False),
    ("数量指标", "培训人次", "≤", "500", "人次", "480", True),
    ("时效指标", "完成时限", "", "及时", "", "未按时完成", False),
    ("效益指标", "带动作用", "", "效果明显", "", "效果明显", True),
    ("效益指标", "带动作用", "", "达成预期指标", "", "部分达成", None),
]


@pytest.mark.parametrize("l2,name,cmp_,target,unit,actual,met", MET, ids=[f"{c[1]}-{c[5]}" for c in MET])
def test_met(l2, name, cmp_, target, unit, actual, met):
    text = ("| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 实际完成值 | 分值 | 得分 |\n"
            f"| 产出指标 | {l2} | {name} | {cmp_} | {target} | {unit} | {actual} | 10 | 10 |\n")
    [f] = [f for f in tables.extract(raw_doc(text)).facts if f.metric == "indicator"]
    assert f.met is met


def test_prose_before_a_form_opens_no_second_table():
    """Prose that says 年初预算数 … must not open a scrambled table over a form read already."""
    prose = "一、部门基本情况\n本单位年初收入预算数为 191,658.20万元，全年预算数有所调整，执行数见附表。\n"
    cells = "\n".join(c.strip() for line in ROWS_NO_LEAD.splitlines() for c in line.split("|"))
    res = tables.extract(raw_doc(prose + cells))
    keys = [(f.metric, f.stage, f.label, f.indicator_name) for f in res.facts]
    assert len(keys) == len(set(keys))
    assert len(res.regions) == 1 and res.regions[0][0] >= len(prose)


def test_budget_equal_to_a_yuan_indicator_under_wanyuan_is_a_mismatch():
    """real-020's pair read wrong: budget 72890.00 under 万元 while the cost indicator says 72890 元."""
    text = (
        "| 项目名称 | 卫片执法补助经费 |\n| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 |\n"
        "| 年度资金总额 | 72890.00 | 72890.00 | 72890.00 |\n"
        "| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 实际完成值 |\n"
        "| 产出指标 | 数量指标 | 卫片执法补助经费 | ﹦ | 72890 | 元 | 72890 |\n"
    )
    res = tables.extract(raw_doc(text))
    assert [x.rule for x in res.findings] == ["table.unit_mismatch"]
    assert "72890.00" in res.findings[0].message and res.findings[0].severity == "warning"
    assert by(res, "project_total", "actual")[0].unit == "万元"
