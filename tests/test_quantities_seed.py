"""The seed report (../shared/seed): every amount, rate and count, exactly, in order — and none of the look-alikes.

The expected list is surface (whitespace removed, so it holds whether or not the reader rejoins wrapped
lines) → ``kind value unit [comparator] [×scale]``.  Deliberately absent: ``一项`` (an article, not a count).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from extractor import quantities

SEED_QUANTITIES = [
    ("22,719.86万元", "amount 22719.86 万元"),
    ("17,019.31万元", "amount 17019.31 万元"),
    ("298.56%", "rate 298.56 %"),
    ("15,200.00万元", "amount 15200.00 万元"),
    ("1,000.00万元", "amount 1000.00 万元"),
    ("5名", "count 5 名"),
    ("10名", "count 10 名"),
    ("293,929.96万元", "amount 293929.96 万元"),
    ("254,614.67万元", "amount 254614.67 万元"),
    ("39,315.28万元", "amount 39315.28 万元"),
    ("22,719.86万元", "amount 22719.86 万元"),
    ("293,929.96万元", "amount 293929.96 万元"),
    ("1,724.92万元", "amount 1724.92 万元"),
    ("1,526.86万元", "amount 1526.86 万元"),
    ("198.06万元", "amount 198.06 万元"),
    ("1,624.92万元", "amount 1624.92 万元"),
    ("1,426.86万元", "amount 1426.86 万元"),
    ("198.06万元", "amount 198.06 万元"),
    ("20,994.94万元", "amount 20994.94 万元"),
    ("292,305.04万元", "amount 292305.04 万元"),
    ("537.69万元", "amount 537.69 万元"),
    ("293,929.96万元", "amount 293929.96 万元"),
    ("289,466.44万元", "amount 289466.44 万元"),
    ("4,463.51万元", "amount 4463.51 万元"),
    ("98.48%", "rate 98.48 %"),
    ("1,624.92万元", "amount 1624.92 万元"),
    ("1,426.86万元", "amount 1426.86 万元"),
    ("198.06万元", "amount 198.06 万元"),
    ("1,540.23万元", "amount 1540.23 万元"),
    ("1,352.20万元", "amount 1352.20 万元"),
    ("188.03万元", "amount 188.03 万元"),
    ("292,305.04万元", "amount 292305.04 万元"),
    ("537.69万元", "amount 537.69 万元"),
    ("287,926.21万元", "amount 287926.21 万元"),
    ("537.69万元", "amount 537.69 万元"),
    ("170.24万元", "amount 170.24 万元"),
    ("289,296.28万元", "amount 289296.28 万元"),
    ("287,926.21万元", "amount 287926.21 万元"),
    ("0.076万元", "amount 0.076 万元"),
    ("=0.076万元", "amount 0.076 万元 ="),
    ("170.24万元", "amount 170.24 万元"),
    ("289,296.28万元", "amount 289296.28 万元"),
    ("100%", "rate 100 %"),
    ("=0.000026%", "rate 0.000026 % ="),
    ("223.40万元", "amount 223.40 万元"),
    ("10.40万元", "amount 10.40 万元"),
    ("213.00万元", "amount 213.00 万元"),
    ("743.00万元", "amount 743.00 万元"),
    ("7.87万元", "amount 7.87 万元"),
    ("537.69万元", "amount 537.69 万元"),
    ("190.82万元", "amount 190.82 万元"),
    ("6.61万元", "amount 6.61 万元"),
    ("9.34万元", "amount 9.34 万元"),
    ("0.00万元", "amount 0.00 万元"),
    ("7.34万元", "amount 7.34 万元"),
    ("2台", "count 2 台"),
    ("2.00万元", "amount 2.00 万元"),
    ("7.37万元", "amount 7.37 万元"),
    ("0.00万元", "amount 0.00 万元"),
    ("7.37万元", "amount 7.37 万元"),
    ("4,451.72万元", "amount 4451.72 万元"),
    ("4,451.72万元", "amount 4451.72 万元"),
    ("100%", "rate 100 %"),
    ("1,106.53万元", "amount 1106.53 万元"),
    ("50人", "count 50 人"),
    ("42人", "count 42 人"),
    ("6人", "count 6 人"),
    ("9人", "count 9 人"),
    ("15人", "count 15 人"),
    ("100%", "rate 100 %"),
    ("52个", "count 52 个"),
    ("92.2%", "rate 92.2 %"),
    ("2384个", "count 2384 个"),
    ("5大类", "count 5 类"),
    ("32个", "count 32 个"),
    ("94个", "count 94 个"),
    ("10个", "count 10 个"),
    ("4567家", "count 4567 家"),
    ("734条", "count 734 条"),
    ("1075家", "count 1075 家"),
    ("319万只", "count 319 只 ×万"),
    ("172场", "count 172 场"),
    ("超6万份", "count 6 份 > ×万"),
    ("92万人次", "count 92 人次 ×万"),
    ("1570人次", "count 1570 人次"),
    ("15,200.00万元", "amount 15200.00 万元"),
    ("7,200万元", "amount 7200 万元"),
    ("1,200万元", "amount 1200 万元"),
    ("4,310万元", "amount 4310 万元"),
    ("90万元", "amount 90 万元"),
    ("500万元", "amount 500 万元"),
    ("200万元", "amount 200 万元"),
    ("300万元", "amount 300 万元"),
    ("300万元", "amount 300 万元"),
    ("500万元", "amount 500 万元"),
    ("600万元", "amount 600 万元"),
    ("8,799.78万元", "amount 8799.78 万元"),
    ("8,799.78万元", "amount 8799.78 万元"),
    ("0.00万元", "amount 0.00 万元"),
    ("12,710.00万元", "amount 12710.00 万元"),
    ("90.00万元", "amount 90.00 万元"),
    ("12,800.00万元", "amount 12800.00 万元"),
    ("1,800.00万元", "amount 1800.00 万元"),
    ("1,800.00万元", "amount 1800.00 万元"),
    ("600.00万元", "amount 600.00 万元"),
    ("600.00万元", "amount 600.00 万元"),
    ("5人", "count 5 人"),
    ("10人", "count 10 人"),
    ("30人", "count 30 人"),
    ("90%", "rate 90 %"),
]

NEGATIVES = ["2020 年", "2020 年度", "7 月底前", "10 月 30 日", "4 月底前", "福编［2012]4 号", "40 周年", "英才荟 2.0", "第三卷", "十九届二中", "2019年", "1.葆初心", "（1）", "二类福田英才", "“四个意识”"]


def _spec(s: str):
    toks = s.split()
    cmp = next((t for t in toks[3:] if t in {"≥", "≤", ">", "<", "="}), None)
    scale = next((t[1:] for t in toks[3:] if t.startswith("×")), None)
    return toks[0], Decimal(toks[1]), "" if toks[2] == "_" else toks[2], cmp, scale


@pytest.fixture(scope="module")
def seed_found(seed_doc):
    return quantities.find(seed_doc)


def test_seed_every_quantity_exact_and_in_order(seed_found):
    got = [(re.sub(r"\s+", "", q.surface), (q.kind, q.value, q.unit, q.comparator, q.scale), str(q.value)) for q in seed_found]
    want = [(s, _spec(v), _spec(v)[1].__str__()) for s, v in SEED_QUANTITIES]
    assert got == want
    assert len(seed_found) >= 100


def test_seed_spans_point_at_their_surface(seed_doc, seed_found):
    for q in seed_found:
        assert seed_doc.text[q.span.start : q.span.end] == q.surface
        assert q.span.doc_id == seed_doc.doc_id and q.span.page >= 1
    starts = [q.span.start for q in seed_found]
    assert starts == sorted(starts)


@pytest.mark.parametrize("phrase", NEGATIVES)
def test_seed_negatives_are_silent(seed_doc, seed_found, phrase):
    pattern = r"\s*".join(re.escape(c) for c in phrase if not c.isspace())
    hits = [m.span() for m in re.finditer(pattern, seed_doc.text)]
    assert hits, f"{phrase!r} should occur in the seed"
    for s, e in hits:
        overlapping = [q.surface for q in seed_found if q.span.start < e and s < q.span.end]
        assert not overlapping, f"{phrase!r} at {s} produced {overlapping}"


def test_seed_key_figures(seed_found):
    by_surface = {re.sub(r"\s+", "", q.surface): q for q in seed_found}
    q = by_surface["319万只"]
    assert (q.value, q.unit, q.scale) == (Decimal(319), "只", "万")
    q = by_surface["0.076万元"]
    assert (q.decimals, q.value_yuan) == (3, Decimal(760))
    q = by_surface["298.56%"]
    assert (q.kind, q.decimals) == ("rate", 2)
    assert by_surface["22,719.86万元"].value_wanyuan == Decimal("22719.86")
