"""Corpus-level floor for the checks: a fresh generated set, scored by ``jixiao eval`` itself.

Exact cases live in test_checks*.py; this is the one test that holds the figures the
issue sets (planted recall, false findings per clean report, must-not-flag) on reports
nobody tuned on: a seed used nowhere else.
"""

from __future__ import annotations

from decimal import Decimal

from extractor import evaluate
from extractor.generate import generate


def test_checks_floor_on_a_fresh_generated_corpus(tmp_path):
    generate(16, 20261129, tmp_path, pdf=False, docx_share=0, error_share=0.5)
    report = evaluate.evaluate(tmp_path, out_json=tmp_path / "eval.json")
    assert not report["errors"], report["errors"][:2]
    fd = report["formats"]["text"]["findings"]
    assert fd["planted_total"] >= 5  # the seed plants enough to mean something
    assert fd["planted_recall"] >= Decimal("0.95"), [m for m in report["worst"] if "planted" in m["what"]]
    assert fd["clean_reports"] >= 5
    assert 20 * fd["false_findings"] <= fd["clean_reports"], [m for m in report["worst"] if "false" in m["what"]]
    assert fd["must_not_flag_violations"] == 0, [m for m in report["worst"] if "must-not-flag" in m["what"]]
