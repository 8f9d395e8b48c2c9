"""Round trips (hypothesis): any Decimal written as Arabic (with/without separators, full-width) or Chinese
numerals, with each unit, reads back as the same value; prose without digits or numerals yields nothing."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import numerals, quantities

AMOUNT_UNITS = {"元": 0, "千元": 3, "万元": 4, "亿元": 8}
COUNT_UNITS = ["人", "个", "家", "场", "项", "条", "台", "次", "人次", "份", "只", "名", "户"]
LEADS = ["", "预算数 ", "合计", "共计 ", "支出决算数", "|\n"]
TAILS = ["", "，", "。", "；其中", " |", "）"]
_FW = str.maketrans("0123456789.,", "０１２３４５６７８９．，")

digits = st.integers(min_value=0, max_value=10**12 - 1)
places = st.integers(min_value=0, max_value=6)


@st.composite
def decimals(draw, max_int=10**12 - 1):
    whole = draw(st.integers(min_value=0, max_value=max_int))
    n = draw(places)
    frac = draw(st.integers(min_value=0, max_value=10**n - 1)) if n else 0
    return Decimal(f"{whole}.{frac:0{n}d}") if n else Decimal(whole)


def write_arabic(value: Decimal, style: str) -> str:
    text = format(value, "f")
    whole, dot, frac = text.partition(".")
    if style in ("grouped", "grouped_fullwidth"):
        whole = f"{int(whole):,}"
    out = whole + dot + frac
    if style.endswith("fullwidth"):
        out = out.translate(_FW)
    return out


STYLES = st.sampled_from(["plain", "grouped", "fullwidth", "grouped_fullwidth"])


def _scale_of(q) -> Decimal:
    return {"万": Decimal(10**4), "亿": Decimal(10**8), "千": Decimal(1000), None: Decimal(1)}[q.scale]


@settings(max_examples=150, deadline=None)
@given(value=decimals(), style=STYLES, unit=st.sampled_from(sorted(AMOUNT_UNITS)), lead=st.sampled_from(LEADS), tail=st.sampled_from(TAILS), space=st.sampled_from(["", " "]))
def test_arabic_amounts_round_trip(value, style, unit, lead, tail, space):
    written = write_arabic(value, style)
    (q,) = quantities.find_in(f"{lead}{written}{space}{unit}{tail}")
    assert (q.kind, q.value, q.unit) == ("amount", value, unit)
    assert q.decimals == max(0, -value.as_tuple().exponent)
    assert q.value_yuan == value.scaleb(AMOUNT_UNITS[unit]) and q.value_wanyuan * 10000 == q.value_yuan


@settings(max_examples=100, deadline=None)
@given(value=decimals(max_int=10**6), style=STYLES, lead=st.sampled_from(LEADS), pct=st.sampled_from(["%", "％"]))
def test_arabic_rates_round_trip(value, style, lead, pct):
    (q,) = quantities.find_in(f"{lead}执行率{write_arabic(value, style)}{pct}")
    assert (q.kind, q.value, q.unit) == ("rate", value, "%")


@settings(max_examples=100, deadline=None)
@given(value=st.integers(min_value=0, max_value=10**9), style=STYLES, unit=st.sampled_from(COUNT_UNITS), space=st.sampled_from(["", " "]))
def test_arabic_counts_round_trip(value, style, unit, space):
    (q,) = quantities.find_in(f"累计服务{write_arabic(Decimal(value), style)}{space}{unit}。")
    assert (q.kind, q.value * _scale_of(q), q.unit) == ("count", Decimal(value), unit)


@settings(max_examples=100, deadline=None)
@given(value=st.integers(min_value=1, max_value=10**12 - 1), unit=st.sampled_from(sorted(AMOUNT_UNITS)))
def test_chinese_amounts_round_trip(value, unit):
    (q,) = quantities.find_in(f"计划投资{numerals.to_chinese(Decimal(value))}{unit}，")
    assert q.kind == "amount"
    assert q.value_yuan == Decimal(value).scaleb(AMOUNT_UNITS[unit])


@settings(max_examples=100, deadline=None)
@given(value=st.integers(min_value=2, max_value=10**8), unit=st.sampled_from(["人", "个", "家", "项", "次", "名", "户"]))
def test_chinese_counts_round_trip(value, unit):
    (q,) = quantities.find_in(f"惠及{numerals.to_chinese(Decimal(value))}{unit}。")
    assert (q.kind, q.value * _scale_of(q), q.unit) == ("count", Decimal(value), unit)


@settings(max_examples=100, deadline=None)
@given(value=decimals(max_int=100))
def test_chinese_rates_round_trip(value):
    (q,) = quantities.find_in(f"完成率百分之{numerals.to_chinese(value)}")
    assert (q.kind, q.value, q.unit) == ("rate", value, "%")


@settings(max_examples=150, deadline=None)
@given(value=decimals())
def test_numerals_round_trip(value):
    assert numerals.to_decimal(numerals.to_chinese(value))[0] == value
    assert numerals.to_decimal(write_arabic(value, "grouped_fullwidth"))[0] == value


@settings(max_examples=100, deadline=None)
@given(value=decimals(max_int=10**6), scale=st.sampled_from(["万", "亿"]))
def test_mixed_numerals(value, scale):
    assert numerals.to_decimal(f"{format(value, 'f')}{scale}")[0] == value * {"万": 10**4, "亿": 10**8}[scale]


_NUMERAL_CHARS = set("零〇○一二两兩三四五六七八九十百千万亿壹贰叁肆伍陆陸柒捌玖拾佰仟萬億")
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF).filter(lambda c: c not in _NUMERAL_CHARS)
PUNCT = st.sampled_from(list("，。、；：“”（）《》 \n%％元万"))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(HAN, HAN, HAN, PUNCT), max_size=200).map("".join))
def test_prose_without_numerals_is_silent(text):
    assert quantities.find_in(text) == []
