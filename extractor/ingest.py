"""BOOTSTRAP placeholder (to be replaced by the ingest stage): text only, identity normalization."""

from __future__ import annotations

import hashlib
from array import array
from pathlib import Path

import regex

from .errors import UnreadableReport
from .model import Document, Limits, Page, Sentence

_SENT = regex.compile(r"[^。！？；\n]*[。！？；\n]|[^。！？；\n]+$")


def from_text(text: str, source: str = "<text>", doc_id: str | None = None) -> Document:
    """A Document from a string (tests, fuzzing, generated text)."""
    doc_id = doc_id or hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc = Document(
        doc_id=doc_id,
        source=source,
        path=source,
        format="text",
        text=text,
        char_page=array("i", [1] * len(text)),
        char_src=array("i", range(len(text))),
        pages=[Page(1, text)],
    )
    doc.sentences = [Sentence(m.start(), m.end()) for m in _SENT.finditer(text) if m.end() > m.start()]
    return doc


def read(path: str | Path, limits: Limits | None = None) -> Document:
    p = Path(path)
    if not p.exists():
        raise UnreadableReport("not_found", p)
    data = p.read_bytes()
    if not data:
        raise UnreadableReport("empty", p)
    return from_text(data.decode("utf-8", errors="replace"), source=p.name, doc_id=hashlib.sha256(data).hexdigest())
