"""Formulas written out in a report, parsed and evaluated exactly (Decimal intervals, no ``eval``).

Reports show their working: ``结余结转率=0.076万元/( 170.24万元+289,296.28万元)*100%=0.000026%``.
:func:`find` locates such formulas with the regex declared in ``patterns/checks.yaml``
(``formula.pattern``), :func:`parse` turns the left-hand expression into a tiny
tree (numbers, + − × ÷, brackets) and :func:`evaluate` carries every printed
number as an interval of its rounding through the arithmetic, so the stated
result is judged against everything the printed operands could have been.

``N%`` means ``N/100`` throughout, so ``x*100%=y%`` reads as ``x = y/100``; a
result written ``a/b*100=98.48%`` (``%`` on one side only) is also accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import regex

from .tolerance import Interval, decimals_of, half_unit

_TOKEN = regex.compile(
    r"\s*(?:(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>%|％|万元|亿元|元|个|人|次)?|(?P<op>[-+*/×÷－＋（）()]))"
)
_OPS = {"＋": "+", "－": "-", "×": "*", "÷": "/", "（": "(", "）": ")"}
HUNDRED = Decimal(100)


class FormulaError(ValueError):
    """The text is not an arithmetic expression this parser reads."""


@dataclass(frozen=True, slots=True)
class Num:
    value: Decimal  # as printed (before % scaling)
    text: str
    percent: bool
    exact: bool  # a constant such as the 100 in ``*100%``

    def interval(self) -> Interval:
        v = self.value / HUNDRED if self.percent else self.value
        if self.exact:
            return Interval.exact(v)
        h = half_unit(decimals_of(self.value))
        return Interval.around(v, h / HUNDRED if self.percent else h)


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str
    left: object
    right: object


def _tokens(expr: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos = 0
    expr = expr.rstrip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise FormulaError(f"unexpected {expr[pos:pos + 8]!r}")
        if m.group("num"):
            text = m.group("num")
            unit = m.group("unit") or ""
            out.append(("num", (Decimal(text.replace(",", "")), text, unit in ("%", "％"))))
        else:
            op = m.group("op")
            out.append(("op", _OPS.get(op, op)))
        pos = m.end()
    return out


def parse(expr: str):
    """The expression tree of ``expr`` (numbers with units, + − × ÷, brackets)."""
    toks = _tokens(expr)
    i = 0

    def peek():
        return toks[i] if i < len(toks) else (None, None)

    def factor():
        nonlocal i
        kind, val = peek()
        if kind == "num":
            i += 1
            value, text, pct = val
            prev_op = toks[i - 2][1] if i >= 2 and toks[i - 2][0] == "op" else None
            exact = value in (HUNDRED, Decimal(1000), Decimal(10000)) and prev_op in ("*", "/") and "." not in text
            return Num(value, text, pct, exact)
        if (kind, val) == ("op", "("):
            i += 1
            node = expr_()
            if peek() != ("op", ")"):
                raise FormulaError("unbalanced bracket")
            i += 1
            return node
        if (kind, val) == ("op", "-"):
            i += 1
            return BinOp("-", Num(Decimal(0), "0", False, True), factor())
        raise FormulaError(f"unexpected token {val!r}")

    def chain(operand, ops):
        """``operand (op operand)*`` for one precedence level, left-associative."""
        nonlocal i
        node = operand()
        while peek()[0] == "op" and peek()[1] in ops:
            op = peek()[1]
            i += 1
            node = BinOp(op, node, operand())
        return node

    def term():
        return chain(factor, ("*", "/"))

    def expr_():
        return chain(term, ("+", "-"))

    tree = expr_()
    if i != len(toks):
        raise FormulaError("trailing tokens")
    return tree


def evaluate(tree) -> Interval:
    """The interval of all values the expression can take over its operands' rounding."""
    if isinstance(tree, Num):
        return tree.interval()
    a, b = evaluate(tree.left), evaluate(tree.right)
    try:
        return {"+": a.__add__, "-": a.__sub__, "*": a.__mul__, "/": a.__truediv__}[tree.op](b)
    except ZeroDivisionError:
        raise FormulaError("division by zero") from None


def numbers(tree) -> list[Num]:
    if isinstance(tree, Num):
        return [tree]
    return numbers(tree.left) + numbers(tree.right)


@dataclass(frozen=True, slots=True)
class Formula:
    """One written formula: ``name = expr = result``, with its place in the text."""

    name: str
    expr: str
    result: str
    start: int
    end: int
    result_start: int


@dataclass(frozen=True, slots=True)
class Verdict:
    consistent: bool
    computed: Interval  # in the stated result's printed unit
    stated: Decimal  # as printed
    tolerance: Decimal
    decimals: int


def find(text: str, pattern: regex.Pattern) -> list[Formula]:
    """Every formula ``pattern`` (named groups name, expr, result) finds that parses."""
    out = []
    for m in pattern.finditer(text):
        expr = m.group("expr")
        if not any(op in expr for op in "+-*/×÷－＋"):
            continue
        try:
            parse(expr)
            _tokens(m.group("result"))
        except FormulaError:
            continue
        out.append(Formula(m.group("name") or "", expr, m.group("result"), m.start(), m.end(), m.start("result")))
    return out


def check(formula: Formula) -> Verdict:
    """Judge the stated result against the evaluated expression (both readings of ``%``)."""
    tree = parse(formula.expr)
    value = evaluate(tree)
    toks = _tokens(formula.result)
    if len(toks) != 1 or toks[0][0] != "num":
        raise FormulaError("result is not one number")
    stated, text, pct = toks[0][1]
    d = decimals_of(text.replace(",", ""))
    own = half_unit(d)
    readings = [(value.scale(HUNDRED), stated) if pct else (value, stated)]
    if pct and not any(n.percent for n in numbers(tree)):
        readings.append((value, stated))  # ``a/b*100 = 98.48%``
    for computed, s in readings:
        if computed.overlaps(Interval.around(s, own)):
            return Verdict(True, computed, s, computed.radius + own, d)
    computed, s = readings[0]
    return Verdict(False, computed, s, computed.radius + own, d)
