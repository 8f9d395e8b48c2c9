"""Every amount, rate and count in a report, exactly, and nothing that only looks like one.

One combined regex (``patterns/numbers.yaml`` → ``rules``) proposes candidates
in a single pass; a second pass marks spans where no quantity can be
(``masks``: dates, 文号, codes, phone numbers); ``filters`` beside the rules
drop look-alikes by their context (``2020 年``, ``第三卷``, ``1.`` headings,
``福田英才荟 2.0``).  Values are Decimals built from the written string.

Decisions (documented for the stages that consume this):

* **Bare numbers** (no unit anywhere) are reported as kind ``count`` with
  unit ``""`` and rule ``number.bare`` (confidence 0.5), so nothing is
  dropped; inside a block that follows ``单位：万元`` / ``（万元）`` they become
  amounts with ``unit_source="block"`` (confidence 0.7).
* **Chinese numerals** count only with a unit or measure word (``五千万元``,
  ``七个``, ``百分之九十``, ``九成``); a bare ``一``/``三`` is never a quantity,
  and ``一项``/``一个`` is an article, not a count.
* **Scale**: ``319 万只`` → value 319, unit 只, scale 万 (the count is value × scale).
  ``五千万元`` → value 5000, unit 万元 (万元 is a unit).
* **Rates** are in percent: ``百分之九十八点四八`` → 98.48 %, ``九成`` → 90 % with
  decimals −1 (a stated precision of ±5 %).  ``个百分点`` is ``percentage_points``.
* **Signs**: a written minus (``-16.77`` in a table) gives a negative value;
  words (``减少 3.2``/``下降16.77%``) leave the value positive — the direction
  belongs to the fact layer, which reads the verb.
* **Comparators** (normalized to ``≥ ≤ > < =``): 不低于/不少于/至少/以上 → ≥,
  不超过/以内/以下 → ≤, 超过/超/高于 → >, 低于/不足 → <; ``达到``/``达``/``约`` state a
  value and set no comparator.
"""

from __future__ import annotations

import dataclasses

import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import regex

from . import numerals
from .errors import PatternError
from .model import Document, Quantity, Span
from .patterns import Strict, check_unique, compile_pattern, expand, load

FILE = "numbers.yaml"

# --------------------------------------------------------------------------- schema


class Unit(Strict):
    unit: str
    forms: list[str]
    yuan: str | None = None  # amount units: value of one unit in 元
    chinese: bool = True  # may follow a Chinese numeral
    kind: Literal["count", "ratio"] | None = None


class Comparator(Strict):
    symbol: Literal["≥", "≤", ">", "<", "="]
    forms: list[str]


class Rule(Strict):
    id: str
    kind: Literal["amount", "rate", "percentage_points", "count", "ratio"]
    regex: str


class Mask(Strict):
    id: str
    regex: str
    examples: list[str] = []


class Filter(Strict):
    id: str
    rules: list[str]  # empty: every rule
    before: str | None = None
    after: str | None = None
    numeral: str | None = None
    examples: list[str] = []


class Header(Strict):
    id: str
    regex: str


class RangeSpec(Strict):
    id: str
    dash: str  # between the two bounds (10-20万元, 3至5人)


class NumbersFile(Strict):
    pieces: dict[str, str]
    amount_units: list[Unit]
    count_units: list[Unit]
    comparators: list[Comparator]
    rules: list[Rule]
    masks: list[Mask]
    filters: list[Filter]
    unit_headers: list[Header]
    block_extent: int = 3000
    block_breakers: list[str] = []
    range: RangeSpec | None = None


# --------------------------------------------------------------------------- grammar


def _alternation(forms: list[str], spaced: bool) -> str:
    """Forms longest first; multi-character Han forms may be broken by whitespace (wrapped lines, OCR)."""
    out = []
    for f in sorted(set(forms), key=len, reverse=True):
        if f.isascii() and f.isalpha():
            out.append(regex.escape(f) + "(?![A-Za-z])")
        elif spaced and len(f) > 1:
            out.append(r"\s*".join(regex.escape(c) for c in f))
        else:
            out.append(regex.escape(f))
    return "(?:" + "|".join(out) + ")"


@dataclass(slots=True)
class _Filter:
    id: str
    rules: frozenset[str]
    before: regex.Pattern | None
    after: regex.Pattern | None
    numeral: regex.Pattern | None


@dataclass(slots=True)
class Grammar:
    """numbers.yaml compiled: one scanner, one mask pass, filters and unit tables."""

    scanner: regex.Pattern
    branch_groups: list[tuple[int, ...]]  # per rule: group index of num, unit, scale, cmp, post, sign (0 = absent)
    rule_ids: list[str]
    rule_kind: dict[str, str]
    masks: list[regex.Pattern]
    mask_ids: list[str]
    filters: list[_Filter]
    headers: regex.Pattern
    amount_units: dict[str, Unit]  # written form (whitespace removed) -> unit
    count_units: dict[str, Unit]
    comparators: dict[str, str]  # written form -> symbol
    block_extent: int
    prefilter: regex.Pattern  # where a quantity can start: digits, or a Chinese numeral with its unit
    block_breakers: frozenset[str]
    rule_filters: dict[str, list[_Filter]]
    yuan_places: dict[str, int]  # amount unit -> log10 of its value in 元
    range_id: str | None = None
    range_dash: regex.Pattern | None = None  # fullmatches the text between the bounds of a range


def _at_end(pattern: str) -> str:
    """A trailing ``$`` as ``\\Z``: the candidate's start, not the place before a newline that ends the window."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith(r"\$") else pattern


_FIELDS = ("num", "unit", "scale", "cmp", "post", "sign")


@functools.lru_cache(maxsize=4)
def grammar(directory: str | None = None) -> Grammar:
    """Load and compile ``numbers.yaml`` once (per patterns directory)."""
    from pathlib import Path

    spec = load("numbers", NumbersFile, Path(directory) if directory else None)
    check_unique(FILE, [r.id for r in spec.rules] + [m.id for m in spec.masks] + [f.id for f in spec.filters] + [h.id for h in spec.unit_headers] + ([spec.range.id] if spec.range else []))
    rule_ids = [r.id for r in spec.rules]
    for f in spec.filters:
        for rid in f.rules:
            if rid not in rule_ids:
                raise PatternError(FILE, f.id, f"filter refers to unknown rule {rid!r}")
    pieces = dict(spec.pieces)
    for name in ("amount_unit", "count_unit", "count_unit_cn"):
        if name in pieces:
            raise PatternError(FILE, name, "piece name is reserved (built from the unit lists)")
    pieces["amount_unit"] = _alternation([f for u in spec.amount_units for f in u.forms], spaced=True)
    pieces["count_unit"] = _alternation([f for u in spec.count_units for f in u.forms], spaced=True)
    pieces["count_unit_cn"] = _alternation([f for u in spec.count_units if u.chinese for f in u.forms], spaced=False)
    for u in spec.amount_units:
        if u.yuan is None:
            raise PatternError(FILE, u.unit, "an amount unit needs its value in 元 (yuan:)")
    branches = []
    for i, r in enumerate(spec.rules):
        body = expand(r.regex, pieces, FILE, r.id)
        for name in _FIELDS:  # per-branch group names, so a match is read by index without groupdict()
            body = body.replace(f"(?P<{name}>", f"(?P<{name}_{i}>")
        if f"(?P<num_{i}>" not in body:
            raise PatternError(FILE, r.id, "a rule must capture the numeral as (?P<num>...)")
        branches.append(f"(?P<R{i}>{body})")
    branches.append("(?P<never>(?!))")  # never matches: absent fields of a branch read from here as None
    scanner = _compile_expanded("|".join(branches), "rules")
    never = scanner.groupindex["never"]
    branch_groups = [tuple(scanner.groupindex.get(f"{name}_{i}", never) for name in _FIELDS) for i in range(len(spec.rules))]
    # one pass per mask: a combined alternation defeats the regex engine's literal prefilters (10x slower)
    masks = [compile_pattern(m.regex, pieces, FILE, m.id) for m in spec.masks]  # `regex` is faster than `re` on these
    for m, single in zip(spec.masks, masks):
        for ex in m.examples:
            if not single.search(ex):
                raise PatternError(FILE, m.id, f"example {ex!r} is not masked by the mask's own regex")
    filters = [
        _Filter(
            f.id,
            frozenset(f.rules),
            compile_pattern(_at_end(f.before), pieces, FILE, f.id) if f.before else None,
            compile_pattern(f.after.removeprefix("^"), pieces, FILE, f.id) if f.after else None,  # .match anchors at the end
            compile_pattern(f.numeral, pieces, FILE, f.id) if f.numeral else None,
        )
        for f in spec.filters
    ]
    headers = compile_pattern("|".join(f"(?:{h.regex})" for h in spec.unit_headers), pieces, FILE, "unit_headers")
    amount_units = {form: u for u in spec.amount_units for form in u.forms}
    count_units = {form: u for u in spec.count_units for form in u.forms}
    comparators = {form: c.symbol for c in spec.comparators for form in c.forms}
    prefilter = compile_pattern(r"{d}+|百分之(?:{cn_number}|{d}+|百)|{cn_number}(?:{count_unit_cn}|{amount_unit}|成|个?百分点|個?百分點)", pieces, FILE, "prefilter")
    rule_filters = {rid: [f for f in filters if not f.rules or rid in f.rules] for rid in rule_ids}
    yuan_places = {u.unit: _yuan_places(u) for u in spec.amount_units}
    return Grammar(scanner, branch_groups, rule_ids, {r.id: r.kind for r in spec.rules}, masks, [m.id for m in spec.masks], filters, headers,
                   amount_units, count_units, comparators, spec.block_extent, prefilter, frozenset(spec.block_breakers),
                   rule_filters, yuan_places,
                   spec.range.id if spec.range else None,
                   compile_pattern(spec.range.dash, pieces, FILE, spec.range.id) if spec.range else None)


def _compile_expanded(pattern: str, entry: str):
    """Compile the combined scanner: with the standard ``re`` when the syntax allows (several times
    faster per match on this many branches), else with ``regex`` (``\\p{..}``, variable lookbehind)."""
    try:
        return re.compile(pattern)
    except re.error:
        pass
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise PatternError(FILE, entry, f"bad regex: {exc}") from None


# --------------------------------------------------------------------------- recognition

_WS = regex.compile(r"\s+")
_LOOKBACK = 16


def _shift(v: Decimal, places: int) -> Decimal:
    """``v × 10**places`` exactly (no context rounding), never in exponent notation."""
    sign, digits, exp = v.as_tuple()
    exp += places
    if exp > 0:
        digits, exp = tuple(digits) + (0,) * exp, 0
    return Decimal((sign, digits, exp))


def _yuan_places(unit: Unit) -> int:
    y = Decimal(unit.yuan or "1")
    places = len(str(y)) - 1
    if y != Decimal(10) ** places:
        raise PatternError(FILE, unit.unit, "yuan factor must be a power of ten")
    return places


def _masked_spans(g: Grammar, text: str) -> tuple[list[int], list[int]]:
    spans = sorted(m.span() for pat in g.masks for m in pat.finditer(text) if m.end() > m.start())
    return [s for s, _ in spans], [e for _, e in spans]


def _overlaps(starts: list[int], ends: list[int], s: int, e: int) -> bool:
    i = bisect_right(starts, e - 1) - 1  # last mask starting before e
    while i >= 0:
        if ends[i] > s:
            return True
        if starts[i] < s - 200:  # masks are short; stop looking far back
            return False
        i -= 1
    return False


def _filtered(g: Grammar, rule: str, text: str, s: int, e: int, numeral: str, num_start: int) -> bool:
    for f in g.rule_filters[rule]:
        if f.numeral is not None and not f.numeral.fullmatch(numeral):
            continue
        if f.before is not None and not f.before.search(text, max(0, min(s, num_start) - _LOOKBACK), min(s, num_start)):
            continue
        if f.after is not None and not f.after.match(text, e):
            continue
        return True
    return False


def _header_blocks(g: Grammar, text: str) -> tuple[list[int], list[str]]:
    ends, units = [], []
    for m in g.headers.finditer(text):
        ends.append(m.end())
        units.append(_WS.sub("", m.group("unit")))
    return ends, units


def _block_index(g: Grammar, text: str, hdr_ends: list[int], s: int) -> int | None:
    """Index of the unit header whose block holds offset ``s`` (before closing by later quantities)."""
    i = bisect_right(hdr_ends, s) - 1
    if i < 0:
        return None
    start = hdr_ends[i]
    if s - start > g.block_extent or text.find("。", start, s) != -1:
        return None
    return i


def _build(g: Grammar, fields: tuple, surface: str, span: Span, rule: str, block_unit: str | None, unit_source: str) -> Quantity | None:
    """A Quantity from one accepted match (its num, unit, scale, cmp, post, sign); ``None`` when the numeral cannot be read exactly."""
    num, unit_raw, scale, cmp_raw, post, sign = fields
    unit_raw = unit_raw or ""
    if unit_raw and not unit_raw.isalnum():
        unit_raw = _WS.sub("", unit_raw)
    kind = g.rule_kind[rule]
    text_num = num
    try:
        if rule == "number.ratio":
            value, decimals = _ratio(num)
        elif num[0] not in _ASCII_DIGITS and numerals.is_chinese_numeral(num):
            num, unit_raw, scale = _split_chinese_scale(num, kind, unit_raw, scale)
            text_num = num
            value, decimals = numerals.chinese_to_decimal(num)
        else:
            value, decimals = numerals.arabic_to_decimal(num)
    except numerals.NumeralError:
        return None
    if sign:
        value = -value
    comparator = g.comparators.get(cmp_raw) if cmp_raw else None
    if post:
        comparator = g.comparators.get(post, comparator)
    value_yuan = value_wanyuan = None
    unit = unit_raw
    confidence = 1.0
    if kind == "rate":
        if unit_raw == "成":
            value, decimals = value * 10, decimals - 1
        unit = "%"
    elif kind == "percentage_points":
        unit = "百分点"
    elif kind == "amount":
        u = g.amount_units[unit_raw]
        unit = u.unit
    elif kind == "count" and unit_raw:
        u = g.count_units[unit_raw]
        unit = u.unit
        kind = u.kind or "count"
    elif kind == "count" and not unit_raw and not scale and block_unit:
        unit, confidence = block_unit, 0.7
        if block_unit == "%":
            kind = "rate"
        elif block_unit in g.count_units:  # a 度量单位 cell such as 人 / 个
            unit, kind = g.count_units[block_unit].unit, g.count_units[block_unit].kind or "count"
        else:
            kind = "amount"
    elif kind == "count" and not unit_raw:
        confidence = 0.5
    if kind == "amount":
        places = g.yuan_places[unit]
        value_yuan = _shift(value, places)
        value_wanyuan = _shift(value, places - 4)
    if scale:
        scale = _SIMPLE_SCALE.get(scale, scale)
    return Quantity(
        kind=kind,
        value=value,
        text=text_num,
        decimals=decimals,
        unit=unit,
        span=span,
        surface=surface,
        rule=rule,
        value_yuan=value_yuan,
        value_wanyuan=value_wanyuan,
        comparator=comparator,
        unit_source=unit_source if confidence == 0.7 else "inline",
        scale=scale,
        confidence=confidence,
    )


_ASCII_DIGITS = frozenset("0123456789")
_SIMPLE_SCALE = {"萬": "万", "億": "亿"}


def _split_chinese_scale(num: str, kind: str, unit_raw: str, scale: str | None) -> tuple[str, str, str | None]:
    """Move a trailing 万/亿 (or an unreadable trailing 千) from a Chinese numeral into the unit or scale.

    ``五千万元`` → 五千 + 万元; ``三万人`` → 三 × 万 人; ``十千元`` → 十 + 千元; ``一万二千元`` stays 12000 元.
    """
    if scale or len(num) < 2 or num[-1] not in numerals.SCALES or kind not in ("amount", "count"):
        return num, unit_raw, scale
    head, last = num[:-1], num[-1]
    try:
        whole = numerals.chinese_to_decimal(num)[0]
    except numerals.NumeralError:
        whole = None
    try:
        part = numerals.chinese_to_decimal(head)[0]
    except numerals.NumeralError:
        return num, unit_raw, scale
    if whole is not None and (last in "千" or part * numerals.SCALES[last] != whole):
        return num, unit_raw, scale  # 五千元, 一万二千元: the numeral reads whole
    if kind == "amount" and unit_raw == "元":
        return head, _SIMPLE_SCALE.get(last, last) + "元", None
    if kind == "count":
        return head, unit_raw, last
    return num, unit_raw, scale


def _ratio(num: str) -> tuple[Decimal, int]:
    a, b = regex.split(r"\s?[:：∶]\s?", num, maxsplit=1)
    va, da = numerals.arabic_to_decimal(a)
    vb, db = numerals.arabic_to_decimal(b)
    if vb == 0:
        raise numerals.NumeralError("ratio with zero")
    # a ratio a:b is kept as written: value is a when b is 1, else the exact quotient when it terminates
    if vb == 1:
        return va, da
    q = va / vb
    if q * vb != va:
        raise numerals.NumeralError("ratio does not terminate")
    return q.normalize(), max(0, -q.normalize().as_tuple().exponent)


def find_in(text: str, offset: int = 0, doc: Document | None = None, default_unit: str | None = None) -> list[Quantity]:
    """Quantities in ``text`` (a fragment or a whole document's text), spans shifted by ``offset``.

    With ``doc`` the spans carry the document's id and pages; without it ``doc_id`` is "" and page 1.
    ``default_unit`` applies to bare numbers (a column header's 万元) with ``unit_source="table_header"``.
    """
    g = grammar()
    if not text:
        return []
    mstarts, mends = _masked_spans(g, text)
    hdr_ends, hdr_units = _header_blocks(g, text) if default_unit is None else ([], [])
    header_unit = _unit_in(g, default_unit) if default_unit is not None else None
    out: list[Quantity] = []
    closed: set[int] = set()  # headers whose block a later quantity ended
    rule_ids = g.rule_ids
    last_fields: tuple | None = None  # raw fields of out[-1] (a range's lower bound takes the upper bound's unit)
    for m in _scan(g, text):
        i = int(m.lastgroup[1:])
        rule = rule_ids[i]
        idx = g.branch_groups[i]
        fields = m.group(*idx)
        s, e = m.span()
        if mstarts and _overlaps(mstarts, mends, s, e):
            continue
        if g.rule_filters[rule] and _filtered(g, rule, text, s, e, fields[0], m.start(idx[0])):
            continue
        block = None
        source = "inline"
        if rule == "number.bare":
            if default_unit is not None:
                block, source = header_unit, "table_header"
            elif hdr_ends:
                h = _block_index(g, text, hdr_ends, s)
                block = hdr_units[h] if h is not None and h not in closed else None
                source = "block"
            if block is not None and block not in g.amount_units and block != "%" and block not in g.count_units:
                block = None
            if block in g.amount_units:
                block = g.amount_units[block].unit
        start, end = s + offset, e + offset
        span = doc.span(start, end) if doc is not None else Span("", 1, start, end)
        q = _build(g, fields, m.group(0), span, rule, block, source)
        if q is None:
            continue
        if hdr_ends and rule != "number.bare":
            h = _block_index(g, text, hdr_ends, s)
            if h is not None and h not in closed:
                hu = g.amount_units.get(hdr_units[h])
                if (
                    q.unit in g.block_breakers
                    or (q.kind == "amount" and hu is not None and q.unit != hu.unit)
                    or q.comparator is not None
                    or rule.endswith("_cell")
                ):
                    closed.add(h)
        if g.range_dash is not None and out and last_fields is not None and q.unit:
            low = _range_low(g, text, offset, out[-1], last_fields, q, fields, rule)
            if low is not None:
                out[-1] = low
                q = dataclasses.replace(q, comparator="≤", rule=g.range_id)
        out.append(q)
        last_fields = fields
    return out


def _range_low(g: Grammar, text: str, offset: int, prev: Quantity, prev_fields: tuple, q: Quantity, fields: tuple, rule: str) -> Quantity | None:
    """``prev`` as the lower bound of the range ``prev``–``q`` (10-20万元, 3至5人, 95%～98%), or None.

    Only a bare number or one in ``q``'s own unit, joined to ``q`` by a range dash alone, with a lower
    value than ``q`` (``1000-800万元`` is a subtraction, not a range).
    """
    if prev.comparator is not None or q.kind not in ("amount", "rate", "count"):
        return None
    bare = prev.rule == "number.bare" and not prev.unit
    if not bare and (prev.unit != q.unit or prev.kind != q.kind):
        return None
    gap_s, gap_e = prev.span.end - offset, q.span.start - offset
    if gap_e - gap_s > 6 or not g.range_dash.fullmatch(text, gap_s, gap_e):
        return None
    if bare:
        num, _, _, _, _, sign = prev_fields
        low = _build(g, (num, fields[1], fields[2], None, None, sign), prev.surface, prev.span, rule, None, "inline")
        if low is None:
            return None
    else:
        low = prev
    if low.value >= q.value:
        return None
    return dataclasses.replace(low, comparator="≥", rule=g.range_id)


_BEFORE = 12  # a comparator, a sign or a table-cell bar may precede the numeral's first digit
_PRE_CHARS = frozenset("><=≥≤≧≦＞＜＝﹦不至最大小高低超多少-－−|｜百")


def _scan(g: Grammar, text: str):
    """The scanner's matches, leftmost first, tried only where the prefilter saw a numeral.

    Most numerals have no prefix: one anchored ``match`` reads them.  Where a comparator, a sign or a
    table-cell bar may stand just before, a ``search`` bounded by the numeral's end finds the real start,
    and the match is taken again from there without the bound, so the unit after it is read whole.
    """
    pos = 0
    match = g.scanner.match
    for h in g.prefilter.finditer(text):
        a, b = h.span()
        if a < pos:
            continue
        back = max(pos, a - _BEFORE)
        start = a
        if back < a and not _PRE_CHARS.isdisjoint(text[back:a]):
            # a match starting before the numeral starts with one of these characters: try those places only
            # (the leftmost that matches within the numeral's end), not the whole scanner at every position
            for p in range(back, a):
                if text[p] in _PRE_CHARS:
                    m0 = match(text, p, b)
                    if m0 is not None and m0.end() > m0.start():
                        start = p
                        break
        m = match(text, start)
        if (m is None or m.end() == m.start()) and start != a:
            m = match(text, a)
        if m is None or m.end() == m.start():
            continue
        yield m
        pos = m.end()


def _unit_in(g: Grammar, header: str) -> str | None:
    """The unit named by a column header or unit cell: ``（万元）`` / ``年度预算数(万元)`` / ``%`` → 万元 / 万元 / %."""
    h = _WS.sub("", header).strip("()（）")
    if h in g.amount_units or h in g.count_units or h in ("%", "％", "百分比"):
        return "%" if h in ("％", "百分比") else h
    m = g.headers.search(header)
    if m:
        return _WS.sub("", m.group("unit"))
    return None


def find(doc: Document) -> list[Quantity]:
    """Every quantity in ``doc.text``, ordered by offset, with spans in normalized offsets."""
    return find_in(doc.text, 0, doc)


_EDGE = regex.compile(r"^[\s|｜:：,，;；、]+|[\s|｜:：,，;；、。]+$")


def parse(text: str, default_unit: str | None = None) -> Quantity | None:
    """One table cell or fragment → its quantity (the first one), or ``None`` (``1-12月``, ``及时``, ``2020年``).

    The span is relative to ``text``; ``default_unit`` (a column header's 万元) applies when the cell has none.
    """
    if text is None:
        return None
    found = find_in(text, 0, None, default_unit=default_unit)
    return found[0] if found else None


def as_row(q: Quantity, doc: Document) -> dict:
    """The row ``jixiao quantities --format json`` prints (Decimals as exact strings)."""
    return {
        "kind": q.kind,
        "value": format(q.value, "f"),
        "unit": q.unit,
        "value_wanyuan": format(q.value_wanyuan, "f") if q.value_wanyuan is not None else None,
        "comparator": q.comparator,
        "page": q.span.page,
        "start": q.span.start,
        "end": q.span.end,
        "surface": q.surface,
        "quote": doc.quote(q.span.start, q.span.end),
        "rule": q.rule,
        "scale": q.scale,
        "decimals": q.decimals,
        "unit_source": q.unit_source,
    }
