"""One catalogue of coded errors.

Every input problem the pipeline can meet has a reason code (used in
``errors.csv`` and in ``UnreadableReport.reason``) and a numbered message
(shown to the user as ``[E101] encrypted: …``).  Raise with::

    raise UnreadableReport("encrypted", path, detail="owner password set")
"""

from __future__ import annotations

from pathlib import Path

# reason -> (code, message template, what to do)
CATALOGUE: dict[str, tuple[str, str, str]] = {
    "not_found": ("E100", "file not found", "check the path"),
    "empty": ("E101", "the file is empty (0 bytes or no text at all)", "ask the submitter for the real report"),
    "encrypted": ("E102", "the PDF is encrypted with a password", "ask the submitter for an unprotected copy"),
    "corrupt": ("E103", "the file is damaged or truncated and cannot be parsed", "ask for the file again"),
    "unsupported_type": ("E104", "this kind of file is not a report format jixiao reads (PDF, DOCX, HTML, text, image)", "convert it to PDF or DOCX"),
    "no_text_layer": ("E105", "the page has no usable text layer (a scan) and OCR is not available", "install tesseract-ocr and tesseract-ocr-chi-sim (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"),
    "too_large": ("E106", "the file exceeds a size limit", "raise --max-file-mb / --max-pages / --max-chars if the file is genuine"),
    "too_many_pages": ("E107", "the PDF has more pages than the page limit", "raise --max-pages if the file is genuine"),
    "timeout": ("E108", "processing took longer than the per-file time limit", "raise --timeout, or look at the file: it may be hostile"),
    "unsafe": ("E109", "the file looks hostile (zip bomb, external entities, absurd nesting)", "inspect the file before processing it"),
    "decode_error": ("E110", "the text encoding could not be determined", "save the file as UTF-8 or GB18030"),
    "not_a_report": ("E111", "the document does not look like a performance self-evaluation report", "check that the right file was submitted"),
    "crashed": ("E112", "the worker processing this file crashed", "report the file to the jixiao developers"),
    "internal": ("E199", "an unexpected internal error occurred", "report the file to the jixiao developers"),
}


class JixiaoError(Exception):
    """Base of every error jixiao raises on purpose."""


class UnreadableReport(JixiaoError):
    """A report that cannot be read, with a reason code from ``CATALOGUE``."""

    def __init__(self, reason: str, path: str | Path | None = None, detail: str = "") -> None:
        if reason not in CATALOGUE:
            raise ValueError(f"unknown reason code {reason!r}")
        self.reason = reason
        self.code, self.summary, self.hint = CATALOGUE[reason]
        self.path = str(path) if path is not None else None
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f"{self.path}: " if self.path else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"[{self.code}] {self.reason}: {where}{self.summary}{detail}. {self.hint}."

    def as_row(self) -> dict[str, str]:
        """The row this error becomes in a bulk run's ``errors.csv``."""
        return {"path": self.path or "", "reason": self.reason, "code": self.code, "message": self.message}


class PatternError(JixiaoError):
    """A file under ``patterns/`` that fails validation; names the file and the entry."""

    def __init__(self, file: str, entry: str | None, problem: str) -> None:
        self.file, self.entry, self.problem = file, entry, problem
        where = f"{file}" + (f" [{entry}]" if entry else "")
        super().__init__(f"[E200] invalid patterns: {where}: {problem}")
