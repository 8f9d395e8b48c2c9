"""The 自评表 vocabulary (patterns/tables.yaml), cell normalization and the one-cell number parser.

Kept apart from the table reader so both the grid reader (``tables``) and the
flattened-text recoveries (``tableshapes``) match cells the same way.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import regex

from . import patterns
from .errors import PatternError
from .patterns import Strict
from .quantities import parse as parse_quantity

FILE = "tables.yaml"


class Column(Strict):
    id: str
    field: str
    pattern: str
    fallback: bool = False


class RowLabel(Strict):
    id: str
    metric: str = "score_total"
    pattern: str


class UnitCue(Strict):
    id: str
    unit: str
    pattern: str


class Comparator(Strict):
    id: str
    symbol: str
    pattern: str


class Level1Of(Strict):
    id: str
    level1: str
    pattern: str


class Family(Strict):
    id: str
    total: str
    members: list[str]


class Stage(Strict):
    id: str
    stage: str
    pattern: str


class Mismatch(Strict):
    wanyuan_above: str
    yuan_below: str


class TablesFile(Strict):
    pieces: dict[str, str] = {}
    traditional: str
    pinyin: str
    budget_columns: list[Column]
    indicator_columns: list[Column]
    group_headers: str
    budget_rows: list[RowLabel]
    total_rows: list[RowLabel]
    project_name: str
    department_form: str = "(?!)"
    title: str
    stop_labels: str
    code_prefix: str
    unit_cues: list[UnitCue]
    level1: str
    level2: str
    comparators: list[Comparator]
    nature_words: str
    indicator_units: str
    met_cues: str
    not_met_cues: str
    unit_mismatch: Mismatch
    level1_of: list[Level1Of]
    generic_metrics: list[RowLabel]
    generic_total: str
    families: list[Family]
    generic_stages: list[Stage]
    generic_year: str


GENERIC_STAGES = {"growth", "change", "prior_year", "initial_budget", "adjusted_budget", "actual"}


BUDGET_FIELDS = {"initial_budget", "adjusted_budget", "actual", "weight", "rate", "score", "reason"}
INDICATOR_FIELDS = ("level1", "level2", "level3", "nature", "target", "unit", "actual", "weight", "score", "reason")


@dataclass(frozen=True)
class Entry:
    id: str
    key: str  # field, metric, unit or symbol
    rx: regex.Pattern
    fallback: bool = False


@dataclass(frozen=True)
class Vocab:
    trad: dict[int, str]
    pinyin: regex.Pattern
    budget_columns: tuple[Entry, ...]
    indicator_columns: tuple[Entry, ...]
    group_headers: regex.Pattern
    budget_rows: tuple[Entry, ...]
    total_rows: tuple[Entry, ...]
    project_name: regex.Pattern
    title: regex.Pattern
    department_form: regex.Pattern
    stop_labels: regex.Pattern
    code_prefix: regex.Pattern
    unit_cues: tuple[Entry, ...]
    level1: regex.Pattern
    level2: regex.Pattern
    comparators: tuple[Entry, ...]
    nature_words: regex.Pattern
    indicator_units: regex.Pattern
    unit_word: regex.Pattern
    value: regex.Pattern
    met_cues: regex.Pattern
    not_met_cues: regex.Pattern
    wanyuan_above: Decimal
    yuan_below: Decimal
    level1_of: tuple[Entry, ...]
    generic_metrics: tuple[Entry, ...] = ()
    generic_total: regex.Pattern | None = None
    families: tuple[tuple[str, str, frozenset[str]], ...] = ()  # (id, total metric, member metrics)
    generic_stages: tuple[Entry, ...] = ()
    generic_year: regex.Pattern | None = None


@functools.lru_cache(maxsize=1)
def vocab() -> Vocab:
    """The vocabulary from patterns/tables.yaml, compiled once."""
    return build()


def build(directory: Path | None = None) -> Vocab:
    """Load and compile tables.yaml (strict: unknown fields, duplicate ids, bad regexes → PatternError)."""
    f = patterns.load("tables", TablesFile, directory)
    pieces = dict(f.pieces)

    def rx(p: str, entry: str) -> regex.Pattern:
        return patterns.compile_pattern(p, pieces, FILE, entry)

    def entries(items, key: str, group: str, allowed: set[str] | None = None) -> tuple[Entry, ...]:
        patterns.check_unique(FILE, [i.id for i in items])
        out = []
        for i in items:
            k = getattr(i, key)
            if allowed is not None and k not in allowed:
                raise PatternError(FILE, i.id, f"unknown {key} {k!r} in {group}")
            out.append(Entry(i.id, k, rx(i.pattern, i.id), getattr(i, "fallback", False)))
        return tuple(out)

    pairs = f.traditional.split()
    trad: dict[int, str] = {}
    for p in pairs:
        if len(p) != 2:
            raise PatternError(FILE, "traditional", f"expected character pairs, got {p!r}")
        trad[ord(p[0])] = p[1]
    try:
        above, below = Decimal(f.unit_mismatch.wanyuan_above), Decimal(f.unit_mismatch.yuan_below)
    except InvalidOperation:
        raise PatternError(FILE, "unit_mismatch", "thresholds must be decimal strings") from None
    units = f.indicator_units
    return Vocab(
        trad=trad,
        pinyin=rx(f.pinyin, "pinyin"),
        budget_columns=entries(f.budget_columns, "field", "budget_columns", BUDGET_FIELDS),
        indicator_columns=entries(f.indicator_columns, "field", "indicator_columns", set(INDICATOR_FIELDS)),
        group_headers=rx(f.group_headers, "group_headers"),
        budget_rows=entries(f.budget_rows, "metric", "budget_rows"),
        total_rows=entries(f.total_rows, "metric", "total_rows"),
        project_name=rx(f.project_name, "project_name"),
        title=rx(f.title, "title"),
        department_form=rx(f.department_form, "department_form"),
        stop_labels=rx(f.stop_labels, "stop_labels"),
        code_prefix=rx(f.code_prefix, "code_prefix"),
        unit_cues=entries(f.unit_cues, "unit", "unit_cues"),
        level1=rx(f.level1, "level1"),
        level2=rx(f.level2, "level2"),
        comparators=entries(f.comparators, "symbol", "comparators"),
        nature_words=rx(f.nature_words, "nature_words"),
        indicator_units=rx(units, "indicator_units"),
        unit_word=rx("^" + units + "$", "indicator_units"),
        value=rx(r"^(?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<unit>" + units + r")?$", "indicator_units"),
        met_cues=rx(f.met_cues, "met_cues"),
        not_met_cues=rx(f.not_met_cues, "not_met_cues"),
        wanyuan_above=above,
        yuan_below=below,
        level1_of=entries(f.level1_of, "level1", "level1_of"),
        generic_metrics=entries(f.generic_metrics, "metric", "generic_metrics"),
        generic_total=rx(f.generic_total, "generic_total"),
        families=_families(f.families),
        generic_stages=entries(f.generic_stages, "stage", "generic_stages", GENERIC_STAGES),
        generic_year=rx(f.generic_year, "generic_year"),
    )


def _families(items) -> tuple[tuple[str, str, frozenset[str]], ...]:
    patterns.check_unique(FILE, [i.id for i in items])
    return tuple((i.id, i.total, frozenset(i.members)) for i in items)


_WS = regex.compile(r"\s+")
_CJK_GAP = regex.compile(r"(?<=[\p{Han}(（])\s+|\s+(?=[\p{Han})）])")
_DIGIT_GAP = regex.compile(r"(?<=\d)\s+(?=\d)")


@functools.lru_cache(maxsize=65536)
def norm(text: str | None) -> str:
    """Cell text for matching: NFKC (﹦→=, （→(), pinyin notes dropped, Traditional→Simplified, no spaces
    (a single space is kept between two digits so ``250000.00 250000.00`` stays two numbers)."""
    if not text:
        return ""
    v = vocab()
    s = unicodedata.normalize("NFKC", text)
    s = v.pinyin.sub("", s).translate(v.trad).strip()
    s = _DIGIT_GAP.sub("\x00", s)
    return _WS.sub("", s).replace("\x00", " ")


def display(text: str | None) -> str:
    """Cell text as an auditor reads it: pinyin notes dropped, wrapped lines joined, characters kept."""
    if not text:
        return ""
    s = vocab().pinyin.sub("", text)
    s = _CJK_GAP.sub("", s.strip())
    return _WS.sub(" ", s)


def match(entries: tuple[Entry, ...], key: str) -> Entry | None:
    """The first entry whose pattern matches ``key`` (memoized: tables repeat their labels)."""
    held = _MEMO.get(id(entries))
    if held is None or held[0] is not entries:  # an id can be reused once its list is gone: check identity
        held = _MEMO[id(entries)] = (entries, {})
    memo = held[1]
    if key in memo:
        return memo[key]
    found = next((e for e in entries if e.rx.search(key)), None)
    if len(memo) < 100_000:
        memo[key] = found
    return found


_MEMO: dict[int, tuple[object, dict[str, Entry | None]]] = {}  # id -> (the entries, keeping the id alive; memo)


EMPTY = {"", "/", "-", "—", "——", "－", "无", "N/A", "n/a", "\\"}


@dataclass(frozen=True)
class Num:
    """A figure read from one cell: exact value, stated decimals, unit and comparator as written-normalized."""

    value: Decimal
    decimals: int
    unit: str | None
    comparator: str | None
    text: str  # the numeral as written (normalized)


_CMP_HEAD = regex.compile(r"^(?:>=|<=|==|[=≥≤><≧≦]|不低于|不少于|至少|不高于|不超过|不多于|大于|小于|高于|低于|等于)")


def comparator_of(key: str) -> tuple[str | None, str]:
    """Split a leading comparator off normalized text: ``>=90%`` → (``≥``, ``90%``)."""
    m = _CMP_HEAD.match(key)
    if not m:
        return None, key
    e = match(vocab().comparators, m.group())
    return (e.key if e else None), key[m.end():].strip()


_WRAPPED = regex.compile(r"^(\d[\d,]*(?:\.\d?|,\d{0,2}))\s(\d[\d,]*(?:\.\d+)?)(%?)$")


@functools.lru_cache(maxsize=65536)
def parse_cell(text: str | None, default_unit: str | None = None) -> Num | None:
    """One cell's figure (``215,457.6``, ``100.00%``, ``≥95``, ``=100%``, ``72890元``) or None.

    The one place cells are read: the quantities stage's ``parse`` (same numerals and units as
    prose), with a small exact fallback of our own for what it declines (a signed ``+3``, ``-2个``,
    counts in 年/月/日); Decimal from the written string, never float.
    """
    key = norm(text)
    if key in EMPTY:
        return None
    cmp_, rest = comparator_of(key)
    wrapped = _WRAPPED.match(rest)  # a figure wrapped inside its cell: "265,300,000.0" / "0"
    if wrapped:
        rest = wrapped.group(1) + wrapped.group(2) + (wrapped.group(3) or "")
    q = _quantity(rest)
    if q is not None:
        return Num(q.value, q.decimals, q.unit or default_unit, cmp_ or q.comparator, q.text)
    m = vocab().value.match(rest)
    if not m:
        return None
    num = m.group("num").replace(",", "")
    try:
        value = Decimal(num)
    except InvalidOperation:
        return None
    decimals = len(num.split(".", 1)[1]) if "." in num else 0
    return Num(value, decimals, m.group("unit") or default_unit, cmp_, m.group("num"))


def _quantity(cell: str):
    """``quantities.parse`` on a whole cell, only when it reads the whole cell as one figure."""
    try:
        q = parse_quantity(cell)
    except Exception:  # noqa: BLE001 - a cell the other stage cannot read falls back to ours
        return None
    if q is None or q.comparator or len(q.surface.strip()) != len(cell):
        return None
    return q


def is_comparator(key: str) -> bool:
    c, rest = comparator_of(key)
    return c is not None and rest == ""


def clean(text: str | None) -> str:
    """A label for the dataset: as displayed, in Simplified characters (``產出指標`` → ``产出指标``)."""
    return display(text).translate(vocab().trad)
