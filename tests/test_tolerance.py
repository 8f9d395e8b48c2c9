"""Rounding tolerance and interval arithmetic, and written formulas evaluated exactly."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from extractor import checks, formula
from extractor.model import Fact
from extractor.tolerance import Interval, decimals_of, fact_half_unit, half_unit, ratio_consistent, sum_tolerance


def fact(text: str, unit: str = "万元", decimals: int | None = None) -> Fact:
    v = D(text.replace(",", ""))
    wan = v * {"万元": D(1), "元": D("0.0001"), "亿元": D(10000)}[unit] if unit in ("万元", "元", "亿元") else None
    return Fact("d", "s", None, None, "department", "", "other", "none", v, unit, wan, "", 1, 0, 1, text, "t", 1.0, decimals=decimals)


@pytest.mark.parametrize("text,stated,expected", [
    ("293929.96", None, 2), ("0.076", None, 3), ("2364", None, 0), ("100", 2, 2), ("0.000026", None, 6), ("8.6", None, 1),
], ids=["two", "three", "integer", "stated-wins", "tiny-rate", "one"])
def test_decimals_of(text, stated, expected):
    assert decimals_of(D(text), stated) == expected


def test_half_unit_is_exact():
    assert half_unit(2) == D("0.005") and half_unit(0) == D("0.5") and half_unit(6) == D("0.0000005")


def test_sum_tolerance_is_xbrl_half_units_summed():
    """293,929.96 against 254,614.67 + 39,315.28 = 293,929.95: three figures at 2 decimals, tolerance 0.015."""
    facts = [fact("293,929.96"), fact("254,614.67"), fact("39,315.28")]
    tol = sum_tolerance(facts)
    assert tol == D("0.015")
    assert abs(D("293929.96") - (D("254614.67") + D("39315.28"))) <= tol
    assert abs(D("743.00") - D("736.38")) > sum_tolerance([fact("743.00"), fact("7.87"), fact("537.69"), fact("190.82")])


def test_precision_tracked_in_the_printed_unit():
    """215,457.6 元 carries ±0.05 元 = ±0.000005 万元."""
    assert fact_half_unit(fact("215,457.6", "元")) == D("0.000005")
    assert fact_half_unit(fact("215,457.6", "元"), wanyuan=False) == D("0.05")


def test_interval_arithmetic():
    a, b = Interval(D(1), D(2)), Interval(D(3), D(5))
    assert a + b == Interval(D(4), D(7)) and b - a == Interval(D(1), D(4))
    assert a * b == Interval(D(3), D(10)) and b / a == Interval(D("1.5"), D(5))
    with pytest.raises(ZeroDivisionError):
        a / Interval(D(-1), D(1))
    assert Interval(D(5), D(12)).cap(D(10)) == Interval(D(5), D(10))


@pytest.mark.parametrize("num,den,stated,ok", [
    ("289466.44", "293929.96", "98.48", True),  # seed: 98.4814…%
    ("215457.6", "250000.00", "86.19", False),  # real-022: 86.1830…%, a real error
    ("215457.6", "250000.00", "86.18", True),
    ("9034", "20000.00", "45.17", True),  # real-022, second table
], ids=["seed", "real-022-error", "real-022-corrected", "real-022-second"])
def test_execution_rate_by_intervals(num, den, stated, ok):
    n, d = fact(num, "元"), fact(den, "元")
    got, computed, tol = ratio_consistent(Interval.of(n), Interval.of(d), D(stated), decimals_of(D(stated)))
    assert got is ok
    assert tol > 0 and computed.lo <= computed.hi


# real-024's 三公 table, integers in 万元: 2015 vs 2016 and the printed 增减%.  Honest verdict: every
# printed rate lies inside the interval the integer operands allow, so none can be called wrong —
# even 车辆购置 (73 → 37 gives −49.32%, printed −47.95%, which is 73 → 38: the prose's figure).
REAL_024 = [
    ("合计", "2840", "2364", "-16.77"),
    ("因公出国(境)经费", "90", "12", "-86.62"),
    ("公务接待费", "1400", "1356", "-3.14"),
    ("公车购置及运行维护费", "1350", "996", "-26.24"),
    ("车辆购置", "73", "37", "-47.95"),
    ("车辆运行", "1277", "959", "-24.98"),
]


@pytest.mark.parametrize("name,prior,current,rate", REAL_024, ids=[r[0] for r in REAL_024])
def test_real_024_growth_rates_are_within_integer_rounding(name, prior, current, rate):
    p, c = Interval.of(fact(prior)), Interval.of(fact(current))
    ok, computed, _ = ratio_consistent(c - p, p, D(rate), 2)
    assert ok, (name, computed)


def test_real_024_same_rates_would_fail_at_two_decimals():
    """The verdict above is rounding, not leniency: printed as 37.00 / 73.00 the 车辆购置 rate is wrong."""
    p, c = Interval.of(fact("73.00")), Interval.of(fact("37.00"))
    ok, computed, _ = ratio_consistent(c - p, p, D("-47.95"), 2)
    assert not ok and computed.hi < D("-49.2")


# --------------------------------------------------------------------------- formulas

PATTERN = checks.load_rules().formula


@pytest.mark.parametrize("text,consistent", [
    ("结余结转率=0.076万元/( 170.24万元+289,296.28万元)*100%=0.000026%", True),
    ("预算执行率=289,466.44/293,929.96*100%=98.48%", True),
    ("预算执行率=289,466.44/293,929.96×100=98.48%", True),  # % on one side only
    ("执行率=215,457.6/250,000.00*100%=86.19%", False),
    ("结余资金=8,799.78－8,799.78=0.00", True),
    ("剩余指标=293,929.96-289,466.44=4,463.51", True),
    ("剩余指标=293,929.96-289,466.44=4,436.51", False),
], ids=["seed-carryover", "execution", "execution-no-percent", "real-022", "fullwidth-minus", "rounding-only", "wrong"])
def test_written_formula(text, consistent):
    (fm,) = formula.find(text, PATTERN)
    assert formula.check(fm).consistent is consistent


def test_formula_parser_respects_precedence_and_brackets():
    plain = formula.evaluate(formula.parse("1.000+2.000*3.000"))
    bracketed = formula.evaluate(formula.parse("(1.000+2.000)*3.000"))
    assert plain.contains(D(7)) and not plain.contains(D(9))
    assert bracketed.contains(D(9)) and not bracketed.contains(D(7))


@pytest.mark.parametrize("expr", ["1+", "(1+2", "abc", "1/0"], ids=["dangling", "bracket", "letters", "zero"])
def test_formula_errors_are_typed(expr):
    with pytest.raises(formula.FormulaError):
        formula.evaluate(formula.parse(expr))


def test_text_without_formulas():
    assert formula.find("年度总支出 289,466.44 万元，预算执行率是 98.48%。", PATTERN) == []
