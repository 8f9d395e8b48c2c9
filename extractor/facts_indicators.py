"""Indicator statements in prose: "人才满意度达 90%", "年初预计…5 人…年底均达标完成目标" become ``indicator`` rows.

Level 1/2 come from the nearest indicator heading above (产出指标 / 数量指标 …), the
name from the words before the figure, target or actual from 预计/计划 cues, and
``met`` from 达标/未完成 words (``indicators`` in ``patterns/metrics.yaml``).
"""

from __future__ import annotations

import dataclasses

import regex

from . import labels as L
from .model import Document, Fact, Quantity

_REACHED = regex.compile(r"达到|达成|完成|达标|实现")


def statement(r: L.Compiled, doc: Document, q: Quantity, base: Fact, left: str, s_start: int, s_end: int, new_id,
              carried: str | None = None) -> Fact | None:
    """An ``indicator`` row for a prose indicator statement around ``q`` (None when the sentence states none).

    ``carried``: the label of the figure before when this clause only continues it ("群众满意度≥90%，实际达到95%")."""
    text = doc.text
    sec = doc.section_at(q.span.start)
    lo = max(sec.start if sec else 0, q.span.start - 400)
    window = (sec.path + "\n" if sec else "") + text[lo:q.span.start]
    lv1 = _last(r.levels, window, 1)
    lv2 = _last(r.levels, window, 2)
    cut = _label_end(r, base, left)
    rest = left[cut:] if cut is not None else left
    stmt = r.statement.search(rest)  # "满意度达 90%" is a statement, "工程完成率 80%" is not
    sentence_left = text[s_start:q.span.start]
    after = text[q.span.end:s_end]
    bound = q.comparator in ("≥", "≤", ">", "<") and not q.surface.strip()[:1].isdigit()  # "≥90%": a target
    target_cue = r.target.search(sentence_left) or (bound and stmt is None) or None
    is_rate_indicator = base.metric in ("satisfaction_rate", "completion_rate") and (stmt is not None or bound)
    if not is_rate_indicator:
        if lv2 is None and lv1 is None:
            return None
        if stmt is None and target_cue is None:
            return None
    met: bool | None = None
    if r.met_false.search(left) or r.met_false.search(after):
        met = False
    elif r.met_true.search(left) or r.met_true.search(after) or (stmt and _REACHED.match(stmt.group(0))):
        met = True
    named = left
    if stmt is not None and cut is not None and not L.FILLER.sub("", rest[stmt.end():]).strip():
        named = left[: cut + stmt.start()]  # "全年任务完成率实现 100%": the name ends where the verb begins
    name = L.FILLER.sub("", L.LEAD.sub("", named)).strip()[-30:]
    name = r.name_trim.sub("", name).strip() or carried or base.label
    value = format(q.value, "f")
    own_target = r.target.search(left)
    if bound and stmt is None:
        is_target = True
    elif own_target is not None:
        is_target = stmt is None or own_target.start() < stmt.start()  # "计划完成…30 公里"
    else:
        is_target = target_cue is not None and stmt is None
    ind = dataclasses.replace(base)
    ind.fact_id, ind.metric, ind.rule = new_id(), "indicator", r.spec.indicators.statement.id
    ind.indicator_level1, ind.indicator_level2 = lv1, lv2
    ind.indicator_name, ind.comparator, ind.met = name, q.comparator, met
    ind.label = name
    if is_target:
        ind.target, ind.target_unit = value, q.unit
        if met is True:
            ind.actual, ind.actual_unit = value, q.unit  # "年底均达标完成目标": the target was reached
    else:
        ind.actual, ind.actual_unit = value, q.unit
    ind.parent = None
    ind.stage = "actual" if ind.actual is not None else "none"
    return ind


def _label_end(r: L.Compiled, base: Fact, left: str) -> int | None:
    """Where the metric label of ``base`` ends in ``left`` (the last match of its rule), so that a verb after it
    ("完成率实现") is found even when the fact's label text absorbed it; None when no label is in ``left``."""
    if base.metric == "other" or not base.label:
        return None
    pats = next((p for m, p in r.metrics if m.id == base.rule), ())
    ends = [m.end() for p in pats for m in p.finditer(left) if m.end() > m.start()]
    if ends:
        return max(ends)
    return left.rfind(base.label) + len(base.label) if base.label in left else None


def _last(levels, window: str, level: int) -> str | None:
    best = None
    for lv, pat in levels:
        if lv != level:
            continue
        for m in pat.finditer(window):
            if best is None or m.start() >= best[0]:
                best = (m.start(), m.group(0))
    return best[1] if best else None
