"""jixiao (绩效): exact figures, provenance and arithmetic checks for Chinese budget performance self-evaluation reports.

    >>> import extractor
    >>> doc = extractor.read("report.pdf")          # Document: normalized text + provenance map
    >>> facts = extractor.extract(doc)              # list[Fact]: the normalized fact table rows
    >>> result = extractor.check(doc)               # Result: facts, findings, rule outcomes
"""

from .errors import JixiaoError, PatternError, UnreadableReport
from .model import Document, Fact, Finding, Limits, Quantity, Span
from .pipeline import Result, check, extract, read

__version__ = "0.1.0"

__all__ = [
    "read",
    "extract",
    "check",
    "run",
    "Document",
    "Fact",
    "Finding",
    "Quantity",
    "Span",
    "Limits",
    "Result",
    "UnreadableReport",
    "PatternError",
    "JixiaoError",
]


def run(inputs, out, **options):
    """Bulk run over files/folders; see :func:`extractor.bulk.run`."""
    from .bulk import run as _run

    return _run(inputs, out, **options)
