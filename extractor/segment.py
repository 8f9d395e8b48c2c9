"""Structure of a normalized text: the section tree, sentences and report metadata.

Headings follow the ladder in ``patterns/layout.yaml`` (``一、`` > ``（一）`` >
``1.``/``1、`` > ``（1）`` > ``①``) and only count at the start of a
paragraph; ``1.2万`` is a number, not a heading.  Sentences end at 。！？；,
at a line-final colon and at every paragraph break, never at a decimal point.
Metadata is taken from labelled lines or the title; what is not stated stays
``None``.
"""

from __future__ import annotations

import re
from collections import Counter

from .model import Metadata, Section, Sentence, Table
from .normalize import Layout, layout


def _lines(text: str):
    pos = 0
    for ln in text.split("\n"):
        yield pos, ln
        pos += len(ln) + 1


def _in_ranges(i: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= i < e for s, e in ranges)


def sections(text: str, tables: list[Table] | None = None, lay: Layout | None = None) -> list[Section]:
    """The section tree as a flat list in text order, each with its title path and governed range."""
    lay = lay or layout()
    skip = [(t.start, t.end) for t in tables or () if t.start is not None and t.end is not None]
    found: list[tuple[int, int, str, str]] = []  # (start, level, marker, title)
    for pos, ln in _lines(text):
        stripped = ln.lstrip(" ")
        if not stripped or _in_ranges(pos, skip):
            continue
        start = pos + len(ln) - len(stripped)
        for h in lay.headings:
            m = h.rx.match(stripped)
            if not m:
                continue
            rest = stripped[m.end():]
            if not rest.strip():
                break
            if h.level in (3, 4) and re.match(r"\s*\d+(?:\.\d+)?\s*(?:万|亿|元|%|％|月|日|个|人|次|项)", rest):
                break  # "3、5 月" or "1、2 万元": a list of numbers, not a heading
            title = rest.strip()
            stop = lay.title_stop.search(title)
            if stop:
                title = title[: stop.start()]
            run_on = lay.title_run_on.search(title)
            if run_on:
                title = title[: run_on.start()]  # a heading fused with its first sentence (flattened PDF text)
            comma = re.search(r"[，,]", title[:30]) if len(title) > 30 else None
            if comma:
                title = title[: comma.start()]  # an item that runs on as prose: its clause is the title
            title = title[: lay.title_max].strip()
            found.append((start, h.level, m.group(0).strip(), title))
            break
    out: list[Section] = []
    stack: list[tuple[int, str]] = []  # (level, label)
    for k, (start, level, marker, title) in enumerate(found):
        end = len(text)
        for s2, l2, _, _ in found[k + 1:]:
            if l2 <= level:
                end = s2
                break
        while stack and stack[-1][0] >= level:
            stack.pop()
        label = f"{marker}{title}"
        stack.append((level, label))
        out.append(Section(level, marker, title, " > ".join(lbl for _, lbl in stack), start, end))
    return out


def sentences(text: str, lay: Layout | None = None) -> list[Sentence]:
    """Sentence spans (stripped of surrounding spaces); paragraph breaks always end a sentence."""
    lay = lay or layout()
    out: list[Sentence] = []
    ends = lay.sentence_end
    for pos, ln in _lines(text):
        start = 0
        for m in ends.finditer(ln):
            _add(out, pos, ln, start, m.end())
            start = m.end()
        _add(out, pos, ln, start, len(ln))
    return out


def _add(out: list[Sentence], pos: int, ln: str, s: int, e: int) -> None:
    while s < e and ln[s].isspace():
        s += 1
    while e > s and ln[e - 1].isspace():
        e -= 1
    if e > s:
        out.append(Sentence(pos + s, pos + e))


# --------------------------------------------------------------------------- metadata


def metadata(text: str, source: str = "", lay: Layout | None = None) -> Metadata:
    """Department, fiscal year, kind, region and title, each None when the report does not state it."""
    lay = lay or layout()
    head = text[: lay.meta.scan_chars]
    title = _title(head, lay)
    dept = _department(head, lay)
    year = _year(head, title, lay)
    kind = _kind(head, title, lay)
    # the submitted file's name often is the title ("2021年某某局部门整体支出绩效自评报告.pdf"): a last resort
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.rsplit("/", 1)[-1]) if source and not source.startswith("<") else ""
    if stem and _is_title(stem):
        dept = dept or _department(stem, lay)
        year = year or _year(stem, stem, lay)
        kind = kind or _kind(stem, stem, lay)
    region = _region(dept, lay) if dept else None
    return Metadata(department=dept, year=year, kind=kind, region=region, title=title)


def _title(head: str, lay: Layout) -> str | None:
    """The report's title: a short line among the first ones naming a 绩效/自评 report (a file name as last resort)."""
    names: list[str] = []
    seen = 0
    for _, ln in _lines(head[:1500]):
        t = ln.strip(" |")
        if not t:
            continue
        seen += 1
        if seen > 8:
            break
        if re.search(r"\.(?:pdf|docx?|html?|txt)$", t, re.I):
            names.append(re.sub(r"\.(?:pdf|docx?|html?|txt)$", "", t, flags=re.I))
            continue
        if _is_title(t):
            return t
    return next((n for n in names if _is_title(n)), None)


def _is_title(t: str) -> bool:
    return len(t) <= 80 and not t.endswith("。") and bool(re.search(r"绩效|自评|评价报告|决算", t)) and bool(re.search(r"报告|自评表|总结|自评价", t))


def _clean_dept(name: str, lay: Layout) -> str | None:
    name = lay.dept_strip.sub("", name).strip(" （）()|")
    name = lay.dept_strip.sub("", name)
    if not lay.dept_valid.match(name) or lay.dept_reject.search(name):
        return None
    return name


def _department(head: str, lay: Layout) -> str | None:
    for rule in lay.dept_labels:
        for m in rule.rx.finditer(head):
            name = _clean_dept(m.group("name"), lay)
            if name:
                return name
    found: list[str] = []
    for rule in lay.dept_titles:
        for m in rule.rx.finditer(head):
            cand = _clean_dept(m.group("name"), lay)
            if cand:
                found.append(cand)
    # a name that starts with a place (深圳市…, 西平县…) beats a phrase that merely ends like one
    for cand in found:
        if _region(cand, lay):
            return cand
    if found:
        return found[0]
    for rule in lay.dept_fallbacks:
        for m in rule.rx.finditer(head):
            name = _clean_dept(m.group("name"), lay)
            if name:
                return name
    return None


def _year(head: str, title: str | None, lay: Layout) -> int | None:
    masked = lay.year_reject.sub(lambda m: "#" * len(m.group(0)), head)
    for src in ([title] if title else []) + [masked]:
        src_m = lay.year_reject.sub(lambda m: "#" * len(m.group(0)), src)
        for rule in lay.years:
            m = rule.rx.search(src_m)
            if m:
                return int(m.group("year"))
    # last resort: a year that dominates the opening (not a date, not a 文号)
    years = Counter(int(y) for y in re.findall(r"(?<!\d)((?:19[89]|20[0-4])\d)\s*年(?!\s*\d{1,2}\s*月)", masked[:1500]))
    if years:
        (y, n), *rest = years.most_common(2) + [(None, 0)]
        if n >= 2 and (not rest or rest[0][1] < n):
            return y
    return None


def _kind(head: str, title: str | None, lay: Layout) -> str | None:
    scope = (title or "") + "\n" + head[: lay.meta.kind_scan_chars]
    for src in ([title] if title else []) + [scope]:
        if not lay.kind_requires.search(src):
            continue
        for rule in lay.kinds:
            if rule.rx.search(src):
                return rule.kind
    return None


def _region(dept: str, lay: Layout) -> str | None:
    m = lay.region.match(dept)
    if not m or not m.group(0) or m.group(0) == dept:
        return None
    return m.group(0)
