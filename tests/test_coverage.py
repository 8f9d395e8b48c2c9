"""Coverage counts only the rules meant for the report's kind (patterns/checks.yaml `applies_to`)."""

from extractor import check
from extractor.ingest import from_text

PROJECT = (
    "2021年度河道综合治理项目支出绩效自评报告\n"
    "项目名称：河道综合治理项目\n"
    "一、项目资金情况\n"
    "该项目年初预算数为1,074.00万元，调整后预算1,106.22万元，项目实际拨付资金1,008.87万元，执行率为91.20%。\n"
)


def _coverage(text):
    result = check(from_text(text, source="project.txt"))
    (outcome,) = [o for o in result.outcomes if o.rule == "coverage.low_coverage"]
    return result, outcome


def test_project_report_is_not_judged_on_department_rules():
    result, outcome = _coverage(PROJECT)
    assert result.document.metadata.kind == "project"
    # counted: execution rate (passed), low execution (passed), and the seven 自评表/indicator rules
    # (skipped: no table); not counted: 三公, 政府采购, staff, flows, and opportunistic rules
    assert outcome.detail == "7 of 9 rules for this kind of report skipped"


def test_report_of_unknown_kind_with_one_figure_is_low_coverage():
    result, outcome = _coverage("本年度支出1,008.87万元。\n")
    assert result.document.metadata.kind is None
    assert outcome.status == "failed"
    (finding,) = [f for f in result.findings if f.rule == "coverage.low_coverage"]
    assert finding.severity == "info"
