"""Finders shared by the tests/test_tables_*.py files."""

from __future__ import annotations


def only(res, metric, stage=None, label=None, name=None):
    """The one fact of ``res`` with this metric (and stage / exact label / indicator name when given)."""
    got = [
        f
        for f in res.facts
        if f.metric == metric
        and (stage is None or f.stage == stage)
        and (label is None or f.label == label)
        and (name is None or f.indicator_name == name)
    ]
    assert len(got) == 1, [(f.metric, f.stage, f.label, f.indicator_name, f.value) for f in res.facts]
    return got[0]
