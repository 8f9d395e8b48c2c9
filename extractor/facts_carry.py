"""Carrying a label from one clause to the next: what a clause that names too little (a stage word, 金额, 分别为,
a bare verb) means, given the facts just before it.  Split from :mod:`extractor.facts` to keep modules small."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from . import labels as L
from .model import Fact, Quantity

if TYPE_CHECKING:
    from .facts import _Ctx

_BARE = regex.compile(r"[^\p{Han}]|调整后|调整|年初|全年|决算|预算|执行|实际|数|额|为|是|的|占|比|较|其中|本单位|本部门|部门|达到|达|实现")
_LIST_GLUE = regex.compile(r"[\s、，,和及与以]")
_SEG_BREAK = regex.compile(r"[。；;\n]")
_NUM_START = regex.compile(r"[\d一二三四五六七八九十]")


_RESPECTIVE = regex.compile(r"分别(?:为|是|达到?|占)?")


def respective(ctx: _Ctx, q: Quantity, seg_start: int, before: list[Fact]) -> tuple[L.LabelMatch, str] | None:
    """For "A、B分别为 X、Y": the label of the list that matches this figure's place, and the text it came from."""
    text = ctx.doc.text
    cue = None
    for m in _RESPECTIVE.finditer(text, seg_start, q.span.start):
        cue = m
    if cue is None:
        return None
    between = [f for f in before if f.start >= cue.end() and f.kind == q.kind]
    gap_text = text[cue.end():q.span.start]
    for f in between:
        gap_text = gap_text.replace(text[f.start:f.end], "")
    if _LIST_GLUE.sub("", gap_text):
        return None  # something other than a list of figures sits between the cue and this figure
    head_start = cue.start()
    while head_start > seg_start and ctx.masked[head_start - 1] not in "，,；;。：:\n":
        head_start -= 1  # the listed labels may be joined by 、
    head = text[head_start:cue.start()].replace("\n", "")
    group = L.distinct_labels(head, q.kind, ctx.r)
    i = len({f.start for f in between})
    if len(group) < 2 or i >= len(group):
        return None
    return group[i], head


def label_after(ctx: _Ctx, q: Quantity) -> L.LabelMatch | None:
    text = ctx.doc.text[q.span.end : q.span.end + 12]
    found = [m for m in L.find_labels(text, q.kind, ctx.r) if m.start == 0]
    if not found:
        return None
    return max(found, key=lambda m: m.end)


def previous_metric(ctx: _Ctx, left: str, pos: int, kind: str, before: list[Fact]) -> L.LabelMatch | None:
    """"年初…收入预算 A…。调整后预算数 B": a clause naming only a stage continues the metric last named in the paragraph."""
    cues = L.stage_cues(left, None, ctx.r)
    if not cues:
        return None
    bare = list(left)
    for s, e, _, _ in cues:
        bare[s:e] = [" "] * (e - s)
    if _BARE.sub("", "".join(bare)):
        return None
    sec = ctx.doc.section_at(pos)
    lo = max(sec.start if sec else 0, pos - 300)
    for f in reversed(before):
        if f.start < lo:
            break
        same_segment = not _SEG_BREAK.search(ctx.masked[f.end:pos])
        if f.stage == "change" or (f.stage == "none" and not same_segment):
            continue
        if f.kind == kind and f.parent is None and f.metric not in ("other", "indicator") and f.rule.startswith("metric."):
            rule = next((m for m, _ in ctx.r.metrics if m.id == f.rule), None)
            if rule is not None:
                return L.LabelMatch(rule, len(left), len(left), f.label)  # empty span: the label is carried over
    return None


_WHOLE = regex.compile(r"部门|单位|整体|总|合计")


def continued_metric(ctx: _Ctx, left: str, lm: L.LabelMatch, kind: str, in_sentence: list[Fact]) -> L.LabelMatch | None:
    """"项目支出调整后预算 A，实际支出 B": a clause of only a stage word and a bare word of the metric named
    just before ("支出" of "项目支出") continues that metric; a lone "部门实际支出 B" stays the total."""
    bare = list(left)
    for s, e, _, _ in L.stage_cues(left, None, ctx.r):
        bare[s:e] = [" "] * (e - s)
    bare[lm.start:lm.end] = [" "] * (lm.end - lm.start)
    if _BARE.sub("", "".join(bare)) or _WHOLE.search(left):
        return None
    prev = next((f for f in reversed(in_sentence) if f.kind == kind and f.parent is None and f.stage != "change"), None)
    if prev is None or prev.metric in ("other", "indicator", lm.rule.metric) or not prev.rule.startswith("metric."):
        return None
    if lm.text not in prev.label:
        return None
    rule = next((m for m, _ in ctx.r.metrics if m.id == prev.rule), None)
    return L.LabelMatch(rule, lm.start, lm.end, lm.text) if rule is not None else None


_AMOUNT_WORD = regex.compile(r"(?:涉及|合计|共计|总)?(?:预算)?(?:金额|资金|资金总额|总额)(?:合计|共计)?")


def counted_amount(ctx: _Ctx, left: str, in_sentence: list[Fact]) -> tuple[L.LabelMatch, str] | None:
    """"年初安排项目支出预算12个，金额 X": a bare 金额/资金 clause right after a labeled count takes the
    amount metric its label names, and the stage words with it.  Returns (label, the text it came from)."""
    word = L.FILLER.sub("", L.LEAD.sub("", left)).strip()
    if not _AMOUNT_WORD.fullmatch(word) or not in_sentence:
        return None
    prev = in_sentence[-1]
    if prev.kind != "count" or prev.metric in ("other", "indicator"):
        return None
    lm = L.nearest_label(prev.label, "amount", ctx.r)
    text = prev.label + word
    return (lm, text) if lm is not None else None


_BOUNDS = ("≥", "≤", ">", "<")


def bound_led(q: Quantity) -> bool:
    """"≥90%" / "不低于90%": a comparator written before the figure (not "95%以上", which states a result)."""
    return q.comparator in _BOUNDS and not _NUM_START.match(q.surface.strip())
