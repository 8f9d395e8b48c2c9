"""Facts and findings as pandas DataFrames (the contract other tools read)."""

from __future__ import annotations

import json
from typing import Iterable

import pandas as pd

from .model import FACT_COLUMNS, FACT_EXTRA_COLUMNS, FINDING_COLUMNS, Fact, Finding


def facts_frame(facts: Iterable[Fact], extended: bool = False) -> pd.DataFrame:
    """One row per fact; ``value``/``value_wanyuan`` are exact Decimal strings, never floats."""
    cols = list(FACT_COLUMNS + (FACT_EXTRA_COLUMNS if extended else ()))
    rows = [f.as_row(extended=extended) for f in facts]
    frame = pd.DataFrame(rows, columns=cols)
    if extended and "bbox" in frame:
        frame["bbox"] = frame["bbox"].map(lambda b: json.dumps(b) if b is not None else None)
    return frame.astype({"year": "Int64", "page": "Int64", "start": "Int64", "end": "Int64"})


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """One row per finding; ``facts`` is the JSON list of the involved fact rows."""
    rows = []
    for f in findings:
        row = f.as_row()
        row["facts"] = json.dumps(row["facts"], ensure_ascii=False)
        row["source_kind"] = f.source_kind
        rows.append(row)
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS) + ["source_kind"])
