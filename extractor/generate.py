"""A synthetic corpus of 绩效自评报告 with exact ground truth (``jixiao corpus generate``).

Each report is planned as exact figures first (integer yuan, totals equal to their
parts, rates equal to their ratios rounded half-up to 2 decimals), then a share of
reports gets planted inconsistencies, and the whole is phrased from the templates in
``corpus/templates/*.yaml`` (data, many variants per statement).  The text rendering
records the offset of every figure, so the gold file's ``text[start:end] == surface``.
PDF and DOCX renderings live in :mod:`extractor.generate_render`.

Determinism: one ``random.Random`` per report seeded from ``(seed, index)``; no
clock, no float, no hash-order dependence, so the same seed gives the same bytes.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import regex

from .errors import PatternError
from .numerals import to_chinese
from .patterns import Strict, check_unique, read_yaml

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "corpus" / "templates"
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
WAN = Decimal(10000)
LOW_EXECUTION = Decimal(90)  # the usual threshold below which a report must explain its execution rate
_SLOT = regex.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")

# --------------------------------------------------------------------------- templates (data)


class Statement(Strict):
    id: str
    slots: list[str]
    variants: list[str]


class Phrasing(Strict):
    topics: list[str]
    labels: dict[str, list[str]]
    headings: dict[str, list[str]]
    statements: list[Statement]


class Province(Strict):
    province: str
    cities: list[str]
    counties: list[str]


class ProjectName(Strict):
    name: str
    parts: list[str]


class IndicatorName(Strict):
    level1: str
    level2: str
    name: str
    unit: str
    kind: str


class Names(Strict):
    provinces: list[Province]
    bureaus: list[str]
    units: list[str]
    projects: list[ProjectName]
    indicators: list[IndicatorName]


@dataclass(frozen=True)
class Templates:
    phrasing: Phrasing
    names: Names

    def variants(self, sid: str) -> list[str]:
        for s in self.phrasing.statements:
            if s.id == sid:
                return s.variants
        raise PatternError("statements.yaml", sid, "no such statement")


def load_templates(directory: Path | None = None) -> Templates:
    """Read and validate ``statements.yaml`` and ``names.yaml``: unknown fields, duplicate ids and undeclared slots are errors."""
    d = directory or TEMPLATES_DIR

    def _load(name: str, model):
        data = read_yaml(d / name)
        try:
            return model.model_validate(data)
        except Exception as exc:  # pydantic ValidationError: name the file and the place
            errs = getattr(exc, "errors", None)
            loc = ".".join(str(p) for p in errs()[0]["loc"]) if errs else ""
            raise PatternError(name, loc or None, str(exc).splitlines()[0] if not errs else errs()[0]["msg"]) from None

    phrasing = _load("statements.yaml", Phrasing)
    names = _load("names.yaml", Names)
    check_unique("statements.yaml", [s.id for s in phrasing.statements])
    for s in phrasing.statements:
        if not s.variants:
            raise PatternError("statements.yaml", s.id, "no variants")
        for v in s.variants:
            for slot in _SLOT.findall(v):
                if slot not in s.slots:
                    raise PatternError("statements.yaml", s.id, f"variant uses undeclared slot {{{slot}}}: {v}")
    return Templates(phrasing, names)


# --------------------------------------------------------------------------- numbers


def half_up(v: Decimal, places: Decimal = CENT) -> Decimal:
    return v.quantize(places, rounding=ROUND_HALF_UP)


def rate_of(part: Decimal, whole: Decimal) -> Decimal:
    """A percentage the way a finance officer writes it: part/whole×100, half-up to 2 decimals."""
    return half_up(part * HUNDRED / whole) if whole else Decimal("0.00")


def group(v: Decimal) -> str:
    return f"{v:,.2f}" if v.as_tuple().exponent == -2 else f"{v:,}"


# --------------------------------------------------------------------------- building a report


@dataclass
class Style:
    unit: str = "万元"  # 万元 or 元 for the whole report
    commas: bool = True
    space: bool = True  # "22,719.86 万元" vs "22,719.86万元"
    fullwidth: bool = False
    wrapped: bool = True
    width: int = 30
    table_text: str = "bars"  # bars | lines
    three_public_yuan: bool = False
    chinese_numerals: bool = False
    page_marks: bool = False  # "— 3 —" page numbers left in the extracted text
    pad: bool = False  # " 22,719.86 万元 ": spaces around figures, as PDF text extraction often leaves them


@dataclass
class Report:
    """A report as blocks of segments (str or fact index), plus its gold facts."""

    blocks: list = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    inconsistencies: list[dict] = field(default_factory=list)
    must_not_flag: list[dict] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)


class Writer:
    """Phrases statements from templates and registers every figure it writes as a gold fact."""

    def __init__(self, rng: random.Random, tpl: Templates, style: Style) -> None:
        self.rng, self.tpl, self.style, self.r = rng, tpl, style, Report()

    # ---- figures
    def amount(self, metric: str, stage: str, yuan: int | Decimal, subject: str = "department", unit: str | None = None, table: bool = False, bare: bool = False, yi: bool = False, **extra) -> int:
        """A money figure in the report's unit (``yi``: a large 万元 figure may be written in 亿元, rounded to 2 decimals)."""
        unit = unit or self.style.unit
        if yi and unit == "万元" and not table and Decimal(yuan) >= WAN * WAN:
            unit = "亿元"
            value = half_up(Decimal(yuan) / WAN / WAN)
            wan = value * WAN
        elif unit == "万元":
            value = half_up(Decimal(yuan) / WAN)
            wan = value
        else:
            value = Decimal(yuan).quantize(CENT)
            wan = value / WAN
        text = group(value) if self.style.commas else f"{value}"
        surface = text if bare else text + (" " if self.style.space else "") + unit
        if not table and not bare and self.style.chinese_numerals and unit == "万元" and value == value.to_integral() and 0 < value < 100000 and self.rng.random() < 0.5:
            surface = to_chinese(Decimal(int(value))) + "万元"
        elif self.style.fullwidth and not table:
            surface = surface.translate(_FULLWIDTH)
        return self._add(metric, stage, subject, value, unit, surface, table, value_wanyuan=format(wan, "f"), kind="amount", **extra)

    def rate(self, metric: str, stage: str, value: Decimal, subject: str = "department", table: bool = False, bare: bool = False, **extra) -> int:
        surface = f"{value}" + ("" if bare else "%")
        if not table and self.style.chinese_numerals and value == value.to_integral() and 0 < value <= 100 and self.rng.random() < 0.5:
            surface = "百分之" + to_chinese(Decimal(int(value)))
        elif self.style.fullwidth and not table:
            surface = surface.translate(_FULLWIDTH)
        return self._add(metric, stage, subject, value, "%", surface, table, kind="rate", **extra)

    def count(self, metric: str, stage: str, n: int, unit: str, subject: str = "department", table: bool = False, **extra) -> int:
        surface = f"{n}{unit}"
        return self._add(metric, stage, subject, Decimal(n), unit, surface, table, kind="count", **extra)

    def operand(self, ref: int) -> int:
        """A figure restated as a formula operand (``other``/``none``, digits as printed, no full-width or numerals)."""
        f = self.r.facts[ref]
        unit = f["unit"]
        value = Decimal(f["value"])
        surface = (group(value) if self.style.commas else f"{value}") + unit
        extra = {"value_wanyuan": f["value_wanyuan"]} if "value_wanyuan" in f else {}
        return self._add("other", "none", f["subject"], value, unit, surface, False, kind=f.get("kind", "amount"), **extra)

    def plain(self, metric: str, stage: str, value: Decimal, unit: str, surface: str, subject: str, **extra) -> int:
        return self._add(metric, stage, subject, value, unit, surface, True, kind=extra.pop("kind", "score"), **extra)

    def _add(self, metric, stage, subject, value: Decimal, unit, surface, table, **extra) -> int:
        fact = {"metric": metric, "stage": stage, "subject": subject, "value": format(value, "f"), "unit": unit}
        if "value_wanyuan" in extra:
            fact["value_wanyuan"] = extra.pop("value_wanyuan")
        fact.update({"surface": surface, "table": table})
        fact.update({k: v for k, v in extra.items() if v is not None})
        self.r.facts.append(fact)
        return len(self.r.facts) - 1

    # ---- phrasing
    def label(self, metric: str) -> str:
        return self.rng.choice(self.tpl.phrasing.labels[metric])

    def say(self, sid: str, variant: str | None = None, **fill) -> list:
        """One variant of statement ``sid`` with its slots filled: a list of str and fact indices."""
        variant = variant or self.rng.choice(self.tpl.variants(sid))
        segs: list = []
        pos = 0
        for m in _SLOT.finditer(variant):
            segs.append(variant[pos : m.start()])
            name = m.group(1)
            if fill.get(name) is None:
                raise PatternError("statements.yaml", sid, f"the generator has no filler for {{{name}}}")
            v = fill[name]
            segs.extend(v if isinstance(v, list) else [v])
            pos = m.end()
        segs.append(variant[pos:])
        return [s for s in segs if s != ""]

    def breakdown(self, parts: list[tuple[str, int]]) -> list:
        """Parts after a total: "，其中A x，B y" or "（A x，B y）"."""
        segs: list = []
        paren = self.rng.random() < 0.5
        segs.append("（" if paren else "，其中")
        for i, (lab, ref) in enumerate(parts):
            if i:
                segs.append("，" if self.rng.random() < 0.7 else "、")
            segs.extend([lab, ref])
        if paren:
            segs.append("）")
        return segs

    # ---- blocks
    def heading(self, level: int, marker: str, title: str) -> None:
        self.r.blocks.append(("heading", level, [marker + title]))

    def para(self, *segs) -> None:
        flat: list = []
        for s in segs:
            flat.extend(s if isinstance(s, list) else [s])
        self.r.blocks.append(("para", flat))

    def plant(self, rule: str, facts: list[int], note: str) -> None:
        self.r.inconsistencies.append({"rule": rule, "kind": "planted", "facts": facts, "note": note})

    def consequence(self, rule: str, facts: list[int], note: str) -> None:
        """A rule a planted error also breaks (a knock-on): found or not, it is neither a miss nor a false finding."""
        self.r.inconsistencies.append({"rule": rule, "kind": "consequence", "facts": facts, "note": note})

    def low_execution(self, rate_ref: int) -> None:
        """A stated execution rate below 90 % is a genuine budget-discipline finding: record it as expected."""
        value = Decimal(self.r.facts[rate_ref]["value"])
        if value < LOW_EXECUTION:
            self.r.inconsistencies.append({"rule": "discipline.low_execution", "kind": "real", "facts": [rate_ref], "note": f"execution rate {value}% below {LOW_EXECUTION}% (genuine, not planted)"})

    def rounding(self, rule: str, facts: list[int], note: str) -> None:
        self.r.must_not_flag.append({"rule": rule, "facts": facts, "note": note})


# --------------------------------------------------------------------------- text rendering

_NO_BREAK_BEFORE = set("，。；、：）」”》！？%")


def render_text(report: Report, style: Style) -> str:
    """The .txt rendering; fills ``start``/``end`` of every fact it places."""
    out: list[str] = []
    pos = 0
    sep = "\n\n" if style.wrapped else "\n"
    lines = 0
    page = 1

    def emit(s: str) -> None:
        nonlocal pos, lines, page
        out.append(s)
        pos += len(s)
        if style.page_marks and s == "\n\n":
            lines += 1
            if lines % 36 == 0:
                page += 1
                out.append(f"— {page} —\n\n")
                pos += len(out[-1])

    for block in report.blocks:
        if block[0] == "table":
            _table_text(block[1], report, style, emit, lambda: pos)
            emit(sep)
            continue
        segs = block[-1]
        line_len = 0
        for seg in segs:
            piece = report.facts[seg]["surface"] if isinstance(seg, int) else seg
            if isinstance(seg, int) and style.pad and out and out[-1][-1:] not in ("\n", " ", "（", "“"):
                emit(" ")
                line_len += 1
            if style.wrapped and block[0] == "para":
                if isinstance(seg, int):
                    if line_len + len(piece) > style.width + 4:
                        emit("\n\n")
                        line_len = 0
                    report.facts[seg]["start"] = pos
                    emit(piece)
                    report.facts[seg]["end"] = pos
                    line_len += len(piece)
                    continue
                for ch in piece:
                    if line_len >= style.width and ch not in _NO_BREAK_BEFORE:
                        emit("\n\n")
                        line_len = 0
                    emit(ch)
                    line_len += 1
            else:
                if isinstance(seg, int):
                    report.facts[seg]["start"] = pos
                emit(piece)
                if isinstance(seg, int):
                    report.facts[seg]["end"] = pos
        emit(sep)
    return "".join(out)


def _table_text(table: dict, report: Report, style: Style, emit, where) -> None:
    for row in table["rows"]:
        cells = [c for c in row if c is not None]
        for i, cell in enumerate(cells):
            if i:
                emit(" | " if style.table_text == "bars" else "\n")
            for seg in cell:
                if isinstance(seg, int):
                    report.facts[seg]["start"] = where()
                    emit(report.facts[seg]["surface"])
                    report.facts[seg]["end"] = where()
                else:
                    emit(seg)
        emit("\n")


# --------------------------------------------------------------------------- the corpus


def _order_facts(report: Report) -> None:
    """Sort gold facts by position and remap the indices held by inconsistencies and must_not_flag."""
    order = sorted(range(len(report.facts)), key=lambda i: (report.facts[i]["start"], i))
    new_index = {old: new for new, old in enumerate(order)}
    report.facts = [report.facts[i] for i in order]
    for entry in report.inconsistencies + report.must_not_flag:
        entry["facts"] = [new_index[i] for i in entry["facts"]]
    remap = lambda segs: [new_index[s] if isinstance(s, int) else s for s in segs]  # noqa: E731
    for b, block in enumerate(report.blocks):
        if block[0] == "table":
            block[1]["rows"] = [[None if c is None else remap(c) for c in row] for row in block[1]["rows"]]
        else:
            report.blocks[b] = (*block[:-1], remap(block[-1]))


def generate(n: int, seed: int, out: Path, pdf: bool = True, docx_share: float = 0.2, error_share: float = 0.3) -> list[Path]:
    """Write ``n`` reports (``.txt``, ``.pdf``, some ``.docx``) with ``.gold.json`` into ``out``; return the text paths."""
    from . import generate_plan

    tpl = load_templates()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    share_docx = Decimal(str(docx_share))
    share_err = Decimal(str(error_share))
    paths: list[Path] = []
    for i in range(1, n + 1):
        rng = random.Random(f"jixiao-corpus/{seed}/{i}")
        planted = Decimal(rng.randrange(1000)) / 1000 < share_err
        with_docx = Decimal(rng.randrange(1000)) / 1000 < share_docx
        report, style = generate_plan.build(rng, tpl, planted)
        name = f"sample-{i:04d}"
        text = render_text(report, style)
        _order_facts(report)
        for f in report.facts:
            if text[f["start"] : f["end"]] != f["surface"]:
                raise AssertionError(f"generator bug: {f}")
        txt = out / f"{name}.txt"
        txt.write_text(text, encoding="utf-8")
        documents = [txt.name]
        if pdf:
            from . import generate_render

            generate_render.write_pdf(report, style, out / f"{name}.pdf")
            documents.append(f"{name}.pdf")
        if with_docx:
            from . import generate_render

            generate_render.write_docx(report, out / f"{name}.docx")
            documents.append(f"{name}.docx")
        gold = {
            "source": txt.name,
            "source_root": "file",
            "documents": documents,
            "metadata": report.metadata,
            "facts": report.facts,
            "inconsistencies": report.inconsistencies,
            "must_not_flag": report.must_not_flag,
        }
        (out / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(txt)
    return paths
