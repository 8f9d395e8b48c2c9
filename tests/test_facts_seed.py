"""The seed report and the real-dev excerpts against our own gold (corpus/real/*.gold.json).

* every gold offset points at its surface in the source file;
* on the seed, every budget / expenditure / procurement / 三公 / asset / staff figure carries the
  right metric and stage (one case per figure);
* on the whole annotated corpus, precision ≥ 0.97 and recall ≥ 0.95 for the vocabulary metrics,
  matched on (metric, stage, subject, value with amounts in 万元).
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from extractor import facts, read

ROOT = Path(__file__).resolve().parent.parent
GOLD = sorted((ROOT / "corpus" / "real").glob("*.gold.json"))
SEED_GOLD = ROOT / "corpus" / "real" / "futian-2020-self-evaluation.gold.json"
FAMILIES = ("income", "expenditure", "appropriation", "capital", "carryover", "balance", "unspent", "procurement",
            "three_public", "assets", "staff", "execution_rate", "growth_rate", "carryover_rate", "project_total")


def _gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(gold: dict) -> Path:
    p = (ROOT / gold["source"]).resolve()
    if not p.exists():
        pytest.skip(f"{gold['source']} is not here (../shared/ sits beside the clone)")
    return p


@lru_cache(maxsize=None)
def _extracted(path: str):
    doc = read(path)
    return doc, facts.extract(doc)


def _key(metric, stage, subject, value) -> tuple:
    return (metric, stage, subject, Decimal(value).normalize())


def _file_offset(doc, i: int) -> int:
    """Offset in the decoded source file of normalized offset ``i`` (pages of a text file concatenate to it)."""
    page = doc.page_of(i)
    return sum(len(p.text) for p in doc.pages if p.number < page) + doc.source_offset(i)


def _wan(f: dict) -> str:
    return f["value_wanyuan"] or f["value"]


@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.name.removesuffix(".gold.json"))
def test_gold_offsets_point_at_the_surface(gold_path):
    gold = _gold(gold_path)
    text = _source(gold).read_text(encoding="utf-8")
    for f in gold["facts"]:
        assert text[f["start"] : f["end"]] == f["surface"], f
        digits = "".join(ch for ch in f["surface"] if ch.isdigit())
        if not digits:  # written in Chinese numerals (七个)
            continue
        assert digits.lstrip("0") and digits.lstrip("0") in f["value"].replace(".", "") or Decimal(f["value"]) == 0, f


def _seed_cases():
    for i, f in enumerate(_gold(SEED_GOLD)["facts"]):
        if any(k in f["metric"] for k in FAMILIES):
            yield pytest.param(f, id=f"{i:03d}-{f['metric']}-{f['stage']}-{f['value']}")


@pytest.mark.parametrize("gold_fact", list(_seed_cases()))
def test_seed_figure_has_right_metric_and_stage(gold_fact):
    gold = _gold(SEED_GOLD)
    src = _source(gold)
    doc, out = _extracted(str(src))
    # the fact whose quantity covers the gold surface in the source file
    here = [f for f in out if _file_offset(doc, f.start) <= gold_fact["start"] < _file_offset(doc, f.end - 1) + 1]
    got = {(f.metric, f.stage, f.subject) for f in here}
    assert (gold_fact["metric"], gold_fact["stage"], gold_fact["subject"]) in got, got
    match = next(f for f in here if f.metric == gold_fact["metric"] and f.stage == gold_fact["stage"])
    assert format(match.value_wanyuan if match.value_wanyuan is not None else match.value, "f") == _wan(gold_fact)


def test_corpus_precision_and_recall_floor():
    tp = fp = fn = 0
    misses = []
    for path in GOLD:
        gold = _gold(path)
        src = (ROOT / gold["source"]).resolve()
        if not src.exists():
            continue
        _, out = _extracted(str(src))
        want = Counter(_key(f["metric"], f["stage"], f["subject"], _wan(f)) for f in gold["facts"] if f["metric"] != "other")
        got = Counter(_key(f.metric, f.stage, f.subject, f.value_wanyuan if f.value_wanyuan is not None else f.value)
                      for f in out if f.metric != "other")
        tp += sum((want & got).values())
        fp += sum((got - want).values())
        fn += sum((want - got).values())
        misses += [(path.name, "extra", k) for k in got - want] + [(path.name, "missed", k) for k in want - got]
    if tp + fn == 0:
        pytest.skip("../shared/ is not here")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.97 and recall >= 0.95, (precision, recall, misses)


def test_seed_indicators_carry_level_target_and_met():
    gold = _gold(SEED_GOLD)
    _, out = _extracted(str(_source(gold)))
    rows = {(f.indicator_name, f.target, f.actual, f.met): f for f in out if f.metric == "indicator"}
    want = [(g["indicator_name"], g.get("target"), g.get("actual"), g.get("met")) for g in gold["facts"] if g["metric"] == "indicator"]
    for w in want:
        assert w in rows, (w, list(rows))
    levels = {f.indicator_name: f.indicator_level2 for f in rows.values()}
    assert levels["认定一类福田英才"] == "质量目标" and levels["企业及商协会人才支持资金支出"] == "数量目标"


def test_seed_parents_follow_brackets_and_qizhong():
    _, out = _extracted(str(_source(_gold(SEED_GOLD))))
    by_id = {f.fact_id: f for f in out}

    def parent_of(metric, stage, value):
        f = next(f for f in out if f.metric == metric and f.stage == stage and f.value == Decimal(value))
        return by_id[f.parent] if f.parent else None

    assert parent_of("personnel_expenditure", "initial_budget", "1526.86").value == Decimal("1724.92")
    assert parent_of("general_budget_appropriation", "adjusted_budget", "254614.67").value == Decimal("293929.96")
    assert parent_of("procurement_sme", "actual", "6.61") is None  # overlaps goods/works/services: not a part
    assert parent_of("three_public_reception", "actual", "0.00").metric == "three_public_total"
    assert parent_of("basic_expenditure", "actual", "1540.23") is None


def test_seed_runs_fast_once_warm():
    import time

    src = _source(_gold(SEED_GOLD))
    doc, _ = _extracted(str(src))
    t0 = time.perf_counter()
    facts.extract(doc)
    assert time.perf_counter() - t0 < 1.0
