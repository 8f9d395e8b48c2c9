"""The records every stage shares: small, frozen where they can be, Decimal for every figure.

Offsets are always into ``Document.text`` (the normalized text), half-open
``[start, end)``.  ``Document.page_of(i)`` and ``Document.source_offset(i)``
map any normalized offset back to the page and the position in that page's
raw text, so every figure can be shown to an auditor where it was printed.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open ``[start, end)`` in a document's normalized text, with the page of ``start``."""

    doc_id: str
    page: int
    start: int
    end: int


@dataclass(slots=True)
class Page:
    """One page as read: its raw text (after reading, before normalization)."""

    number: int  # 1-based
    text: str
    source_kind: str = "text"  # "text" (text layer / native), "ocr"
    width: float | None = None
    height: float | None = None


@dataclass(slots=True)
class Cell:
    """One table cell with its place in the table and, for PDFs, in the page."""

    row: int
    col: int
    text: str | None  # None: covered by a merged cell (before fill)
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom (PDF points)


@dataclass(slots=True)
class Table:
    """A table as found in the source (ruled PDF table, HTML/DOCX table, or text recovered as a table)."""

    id: str  # "t1", "t2", ... unique within the document
    page: int | None
    rows: list[list[str | None]]  # grid after merge fill: rows[r][c]
    cells: list[Cell] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    origin: str = "pdf"  # pdf | html | docx | text
    start: int | None = None  # where the table sits in Document.text, when it is there
    end: int | None = None


@dataclass(slots=True)
class Section:
    """A heading and the text it governs."""

    level: int  # 1 for 一、, 2 for （一）, 3 for 1. / 1、, 4 for （1）, 5 for ①
    marker: str  # "一、", "（三）", "1." ...
    title: str  # heading text without the marker
    path: str  # "一、部门基本情况 > （三）2020 年部门预算编制情况"
    start: int  # heading start in Document.text
    end: int  # end of the governed text (next heading of same or higher level)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@dataclass(slots=True)
class Metadata:
    department: str | None = None
    year: int | None = None
    kind: str | None = None  # department_overall | project | self_evaluation_table | None
    region: str | None = None
    title: str | None = None


@dataclass(slots=True)
class Document:
    """A report read and normalized, with a map from every normalized character to its source."""

    doc_id: str  # sha256 of the source file's bytes
    source: str  # file name
    path: str
    format: str  # pdf | text | html | docx | image
    text: str  # normalized full text
    char_page: array  # array('i'): page number of each normalized char
    char_src: array  # array('i'): offset of each normalized char in its page's raw text
    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    warnings: list[str] = field(default_factory=list)  # coded, non-fatal ("[E105] no_text_layer: page 3 …")

    # ---- provenance
    def page_of(self, offset: int) -> int:
        if not self.text:
            return 1
        offset = min(max(offset, 0), len(self.text) - 1)
        return int(self.char_page[offset])

    def source_offset(self, offset: int) -> int:
        offset = min(max(offset, 0), len(self.text) - 1)
        return int(self.char_src[offset])

    def span(self, start: int, end: int) -> Span:
        return Span(self.doc_id, self.page_of(start), start, end)

    def source_kind_at(self, offset: int) -> str:
        page = self.page_of(offset)
        for p in self.pages:
            if p.number == page:
                return p.source_kind
        return "text"

    # ---- structure
    def sentence_at(self, offset: int) -> Sentence:
        """The sentence containing ``offset`` (the whole text if sentences were not split)."""
        if not self.sentences:
            return Sentence(0, len(self.text))
        i = bisect_right(self.sentences, offset, key=_sentence_start) - 1  # no list of starts built per call
        if i < 0:
            return self.sentences[0]
        return self.sentences[i]

    def quote(self, start: int, end: int | None = None) -> str:
        """The sentence around ``[start, end)``, stripped: what an auditor reads to verify a figure."""
        s = self.sentence_at(start)
        e = self.sentence_at(end - 1) if end is not None and end > start else s
        return self.text[s.start : max(e.end, s.end)].strip()

    def section_at(self, offset: int) -> Section | None:
        """The innermost section whose range holds ``offset``."""
        best = None
        for sec in self.sections:
            if sec.start <= offset < sec.end and (best is None or sec.level >= best.level):
                best = sec
        return best

    def page_numbers(self) -> list[int]:
        return [p.number for p in self.pages]

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc_id": self.doc_id,
            "source": self.source,
            "format": self.format,
            "metadata": asdict(self.metadata),
            "pages": [{"number": p.number, "source_kind": p.source_kind, "chars": len(p.text)} for p in self.pages],
            "sections": [asdict(s) for s in self.sections],
            "sentences": [
                {"start": s.start, "end": s.end, "page": self.page_of(s.start), "text": self.text[s.start : s.end]}
                for s in self.sentences
            ],
            "tables": [
                {
                    "id": t.id,
                    "page": t.page,
                    "origin": t.origin,
                    "bbox": t.bbox,
                    "rows": t.rows,
                    "cells": [asdict(c) for c in t.cells],
                }
                for t in self.tables
            ],
            "warnings": self.warnings,
        }
        if with_text:
            out["text"] = self.text
        return out


def _sentence_start(s: Sentence) -> int:
    return s.start


# --------------------------------------------------------------------------- figures

KINDS = ("amount", "rate", "percentage_points", "count", "ratio")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One numeric mention, exact.

    ``value`` is the number in the unit as written (``22719.86`` for "22,719.86 万元",
    ``98.48`` for "98.48%").  ``decimals`` is the stated precision (2 for "22,719.86").
    ``value_yuan`` / ``value_wanyuan`` are set for amounts only.
    """

    kind: str
    value: Decimal
    text: str  # the numeral as written ("22,719.86", "五千", "百分之九十")
    decimals: int
    unit: str  # as written: 万元, 元, %, 人, 个, 人次 ...
    span: Span  # the whole mention (comparator + number + unit) in normalized text
    surface: str  # Document.text[span.start:span.end]
    rule: str  # id of the pattern that matched ("number.arabic_amount")
    value_yuan: Decimal | None = None
    value_wanyuan: Decimal | None = None
    comparator: str | None = None  # =, ≥, ≤, >, < as written-normalized
    unit_source: str = "inline"  # inline | table_header | block | inferred
    scale: str | None = None  # 万 in "319 万只"
    confidence: float = 1.0


FACT_COLUMNS = (
    "doc_id",
    "source",
    "department",
    "year",
    "subject",
    "section",
    "metric",
    "stage",
    "value",
    "unit",
    "value_wanyuan",
    "label",
    "page",
    "start",
    "end",
    "quote",
    "rule",
    "confidence",
)

# Extra columns a fact may carry (after FACT_COLUMNS in parquet/DuckDB; not in `extract --format json`).
FACT_EXTRA_COLUMNS = (
    "fact_id",
    "parent",
    "kind",
    "decimals",
    "comparator",
    "source_kind",
    "table_id",
    "row",
    "col",
    "bbox",
    "indicator_level1",
    "indicator_level2",
    "indicator_name",
    "target",
    "target_unit",
    "actual",
    "actual_unit",
    "weight",
    "score",
    "met",
    "deviation_reason",
)


@dataclass(slots=True)
class Fact:
    """One row of the normalized fact table."""

    doc_id: str
    source: str
    department: str | None
    year: int | None
    subject: str  # "department" or a project's name
    section: str
    metric: str  # vocabulary in patterns/metrics.yaml, or "other"
    stage: str  # initial_budget | adjusted_budget | actual | prior_year | change | none
    value: Decimal | None  # None only for qualitative indicator rows
    unit: str
    value_wanyuan: Decimal | None
    label: str
    page: int
    start: int
    end: int
    quote: str
    rule: str
    confidence: float
    fact_id: str = ""  # "f0001", unique within the document
    parent: str | None = None  # fact_id of the total this is a part of
    kind: str | None = None  # quantity kind
    decimals: int | None = None
    comparator: str | None = None
    source_kind: str = "text"
    table_id: str | None = None
    row: int | None = None
    col: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    indicator_level1: str | None = None
    indicator_level2: str | None = None
    indicator_name: str | None = None
    target: str | None = None  # as written (Decimal string or qualitative text)
    target_unit: str | None = None
    actual: str | None = None
    actual_unit: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    met: bool | None = None  # None = unknown
    deviation_reason: str | None = None

    def as_row(self, extended: bool = False) -> dict[str, Any]:
        cols = FACT_COLUMNS + (FACT_EXTRA_COLUMNS if extended else ())
        return {c: _plain(getattr(self, c)) for c in cols}


FINDING_COLUMNS = (
    "doc_id",
    "source",
    "rule",
    "severity",
    "message",
    "expected",
    "stated",
    "difference",
    "tolerance",
    "facts",
)


@dataclass(slots=True)
class Finding:
    doc_id: str
    source: str
    rule: str  # id of the rule in patterns/checks.yaml ("sum.procurement")
    severity: str  # error | warning | info
    message: str  # Chinese, with the numbers
    expected: Decimal | None
    stated: Decimal | None
    difference: Decimal | None
    tolerance: Decimal | None
    facts: list[Fact] = field(default_factory=list)
    source_kind: str = "text"  # "ocr" when any involved figure came from OCR

    def as_row(self) -> dict[str, Any]:
        row = {c: _plain(getattr(self, c)) for c in FINDING_COLUMNS if c != "facts"}
        row["facts"] = [f.as_row(extended=True) for f in self.facts]
        return row


@dataclass(slots=True)
class CheckOutcome:
    """One rule's result on one document, for ``--explain`` and coverage counts."""

    rule: str
    status: str  # passed | failed | skipped
    detail: str = ""  # "missing: 项目支出决算数" for skipped


def _plain(v: Any) -> Any:
    """A value as JSON/CSV wants it: Decimal as its exact string, tuples as lists."""
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, tuple):
        return list(v)
    return v




@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for one file; every bulk run shows them in ``jixiao run --help``."""

    max_file_mb: int = 200
    max_pages: int = 1500
    max_chars_per_page: int = 200_000
    max_total_chars: int = 20_000_000
    timeout: float = 120.0  # seconds per file (enforced by the bulk runner and by long loops)
    ocr: bool = True  # OCR pages without a text layer when tesseract is installed
