"""Corpus-level floors for labeled facts: precision ≥ 0.97 and recall ≥ 0.95 (matched on metric, stage, subject, value).

One test per corpus: the annotated real reports under ``corpus/real`` (their sources sit in ``../shared``),
and a small generated set made here from a seed the rest of the suite does not use.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor import evaluate
from extractor.generate import generate

P_FLOOR, R_FLOOR = Decimal("0.97"), Decimal("0.95")


def _facts(report: dict) -> dict:
    fmt = report["formats"]["text"]
    return fmt["facts"]


def test_real_corpus_floors(real_dev, tmp_path):
    report = evaluate.evaluate(evaluate.REPO_ROOT / "corpus" / "real", out_json=tmp_path / "eval.json")
    assert not report["errors"], report["errors"]
    facts = _facts(report)
    assert facts["gold"] >= 200
    assert Decimal(facts["precision"]) >= P_FLOOR and Decimal(facts["recall"]) >= R_FLOOR, facts


@pytest.mark.parametrize("seed", [41], ids=lambda s: f"seed{s}")
def test_generated_corpus_floors(tmp_path, seed):
    out = tmp_path / "gen"
    generate(n=12, seed=seed, out=out, pdf=False)
    report = evaluate.evaluate(out, out_json=tmp_path / "eval.json")
    assert not report["errors"], report["errors"]
    facts = _facts(report)
    assert Decimal(facts["precision"]) >= P_FLOOR and Decimal(facts["recall"]) >= R_FLOOR, facts
