"""The corpus generator: determinism, variety, exact gold, strict templates."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.errors import PatternError
from extractor.numerals import to_chinese
from extractor.generate import TEMPLATES_DIR, generate, half_up, load_templates, rate_of


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(40, 11, out, pdf=False, docx_share=0, error_share=0.7)
    return out


def golds(d: Path) -> list[tuple[dict, str]]:
    return [(json.loads(p.read_text("utf-8")), (d / p.name.replace(".gold.json", ".txt")).read_text("utf-8")) for p in sorted(d.glob("*.gold.json"))]


def test_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate(2, 5, a, pdf=True, docx_share=1.0)
    generate(2, 5, b, pdf=True, docx_share=1.0)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert {Path(n).suffix for n in names} == {".txt", ".json", ".pdf", ".docx"}
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n


def _skeleton(text: str) -> set[str]:
    """Sentences with every figure blanked: what is left is the phrasing."""
    flat = text.replace("\n", "")
    return {re.sub(r"[0-9０-９.,．%％]+", "#", s) for s in re.split(r"[。；]", flat) if s}


def test_two_seeds_give_different_phrasing(tmp_path):
    generate(4, 1, tmp_path / "s1", pdf=False, docx_share=0)
    generate(4, 2, tmp_path / "s2", pdf=False, docx_share=0)
    one = set().union(*(_skeleton(p.read_text("utf-8")) for p in (tmp_path / "s1").glob("*.txt")))
    two = set().union(*(_skeleton(p.read_text("utf-8")) for p in (tmp_path / "s2").glob("*.txt")))
    assert len(one ^ two) > 20


def test_gold_offsets_and_values_are_exact(corpus):
    for gold, text in golds(corpus):
        for f in gold["facts"]:
            assert text[f["start"] : f["end"]] == f["surface"]
            assert str(Decimal(f["value"])) == f["value"]
            if f["unit"] == "万元":
                assert Decimal(f["value_wanyuan"]) == Decimal(f["value"])
            elif f["unit"] == "元":
                assert Decimal(f["value_wanyuan"]) * 10000 == Decimal(f["value"])


def _val(gold: dict, i: int) -> Decimal:
    return Decimal(gold["facts"][i]["value_wanyuan"] if "value_wanyuan" in gold["facts"][i] else gold["facts"][i]["value"])


def _half_units(gold: dict, idxs: list[int]) -> Decimal:
    total = Decimal(0)
    for i in idxs:
        f = gold["facts"][i]
        d = -Decimal(f["value"]).as_tuple().exponent
        unit = {"元": Decimal(10000), "亿元": Decimal("0.0001")}.get(f["unit"], Decimal(1))
        total += Decimal("0.5") * Decimal(10) ** -d / unit
    return total


def test_planted_sums_break_beyond_rounding_and_must_not_flag_stay_within(corpus):
    planted = mnf = 0
    for gold, _ in golds(corpus):
        for inc in gold["inconsistencies"]:
            if inc["rule"].startswith("sum.") and inc["kind"] == "planted":
                total, *parts = inc["facts"]
                assert abs(_val(gold, total) - sum(_val(gold, p) for p in parts)) > _half_units(gold, inc["facts"])
                planted += 1
        for case in gold["must_not_flag"]:
            total, *parts = case["facts"]
            diff = abs(_val(gold, total) - sum(_val(gold, p) for p in parts))
            assert Decimal(0) < diff <= _half_units(gold, case["facts"])
            mnf += 1
    assert planted >= 3 and mnf >= 10


def test_planted_rates_differ_and_clean_rates_are_half_up_ratios(corpus):
    seen = 0
    for gold, _ in golds(corpus):
        for inc in gold["inconsistencies"]:
            if inc["rule"] == "ratio.execution_rate":
                rate, actual, budget = (_val(gold, i) for i in inc["facts"])
                assert rate != rate_of(actual, budget)
                seen += 1
    assert seen >= 1
    assert rate_of(Decimal("289466.44"), Decimal("293929.96")) == Decimal("98.48")
    assert half_up(Decimal("0.125")) == Decimal("0.13")


def test_every_planted_kind_appears_with_valid_indices(corpus):
    for gold, _ in golds(corpus):
        for inc in gold["inconsistencies"] + gold["must_not_flag"]:
            assert inc["facts"] and all(0 <= i < len(gold["facts"]) for i in inc["facts"])
    import random

    from extractor import generate_plan

    tpl = load_templates()
    rules = set()
    for i in range(120):
        report, _ = generate_plan.build(random.Random(i), tpl, planted=True)
        rules |= {inc["rule"] for inc in report.inconsistencies if inc["kind"] == "planted"}
    assert rules >= set(generate_plan.PLANT_KINDS_DEPT) | set(generate_plan.PLANT_KINDS_PROJECT)


def test_corpus_varies_the_way_real_reports_do(corpus):
    pairs = golds(corpus)
    kinds = {g["metadata"]["kind"] for g, _ in pairs}
    assert kinds == {"department_overall", "project", "self_evaluation_table"}
    assert len({g["metadata"]["department"] for g, _ in pairs}) > 20
    assert len({g["metadata"]["year"] for g, _ in pairs}) > 4
    surfaces = [f["surface"] for g, _ in pairs for f in g["facts"]]
    assert any(re.search("[０-９]", s) for s in surfaces), "full-width digits"
    assert any(re.search("[一二三四五六七八九]", s) for s in surfaces), "Chinese numerals"
    assert any(s.endswith("元") and not s.endswith("万元") for s in surfaces), "amounts in 元"
    assert any(f["table"] for g, _ in pairs for f in g["facts"])
    assert any("\n\n" in t for _, t in pairs) and any("\n\n" not in t.strip() for _, t in pairs)
    assert any("（" in t and "其中" in t for _, t in pairs)


def test_zero_error_share_plants_nothing(tmp_path):
    generate(5, 3, tmp_path, pdf=False, docx_share=0, error_share=0)
    for gold, _ in golds(tmp_path):
        assert all(i["kind"] != "planted" for i in gold["inconsistencies"])


@pytest.mark.parametrize(
    "n,expected",
    [(0, "零"), (5, "五"), (10, "十"), (15, "十五"), (90, "九十"), (105, "一百零五"), (500, "五百"), (5000, "五千"), (12030, "一万二千零三十"), (50000, "五万"), (100200, "十万零二百")],
    ids=lambda v: str(v),
)
def test_chinese_numerals(n, expected):
    assert to_chinese(Decimal(n)) == expected  # the spelling the generator writes for 五千万元 / 百分之九十


def _bad_templates(tmp_path: Path, edit) -> Path:
    d = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, d)
    p = d / "statements.yaml"
    p.write_text(edit(p.read_text("utf-8")), encoding="utf-8")
    return d


@pytest.mark.parametrize(
    "edit,needle",
    [
        (lambda s: s.replace("  - id: dept_line\n", "  - id: dept_line\n    colour: red\n"), "statements.yaml"),
        (lambda s: s.replace("  - id: dept_line\n", "  - id: opening\n"), "duplicate id"),
        (lambda s: s.replace('"单位名称：{dept}"', '"单位名称：{department}"'), "undeclared slot"),
        (lambda s: s.replace("labels:", "labels:\n  x: [a]\n  x: [b]", 1), "duplicate key"),
    ],
    ids=["unknown_field", "duplicate_id", "undeclared_slot", "duplicate_key"],
)
def test_templates_are_validated_strictly(tmp_path, edit, needle):
    with pytest.raises(PatternError) as err:
        load_templates(_bad_templates(tmp_path, edit))
    assert needle in str(err.value)


def test_pdf_has_header_footer_text_and_a_ruled_table(tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    generate(1, 8, tmp_path, pdf=True, docx_share=1.0)
    gold = json.loads((tmp_path / "sample-0001.gold.json").read_text("utf-8"))
    assert gold["documents"] == ["sample-0001.txt", "sample-0001.pdf", "sample-0001.docx"]
    pdf = pdfium.PdfDocument(str(tmp_path / "sample-0001.pdf"))
    pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert len(pages) >= 2
    assert all(gold["metadata"]["department"] in p for p in pages)
    assert any(re.search(r"— 2 —|第 2 页", p) for p in pages)
    joined = re.sub(r"\s", "", "".join(pages))
    assert "一级指标" in joined and "总分" in re.sub(r"\s", "", pages[-1])
    import docx

    d = docx.Document(str(tmp_path / "sample-0001.docx"))
    assert d.tables and any("年度资金总额" in c.text for c in d.tables[-1].columns[0].cells)


def test_cli_generates(tmp_path, capsys):
    assert main(["corpus", "generate", "--n", "2", "--seed", "3", "-o", str(tmp_path), "--no-pdf"]) == 0
    assert len(list(tmp_path.glob("*.gold.json"))) == 2
