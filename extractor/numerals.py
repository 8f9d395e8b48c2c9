"""Chinese and mixed numerals to exact Decimals: ``五千万`` ``一百二十`` ``3.5亿`` ``1.2万`` ``两千`` ``九十八点四八``.

cn2an does the grammar of Chinese integers (units 十百千万亿, 零, 两); its
decimal path goes through ``float``, so we only ever ask it for integer
parts (it returns ``int`` there, exact at any size) and spell the digits
after 点 ourselves.  Mixed forms (``3.5亿``) multiply the Arabic string's
Decimal by the scale, never a float.
"""

from __future__ import annotations

import re
from decimal import Decimal

import cn2an

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "兩": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
          "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
SCALES = {"千": Decimal(1000), "万": Decimal(10_000), "萬": Decimal(10_000), "亿": Decimal(100_000_000), "億": Decimal(100_000_000),
          "百万": Decimal(1_000_000), "千万": Decimal(10_000_000), "万亿": Decimal(10) ** 12}
# cn2an reads simplified lower-case numerals; fold the financial/traditional forms first.
_FOLD = str.maketrans({"壹": "一", "贰": "二", "兩": "两", "叁": "三", "肆": "四", "伍": "五", "陆": "六", "陸": "六", "柒": "七",
                       "捌": "八", "玖": "九", "拾": "十", "佰": "百", "仟": "千", "萬": "万", "億": "亿", "〇": "零", "○": "零"})
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")


class NumeralError(ValueError):
    """The string is not a numeral this module can read exactly."""


def is_chinese_numeral(s: str) -> bool:
    return bool(s) and all(c in DIGITS or c in UNITS or c in "点點" for c in s) and (any(c in DIGITS or c in "十拾" for c in s) or s[0] in "百佰千仟")


def chinese_integer(s: str) -> int:
    """``一百二十`` → 120, ``两千`` → 2000, ``一九九八`` → 1998 (digit by digit when no unit char)."""
    s = s.translate(_FOLD)
    if not s:
        raise NumeralError("empty numeral")
    if s[0] in "百千":  # 百分之百, 千分之: an implied 一
        s = "一" + s
    if all(c in DIGITS for c in s) and len(s) > 1:  # 二〇二〇 / 三五: digit-by-digit
        return int("".join(str(DIGITS[c]) for c in s))
    try:
        v = cn2an.cn2an(s, "normal")
    except (ValueError, KeyError, IndexError) as exc:
        raise NumeralError(f"not a Chinese integer: {s!r} ({exc})") from None
    if not isinstance(v, int):  # an integer input must come back as int; anything else went through float
        raise NumeralError(f"cn2an returned {type(v).__name__} for {s!r}")
    return v


def chinese_to_decimal(s: str) -> tuple[Decimal, int]:
    """A Chinese numeral (with optional 点 part) as (exact Decimal, stated decimals)."""
    s = s.translate(_FOLD).replace("點", "点")
    if "点" in s:
        whole, _, frac = s.partition("点")
        if not frac or any(c not in DIGITS for c in frac):
            raise NumeralError(f"bad decimal part in {s!r}")
        if not whole:
            raise NumeralError(f"no integer part in {s!r}")
        int_part = chinese_integer(whole)
        digits = "".join(str(DIGITS[c]) for c in frac)
        return Decimal(f"{int_part}.{digits}"), len(digits)
    return Decimal(chinese_integer(s)), 0


def arabic_to_decimal(s: str) -> tuple[Decimal, int]:
    """``22,719.86`` / ``293，929.96`` / ``２２.５`` / ``1 526.86`` as (Decimal, decimals); built from the string."""
    if _PLAIN.fullmatch(s):  # the common case, without the folding below
        return Decimal(s), len(s.partition(".")[2])
    t = s.translate(_FULLWIDTH).replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u3000", "")
    neg = t[:1] in "-－−"
    if neg:
        t = t[1:]
    if not t or t.count(".") > 1 or not t.replace(".", "").isdigit() or not t.replace(".", "").isascii():
        raise NumeralError(f"not an Arabic number: {s!r}")
    if t.startswith("."):
        t = "0" + t
    if t.endswith("."):
        t = t[:-1]
    d = Decimal(t)
    decimals = len(t.partition(".")[2])
    return (-d if neg else d), decimals


def to_decimal(s: str) -> tuple[Decimal, int]:
    """Any numeral as written (Arabic, Chinese or mixed like ``3.5亿``/``1.2万``/``5千``) → (Decimal, decimals).

    ``decimals`` is the stated precision in the number's own terms (``3.5亿`` → 1, ``五千万`` → 0).
    """
    s = s.strip()
    if not s:
        raise NumeralError("empty numeral")
    for scale in sorted(SCALES, key=len, reverse=True):
        if s.endswith(scale) and len(s) > len(scale):
            head = s[: -len(scale)]
            if head[-1:].translate(_FULLWIDTH).isdigit():  # mixed: 3.5亿, 1.2万
                v, d = arabic_to_decimal(head)
                return v * SCALES[scale], d
    if s[0].translate(_FULLWIDTH).isdigit() or s[0] in "-－−.":
        return arabic_to_decimal(s)
    return chinese_to_decimal(s)


def to_chinese(value: Decimal) -> str:
    """An exact Decimal spelled in Chinese numerals (via cn2an for the integer part); for round-trip tests."""
    if value < 0:
        raise NumeralError("negative")
    text = format(value, "f")
    whole, _, frac = text.partition(".")
    out = cn2an.an2cn(whole)
    if frac:
        out += "点" + "".join("零一二三四五六七八九"[int(c)] for c in frac)
    return out
