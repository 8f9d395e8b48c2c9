"""The seed report (福田区企业发展服务中心 2020) end to end: what a careful auditor finds, and nothing from rounding.

Worked out by hand from the text:
* 政府采购支出决算数 743.00 ≠ 7.87 + 537.69 + 190.82 = 736.38 (error, 6.62);
* 年初结转和结余 170.24 + 本年收入 289,296.28 − 支出 287,926.21 = 1,540.31 ≠ 年末 0.076 (error);
* 公务用车购置和运行维护费 决算 7.37 > 预算 7.34 (warning);
* 政府采购 决算 743.00 against a plan of 223.40 (warning, 3.3 times);
* a target claiming 12,800.00 万元 spent on 英才荟专项, which spent 8,799.78 (error);
* rounding only, must pass: 剩余指标 4,463.51 vs 293,929.96 − 289,466.44 = 4,463.52;
  调整后预算 293,929.96 vs 254,614.67 + 39,315.28 = 293,929.95; 执行率 98.48%; 增长率 298.56%;
  the written 结余结转率 formula (0.000026%).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from extractor import cli, pipeline


@pytest.fixture(scope="module")
def result(seed_path):
    return pipeline.check(seed_path)


def by_rule(result, rule):
    return [f for f in result.findings if f.rule == rule]


def status(result, rule):
    return next(o.status for o in result.outcomes if o.rule == rule)


def test_procurement_sum(result):
    (f,) = by_rule(result, "sum.procurement")
    assert f.message == "政府采购支出决算数 743.00 万元 ≠ 货物 7.87 + 工程 537.69 + 服务 190.82 = 736.38 万元，相差 6.62 万元"
    assert f.difference == Decimal("6.62") and f.severity == "error"
    assert all(x.page >= 1 and x.quote for x in f.facts)


def test_carryover_flow(result):
    (f,) = by_rule(result, "flow.carryover")
    assert "170.24 + 289,296.28 − 287,926.21 = 1,540.31 万元" in f.message and "0.076" in f.message
    assert f.expected == Decimal("1540.31") and f.stated == Decimal("0.076")


def test_vehicle_over_budget(result):
    (f,) = by_rule(result, "discipline.three_public_over_budget")
    assert f.severity == "warning" and "7.37" in f.message and "7.34" in f.message and "0.03" in f.message


def test_claim_above_actual(result):
    (f,) = by_rule(result, "indicator.claim_above_actual")
    assert "12,800.00" in f.message and "8,799.78" in f.message and f.difference == Decimal("4000.22")


def test_procurement_far_from_plan(result):
    (f,) = by_rule(result, "discipline.procurement_deviation")
    assert "743.00" in f.message and "223.40" in f.message


@pytest.mark.parametrize("rule", [
    "sum.income_sources", "sum.expenditure", "sum.basic_expenditure", "sum.three_public", "sum.breakdown",
    "ratio.execution_rate", "ratio.growth_rate", "ratio.formula", "flow.unspent", "discipline.low_execution",
    "discipline.staff_over_authorized",
])
def test_nothing_from_rounding(result, rule):
    assert not by_rule(result, rule), [f.message for f in by_rule(result, rule)]


@pytest.mark.parametrize("rule", ["sum.expenditure", "sum.basic_expenditure", "sum.breakdown", "ratio.execution_rate", "flow.unspent", "ratio.formula"])
def test_rounding_sensitive_rules_actually_ran(result, rule):
    assert status(result, rule) == "passed"


def test_every_rule_has_an_outcome(result):
    from extractor.checks import load_rules

    expected = {lr.rule.id for lr in load_rules().rules if lr.rule.check != "external"}
    assert {o.rule for o in result.outcomes} == expected


def test_cli_json_and_explain(seed_path, capsys):
    assert cli.main(["check", str(seed_path), "--format", "json", "--explain"]) == 0
    out, err = capsys.readouterr()
    rows = json.loads(out)
    proc = next(r for r in rows if r["rule"] == "sum.procurement")
    assert proc["expected"] == "736.38" and proc["stated"] == "743.00" and proc["difference"] == "6.62"
    assert proc["facts"][0]["value"] == "743.00" and "quote" in proc["facts"][0]
    assert "sum.procurement" in err and "failed" in err


def test_cli_csv(seed_path, capsys):
    assert cli.main(["check", str(seed_path), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("doc_id,source,rule,severity,message")
    assert "sum.procurement" in out


# --------------------------------------------------------------------------- real-dev excerpts, end to end


def test_real_022_execution_rate_is_a_real_error(real_dev):
    """215,457.6 / 250,000.00 = 86.183…%; the 自评表 prints 86.19%: beyond rounding (stated ±0.005, operands ±0.00002)."""
    r = pipeline.check(real_dev / "real-022.txt")
    (f,) = by_rule(r, "table.execution_rate")
    assert f.stated == Decimal("86.19") and "86.18%" in f.message
    assert {x.severity for x in by_rule(r, "discipline.low_execution")} == {"warning"}
    assert not by_rule(r, "table.budget_score")  # 8.62 = 86.19% × 10: consistent


def test_real_024_vehicle_sum_is_rounding_consistent(real_dev):
    """公车购置及运行费995 = 38 + 958 (= 996): three integers carry 1.5 of tolerance; not an error."""
    r = pipeline.check(real_dev / "real-024.txt")
    assert not by_rule(r, "sum.three_public_vehicle")
