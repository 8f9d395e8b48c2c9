"""OCR fallback for scanned pages and image files: tesseract ``chi_sim`` plus repair of its usual misreads.

Pages are rendered with pypdfium2 and piped to ``tesseract - - -l chi_sim`` as PNG
(one process per page, ``OMP_THREAD_LIMIT=1`` so a bulk run's workers do not fight
over cores, and a timeout so a hostile page cannot hang a worker).  The text it
returns is repaired by :func:`fix_text` with the patterns in ``patterns/ocr.yaml``
(``≥`` read as ``三``, ``]`` for ``1``, dropped thousands commas, spaces between Han
characters …) so the quantity reader sees what was printed.

Every failure is an :class:`~extractor.errors.UnreadableReport` with a reason code:
``no_text_layer`` when tesseract or its Chinese data is missing, ``timeout``,
``corrupt`` for a page or image that cannot be decoded, ``unsafe`` for a
decompression-bomb image, ``too_many_pages`` for a TIFF with too many frames.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

import regex
from pydantic import Field, model_validator

from .errors import PatternError, UnreadableReport
from .model import Limits
from .patterns import Strict, check_unique, compile_pattern, load

# Page segmentation mode 6 (one uniform block): on our rendered report pages (tests/data/ocr/) it keeps
# each 自评表 row on one line with its cells apart by column gaps; psm 3 (auto) dropped the 得分
# column, psm 4 reads the same figures with wider gaps.
DEFAULT_PSM = 6
DEFAULT_TIMEOUT = 60.0  # seconds for one page
LOW_CONFIDENCE = 50.0  # mean word confidence under which a page may lie sideways or upside down
MAX_PIXELS = 60_000_000  # a 300 dpi A3 page is ~17 M px; larger is a bomb or a mistake

# --------------------------------------------------------------------------- availability


@functools.lru_cache(maxsize=1)
def _tesseract() -> str | None:
    return shutil.which("tesseract")


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """True when tesseract is on PATH and lists ``chi_sim`` among its languages (checked once)."""
    exe = _tesseract()
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20, env=_env())
    except (OSError, subprocess.SubprocessError):
        return False
    langs = {line.strip() for line in (out.stdout + out.stderr).splitlines()}
    return "chi_sim" in langs


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _require(path: str | Path) -> str:
    if not available():
        raise UnreadableReport("no_text_layer", path, detail="tesseract with chi_sim is not installed")
    return _tesseract() or "tesseract"


# --------------------------------------------------------------------------- running tesseract


def _run(png: bytes, path: str | Path, where: str, psm: int, timeout: float) -> tuple[str, float]:
    """Run tesseract on one PNG image: its text and the mean confidence (0-100) of the words it read."""
    exe = _require(path)
    with tempfile.TemporaryDirectory(prefix="jixiao-ocr-") as tmp:
        base = os.path.join(tmp, "page")
        cmd = [exe, "-", base, "-l", "chi_sim", "--psm", str(psm), "-c", "preserve_interword_spaces=1", "txt", "tsv"]
        try:
            out = subprocess.run(cmd, input=png, capture_output=True, timeout=timeout, env=_env())
        except subprocess.TimeoutExpired:
            raise UnreadableReport("timeout", path, detail=f"OCR of {where} took over {timeout:g} s") from None
        except OSError as exc:
            raise UnreadableReport("no_text_layer", path, detail=f"tesseract could not run: {exc}") from None
        if out.returncode != 0:
            msg = out.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise UnreadableReport("corrupt", path, detail=f"OCR of {where} failed: {msg[0][:200]}")
        try:
            text = Path(base + ".txt").read_text(encoding="utf-8", errors="replace")
            tsv = Path(base + ".tsv").read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UnreadableReport("corrupt", path, detail=f"OCR of {where} wrote no output: {exc}") from None
    return text, _mean_confidence(tsv)


def _mean_confidence(tsv: str) -> float:
    """Mean word confidence from tesseract's TSV (columns …, conf, text); 0.0 when no word was read."""
    total, n = 0.0, 0
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or not cols[11].strip():
            continue
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        if conf >= 0:
            total, n = total + conf, n + 1
    return total / n if n else 0.0


def _long_runs(dark, length: int):
    """Mask of the pixels lying in a horizontal run of at least ``length`` dark pixels (table rules)."""
    import numpy as np

    mask = np.zeros(dark.shape, dtype=bool)
    rows = np.flatnonzero(dark.sum(axis=1) >= length)
    if rows.size == 0:
        return mask
    edges = np.diff(np.pad(dark[rows], ((0, 0), (1, 1))).astype(np.int8), axis=1)
    starts, ends = np.argwhere(edges == 1), np.argwhere(edges == -1)  # row-major: they pair up
    for (r, s), (_, e) in zip(starts, ends):
        if e - s >= length:
            mask[rows[r], s:e] = True
    return mask


def remove_rules(image, fraction: float = 0.04):
    """The page with table rules (long straight dark lines) painted white.

    Tesseract reads nothing inside a ruled 自评表 while the rules are there (measured:
    the whole table vanishes at psm 3/4/6); without them it reads the cells as
    columns separated by spaces.
    """
    import numpy as np
    from PIL import Image

    gray = np.asarray(image.convert("L"))
    dark = gray < 200
    length = max(int(dark.shape[1] * fraction), 20)
    mask = _long_runs(dark, length) | _long_runs(dark.T, length).T
    if not mask.any():
        return image
    # widen by a pixel each way: anti-aliased or slightly skewed rules leave edges tesseract reads as | [ 。
    mask[1:, :] |= mask[:-1, :].copy()
    mask[:-1, :] |= mask[1:, :].copy()
    mask[:, 1:] |= mask[:, :-1].copy()
    mask[:, :-1] |= mask[:, 1:].copy()
    out = gray.copy()
    out[mask] = 255
    return Image.fromarray(out)


def skew_angle(image, limit: float = 3.0) -> float:
    """The rotation (degrees) that levels a page's text lines, within ``±limit``; 0.0 when level.

    Projection profile: the angle whose row sums change most sharply (text lines crisp, gaps
    white) wins; a coarse pass at 0.5° then a fine one at 0.1°, on a page shrunk to 800 px.
    """
    import numpy as np
    from PIL import Image

    small = image.convert("L")
    w, h = small.size
    f = 800 / max(w, h)
    if f < 1:
        small = small.resize((max(1, int(w * f)), max(1, int(h * f))))

    def score(angle: float) -> float:
        dark = np.asarray(small.rotate(angle, resample=Image.BILINEAR, fillcolor=255)) < 128
        profile = dark.sum(axis=1).astype(np.int64)
        return float(np.square(np.diff(profile)).sum())

    steps = int(limit / 0.5)
    best = max((k * 0.5 for k in range(-steps, steps + 1)), key=lambda a: (score(a), -abs(a)))
    best = max((best + k * 0.1 for k in range(-4, 5)), key=lambda a: (score(a), -abs(a)))
    return round(best, 1)


def deskew(image, min_angle: float = 0.3):
    """The page rotated level when it is skewed by at least ``min_angle`` degrees (scans rarely sit straight).

    Measured on our fixture page turned 2.5°: 9 of 12 figures read as is, 12 of 12 after deskewing.
    """
    from PIL import Image

    angle = skew_angle(image)
    if abs(angle) < min_angle:
        return image
    return image.convert("L").rotate(angle, resample=Image.BILINEAR, fillcolor=255, expand=True)


def _prepare(image):
    """What tesseract is given: the page levelled, its table rules removed."""
    return remove_rules(deskew(image))


def _png(image) -> bytes:
    """A PIL image as grayscale PNG bytes (tesseract reads PNG from stdin)."""
    if image.mode not in ("L", "1"):
        image = image.convert("L")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def render_pdf_page(path: str | Path, page_number: int, dpi: int = 300):
    """Page ``page_number`` (1-based) of a PDF as a PIL image at ``dpi``."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium raises PdfiumError and others on damaged files
        reason = "encrypted" if "password" in str(exc).lower() else "corrupt"
        raise UnreadableReport(reason, path, detail=f"cannot open PDF for OCR: {exc}") from None
    try:
        if not 1 <= page_number <= len(pdf):
            raise UnreadableReport("corrupt", path, detail=f"no page {page_number} (the PDF has {len(pdf)})")
        page = pdf[page_number - 1]
        w, h = page.get_size()
        scale = dpi / 72
        if w * h * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (w * h)) ** 0.5
        try:
            bitmap = page.render(scale=scale, grayscale=True)
            return bitmap.to_pil()
        except Exception as exc:
            raise UnreadableReport("corrupt", path, detail=f"page {page_number} cannot be rendered: {exc}") from None
    finally:
        pdf.close()


def ocr_pdf_page(
    path: str | Path,
    page_number: int,
    dpi: int = 300,
    *,
    psm: int = DEFAULT_PSM,
    timeout: float = DEFAULT_TIMEOUT,
    fix: bool = True,
) -> str:
    """The text of one PDF page (1-based) read by OCR, repaired by :func:`fix_text` unless ``fix=False``."""
    _require(path)
    image = render_pdf_page(path, page_number, dpi)
    text = _read(image, path, f"page {page_number}", psm, timeout)
    return fix_text(text) if fix else text


def ocr_image_object(image, *, psm: int = DEFAULT_PSM, timeout: float = DEFAULT_TIMEOUT, fix: bool = True, where: str = "image") -> str:
    """The text of a PIL image already in memory (levelled, rules removed, tesseract, :func:`fix_text`)."""
    text = _read(image, where, where, psm, timeout)
    return fix_text(text) if fix else text


_ROTATE = regex.compile(r"Rotate:\s*(\d+)")
_CONFIDENCE = regex.compile(r"Orientation confidence:\s*([0-9.]+)")


def _read(image, path: str | Path, where: str, psm: int, timeout: float) -> str:
    """OCR one page image; a page read with low confidence is tried again the right way up.

    Landscape 自评表 pages are often scanned sideways and photos taken upside down: tesseract's
    orientation detection (``--psm 0``, the ``osd`` data) says how far to turn the page.  Measured on
    our fixture page: mean word confidence 87 upright, 19 sideways, 22 upside down.
    """
    text, conf = _run(_png(_prepare(image)), path, where, psm, timeout)
    if conf >= LOW_CONFIDENCE or not text.strip():
        return text
    turn = _orientation(image, timeout)
    if not turn:
        return text
    again, conf_again = _run(_png(_prepare(image.rotate(-turn, expand=True))), path, f"{where} turned {turn}°", psm, timeout)
    return again if conf_again > conf else text


def _orientation(image, timeout: float) -> int:
    """Degrees (90, 180, 270) to turn the page clockwise to read it, or 0 (upright, unknown, no osd data)."""
    exe = _tesseract()
    if not exe:
        return 0
    try:
        out = subprocess.run([exe, "-", "-", "--psm", "0"], input=_png(image), capture_output=True, timeout=timeout, env=_env())
    except (OSError, subprocess.SubprocessError):
        return 0
    report = out.stdout.decode("utf-8", "replace")
    rotate, confidence = _ROTATE.search(report), _CONFIDENCE.search(report)
    if not rotate or not confidence or float(confidence.group(1)) < 2.0:  # tesseract's own cut-off for a sure answer
        return 0
    turn = int(rotate.group(1)) % 360
    return turn if turn in (90, 180, 270) else 0


def ocr_image(
    path: str | Path,
    *,
    limits: Limits | None = None,
    psm: int = DEFAULT_PSM,
    timeout: float = DEFAULT_TIMEOUT,
    fix: bool = True,
) -> list[str]:
    """The text of an image file (PNG, JPEG, TIFF …), one string per frame (every page of a TIFF)."""
    from PIL import Image, ImageOps, ImageSequence

    _require(path)
    limits = limits or Limits()
    texts: list[str] = []
    try:
        with Image.open(path) as im:
            for i, frame in enumerate(ImageSequence.Iterator(im), 1):
                if i > limits.max_pages:
                    raise UnreadableReport("too_many_pages", path, detail=f"more than {limits.max_pages} frames")
                w, h = frame.size
                if w * h > MAX_PIXELS:
                    raise UnreadableReport("unsafe", path, detail=f"frame {i} is {w}x{h} pixels")
                frame.load()
                if i == 1:
                    frame = ImageOps.exif_transpose(frame)  # a phone photo stored sideways with an EXIF turn
                texts.append(_read(frame, path, f"frame {i}", psm, timeout))
    except UnreadableReport:
        raise
    except Image.DecompressionBombError as exc:
        raise UnreadableReport("unsafe", path, detail=str(exc)) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # PIL's ways of saying "not an image I can read"
        raise UnreadableReport("corrupt", path, detail=f"cannot decode image: {exc}") from None
    return [fix_text(t) for t in texts] if fix else texts


# --------------------------------------------------------------------------- repair


def fix_text(text: str) -> str:
    """Repair tesseract's usual misreads on report pages (patterns/ocr.yaml, applied in file order).

    The rules are applied again until nothing changes (at most four rounds), so a repair that exposes
    another (``0]]``) is finished and a second call, as a reader may make, changes nothing.
    """
    for _ in range(4):
        before = text
        for rule in _rules():
            text = rule.apply(text)
        if text == before:
            break
    return text


# ---- repair functions a rule may name with ``function:`` (the match in, its replacement out)


def _fullwidth(m: regex.Match) -> str:
    return unicodedata.normalize("NFKC", m.group(0))


def _comparator(m: regex.Match) -> str:
    return "≥" if ">" in m.group(0) else "≤"


def _zero(m: regex.Match) -> str:
    return "0"


def _fullwidth_punct(m: regex.Match) -> str:
    return {",": "，", ";": "；", ":": "："}[m.group(1)]


def _fullwidth_paren(m: regex.Match) -> str:
    return "（" if "(" in m.group(0) else "）"


_SEP = regex.compile(r",\.|\.,|[.,]")


def _group_separators(m: regex.Match) -> str:
    """``1.293.929.96`` → ``1,293,929.96``: every separator but a final 1-2 digit group's is a comma.

    Left alone when there is only one separator (``22.719`` may be a decimal).
    """
    s = m.group(0)
    groups = _SEP.split(s)
    if len(groups) < 3:
        return s
    if len(groups[-1]) <= 2:
        return ",".join(groups[:-1]) + "." + groups[-1]
    return ",".join(groups)


REPAIRS: dict[str, Callable[[regex.Match], str]] = {
    "fullwidth": _fullwidth,
    "comparator": _comparator,
    "zero": _zero,
    "fullwidth_punct": _fullwidth_punct,
    "fullwidth_paren": _fullwidth_paren,
    "lexicon": lambda m: m.group(0),  # bound to the file's lexicon: mapping at load
    "group_separators": _group_separators,
}

_FLAGS = {"MULTILINE": regex.MULTILINE, "IGNORECASE": regex.IGNORECASE}


class Example(Strict):
    before: str
    after: str


class RuleSpec(Strict):
    id: str
    description: str
    pattern: str
    replace: str | None = None
    function: str | None = None
    flags: list[Literal["MULTILINE", "IGNORECASE"]] = []
    lines: Literal["all", "table", "prose"] = "all"  # table: lines with a column gap (2+ spaces)
    examples: list[Example] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_action(self) -> RuleSpec:
        if (self.replace is None) == (self.function is None):
            raise ValueError("give exactly one of replace / function")
        if self.function is not None and self.function not in REPAIRS:
            raise ValueError(f"unknown function {self.function!r} (known: {', '.join(sorted(REPAIRS))})")
        return self


class OcrPatterns(Strict):
    pieces: dict[str, str] = {}
    lexicon: dict[str, str] = {}  # misread report word -> the word (政府妥购 -> 政府采购); piece {lexicon}
    rules: list[RuleSpec]


@dataclass(frozen=True)
class Rule:
    """One compiled repair: ``apply(text)`` returns the repaired text."""

    id: str
    regex: regex.Pattern
    replacement: str | Callable[[regex.Match], str]
    lines: str = "all"

    def apply(self, text: str) -> str:
        if self.lines == "all":
            return self.regex.sub(self.replacement, text)
        want_table = self.lines == "table"
        out = []
        for line in text.splitlines(keepends=True):
            if bool(_TABLE_ROW.search(line)) == want_table:
                line = self.regex.sub(self.replacement, line)
            out.append(line)
        return "".join(out)


# A line tesseract read from a table row: two cells apart by a column gap.
_TABLE_ROW = regex.compile(r"\S[ \t]{2,}\S")


def load_rules(directory: Path | None = None) -> list[Rule]:
    """Compile ``patterns/ocr.yaml`` and check every rule against its own examples."""
    spec = load("ocr", OcrPatterns, directory)
    check_unique("ocr.yaml", [r.id for r in spec.rules])
    pieces = dict(spec.pieces)
    if spec.lexicon:
        if "lexicon" in pieces:
            raise PatternError("ocr.yaml", "lexicon", "a piece may not be named lexicon (it is built from the lexicon: mapping)")
        for wrong, right in spec.lexicon.items():
            if not wrong or wrong == right or wrong in right:
                raise PatternError("ocr.yaml", f"lexicon.{wrong}", "a misread must be non-empty and differ from (and not sit inside) its repair")
        pieces["lexicon"] = "|".join(regex.escape(w) for w in sorted(spec.lexicon, key=len, reverse=True))
    lexicon = dict(spec.lexicon)
    rules: list[Rule] = []
    for r in spec.rules:
        flags = 0
        for f in r.flags:
            flags |= _FLAGS[f]
        compiled = compile_pattern(r.pattern, pieces, "ocr.yaml", r.id, flags | regex.VERSION1)
        if r.function == "lexicon":
            action: str | Callable[[regex.Match], str] = lambda m, lx=lexicon: lx.get(m.group(0), m.group(0))
        else:
            action = REPAIRS[r.function] if r.function else r.replace
        rule = Rule(r.id, compiled, action, r.lines)
        for ex in r.examples:
            try:
                got = rule.apply(ex.before)
            except (regex.error, IndexError) as exc:
                raise PatternError("ocr.yaml", r.id, f"replacement fails: {exc}") from None
            if got != ex.after:
                raise PatternError("ocr.yaml", r.id, f"example {ex.before!r} gives {got!r}, not {ex.after!r}")
        rules.append(rule)
    return rules


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[Rule, ...]:
    return tuple(load_rules())
