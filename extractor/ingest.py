"""Reading any submitted report into one normalized :class:`~extractor.model.Document`.

The format is sniffed from the bytes, never the extension: ``%PDF`` → PDF,
a zip holding ``word/document.xml`` → DOCX, HTML by its tags, PNG/JPEG/TIFF
→ OCR (when :mod:`extractor.ocr` is there and Tesseract is installed), else
text with encoding detection.  Every problem is an :class:`UnreadableReport`
with a reason code; nothing raises a traceback at the user.
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from pathlib import Path

from .errors import JixiaoError, UnreadableReport
from .model import Document, Limits, Page, Table
from .normalize import normalize, raw_range_to_text, raw_set_to_text
from .readers import markup
from .readers import pdf as pdf_reader
from .readers import text as text_reader
from .segment import metadata, sections, sentences

__all__ = ["read", "from_text", "from_pages", "sniff", "is_report_text"]


def sniff(data: bytes) -> str:
    """pdf | docx | zip | html | image | text, from the leading bytes."""
    head = data[:1024]
    if head.startswith(b"%PDF") or head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith((b"\xd0\xcf\x11\xe0",)):  # OLE: .doc/.xls
        return "ole"
    low = head.lower()
    if any(t in low for t in (b"<html", b"<!doctype html", b"<table", b"<body", b"<div", b"<p>", b"<meta")):
        return "html"
    return "text"


def read(path: str | Path, limits: Limits | None = None) -> Document:
    """Read a report file of any supported kind into a normalized, segmented Document."""
    limits = limits or Limits()
    p = Path(path)
    try:
        if not p.exists():
            raise UnreadableReport("not_found", p)
        if p.is_dir():
            raise UnreadableReport("unsupported_type", p, "a folder, not a file")
        size = p.stat().st_size
        if size > limits.max_file_mb * 1024 * 1024:
            raise UnreadableReport("too_large", p, f"{size // (1024 * 1024)} MB > limit {limits.max_file_mb} MB")
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableReport("not_found", p, f"{type(exc).__name__}: {exc.strerror or exc}") from None
    if not data or not data.strip():
        raise UnreadableReport("empty", p)
    try:
        return _read(p, data, limits)
    except JixiaoError:
        raise
    except RecursionError:
        raise UnreadableReport("unsafe", p, "structure nested too deeply") from None
    except MemoryError:
        raise UnreadableReport("too_large", p, "out of memory while reading") from None
    except Exception as exc:  # noqa: BLE001 - last line of defence: a coded error, never a traceback
        raise UnreadableReport("corrupt", p, f"{type(exc).__name__}: {str(exc)[:160]}") from None


def _read(p: Path, data: bytes, limits: Limits) -> Document:
    doc_id = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    started = time.monotonic()
    if kind == "pdf":
        got = pdf_reader.read_pdf(p, data, limits)
        warnings = list(got.warnings)
        _ocr_pages(p, got.pages, limits, warnings)
        if not any(pg.text.strip() for pg in got.pages):
            raise UnreadableReport("no_text_layer", p, "no page has a usable text layer")
        doc = from_pages(got.pages, source=p.name, doc_id=doc_id, path=str(p), fmt="pdf", reflow=True, line_full=got.line_full())
        doc.warnings = warnings + doc.warnings
        for t, (page, raw) in zip(got.tables, got.table_chars):
            rng = raw_set_to_text(doc.char_page, doc.char_src, page, raw)
            if rng:
                t.start, t.end = rng
        doc.tables = got.tables
        doc.sections = sections(doc.text, doc.tables)
    elif kind == "docx":
        got = markup.read_docx(p, data)
        doc = _markup_doc(got, p, doc_id, "docx")
    elif kind == "html":
        txt = text_reader.decode(data, p)
        got = markup.read_html(p, txt)
        doc = _markup_doc(got, p, doc_id, "html")
    elif kind == "image":
        doc = _image(p, doc_id, limits)
    elif kind in ("zip", "ole"):
        raise UnreadableReport("unsupported_type", p, "a zip archive" if kind == "zip" else "an old binary Office file (.doc/.xls)")
    else:
        txt = text_reader.decode(data, p)
        if len(txt) > limits.max_total_chars:
            raise UnreadableReport("too_large", p, f"{len(txt)} characters > limit {limits.max_total_chars}")
        if not text_reader.looks_like_text(txt):
            raise UnreadableReport("unsupported_type", p, "binary content, not text")
        if not txt.strip():
            raise UnreadableReport("empty", p)
        pages = text_reader.split_pages(txt)
        doc = from_pages(pages, source=p.name, doc_id=doc_id, path=str(p), fmt="text", reflow=True)
    if time.monotonic() - started > limits.timeout:
        raise UnreadableReport("timeout", p, f"reading took more than {limits.timeout:g} s")
    if len(doc.text) > limits.max_total_chars:
        raise UnreadableReport("too_large", p, f"{len(doc.text)} characters > limit {limits.max_total_chars}")
    if not doc.text.strip():
        raise UnreadableReport("empty", p, "no text after reading")
    if not is_report_text(doc.text):
        raise UnreadableReport("not_a_report", p, "no budget or performance vocabulary in the text (patterns/layout.yaml report_cues)")
    return doc


def is_report_text(text: str) -> bool:
    """Does the text hold any budget/performance word at all?  Conservative: one cue anywhere is enough."""
    from .normalize import layout

    return layout().report_cues.search(text) is not None


def _markup_doc(got: markup.MarkupRead, p: Path, doc_id: str, fmt: str) -> Document:
    doc = from_pages([Page(1, got.text)], source=p.name, doc_id=doc_id, path=str(p), fmt=fmt, reflow=False, tables=got.tables)
    for t, (s, e) in zip(got.tables, got.table_ranges):
        rng = raw_range_to_text(doc.char_page, doc.char_src, 1, s, e)
        if rng:
            t.start, t.end = rng
    doc.sections = sections(doc.text, doc.tables)
    return doc


def _ocr_module():
    from . import ocr

    try:
        return ocr if ocr.available() else None
    except Exception:  # noqa: BLE001
        return None


def _ocr_pages(p: Path, pages: list[Page], limits: Limits, warnings: list[str]) -> None:
    """Pages without a usable text layer: OCR them when possible, else leave them empty with a warning."""
    ocr = None
    checked = False
    for pg in pages:
        if pdf_reader.usable_text(pg.text):
            continue
        if not checked:
            ocr = _ocr_module() if limits.ocr else None
            checked = True
        if ocr is not None:
            try:
                pg.text = ocr.fix_text(ocr.ocr_pdf_page(str(p), pg.number))
                pg.source_kind = "ocr"
                continue
            except Exception as exc:  # noqa: BLE001 - OCR failing on one page is not fatal
                warnings.append(f"[E105] no_text_layer: page {pg.number} OCR failed ({type(exc).__name__})")
        else:
            warnings.append(f"[E105] no_text_layer: page {pg.number} has no usable text layer and OCR is not available")
        pg.text = ""


def _image(p: Path, doc_id: str, limits: Limits) -> Document:
    ocr = _ocr_module() if limits.ocr else None
    if ocr is None:
        raise UnreadableReport("no_text_layer", p, "an image; OCR is not available")
    texts = ocr.ocr_image(str(p))
    pages = [Page(i + 1, ocr.fix_text(t), "ocr") for i, t in enumerate(texts)]
    if not any(pg.text.strip() for pg in pages):
        raise UnreadableReport("no_text_layer", p, "OCR found no text")
    return from_pages(pages, source=p.name, doc_id=doc_id, path=str(p), fmt="image", reflow=True)


def from_pages(
    pages: list[Page],
    source: str = "<text>",
    doc_id: str | None = None,
    path: str | None = None,
    fmt: str = "text",
    reflow: bool = True,
    tables: list[Table] | None = None,
    line_full=None,
) -> Document:
    """Normalize and segment pages that a reader produced."""
    norm = normalize(pages, reflow=reflow, line_full=line_full)
    text = norm.text
    if doc_id is None:
        doc_id = hashlib.sha256("".join(pg.text for pg in pages).encode("utf-8")).hexdigest()
    doc = Document(
        doc_id=doc_id,
        source=source,
        path=path or source,
        format=fmt,
        text=text,
        char_page=norm.char_page,
        char_src=norm.char_src,
        pages=pages,
        tables=tables or [],
    )
    doc.sentences = sentences(text)
    doc.sections = sections(text, doc.tables)
    doc.metadata = metadata(text, source)
    return doc


def from_text(text: str, source: str = "<text>", doc_id: str | None = None) -> Document:
    """A Document from a string (tests, fuzzing, generated text): pages inferred, normalized, segmented."""
    doc_id = doc_id or hashlib.sha256(text.encode("utf-8")).hexdigest()
    pages = text_reader.split_pages(text) if text else [Page(1, "")]
    return from_pages(pages, source=source, doc_id=doc_id, fmt="text", reflow=True)
