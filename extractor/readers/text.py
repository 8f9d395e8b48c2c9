"""Plain text: encoding detection and page inference.

Text pulled out of a PDF (the seed's shape) keeps its pages only as runs of
blank lines, form feeds, or page-number lines (``— 3 —``); we split there so
every figure still knows its page.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import UnreadableReport
from ..model import Page

_PAGE_NO = re.compile(r"^[ \t\u3000]*(?:[-—–－―~]+[ \t\u3000]*\d{1,4}[ \t\u3000]*[-—–－―~]+|第[ \t\u3000]*\d{1,4}[ \t\u3000]*页(?:[ \t\u3000]*[,，/／]?[ \t\u3000]*共[ \t\u3000]*\d{1,4}[ \t\u3000]*页)?)[ \t\u3000]*$")


def decode(data: bytes, path: str | Path | None = None) -> str:
    """Bytes → str: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK, else charset-normalizer."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if _binary(data):
        raise UnreadableReport("unsupported_type", path, "binary content, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None:
        raise UnreadableReport("decode_error", path)
    return data.decode(best.encoding, errors="replace")


def _binary(data: bytes) -> bool:
    head = data[:65536]
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl > max(8, len(head) // 50)


def looks_like_text(s: str) -> bool:
    """Mostly printable characters (a decoded binary file is not)."""
    if not s:
        return False
    sample = s[:20000]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad <= len(sample) * 0.05


def split_pages(text: str) -> list[Page]:
    """Pages from form feeds, long runs of blank lines, and page-number lines."""
    if "\f" in text:
        pages, pos = [], 0
        chunks = text.split("\f")
        for k, chunk in enumerate(chunks):
            chunk = chunk + ("\f" if k < len(chunks) - 1 else "")  # pages tile the text exactly
            if chunk.strip() or not pages:
                pages.append((pos, chunk))
            else:
                s0, t0 = pages.pop()
                pages.append((s0, t0 + chunk))
            pos += len(chunk)
        return _numbered(pages)
    lines = text.splitlines(keepends=True)
    # the usual blank run between lines: 1 in PDF-extracted text with blank lines between, else 0
    runs: list[int] = []
    run = 0
    for ln in lines:
        if ln.strip(" \t\u3000\r\n"):
            runs.append(run)
            run = 0
        else:
            run += 1
    if not runs:
        return [Page(1, text)]
    typical = max(set(runs), key=runs.count)
    brk = typical + 2
    cuts: list[int] = []  # raw offsets where a new page starts
    pos = 0
    run = 0
    run_start = 0
    for ln in lines:
        blank = not ln.strip(" \t\u3000\r\n")
        if blank:
            if run == 0:
                run_start = pos
            run += 1
        else:
            if run >= brk and run_start > 0:
                cuts.append(run_start)
            run = 0
            if _PAGE_NO.match(ln.rstrip("\r\n")):
                cuts.append(pos + len(ln))
        pos += len(ln)
    bounds = sorted(set(c for c in cuts if 0 < c < len(text)))
    pieces, start = [], 0
    for c in bounds:
        if text[start:c].strip():
            pieces.append((start, text[start:c]))
            start = c
    pieces.append((start, text[start:]))
    if len(pieces) > 1 and not pieces[-1][1].strip():
        last = pieces.pop()
        s0, t0 = pieces.pop()
        pieces.append((s0, t0 + last[1]))
    return _numbered(pieces)


def file_offset(pages: list[Page], page: int, offset: int) -> int:
    """Offset in the decoded file of ``offset`` on ``page`` (text input: pages tile the file)."""
    return sum(len(p.text) for p in pages[: page - 1]) + offset


def _numbered(pieces: list[tuple[int, str]]) -> list[Page]:
    return [Page(i + 1, t) for i, (_, t) in enumerate(pieces)] or [Page(1, "")]
