"""HTML and DOCX 自评表 with rowspan/colspan (built here), read through the real reader."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from builders import html_page, make_docx
from extractor import read, tables

HTML_TABLE = """
<p>附件：2021年度项目支出绩效自评表</p>
<table border="1">
<tr><td colspan="11">2021年度项目支出绩效自评表</td></tr>
<tr><td>项目名称</td><td colspan="10">51000021R000000012345-农村公路养护补助资金</td></tr>
<tr><td>主管部门</td><td colspan="4">某某县交通运输局</td><td>实施单位</td><td colspan="5">某某县公路事业发展中心</td></tr>
<tr><td rowspan="5">项目资金（万元）</td><td colspan="2"></td><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td><td>分值</td><td>执行率</td><td>得分</td><td colspan="2"></td></tr>
<tr><td colspan="2">年度资金总额</td><td>1,250.00</td><td>1,180.00</td><td>1,121.00</td><td>10</td><td>95.00%</td><td>9.5</td><td colspan="2"></td></tr>
<tr><td colspan="2">其中：当年财政拨款</td><td>1,000.00</td><td>980.00</td><td>921.00</td><td>—</td><td>93.98%</td><td>—</td><td colspan="2"></td></tr>
<tr><td colspan="2">上年结转资金</td><td>250.00</td><td>200.00</td><td>200.00</td><td>—</td><td>100.00%</td><td>—</td><td colspan="2"></td></tr>
<tr><td colspan="2">其他资金</td><td></td><td></td><td></td><td>—</td><td></td><td>—</td><td colspan="2"></td></tr>
<tr><td rowspan="2">一级指标</td><td rowspan="2">二级指标</td><td rowspan="2">三级指标</td><td colspan="3">年度指标值</td><td rowspan="2">实际完成值</td><td rowspan="2">分值</td><td rowspan="2">得分</td><td colspan="2" rowspan="2">偏差原因分析及改进措施</td></tr>
<tr><td>指标性质</td><td>指标值</td><td>度量单位</td></tr>
<tr><td rowspan="3">产出指标</td><td>数量指标</td><td>养护里程</td><td>≥</td><td>320</td><td>公里</td><td>326</td><td>20</td><td>20</td><td colspan="2"></td></tr>
<tr><td>质量指标</td><td>优良路率</td><td>≥</td><td>80</td><td>%</td><td>76</td><td>20</td><td>20</td><td colspan="2">雨季水毁较多，下年度加强预防性养护</td></tr>
<tr><td>时效指标</td><td>养护完成及时性</td><td>﹦</td><td>及时</td><td></td><td>及时</td><td>10</td><td>10</td><td colspan="2"></td></tr>
<tr><td>效益指标</td><td>社会效益指标</td><td>群众出行条件</td><td></td><td>效果明显</td><td></td><td>效果明显</td><td>20</td><td>18</td><td colspan="2"></td></tr>
<tr><td>满意度指标</td><td>服务对象满意度指标</td><td>沿线群众满意度</td><td>≥</td><td>90</td><td>%</td><td>93</td><td>20</td><td>19</td><td colspan="2"></td></tr>
<tr><td colspan="7">总分</td><td>100</td><td>96.5</td><td colspan="2"></td></tr>
</table>
"""

BUDGET = [
    ("project_total", "initial_budget", "1250.00"),
    ("project_total", "adjusted_budget", "1180.00"),
    ("project_total", "actual", "1121.00"),
    ("general_budget_appropriation", "adjusted_budget", "980.00"),
    ("carryover_opening", "actual", "200.00"),
    ("weight", "none", "10"),
    ("score", "none", "9.5"),
]

INDICATORS = [
    ("养护里程", "产出指标", "数量指标", "≥", "320", "公里", "326", "20", "20", True),
    ("优良路率", "产出指标", "质量指标", "≥", "80", "%", "76", "20", "20", False),
    ("养护完成及时性", "产出指标", "时效指标", "=", "及时", None, "及时", "10", "10", True),
    ("群众出行条件", "效益指标", "社会效益指标", None, "效果明显", None, "效果明显", "20", "18", True),
    ("沿线群众满意度", "满意度指标", "服务对象满意度指标", "≥", "90", "%", "93", "20", "19", True),
]


@pytest.fixture(scope="module")
def html_result(tmp_path_factory):
    p = tmp_path_factory.mktemp("html") / "zipingbiao.html"
    p.write_text(html_page(HTML_TABLE), encoding="utf-8")
    doc = read(p)
    return doc, tables.extract(doc)


@pytest.mark.parametrize("metric,stage,value", BUDGET, ids=[f"{m}-{s}" for m, s, _ in BUDGET])
def test_html_budget(html_result, metric, stage, value):
    _, res = html_result
    got = [f for f in res.facts if (f.metric, f.stage) == (metric, stage)]
    assert [f.value for f in got] == [D(value)]
    assert got[0].subject == "农村公路养护补助资金"
    if got[0].kind == "amount":
        assert got[0].unit == "万元" and got[0].value_wanyuan == D(value)


@pytest.mark.parametrize("name,l1,l2,cmp_,target,unit,actual,weight,score,met", INDICATORS, ids=[c[0] for c in INDICATORS])
def test_html_indicators(html_result, name, l1, l2, cmp_, target, unit, actual, weight, score, met):
    _, res = html_result
    f = next(f for f in res.facts if f.metric == "indicator" and f.indicator_name == name)
    assert (f.indicator_level1, f.indicator_level2, f.comparator, f.target, f.target_unit) == (l1, l2, cmp_, target, unit)
    assert (f.actual, f.weight, f.score, f.met) == (actual, D(weight), D(score), met)
    assert f.table_id == "t1" and f.row is not None and f.col is not None


def test_html_deviation_reason_and_total(html_result):
    doc, res = html_result
    f = next(f for f in res.facts if f.indicator_name == "优良路率")
    assert f.deviation_reason == "雨季水毁较多，下年度加强预防性养护"
    st = next(f for f in res.facts if f.metric == "score_total")
    assert st.value == D("96.5")
    assert doc.text[st.start : st.end] == "96.5"


def test_html_regions_claim_the_rendered_rows(html_result):
    doc, res = html_result
    assert res.regions
    a, b = res.regions[0]
    assert "年度资金总额" in doc.text[a:b] and "沿线群众满意度" in doc.text[a:b]
    # the rendered `a | b | c` text of the same grid is not read a second time
    assert len([f for f in res.facts if f.metric == "project_total" and f.stage == "actual"]) == 1


DOCX_ROWS = [
    ["项目名称", "社区居家养老服务补贴", "<<", "<<", "<<", "<<", "<<"],
    ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["年度资金总额", "86.40", "86.40", "80.35", "10", "93.00%", "9.3"],
    ["其中：本年财政拨款", "86.40", "86.40", "80.35", "", "93.00%", ""],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "数量指标", "服务老人人次", "≥3000人次", "3260人次", "30", "30"],
    ["^^", "时效指标", "补贴发放及时率", "100%", "100%", "20", "20"],
    ["满意度指标", "服务对象满意度指标", "老人满意度", "≥90%", "96%", "30", "30"],
    ["总分", "<<", "<<", "<<", "<<", "100", "89.3"],
]


@pytest.fixture(scope="module")
def docx_result(tmp_path_factory):
    pytest.importorskip("docx")
    p = tmp_path_factory.mktemp("docx") / "zipingbiao.docx"
    make_docx(p, ["附件：项目支出绩效自评表", DOCX_ROWS])
    doc = read(p)
    return doc, tables.extract(doc)


def test_docx_budget_and_indicators(docx_result):
    _, res = docx_result
    got = {(f.metric, f.stage): f.value for f in res.facts if f.metric != "indicator" and "score_total" not in f.rule}
    assert got[("project_total", "actual")] == D("80.35")
    assert got[("general_budget_appropriation", "initial_budget")] == D("86.40")
    assert got[("execution_rate", "actual")] == D("93.00")
    assert got[("score", "none")] == D("9.3")
    ind = {f.indicator_name: f for f in res.facts if f.metric == "indicator"}
    assert set(ind) == {"服务老人人次", "补贴发放及时率", "老人满意度"}
    a = ind["服务老人人次"]
    assert (a.comparator, a.target, a.target_unit, a.actual, a.actual_unit, a.met) == ("≥", "3000", "人次", "3260", "人次", True)
    assert ind["补贴发放及时率"].indicator_level1 == "产出指标"  # vertically merged cell
    assert {f.subject for f in res.facts} == {"社区居家养老服务补贴"}
    assert next(f for f in res.facts if f.metric == "score_total").value == D("89.3")
