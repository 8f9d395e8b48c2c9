"""patterns/: every YAML file loads strictly; every rule of metrics.yaml fires on the examples written beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import facts, ingest, labels, patterns
from extractor.errors import PatternError

RULES = labels.rules()
SPEC = RULES.spec


@pytest.mark.parametrize("path", patterns.yaml_files(), ids=lambda p: p.name)
def test_every_yaml_file_parses_without_duplicate_keys(path: Path):
    assert patterns.read_yaml(path) is not None


def test_metrics_yaml_validates_and_compiles():
    assert labels.build(patterns.load("metrics", labels.MetricsFile)).metrics


def _metric_cases():
    for rule in SPEC.metrics:
        for i, ex in enumerate(rule.examples):
            yield pytest.param(rule.id, ex, id=f"{rule.id}#{i}")


@pytest.mark.parametrize("rule_id, example", list(_metric_cases()))
def test_metric_rule_fires_on_its_example(rule_id, example):
    out = facts.extract(ingest.from_text(example))
    assert rule_id in {f.rule for f in out}, [(f.metric, f.rule, f.label) for f in out]


def _cue_cases():
    for cue, pat in RULES.stage_cues + RULES.changes + RULES.subjects:
        for i, ex in enumerate(cue.examples):
            yield pytest.param(pat, ex, id=f"{cue.id}#{i}")
    for cue, pat in ((SPEC.formula, RULES.formula), (SPEC.shared_value, RULES.shared_value),
                     (SPEC.breakdown, RULES.breakdown), (SPEC.indicators.statement, RULES.statement)):
        for i, ex in enumerate(cue.examples):
            yield pytest.param(pat, ex, id=f"{cue.id}#{i}")


@pytest.mark.parametrize("pattern, example", list(_cue_cases()))
def test_cue_fires_on_its_example(pattern, example):
    # cues are applied to a clause or the text left of a number ("…增加$", "^名称…$"): try every substring
    n = len(example)
    pieces = [example[i:j] for i in range(n) for j in range(i + 1, n + 1)]
    assert any(pattern.search(p) for p in pieces), example


def test_dictionary_terms_cover_the_long_labels():
    terms = labels.dictionary_terms()
    assert "一般公共预算财政拨款" in terms and "公务用车购置和运行维护费" in terms


# ---- strictness: a bad file names the file and the entry

GOOD = (Path(patterns.patterns_dir()) / "metrics.yaml").read_text(encoding="utf-8")


def _load_variant(tmp_path: Path, text: str):
    (tmp_path / "metrics.yaml").write_text(text, encoding="utf-8")
    return labels.build(patterns.load("metrics", labels.MetricsFile, tmp_path))


@pytest.mark.parametrize(
    "old, new, needle",
    [
        ("  - id: metric.other_income\n", "  - id: metric.other_income\n    colour: red\n", "metric.other_income"),
        ("  - id: metric.other_income\n", "  - id: metric.income_total\n", "duplicate id"),
        ("    metric: other_income\n", "    metric: other_revenue\n", "unknown metric"),
        ("labels: ['事业收入'", "labels: ['事业收入{nosuchpiece}'", "unknown piece"),
        ("labels: ['事业收入'", "labels: ['事业收入('", "bad regex"),
    ],
    ids=["unknown-field", "duplicate-id", "unknown-metric", "bad-reference", "bad-regex"],
)
def test_bad_metrics_file_is_rejected_with_file_and_entry(tmp_path, old, new, needle):
    assert old in GOOD
    with pytest.raises(PatternError) as err:
        _load_variant(tmp_path, GOOD.replace(old, new, 1))
    assert "metrics.yaml" in str(err.value) and needle in str(err.value)


def test_duplicate_yaml_key_is_rejected(tmp_path):
    with pytest.raises(PatternError, match="duplicate key"):
        _load_variant(tmp_path, GOOD.replace("pieces:\n", "pieces:\n  bud: 'x'\n", 1))
