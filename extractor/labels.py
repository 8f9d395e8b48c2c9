"""The metric × stage vocabulary of ``patterns/metrics.yaml``: schema, compiled rules, label and cue matching.

Kept apart from :mod:`extractor.facts` so the schema (what a bureau may edit)
is readable on its own.  Everything is compiled once per process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from . import patterns
from .errors import PatternError
from .patterns import Strict

FILE = "metrics.yaml"
# Words around a label that are not part of it: fillers before the number, list openers before the label.
FILLER = regex.compile(r"(?:为|是|达到|达|共计|合计|共|约|均|总计|计|：|:|=|＝|\s)+$")
LEAD = regex.compile(r"^(?:[\s，,；;：:（()）]|其中|包括|分别为|含|一是|二是|三是|四是|五是|即|另|此外)+")
STAGES = ("initial_budget", "adjusted_budget", "actual", "prior_year", "change", "none")
KINDS = ("amount", "rate", "count", "percentage_points", "ratio")
METRICS = (
    "income_total", "expenditure_total", "basic_expenditure", "personnel_expenditure", "public_expenditure",
    "project_expenditure", "capital_construction", "general_budget_appropriation", "fund_budget_appropriation",
    "state_capital_appropriation", "other_income", "carryover_opening", "balance_closing", "unspent_budget",
    "execution_rate", "growth_rate", "carryover_rate", "procurement_total", "procurement_goods", "procurement_works",
    "procurement_services", "procurement_sme", "three_public_total", "three_public_overseas", "three_public_vehicle",
    "three_public_vehicle_purchase", "three_public_vehicle_operation", "three_public_reception", "assets_total",
    "fixed_assets_total", "fixed_assets_added", "fixed_asset_utilization", "staff_authorized", "staff_actual",
    "staff_retired", "staff_contract", "satisfaction_rate", "completion_rate", "project_total", "project_count",
    "score_total", "score", "weight", "indicator", "other",
)


# --------------------------------------------------------------------------- schema


class StageCue(Strict):
    id: str
    stage: str  # a STAGES value, or "budget" (some budget stage, resolved from context)
    regex: str
    examples: list[str]


class Cue(Strict):
    id: str
    regex: str
    examples: list[str]


class Level(Strict):
    level: int
    regex: str


class IndicatorSpec(Strict):
    levels: list[Level]
    statement: Cue
    target: str
    met_true: str
    met_false: str
    name_trim: str


class MetricRule(Strict):
    id: str
    metric: str
    kinds: list[str]
    labels: list[str]
    terms: list[str] = []
    stage: str | None = None  # fixed stage: cues are ignored
    default_stage: str | None = None  # when the clause names no stage
    examples: list[str]


class MetricsFile(Strict):
    pieces: dict[str, str] = {}
    stages: list[StageCue]
    changes: list[Cue]
    formula: Cue
    shared_value: Cue
    breakdown: Cue
    share: Cue | None = None  # "占…的 X%": a share of the amount before, carrying its stage
    subjects: list[Cue]
    indicators: IndicatorSpec
    metrics: list[MetricRule]
    project_scope_metrics: list[str]
    standalone_metrics: list[str] = []  # never a part of the amount before it (授予中小企业合同金额)
    totals: dict[str, list[str]] = {}  # a total's metric -> the metrics of its parts (a 合计 column among them)


# --------------------------------------------------------------------------- compiled


@dataclass(frozen=True, slots=True)
class Compiled:
    spec: MetricsFile
    stage_cues: tuple[tuple[StageCue, regex.Pattern], ...]
    changes: tuple[tuple[Cue, regex.Pattern], ...]
    formula: regex.Pattern
    shared_value: regex.Pattern
    breakdown: regex.Pattern
    share: regex.Pattern | None
    subjects: tuple[tuple[Cue, regex.Pattern], ...]
    levels: tuple[tuple[int, regex.Pattern], ...]
    statement: regex.Pattern
    target: regex.Pattern
    met_true: regex.Pattern
    met_false: regex.Pattern
    name_trim: regex.Pattern
    metrics: tuple[tuple[MetricRule, tuple[regex.Pattern, ...]], ...]


@dataclass(frozen=True, slots=True)
class LabelMatch:
    rule: MetricRule
    start: int
    end: int
    text: str


def _c(p: str, pieces: dict[str, str], entry: str | None) -> regex.Pattern:
    return patterns.compile_pattern(p, pieces, FILE, entry)


def build(spec: MetricsFile) -> Compiled:
    """Validate cross-references (stages, metrics, kinds, unique ids) and compile every regex."""
    pcs = spec.pieces
    ids = [s.id for s in spec.stages] + [c.id for c in spec.changes] + [spec.formula.id, spec.shared_value.id, spec.breakdown.id]
    ids += [spec.share.id] if spec.share else []
    ids += [s.id for s in spec.subjects] + [spec.indicators.statement.id] + [m.id for m in spec.metrics]
    patterns.check_unique(FILE, ids)
    for s in spec.stages:
        if s.stage not in STAGES + ("budget",):
            raise PatternError(FILE, s.id, f"unknown stage {s.stage!r}")
    for m in spec.metrics:
        if m.metric not in METRICS:
            raise PatternError(FILE, m.id, f"unknown metric {m.metric!r}")
        for st in (m.stage, m.default_stage):
            if st is not None and st not in STAGES:
                raise PatternError(FILE, m.id, f"unknown stage {st!r}")
        for k in m.kinds:
            if k not in KINDS:
                raise PatternError(FILE, m.id, f"unknown kind {k!r}")
        if not m.labels or not m.examples:
            raise PatternError(FILE, m.id, "a metric needs at least one label and one example")
    for name in spec.project_scope_metrics + spec.standalone_metrics:
        if name not in METRICS:
            raise PatternError(FILE, "project_scope_metrics", f"unknown metric {name!r}")
    for total, parts in spec.totals.items():
        for name in [total, *parts]:
            if name not in METRICS:
                raise PatternError(FILE, f"totals.{total}", f"unknown metric {name!r}")
    ind = spec.indicators
    return Compiled(
        spec=spec,
        stage_cues=tuple((s, _c(s.regex, pcs, s.id)) for s in spec.stages),
        changes=tuple((c, _c(c.regex, pcs, c.id)) for c in spec.changes),
        formula=_c(spec.formula.regex, pcs, spec.formula.id),
        shared_value=_c(spec.shared_value.regex, pcs, spec.shared_value.id),
        breakdown=_c(spec.breakdown.regex, pcs, spec.breakdown.id),
        share=_c(spec.share.regex, pcs, spec.share.id) if spec.share else None,
        subjects=tuple((s, _c(s.regex, pcs, s.id)) for s in spec.subjects),
        levels=tuple((lv.level, _c(lv.regex, pcs, f"level{lv.level}")) for lv in ind.levels),
        statement=_c(ind.statement.regex, pcs, ind.statement.id),
        target=_c(ind.target, pcs, "indicators.target"),
        met_true=_c(ind.met_true, pcs, "indicators.met_true"),
        met_false=_c(ind.met_false, pcs, "indicators.met_false"),
        name_trim=_c(ind.name_trim, pcs, "indicators.name_trim"),
        metrics=tuple((m, tuple(_c(p, pcs, m.id) for p in m.labels)) for m in spec.metrics),
    )


@functools.lru_cache(maxsize=4)
def rules(directory: str | None = None) -> Compiled:
    """The compiled vocabulary (cached per process; ``directory`` overrides ``patterns/`` for tests)."""
    from pathlib import Path

    spec = patterns.load("metrics", MetricsFile, Path(directory) if directory else None)
    return build(spec)


# --------------------------------------------------------------------------- matching


def find_labels(text: str, kind: str | None = None, r: Compiled | None = None) -> list[LabelMatch]:
    """Every metric label in ``text`` (any kind when ``kind`` is None), non-overlapping per pattern."""
    r = r or rules()
    out: list[LabelMatch] = []
    for rule, pats in r.metrics:
        if kind is not None and kind not in rule.kinds:
            continue
        for p in pats:
            for m in p.finditer(text, overlapped=True):
                if m.end() > m.start():
                    out.append(LabelMatch(rule, m.start(), m.end(), m.group(0)))
    return out


def nearest_label(text: str, kind: str | None = None, r: Compiled | None = None) -> LabelMatch | None:
    """The label ending nearest the end of ``text`` (the number follows it); ties go to the longer match."""
    found = find_labels(text, kind, r)
    if not found:
        return None
    return max(found, key=lambda m: (_effective_end(text, m.end), m.end - m.start))


_TAIL = regex.compile(r"(?:收入|支出|预算|决算|执行|实际|完成|合计|总计|总额|数|额|指标|\s)*")


def _effective_end(text: str, end: int) -> int:
    """A label's end with trailing stage words ("收入" + "预算数") counted as its own."""
    m = _TAIL.match(text, end)
    return m.end() if m else end


def distinct_labels(text: str, kind: str | None = None, r: Compiled | None = None) -> list[LabelMatch]:
    """Non-overlapping labels, longest first, in reading order ("A和B决算数均为 X" → A, B)."""
    found = sorted(find_labels(text, kind, r), key=lambda m: (-(m.end - m.start), m.start))
    taken: list[LabelMatch] = []
    for m in found:
        if all(m.end <= t.start or m.start >= t.end for t in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: m.start)


def stage_cues(text: str, mask: tuple[int, int] | None = None, r: Compiled | None = None) -> list[tuple[int, int, str, str]]:
    """Stage cues in ``text`` as (start, end, stage, rule id), ignoring any that overlap ``mask`` (the label)."""
    r = r or rules()
    out = []
    for cue, p in r.stage_cues:
        for m in p.finditer(text):
            if m.end() == m.start():
                continue
            if mask and m.start() < mask[1] and m.end() > mask[0]:
                continue
            out.append((m.start(), m.end(), cue.stage, cue.id))
    return out


def dictionary_terms(r: Compiled | None = None) -> list[str]:
    """Words jieba must keep whole (from each metric's ``terms``)."""
    r = r or rules()
    terms: list[str] = []
    for rule, _ in r.metrics:
        terms.extend(rule.terms)
    return sorted(set(terms), key=lambda t: (-len(t), t))
