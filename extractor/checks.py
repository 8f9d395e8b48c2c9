"""Consistency checks on a report's fact table: the engine.

Rules live in ``patterns/checks.yaml`` as data: an id (``sum.procurement``), the
name of a registered check function plus its arguments, a severity and a
Chinese message template.  Check functions (in :mod:`extractor.rules`) are
registered with :func:`register` together with a pydantic model of their
arguments and the message fields they supply, so a bad rule fails at load
naming the file and the rule.  :func:`run` applies every rule to one
document and returns the findings and one :class:`CheckOutcome` per rule
(passed / failed / skipped with the Chinese names of the missing inputs).
"""

from __future__ import annotations

import dataclasses
import functools
import string
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Literal

from pydantic import ValidationError

from . import patterns
from .errors import PatternError
from .model import CheckOutcome, Document, Fact, Finding
from .tolerance import decimals_of

FILE = "checks.yaml"
_STOP = __import__("regex").compile(r"[。！？]")  # a ；-joined clause stays in its sentence
_BARE = __import__("regex").compile(r"^\s*[-+]?[\d,，.．]+\s*(%|％|万元|元)?\s*$")


# --------------------------------------------------------------------------- schema


class Names(patterns.Strict):
    metrics: dict[str, str]  # full Chinese name: procurement_total -> 政府采购支出
    short: dict[str, str] = {}  # short name for a part in a sum: procurement_goods -> 货物
    stages: dict[str, str]  # initial_budget -> 年初预算数


class FormulaSpec(patterns.Strict):
    pattern: str  # named groups name, expr, result


class Coverage(patterns.Strict):
    low_share: Decimal = Decimal("0.5")  # skipped / all above this → coverage.low_coverage


class Rule(patterns.Strict):
    id: str
    check: str
    severity: Literal["error", "warning", "info"]
    message: str
    args: dict[str, Any] = {}
    description: str = ""
    # report kinds the rule is meant for (empty: every kind); coverage counts a skipped rule only
    # when it applies to the report's kind, so a project report is not "low coverage" for lacking 三公
    applies_to: list[Literal["department_overall", "project", "self_evaluation_table"]] = []
    # false for opportunistic rules (a written formula, a stated change, a restated figure): they run
    # when the report happens to state something, and their absence says nothing about coverage
    counts_for_coverage: bool = True


class ChecksFile(patterns.Strict):
    pieces: dict[str, str] = {}
    names: Names
    formula: FormulaSpec
    coverage: Coverage = Coverage()
    ocr_note: str = "（涉及 OCR 识别的数字，请核对扫描件）"
    rules: list[Rule]


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True, slots=True)
class Registered:
    fn: Callable
    args: type[patterns.Strict]
    fields: frozenset[str]


REGISTRY: dict[str, Registered] = {}


def register(name: str, args: type[patterns.Strict], fields: tuple[str, ...] = ()) -> Callable:
    """Register a check function under ``name`` with its argument model and message fields."""

    def deco(fn: Callable) -> Callable:
        REGISTRY[name] = Registered(fn, args, frozenset(fields))
        return fn

    return deco


@dataclass(frozen=True, slots=True)
class LoadedRule:
    rule: Rule
    reg: Registered
    args: Any


@dataclass(frozen=True, slots=True)
class RuleSet:
    names: Names
    formula: Any  # compiled regex
    coverage: Coverage
    ocr_note: str
    rules: tuple[LoadedRule, ...]


def load_rules(directory=None) -> RuleSet:
    """Load and validate ``patterns/checks.yaml`` (cached for the default directory)."""
    from . import rules as _rules  # noqa: F401 - registers the check functions

    return _load(directory)


@functools.lru_cache(maxsize=8)
def _load(directory) -> RuleSet:
    data = patterns.load("checks", ChecksFile, directory)
    patterns.check_unique(FILE, [r.id for r in data.rules])
    loaded = []
    for r in data.rules:
        reg = REGISTRY.get(r.check)
        if reg is None:
            raise PatternError(FILE, r.id, f"unknown check function {r.check!r} (known: {', '.join(sorted(REGISTRY))})")
        try:
            args = reg.args.model_validate(r.args)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise PatternError(FILE, r.id, f"args: {first['msg']} (at {'.'.join(map(str, first['loc']))})") from None
        used = {f for _, f, _, _ in string.Formatter().parse(r.message) if f}
        unknown = used - reg.fields
        if unknown:
            raise PatternError(FILE, r.id, f"message uses unknown field(s) {sorted(unknown)}; {r.check} supplies {sorted(reg.fields)}")
        for m in _metrics_named(args):
            if m not in data.names.metrics:
                raise PatternError(FILE, r.id, f"metric {m!r} has no Chinese name under names.metrics")
        loaded.append(LoadedRule(r, reg, args))
    formula = patterns.compile_pattern(data.formula.pattern, data.pieces, FILE, "formula")
    return RuleSet(data.names, formula, data.coverage, data.ocr_note, tuple(loaded))


def _metrics_named(args: Any) -> list[str]:
    """Every metric an argument model mentions (fields called metric/total/parts/items …)."""
    out: list[str] = []

    def walk(v: Any, key: str = "") -> None:
        if isinstance(v, patterns.Strict):
            for k in type(v).model_fields:
                walk(getattr(v, k), k)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x, key)
        elif isinstance(v, str) and key in ("metric", "total", "parts", "items", "rate", "higher", "lower", "optional"):
            out.append(v)

    walk(args)
    return out


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    outcomes: list[CheckOutcome] = field(default_factory=list)


@dataclass(slots=True)
class Eval:
    """What one rule saw on one document: passes, failures (as message fields) and missing inputs."""

    passed: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    silent: bool = False  # an external rule reported elsewhere: no outcome

    def ok(self) -> None:
        self.passed += 1

    def lack(self, *names: str) -> None:
        for n in names:
            if n not in self.missing:
                self.missing.append(n)

    def fail(self, facts: list[Fact], expected=None, stated=None, difference=None, tolerance=None, /, **fields: Any) -> None:
        """A failure: the figures (positional: expected, stated, difference, tolerance) and the message fields."""
        self.failures.append(dict(facts=facts, expected=expected, stated=stated, difference=difference, tolerance=tolerance, fields=fields))


# --------------------------------------------------------------------------- context


class Ctx:
    """One document's facts, indexed, with the helpers check functions share."""

    def __init__(self, doc: Document, facts: list[Fact], rules: RuleSet) -> None:
        from . import formula as _formula

        self.doc, self.rules, self.all_facts = doc, rules, facts
        # figures inside a written formula are its operands, judged by ratio.formula, not statements of their own
        self.formulas = _formula.find(doc.text, rules.formula) if doc.text else []
        kept = [f for f in facts if not any(fm.start <= f.start < fm.end for fm in self.formulas)]
        # prose readings of a table flattened to text: kept apart (only a rate's threshold may use them)
        self.table_text, kept = _split(kept, self._in_table_text)
        self.by_id = {f.fact_id: f for f in facts if f.fact_id}
        # a part listed under a total of the same metric and stage is a share of it, never the metric itself
        self.parts, kept = _split(kept, self._same_as_parent)
        self.checked_totals: set[str] = set()  # fact ids a named sum rule already judged
        self.facts = self._one_project(kept)
        # facts by metric, built once: select() is called thousands of times per run
        self._by_metric: dict[str, list[Fact]] = {}
        for f in self.facts:
            self._by_metric.setdefault(f.metric, []).append(f)

    PROJECT_METRICS = frozenset({"project_total"})

    @classmethod
    def _one_project(cls, facts: list[Fact]) -> list[Fact]:
        """A project-level figure left on the department, in a report about exactly one project, is that project's."""
        projects = {f.subject for f in facts if f.subject != "department"}
        if len(projects) != 1:
            return facts
        (name,) = projects
        return [dataclasses.replace(f, subject=name) if f.subject == "department" and f.metric in cls.PROJECT_METRICS else f for f in facts]

    def _in_table_text(self, f: Fact) -> bool:
        """A prose fact read from a table flattened to text (cells joined by |): the table reader's, not prose."""
        if f.table_id is not None or not self.doc.text or f.start >= len(self.doc.text):
            return False
        a = self.doc.text.rfind("\n", 0, f.start) + 1
        b = self.doc.text.find("\n", f.start)
        b = b if b >= 0 else len(self.doc.text)
        line = self.doc.text[a:b]
        if line.count("|") >= 2:
            return True
        if not _BARE.match(line):
            return False
        # one cell per line: a bare figure beside another bare figure is a table cell, not a sentence
        prev = self.doc.text[self.doc.text.rfind("\n", 0, max(a - 1, 0)) + 1 : max(a - 1, 0)]
        nxt_end = self.doc.text.find("\n", b + 1)
        nxt = self.doc.text[b + 1 : nxt_end if nxt_end >= 0 else len(self.doc.text)]
        return bool(_BARE.match(prev) or _BARE.match(nxt))

    def _same_as_parent(self, f: Fact) -> bool:
        p = self.by_id.get(f.parent) if f.parent else None
        return p is not None and p.metric == f.metric and p.stage == f.stage and f.metric != "other"

    # ---- names
    def name(self, metric: str, stage: str | None = None) -> str:
        n = self.rules.names.metrics.get(metric, metric)
        if stage and stage not in ("none", "any"):
            n += self.rules.names.stages.get(stage, "")
        return n

    def short(self, metric: str) -> str:
        return self.rules.names.short.get(metric) or self.rules.names.metrics.get(metric, metric)

    # ---- selection
    def select(self, metric: str, stage: str = "any", subject: str | None = None, table_id: str | None | Literal["*"] = "*") -> list[Fact]:
        """Facts of ``metric`` (and ``stage`` unless "any"), optionally limited to a subject / a table."""
        out = []
        for f in self._by_metric.get(metric, ()):
            if f.value is None and metric != "indicator":
                continue
            if stage != "any" and f.stage != stage:
                continue
            if subject is not None and f.subject != subject:
                continue
            if table_id != "*" and f.table_id != table_id:
                continue
            out.append(f)
        return out

    def ranked(self, candidates: list[Fact], anchor: Fact | None, exclude: tuple[Fact, ...] = ()) -> list[Fact]:
        """Candidates in order of belonging with ``anchor``: its child, in its table, in its sentence, then by distance."""
        pool = [c for c in candidates if all(c is not e for e in exclude)]
        if anchor is None or not pool:
            return pool
        sa, sb = self.sentence_of(anchor)

        def key(c: Fact):
            child = 0 if (anchor.fact_id and c.parent == anchor.fact_id) else 1
            table = 0 if (anchor.table_id and c.table_id == anchor.table_id) else 1
            same = 0 if sa <= c.start < sb else 1
            return (child, table, same, abs(c.start - anchor.start), c.start)

        return sorted(pool, key=key)

    def nearest(self, candidates: list[Fact], anchor: Fact | None, exclude: tuple[Fact, ...] = ()) -> Fact | None:
        """The candidate that belongs with ``anchor`` (see :meth:`ranked`)."""
        pool = self.ranked(candidates, anchor, exclude)
        return pool[0] if pool else None

    def subjects(self) -> list[str]:
        seen: dict[str, None] = {}
        for f in self.facts:
            seen.setdefault(f.subject, None)
        return list(seen)

    def tables(self) -> list[str]:
        seen: dict[str, None] = {}
        for f in self.facts:
            if f.table_id:
                seen.setdefault(f.table_id, None)
        return list(seen)

    def sentence_of(self, f: Fact) -> tuple[int, int]:
        """The sentence holding a figure, bounded by full stops (。！？), not by wrapped lines."""
        return self._sentence(f.start) if self.doc.text else (f.start, f.end)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one Ctx per document
    def _sentence(self, offset: int) -> tuple[int, int]:
        text = self.doc.text
        a = max((text.rfind(ch, max(0, offset - 400), offset) for ch in "。！？"), default=-1) + 1
        m = _STOP.search(text, offset, offset + 400)
        b = m.end() if m else min(len(text), offset + 400)
        return (a, b)


def _split(facts: list[Fact], pred: Callable[[Fact], bool]) -> tuple[list[Fact], list[Fact]]:
    """``facts`` where ``pred`` holds and where it does not, in order, testing each fact once."""
    yes: list[Fact] = []
    no: list[Fact] = []
    for f in facts:
        (yes if pred(f) else no).append(f)
    return yes, no


# --------------------------------------------------------------------------- formatting


def fmt(x: Decimal | None) -> str:
    """A figure for a message: exact, with thousands separators, trailing zeros as computed."""
    if x is None:
        return "—"
    if x == x.to_integral_value() and x.as_tuple().exponent > 0:
        x = x.quantize(Decimal(1))
    return format(x, ",f")


def fmt_fact(f: Fact, wanyuan: bool = False) -> str:
    """A fact's figure as printed (its own precision), or in 万元 when ``wanyuan``."""
    if wanyuan and f.value_wanyuan is not None and f.unit != "万元":
        return fmt(f.value_wanyuan.normalize() if f.value_wanyuan == f.value_wanyuan.to_integral_value() else f.value_wanyuan)
    if f.value is None:
        return f.target or "—"
    d = decimals_of(f.value, f.decimals)
    return format(f.value.quantize(Decimal(1).scaleb(-d)) if d >= 0 else f.value, ",f")


# --------------------------------------------------------------------------- run


def run(doc: Document, facts: list[Fact], rules: RuleSet | None = None) -> CheckReport:
    """Apply every rule of ``patterns/checks.yaml`` to one document's facts."""
    rules = rules or load_rules()
    ctx = Ctx(doc, facts, rules)
    report = CheckReport()
    coverage_rule = None
    done: dict[str, tuple[list[Finding], CheckOutcome]] = {}
    # generic breakdowns run last, so a total a named rule already judged is not reported twice
    order = sorted(rules.rules, key=lambda lr: lr.rule.check == "breakdown")
    for lr in order:
        if lr.rule.check == "coverage":
            coverage_rule = lr
            continue
        ev = Eval()
        try:
            lr.reg.fn(ctx, lr.args, ev)
        except PatternError:
            raise
        except (ArithmeticError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            # one rule tripping over odd facts must not cost the auditor every other rule
            done[lr.rule.id] = ([], CheckOutcome(lr.rule.id, "skipped", f"internal: {type(exc).__name__}: {exc}"))
            continue
        if ev.silent:
            continue
        found = [_finding(doc, lr.rule, fail, rules) for fail in ev.failures]
        if ev.failures:
            out = CheckOutcome(lr.rule.id, "failed", f"{len(ev.failures)} finding(s)")
        elif ev.passed:
            detail = f"{ev.passed} check(s)" + (f"; not run for missing: {'、'.join(ev.missing)}" if ev.missing else "")
            out = CheckOutcome(lr.rule.id, "passed", detail)
        else:
            out = CheckOutcome(lr.rule.id, "skipped", "missing: " + "、".join(ev.missing) if ev.missing else "nothing to check")
        done[lr.rule.id] = (found, out)
    for lr in rules.rules:
        if lr.rule.id in done:
            found, out = done[lr.rule.id]
            report.findings.extend(found)
            report.outcomes.append(out)
    if coverage_rule is not None:
        _coverage(doc, coverage_rule, report, rules)
    return report


def _coverage(doc: Document, lr: LoadedRule, report: CheckReport, rules: RuleSet) -> None:
    kind = doc.metadata.kind
    applies = {
        r.rule.id
        for r in rules.rules
        if r.rule.counts_for_coverage and (not r.rule.applies_to or kind is None or kind in r.rule.applies_to)
    }
    counted = [o for o in report.outcomes if o.rule in applies]
    total = len(counted)
    skipped = sum(1 for o in counted if o.status == "skipped")
    if total and Decimal(skipped) / Decimal(total) > rules.coverage.low_share:
        fail = dict(facts=[], expected=None, stated=None, difference=None, tolerance=None, fields=dict(skipped=skipped, total=total, run=total - skipped))
        report.findings.append(_finding(doc, lr.rule, fail, rules))
        report.outcomes.append(CheckOutcome(lr.rule.id, "failed", f"{skipped} of {total} rules for this kind of report skipped"))
    else:
        report.outcomes.append(CheckOutcome(lr.rule.id, "passed", f"{skipped} of {total} rules for this kind of report skipped"))


def _finding(doc: Document, rule: Rule, fail: dict[str, Any], rules: RuleSet) -> Finding:
    facts: list[Fact] = []
    for f in fail["facts"]:
        if all(f is not g for g in facts):
            facts.append(f)
    try:
        message = rule.message.format(**fail["fields"])
    except (KeyError, IndexError) as exc:  # a field this failure did not supply
        raise PatternError(FILE, rule.id, f"message field {exc} not supplied by {rule.check}") from None
    ocr = any(f.source_kind == "ocr" for f in facts)
    if ocr:
        message += rules.ocr_note
    return Finding(
        doc_id=doc.doc_id,
        source=doc.source,
        rule=fail["fields"].get("rule_id") or rule.id,
        severity=rule.severity,
        message=message,
        expected=fail["expected"],
        stated=fail["stated"],
        difference=fail["difference"],
        tolerance=fail["tolerance"],
        facts=facts,
        source_kind="ocr" if ocr else "text",
    )
