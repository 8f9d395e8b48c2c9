"""The pipeline for one report: read → quantities → facts (prose + tables) → checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .model import CheckOutcome, Document, Fact, Finding, Limits


@dataclass(slots=True)
class Result:
    """Everything jixiao learns from one report."""

    document: Document
    facts: list[Fact]
    findings: list[Finding]
    outcomes: list[CheckOutcome] = field(default_factory=list)

    def coverage(self) -> dict[str, int]:
        counts = {"checks_run": 0, "checks_passed": 0, "checks_failed": 0, "checks_skipped": 0}
        for o in self.outcomes:
            counts[f"checks_{o.status}"] += 1
            if o.status != "skipped":
                counts["checks_run"] += 1
        return counts


def read(path: str | Path, limits: Limits | None = None) -> Document:
    """Read any report (PDF, DOCX, HTML, text, image) into a normalized Document."""
    from . import ingest

    return ingest.read(path, limits=limits)


def _as_document(source: str | Path | Document, limits: Limits | None = None) -> Document:
    return source if isinstance(source, Document) else read(source, limits)


def extract(source: str | Path | Document, limits: Limits | None = None) -> list[Fact]:
    """All facts of a report: prose statements and 自评表 rows, with fact ids assigned."""
    doc = _as_document(source, limits)
    facts, _ = _extract(doc)
    return facts


def _extract(doc: Document) -> tuple[list[Fact], list[Finding]]:
    from . import facts as _facts
    from . import tables as _tables

    tabular = _tables.extract(doc)  # 自评表 and other tables; claims the text regions it read
    prose = _facts.extract(doc, skip=tabular.regions)
    return assign_ids(prose + tabular.facts), tabular.findings


def assign_ids(facts: list[Fact]) -> list[Fact]:
    """Order facts by position and give each a stable id (``f0001``…); parents keep pointing at the same fact."""
    facts = sorted(facts, key=lambda f: (f.start, f.end, f.table_id or "", f.row or 0, f.col or 0))
    renamed: dict[str, str] = {}
    for i, f in enumerate(facts, 1):
        new_id = f"f{i:04d}"
        if f.fact_id:
            renamed[f.fact_id] = new_id
        f.fact_id = new_id
    for f in facts:
        if f.parent is not None:
            f.parent = renamed.get(f.parent, f.parent)
    return facts


def check(source: str | Path | Document, facts: list[Fact] | None = None, limits: Limits | None = None) -> Result:
    """Read (if needed), extract (if needed) and check one report."""
    doc = _as_document(source, limits)
    extra: list[Finding] = []
    if facts is None:
        facts, extra = _extract(doc)
    from . import checks as _checks

    report = _checks.run(doc, facts)
    return Result(doc, facts, extra + report.findings, report.outcomes)
