"""Fuzzing the text pipeline: from_text → quantities → facts → checks on random and mutated report text.

Whatever the text (synthetic report paragraphs, generated corpus reports, windows of the real seed report, then characters
deleted, digits swapped, full-width spaces and ，inserted inside numbers, noise, truncation anywhere):
no exception escapes; every quantity's surface is the text at its span; every fact's offsets lie in the
text and its quote holds the text at them; every figure is a finite Decimal; a second run gives the
same rows (determinism).

Example budgets are profiles: ``default`` keeps this file under ~40 s; ``nightly`` (5000 examples per
test) is run by ``benchmarks/fuzz_nightly.sh`` with ``HYPOTHESIS_PROFILE=nightly``.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from extractor import ingest, pipeline, quantities
from extractor.errors import UnreadableReport

settings.register_profile(
    "default", max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "nightly", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
if os.environ.get("FUZZ_EXAMPLES"):  # a one-off budget between the two: FUZZ_EXAMPLES=300
    PROFILE = settings(PROFILE, max_examples=int(os.environ["FUZZ_EXAMPLES"]), derandomize=False)

# --------------------------------------------------------------------------- synthetic report text


def _amount(draw) -> str:
    """An amount as a report prints it: 22,719.86 / 2321.62 / 0.00 / 500 (a string; no float anywhere)."""
    whole = draw(st.integers(min_value=0, max_value=9_999_999))
    decimals = draw(st.sampled_from(["", ".00", f".{draw(st.integers(0, 99)):02d}", f".{draw(st.integers(0, 9))}"]))
    grouped = draw(st.booleans())
    return (f"{whole:,}" if grouped else str(whole)) + decimals


def _rate(draw) -> str:
    return f"{draw(st.integers(0, 150))}.{draw(st.integers(0, 99)):02d}"


TEMPLATES = [
    "本单位{year}年度预算总额为{a}万元，其中基本支出{b}万元，项目支出{c}万元。",
    "全年实际支出{a}万元，调整后预算数{b}万元，预算执行率为{r}%。",
    "“三公”经费年初预算{a}万元，实际支出{b}万元，其中公务接待费{c}万元，公务用车运行维护费{d}万元。",
    "政府采购合同金额{a}元，其中货物类{b}元、工程类{c}元、服务类{d}元；授予中小企业{e}元，占比{r}%。",
    "年初结转结余{a}万元，本年收入{b}万元，本年支出{c}万元，年末结转结余{d}万元。",
    "比上年增加{a}万元，增长{r}%，主要原因是人员增加。",
    "编制人数{n}人，实有人数{m}人，退休人员{k}人。",
    "（一）项目资金情况\n项目年初预算{a}万元，全年执行数{b}万元，执行率{r}%，得分{s}分。",
    "质量指标  验收合格率  ≥{p}%  {r}%  {w}  {s}\n满意度指标  服务对象满意度  ≥{p}%  {r}%  {w}  {s}",
    "年度资金总额  {a}  {b}  {c}  10  {r}%  {s}\n其中：当年财政拨款  {d}  {e}  {a}  —  —  —",
    "年初安排预算二千三百六十九万元，其中设备购置{a}万元。服务对象满意度达百分之九十九。",
    "部门整体支出绩效自评得分{s}分，等级为“优”。",
]


@st.composite
def paragraph(draw) -> str:
    t = draw(st.sampled_from(TEMPLATES))
    values = {
        "year": str(draw(st.integers(2015, 2025))),
        "a": _amount(draw), "b": _amount(draw), "c": _amount(draw), "d": _amount(draw), "e": _amount(draw),
        "r": _rate(draw), "p": str(draw(st.integers(50, 100))),
        "n": str(draw(st.integers(0, 900))), "m": str(draw(st.integers(0, 900))), "k": str(draw(st.integers(0, 900))),
        "w": str(draw(st.integers(0, 30))), "s": f"{draw(st.integers(0, 100))}.{draw(st.integers(0, 9))}",
    }
    return t.format(**values)


@st.composite
def report(draw) -> str:
    paras = draw(st.lists(paragraph(), min_size=1, max_size=8))
    head = draw(st.sampled_from(["", "2021年度部门整体支出绩效自评报告\n\n", "一、部门基本情况\n"]))
    return head + "\n".join(paras)


# Fragments a report is made of, in the many ways figures are written: soup of them stresses the
# number, unit and label patterns where they meet (碎片: Chinese numerals, 亿/万/元, ‰, 个百分点, ranges).
TOKENS = [
    "预算总额", "年初预算", "调整后预算", "全年执行数", "实际支出", "基本支出", "项目支出", "人员经费", "公用经费",
    "“三公”经费", "公务接待费", "政府采购", "中小企业", "执行率", "增长", "下降", "减少", "持平", "同比", "其中",
    "合计", "小计", "得分", "分值", "权重", "满意度", "≥", "≤", ">", "<", "=", "约", "达", "为", "共", "计",
    "万元", "元", "亿元", "千元", "%", "％", "‰", "个百分点", "人", "人次", "个", "家", "项", "次", "年", "月",
    "二千三百六十九", "百分之九十九", "一亿二千万", "五千", "十二", "两", "零", "壹万元整", "第三",
    "22,719.86", "2321.62", "0.00", "100", "98.48", "-3.5", "+2", "1.2", "１２３．４", "3,000", "1,2,3", "2020-2021",
    "2021年", "（一）", "1.", "①", "、", "，", "。", "；", "：", "（", "）", "\n", "\n\n", " ", "\u3000", "—", "－", "～", "至",
]


@st.composite
def soup(draw) -> str:
    return "".join(draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=80)))


# --------------------------------------------------------------------------- mutations

NOISE = st.text(
    alphabet=st.sampled_from(list("的一是在了和有大这主中人上为们地个用工时要动国产以我到他会作来分生对于学下级就年阶义发成部民可出能方进同行面说种过命度革而多子后自社加小机也经力线本电高量长党得实家定深法表着水理化争现所二起政三好十战无农使性前等反体合斗路图把结第里正新开论之物从当两些还天资事队批如应形想制心样干都向变关点育重其思与间内去因件日利相由压员气业代全组数果期导平各基或月毛然问比展那它最及外没看治提五解系林者米群头意只明四道马认次文通但条较克又公孔领军流入接席位情运器并飞原油放立题质指据证建万元%‰，。、；：（）“”《》〔〕—…·０１２３４５６７８９．％ \u3000\n\t0123456789.,-+=<>≥≤abcdefxyzOl|[]"))
    , max_size=40,
)


@st.composite
def mutated(draw, base: st.SearchStrategy[str]) -> str:
    """``base`` text with a few edits of the kinds scans, OCR and copy-paste make."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "swap_digits", "fw_space", "comma_in_number", "noise", "truncate", "duplicate"]))
        n = len(text)
        i = draw(st.integers(0, max(n, 1) - 1)) if n else 0
        if op == "delete" and n:
            j = min(n, i + draw(st.integers(1, 5)))
            text = text[:i] + text[j:]
        elif op == "swap_digits":
            digits = [k for k in range(n - 1) if text[k].isdigit() and text[k + 1].isdigit()]
            if digits:
                k = draw(st.sampled_from(digits))
                text = text[:k] + text[k + 1] + text[k] + text[k + 2 :]
        elif op in ("fw_space", "comma_in_number"):
            inside = [k for k in range(1, n) if text[k - 1].isdigit() and text[k].isdigit()]
            k = draw(st.sampled_from(inside)) if inside else i
            text = text[:k] + ("\u3000" if op == "fw_space" else "，") + text[k:]
        elif op == "noise":
            text = text[:i] + draw(NOISE) + text[i:]
        elif op == "truncate":
            text = text[:i]
        elif op == "duplicate" and n:
            j = min(n, i + draw(st.integers(1, 200)))
            text = text[:j] + text[i:j] + text[j:]
    return text


# --------------------------------------------------------------------------- the properties


def _finite(v, what: str) -> None:
    if v is None:
        return
    assert isinstance(v, Decimal), f"{what} is {type(v).__name__}, not Decimal: {v!r}"
    assert v.is_finite(), f"{what} is not finite: {v!r}"


def _run(text: str):
    """One pass; returns comparable rows. Only the reader may refuse the text, with a coded error."""
    try:
        doc = ingest.from_text(text, source="fuzz.txt")
    except UnreadableReport:
        return None
    found = quantities.find(doc)
    result = pipeline.check(doc)
    return doc, found, result


def _rows(run) -> tuple:
    if run is None:
        return ()
    doc, found, result = run
    return (
        doc.text,
        tuple(repr(quantities.as_row(q, doc)) for q in found),
        tuple(repr(f.as_row(extended=True)) for f in result.facts),
        tuple(repr(f.as_row()) for f in result.findings),
        tuple((o.rule, o.status, o.detail) for o in result.outcomes),
    )


def check_invariants(text: str, in_hypothesis: bool = True) -> None:
    if in_hypothesis:
        note(f"text={text!r}")
    first = _run(text)
    if first is None:
        return
    doc, found, result = first
    n = len(doc.text)
    for q in found:
        assert 0 <= q.span.start < q.span.end <= n, q
        assert doc.text[q.span.start : q.span.end] == q.surface, q
        for attr in ("value", "value_yuan", "value_wanyuan"):
            _finite(getattr(q, attr), f"quantity {q.surface!r} {attr}")
    for f in result.facts:
        assert 0 <= f.start < f.end <= n, f
        at = doc.text[f.start : f.end]
        assert at.strip(), f
        assert at in f.quote or at.strip() in f.quote, (at, f.quote, f.rule)
        for attr in ("value", "value_wanyuan", "weight", "score"):
            _finite(getattr(f, attr), f"fact {f.fact_id} {attr}")
        assert 1 <= f.page <= max(1, max((p.number for p in doc.pages), default=1))
    for g in result.findings:
        for attr in ("expected", "stated", "difference", "tolerance"):
            _finite(getattr(g, attr), f"finding {g.rule} {attr}")
        assert g.severity in ("error", "warning", "info")
    assert _rows(_run(text)) == _rows(first), "a second run on the same text gave different output"


@PROFILE
@given(report())
def test_synthetic_reports(text):
    check_invariants(text)


@PROFILE
@given(mutated(report()))
def test_mutated_synthetic_reports(text):
    check_invariants(text)


@PROFILE
@given(mutated(soup()))
def test_token_soup(text):
    check_invariants(text)


@PROFILE
@given(st.text(max_size=300))
def test_arbitrary_text(text):
    check_invariants(text)


@PROFILE
@given(st.data())
def test_mutated_seed_windows(seed_text, data):
    start = data.draw(st.integers(0, max(0, len(seed_text) - 1)), label="start")
    length = data.draw(st.integers(1, 2500), label="length")
    window = seed_text[start : start + length]
    assume(window.strip())
    check_invariants(data.draw(mutated(st.just(window)), label="text"))


@pytest.fixture(scope="module")
def generated_texts(tmp_path_factory) -> list[str]:
    """A few reports from the corpus generator (text only), as mutation bases."""
    from extractor import generate

    out = tmp_path_factory.mktemp("corpus")
    paths = generate.generate(n=4, seed=11, out=out, pdf=False, docx_share=0, error_share=0.5)
    texts = [p.read_text(encoding="utf-8") for p in paths if p.suffix == ".txt"]
    assert texts, "the corpus generator wrote no text reports"
    return texts


@PROFILE
@given(st.data())
def test_mutated_generated_reports(generated_texts, data):
    base = data.draw(st.sampled_from(generated_texts), label="report")
    check_invariants(data.draw(mutated(st.just(base)), label="text"))


@pytest.fixture(scope="module")
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


def test_whole_seed_twice(seed_text):
    """The real report, unmutated, end to end: invariants and determinism."""
    check_invariants(seed_text, in_hypothesis=False)


OCR_ALPHABET = list("三二宇干千百一九两元万%％.,，。、；:：;()（）“”《》|[]lOo0123456789 \u3000\n\t>=<≥≤xX本单位预算执行率")


@PROFILE
@given(st.text(alphabet=st.sampled_from(OCR_ALPHABET), max_size=80) | mutated(report()))
def test_ocr_repair_is_idempotent(text):
    """fix_text never raises and a second pass changes nothing (the reader may repair twice)."""
    from extractor import ocr

    once = ocr.fix_text(text)
    assert ocr.fix_text(once) == once


EDGE_CASES = {
    "nan_word": "预算总额为NaN万元",
    "infinity_word": "执行率为Infinity%",
    "exponent": "支出1e999万元，其中1E-7万元",
    "400_digits": "预算" + "9" * 400 + "万元",
    "fullwidth_run": "预算" + "９" * 60 + "万元，执行率" + "1" * 50 + "%",
    "negative_zero": "增长-0.0%",
    "tiny": "预算0.000000000000000000001万元",
    "comma_soup": "金额1,2,3,4,5,6万元",
    "chinese_percent": "百分之一百二十三点四五",
    "stacked_units": "一万亿亿亿元，二千三百六十九万万万元",
    "bare_point": "预算总额为.5万元，其中.25万元，执行率为100.%",
    "only_newlines": "\n\n\n",
    "nul_bytes": "预算\x00总额\x00为100万元",
    "surrogate_free_astral": "预算𠀀𠀁100万元😀，其中50万元",
}


@pytest.mark.parametrize("text", list(EDGE_CASES.values()), ids=list(EDGE_CASES))
def test_edge_cases(text):
    check_invariants(text, in_hypothesis=False)
