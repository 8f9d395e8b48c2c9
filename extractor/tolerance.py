"""Rounding tolerance from stated precisions, and interval arithmetic for ratios.

A figure printed with ``d`` decimals stands for any true value within
``±0.5·10^-d`` of it.  A sum's tolerance is the sum of the half-units of every
figure involved (XBRL Calculations 1.1); a ratio is checked by carrying each
operand as an interval through the division and asking whether the stated
rate's own interval overlaps the result.  Never a fixed epsilon.

Precision is tracked in the unit as printed (2 decimals of 元 is 0.005 元),
then scaled into the unit of comparison (万元) with the fact's own
``value_wanyuan / value`` factor.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import Fact

ZERO = Decimal(0)
HALF = Decimal("0.5")


def decimals_of(value: Decimal | str | None, stated: int | None = None) -> int:
    """The printed precision: ``stated`` when known, else the exponent of the value string."""
    if stated is not None:
        return max(int(stated), 0)
    if value is None:
        return 0
    d = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ""))
    exp = d.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def half_unit(decimals: int) -> Decimal:
    """Half a unit in the last printed place: 0.005 for 2 decimals."""
    return HALF.scaleb(-decimals)


def scale_of(fact: Fact) -> Decimal:
    """Factor from the printed unit to 万元 for amounts (1 for 万元, 0.0001 for 元); 1 otherwise."""
    if fact.value_wanyuan is not None and fact.value not in (None, ZERO):
        return fact.value_wanyuan / fact.value
    if fact.value_wanyuan is not None:
        return {"元": Decimal("0.0001"), "亿元": Decimal(10000), "千元": Decimal("0.1")}.get(fact.unit, Decimal(1))
    return Decimal(1)


def value_of(fact: Fact, wanyuan: bool = True) -> Decimal:
    """The figure in the unit of comparison: 万元 for amounts (when asked), else as printed."""
    if wanyuan and fact.value_wanyuan is not None:
        return fact.value_wanyuan
    if fact.value is None:
        raise ValueError(f"fact {fact.fact_id} has no value")
    return fact.value


def fact_half_unit(fact: Fact, wanyuan: bool = True) -> Decimal:
    """A fact's half-unit, in 万元 for amounts when ``wanyuan`` (precision as printed, then scaled)."""
    h = half_unit(decimals_of(fact.value, fact.decimals))
    return h * scale_of(fact) if wanyuan and fact.value_wanyuan is not None else h


def sum_tolerance(facts: list[Fact], wanyuan: bool = True) -> Decimal:
    """XBRL Calculations 1.1: the half-units of all the figures, summed."""
    return sum((fact_half_unit(f, wanyuan) for f in facts), ZERO)


@dataclass(frozen=True, slots=True)
class Interval:
    """Closed interval ``[lo, hi]`` of exact Decimals."""

    lo: Decimal
    hi: Decimal

    @staticmethod
    def around(value: Decimal, half: Decimal) -> Interval:
        return Interval(value - half, value + half)

    @staticmethod
    def exact(value: Decimal) -> Interval:
        return Interval(value, value)

    @staticmethod
    def of(fact: Fact, wanyuan: bool = True) -> Interval:
        return Interval.around(value_of(fact, wanyuan), fact_half_unit(fact, wanyuan))

    def __add__(self, o: Interval) -> Interval:
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: Interval) -> Interval:
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, o: Interval) -> Interval:
        p = (self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi)
        return Interval(min(p), max(p))

    def __truediv__(self, o: Interval) -> Interval:
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError("divisor interval contains zero")
        q = (self.lo / o.lo, self.lo / o.hi, self.hi / o.lo, self.hi / o.hi)
        return Interval(min(q), max(q))

    def scale(self, k: Decimal) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def cap(self, top: Decimal) -> Interval:
        """``min(x, top)`` applied to every point."""
        return Interval(min(self.lo, top), min(self.hi, top))

    def overlaps(self, o: Interval) -> bool:
        return self.lo <= o.hi and o.lo <= self.hi

    def contains(self, x: Decimal) -> bool:
        return self.lo <= x <= self.hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    @property
    def radius(self) -> Decimal:
        return (self.hi - self.lo) / 2

    def distance(self, o: Interval) -> Decimal:
        """Gap between two intervals (0 when they overlap)."""
        if self.overlaps(o):
            return ZERO
        return o.lo - self.hi if o.lo > self.hi else self.lo - o.hi


def ratio_consistent(num: Interval, den: Interval, stated: Decimal, stated_decimals: int, per: Decimal = Decimal(100)) -> tuple[bool, Interval, Decimal]:
    """Is a stated rate (in units of 1/``per``) consistent with ``num/den`` over the operands' intervals?

    Returns (consistent, computed interval in the stated unit, tolerance = computed radius + the rate's half-unit).
    """
    computed = (num / den).scale(per)
    own = half_unit(stated_decimals)
    ok = computed.overlaps(Interval.around(stated, own))
    return ok, computed, computed.radius + own
