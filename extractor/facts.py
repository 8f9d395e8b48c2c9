"""Prose facts: each amount, rate and count of a report becomes a labeled row of the fact table.

For every quantity (from :mod:`extractor.quantities`) outside the regions the
table reader claimed, we find

* its **label**: the metric label ending nearest before it in its own clause
  (``patterns/metrics.yaml``), or for a formula the head before ``=``, or the
  free noun phrase before it (``metric = other``) — nothing is dropped;
* its **stage**: a change cue right before it, a prior-year cue, the stage cue
  nearest it in the clause, then the total it is part of, the facts before it
  in the sentence, and the section heading;
* its **parent**: the amount before ``其中`` / an opening bracket;
* its **subject**: ``department`` unless a named-project scope holds it
  ("现就“英才荟专项”项目进行绩效分析" until the section ends);
* its **value**: the quantity's value, except that a count written with a scale
  word is the full count ("319 万只" → 3190000 只; the quote keeps "319 万只"):
  a count is a count, and checks compare counts without knowing the scale;
* a figure in a table that reached prose one cell per line takes its own row
  label × column header (:mod:`extractor.facts_cells`), at lower confidence;
* and, for indicator statements ("人才满意度达 90%", "年初预计…5 人…年底均达标"),
  an ``indicator`` row with level, name, target/actual and met.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

import regex

from . import facts_cells, facts_indicators, nlp, numerals, quantities
from . import facts_carry as carry
from . import labels as L
from .model import Document, Fact, Quantity

CLAUSE_END = "，,；;。：:（()）=＝\n、"
SEGMENT_END = "；;。\n"
OPEN, CLOSE = "（(", "）)"
_SHORT_BRACKETS = regex.compile(r"[（(][^（）()]{1,3}[）)]")  # （境）: part of a name, not a clause
_FILLER, _LEAD = L.FILLER, L.LEAD
_LIST_START = regex.compile(r"\s*(?:[（(][\d一二三四五六七八九十]+[）)]|[\d一二三四五六七八九十]+[、.．](?!\d)|[①-⑳])")
_PRIOR_VALUE = regex.compile(
    r"(?:上年度?|上一年度?|去年|(?:比|较|与|同比)\s*\d{4}\s*年度?)(?:同期)?(?:的|决算数?|预算数?|数)?(?:为|是)?\s*$")
_COMPARED = regex.compile(r"(?:比|较|与|同比)\s*(?:上年度?|上一年度?|去年|\d{4}\s*年度?)(?:同期)?的?\s*$")
_CLAUSE_YEAR = regex.compile(r"^\s*(?:其中|另|而|较|比)?\s*(\d{4})\s*年度?(?!初|末|底|\d)")
_THIS_PROJECT = regex.compile(r"^\s*(?:该|本|此)(?:项目|专项)")
_GENERIC_NAME = regex.compile(r"^(?:重点|其他|主要|各|本|该|所有|部分|相关|专项|财政|预算)*(?:项目|专项|经费|专项资金)$")
_JOINED = regex.compile(r"(?:和|及|与|、)\s*$")
_THOUSANDS = regex.compile(r"(?<=\d)[,，](?=\d{3})")
_NEWLINE = regex.compile(r"\n")
_NUM_START = regex.compile(r"[\d一二三四五六七八九十]")
_NO_NAME = regex.compile(r"项目|该|本|此|上述")
_QUOTED_PROJECT = regex.compile(r'^[“"「『]?[^“”"「」『』]+[”"」』]项目$')
_QUOTES = regex.compile(r'[“”"「」『』]')
_VERSUS = regex.compile(r"(?:比|较|与|同比|对比)\s*$")
_DIGIT = regex.compile(r"\d")
_YEAR = regex.compile(r"\d{4}\s*年度?")
_OPENING = regex.compile(r"([^，,：:；;]+)[，,：:]")  # a sentence's opening clause
_FINAL_TITLE = regex.compile(r"决算")
_BUDGET_TITLE = regex.compile(r"预算编制|预算情况|预算安排")
_OPERATOR = regex.compile(r"[/÷×*＊]")
_RATE_KINDS = ("rate", "percentage_points")


@dataclass(slots=True)
class _Ctx:
    doc: Document
    r: L.Compiled
    masked: str  # doc.text with short bracket groups blanked, for clause splitting
    scopes: list[tuple[int, int, str]]
    sentence_subject: dict[int, str] = dataclasses.field(default_factory=dict)  # sentence start -> named project/category
    cells: list = dataclasses.field(default_factory=list)  # value cells of one-cell-per-line tables (facts_cells)


# --------------------------------------------------------------------------- public


def extract(doc: Document, skip=()) -> list[Fact]:
    """Prose facts of ``doc``; quantities inside any ``(start, end)`` of ``skip`` are left to the table reader."""
    r = L.rules()
    found = quantities.find(doc)
    qs = sorted((q for q in found if not _inside(q.span.start, q.span.end, skip) and not _split_year(doc.text, q)),
                key=lambda q: (q.span.start, q.span.end))
    ctx = _Ctx(doc, r, _mask(doc), subject_scopes(doc, r), cells=facts_cells.find(doc) if qs else [])
    facts: list[Fact] = []
    primary: list[Fact] = []  # one per quantity, in order: the facts later quantities look back at
    n = 0

    def new_id() -> str:
        nonlocal n
        n += 1
        return f"p{n:04d}"

    for q in qs:
        rows = _facts_for(ctx, q, primary, new_id)
        primary.append(rows[0])
        facts.extend(rows)
    return facts


def subject_scopes(doc: Document, r: L.Compiled | None = None) -> list[tuple[int, int, str]]:
    """Named-project scopes as (start, end, name): from an analysis cue to the end of its section, or a project heading."""
    r = r or L.rules()
    scopes = []
    for cue, pat in r.subjects:
        if cue.id in ("subject.named", "subject.category"):
            continue  # clause / sentence level, applied per quantity
        if cue.id == "subject.document":
            m = regex.search(pat.pattern, doc.text[:3000], regex.M)  # the title block
            if m:
                scopes.append((0, len(doc.text), _clean_name(m.group("name"))))
            continue
        if cue.id == "subject.heading":
            for sec in doc.sections:
                m = pat.search(sec.title.strip())
                if m and not _GENERIC_NAME.match(_clean_name(m.group("name"))):
                    scopes.append((sec.start, sec.end, _clean_name(m.group("name"))))
            continue
        for m in pat.finditer(doc.text):
            sec = doc.section_at(m.start())
            end = sec.end if sec is not None else len(doc.text)
            scopes.append((m.start(), end, _clean_name(m.group("name"))))
    return sorted(scopes)


# --------------------------------------------------------------------------- one quantity


def _facts_for(ctx: _Ctx, q: Quantity, before: list[Fact], new_id) -> list[Fact]:
    doc, r = ctx.doc, ctx.r
    start, end = q.span.start, q.span.end
    s_start, s_end = _sentence_bounds(ctx, start)
    seg_start = _segment_start(ctx, s_start, start)
    c_start = _clause_start(ctx, s_start, start)
    left = doc.text[c_start:start].replace("\n", "")  # a line wrapped inside a clause is still one clause
    kind = q.kind
    in_sentence = [f for f in before if f.start >= seg_start]  # stage and metric carry over within a "；" segment
    parent = _parent(ctx, q, s_start, seg_start, before)

    metric, rule, label_text, mask, conf = "other", "metric.other", "", None, 0.6
    stage: str | None = None
    extra_metrics: list[tuple[L.MetricRule, str]] = []

    cell = facts_cells.at(ctx.cells, start, end)
    if cell is not None:
        return _cell_fact(ctx, q, cell, new_id)
    formula = _formula(ctx, q, seg_start)
    row = facts_cells.pipe_row(doc.text, q, r) if formula is None else None
    if row is not None:
        # a table flattened to "a | b | c" lines that no table reader claimed: row label × column header
        lm, header, stage = row
        metric, rule, conf = (lm.rule.metric, lm.rule.id, 0.7) if lm is not None else ("other", "metric.other", 0.5)
        label_text = " ".join(x for x in (lm.text if lm is not None else "", header) if x)
        if lm is not None and lm.rule.stage:
            stage = lm.rule.stage
        parent = None
    elif formula is not None:
        head, is_result = formula
        lm = L.nearest_label(head, kind, r) if is_result else None
        if lm is not None:
            metric, rule, label_text, conf = lm.rule.metric, lm.rule.id, head.strip(), 0.9
            stage = lm.rule.stage or "none"
        else:
            rule, label_text, stage, conf, parent = r.spec.formula.id, head.strip(), "none", 0.5, None
    else:
        lm = None if kind == "count" and carry.label_after(ctx, q) is not None else L.nearest_label(left, kind, r)
        shared_text = None
        if lm is not None and r.shared_value.search(left[lm.end:]):
            # "A和B决算数均为 X": every listed label takes X
            group = L.distinct_labels(left, kind, r)
            if len(group) > 1:
                lm = group[0]
                shared_text = lm.text
                extra_metrics = [(g.rule, g.text) for g in group[1:]]
        respective = carry.respective(ctx, q, seg_start, before)
        if respective is not None:
            lm, left = respective  # "A和B决算数分别为 X、Y": the i-th figure takes the i-th label
            shared_text = lm.text
        if lm is None and respective is None and kind == "amount":
            counted = carry.counted_amount(ctx, left, in_sentence)
            if counted is not None:
                lm, left = counted  # "项目支出预算12个，金额 X": the count's label names the amount
        change = _change(r, left)
        if lm is not None and respective is None:
            lm = carry.continued_metric(ctx, left, lm, kind, in_sentence) or lm
        if lm is not None:
            metric, rule, conf = lm.rule.metric, lm.rule.id, 0.9
            label_text = shared_text or _label_text(left, lm)
            mask = (lm.start, lm.end) if lm.rule.default_stage else None
        elif kind == "count" and (after := carry.label_after(ctx, q)) is not None:
            lm = after  # "增加 5 名劳务人员": a count names what it counts after the unit
            metric, rule, conf, label_text = lm.rule.metric, lm.rule.id, 0.85, lm.text
        elif (change is not None or _COMPARED.search(left)) and kind in ("amount", "percentage_points"):
            # "…（a，b），比上年增加 X" / "比上年的 X": the change and last year's figure belong to the head total;
            # "执行率为 98.72%，较上年提高 2.1 个百分点": a change in points belongs to the rate before it
            want = "amount" if kind == "amount" else "rate"
            prev = next((f for f in reversed(in_sentence) if f.kind == want and f.parent is None and f.stage != "change"), None)
            if prev is None and kind == "amount":  # "…。其中：a；b；比上年增加 X": the total the sentence's parts belong to
                part = next((f for f in reversed(before) if f.start >= s_start and f.kind == "amount" and f.parent), None)
                prev = next((f for f in before if part is not None and f.fact_id == part.parent), None)
            metric = prev.metric if prev else "other"
            rule, label_text, conf = change or "stage.prior", _free_label(left), 0.75
            if kind == "percentage_points":
                label_text = _FILLER.sub("", _LEAD.sub("", left)).strip()  # "较上年提高"
        else:
            heading = carry.previous_metric(ctx, left, start, kind, before) or _heading_metric(ctx, left, start, kind)
            if heading is not None:
                metric, rule, conf = heading.rule.metric, heading.rule.id, 0.75
                label_text = _FILLER.sub("", _LEAD.sub("", left)).strip()
                lm = heading
            else:
                label_text = _free_label(left, whole=parent is not None)
                if kind == "count":
                    label_text = nlp.head_phrase(doc.text[end:end + 24]) or label_text  # "28个展区": what is counted
        subject = _subject(ctx, start, s_start)
        if kind == "amount" and subject == "department" and metric in ("other", "project_total") and change is None:
            named = _named_subject(ctx, left, label_text, metric, s_start, start)
            if named is not None:
                subject = named
                if metric == "other":
                    metric, rule, conf, label_text = "project_total", "subject.named", 0.75, label_text if named not in left else named
        if subject != "department" and metric == "other" and kind == "amount" and subject in left.replace("“", "").replace("”", ""):
            metric, rule, conf = "project_total", "metric.project_total", 0.8  # "人才发展专项资金年初安排预算 X"
            label_text = _FILLER.sub("", _LEAD.sub("", left)).strip()
        # stages carry over only between facts about the same subject
        mine = [f for f in in_sentence if f.subject == subject]
        if change is not None and kind != "rate":
            stage = "change"
        elif kind != "rate" and _JOINED.search(left) and mine and mine[-1].stage == "change":
            stage = "change"  # "增加 5 名劳务人员和 10 名在编人员"
        elif lm is not None and lm.rule.stage:
            stage = lm.rule.stage
        else:
            stage = _stage(ctx, left, mask, lm.rule if lm is not None else None, parent, mine, start,
                           [f for f in before if f.subject == subject])
        share = r.share.search(left) if r.share is not None and kind == "rate" and metric == "other" else None
        if share is not None:
            # "项目支出决算 X，占 38.25%": a share of the amount before it, in that amount's stage
            rule, label_text = r.spec.share.id, f"占{share.group('of')}比重"
            amount = next((f for f in reversed(mine) if f.kind == "amount"), None)
            if amount is not None and amount.stage in ("initial_budget", "adjusted_budget", "actual"):
                stage = amount.stage
        verb_zone = left[lm.end:] if lm is not None and lm.end > lm.start else left  # "完成率" is no verb
        if kind == "rate" and carry.bound_led(q) and not r.statement.search(verb_zone) and not any(
                c[2] == "actual" for c in L.stage_cues(left, mask, r)):
            stage = "none"  # "群众满意度≥90%": a bound written before the figure is a target, not the realised rate
    if formula is not None or row is not None:
        subject = _subject(ctx, start, s_start)
    if subject != "department" and metric in r.spec.project_scope_metrics:
        metric, conf = "project_total", conf - 0.05
    if metric in r.spec.standalone_metrics:
        parent = None  # 授予中小企业合同金额 overlaps goods/works/services: not a part of the total
    if parent is not None and kind == "amount" and metric != "other" and formula is None and row is None:
        total = next((f for f in reversed(before) if f.fact_id == parent), None)
        if total is not None and (total.metric, total.stage, total.subject) == (metric, stage or "none", subject):
            # "固定资产总额 X，其中在用固定资产 Y": a part cannot be its own total; it is named by its words
            metric, rule, conf = "other", "metric.other", min(conf, 0.7)
            label_text = _free_label(left, whole=True) or label_text
    sk = doc.source_kind_at(start)
    if sk == "ocr":
        conf *= 0.8
    base = _fact(ctx, q, new_id(), subject, metric, stage or "none", label_text or q.surface, rule, conf, parent, sk)
    if kind == "count" and q.scale in numerals.SCALES:
        base.value = q.value * numerals.SCALES[q.scale]  # "319 万只" is 3,190,000 只; the quote keeps 319 万只
    rows = [base]
    for extra_rule, text in extra_metrics:
        rows.append(_fact(ctx, q, new_id(), subject, extra_rule.metric, base.stage, text, extra_rule.id, conf, parent, sk))
    carried = lm.text if lm is not None and formula is None and row is None and lm.start == lm.end else None
    ind = facts_indicators.statement(r, doc, q, base, left, s_start, s_end, new_id, carried)
    if ind is not None:
        if base.metric not in ("satisfaction_rate", "completion_rate", "execution_rate"):
            ind.fact_id = base.fact_id
            rows[0] = ind
        else:
            rows.append(ind)
    return rows


def _fact(ctx: _Ctx, q: Quantity, fid: str, subject: str, metric: str, stage: str, label: str, rule: str,
          conf: float, parent: str | None, source_kind: str) -> Fact:
    doc = ctx.doc
    start, end = q.span.start, q.span.end
    sec = doc.section_at(start)
    return Fact(
        doc_id=doc.doc_id, source=doc.source, department=doc.metadata.department, year=doc.metadata.year,
        subject=subject, section=sec.path if sec else "", metric=metric, stage=stage, value=q.value, unit=q.unit,
        value_wanyuan=q.value_wanyuan if q.kind == "amount" else None, label=label, page=doc.page_of(start),
        start=start, end=end, quote=doc.quote(start, end), rule=rule, confidence=round(max(min(conf, 1.0), 0.05) * q.confidence, 3),
        fact_id=fid, parent=parent, kind=q.kind, decimals=q.decimals, comparator=q.comparator, source_kind=source_kind,
    )


def _cell_fact(ctx: _Ctx, q: Quantity, cell: facts_cells.Cell, new_id) -> list[Fact]:
    """A figure in a one-cell-per-line table no reader claimed: its own row label × column header, lower confidence."""
    metric, stage, rule, label, unit = facts_cells.label(cell, q.kind, ctx.doc.metadata.year, ctx.r)
    start = q.span.start
    sk = ctx.doc.source_kind_at(start)
    conf = (0.7 if metric != "other" else 0.5) * (0.8 if sk == "ocr" else 1.0)
    subject = _subject(ctx, start)
    if subject != "department" and metric in ctx.r.spec.project_scope_metrics:
        metric = "project_total"
    f = _fact(ctx, q, new_id(), subject, metric, stage, label or q.surface, rule, conf, None, sk)
    if "\n" in q.surface:  # "687.72\n项目支出": the next cell's first character is not a unit
        f.unit, f.end, f.kind, f.value_wanyuan = "", cell.end, "count", None
    if unit and not f.unit:
        places = quantities.grammar().yuan_places.get(unit)  # numbers.yaml's 元 factor of the unit
        wan = Decimal(10) ** (places - 4) if places is not None else None
        f.unit = unit
        f.kind = "rate" if unit == "%" else "amount" if wan is not None else f.kind
        f.value_wanyuan = q.value * wan if wan is not None else None
    return [f]


# --------------------------------------------------------------------------- structure


def _mask(doc: Document) -> str:
    """doc.text for splitting: （境） is not a clause, and a line wrapped mid-sentence is not a break.

    A newline stays a break after 。！？；：, around a section heading, and before a list marker.
    """
    text = _SHORT_BRACKETS.sub(lambda m: "□" * len(m.group(0)), doc.text)
    text = _THOUSANDS.sub("□", text)  # 17,131.77: a thousands separator is not a clause break
    hard: set[int] = set()
    for sec in doc.sections:
        if sec.start > 0:
            hard.add(sec.start - 1)
        nl = doc.text.find("\n", sec.start)
        if nl >= 0:
            hard.add(nl)
    out = list(text)
    prev_soft = False
    for m in _NEWLINE.finditer(text):
        i = m.start()
        before = text[:i].rstrip(" \t\u3000")[-1:]
        after = text[i + 1 : i + 6]
        line_start = text.rfind("\n", 0, i) + 1
        line = text[line_start:i]
        soft = prev_soft
        prev_soft = False
        if i in hard or not before or before in "。！？!?；;：:" or _LIST_START.match(after):
            continue
        if "|" in line:
            continue
        if len(line.strip()) < 12 and not (soft and line.strip() and _continues_with_figure(text, i + 1)):
            continue  # a short line is a table cell or a title, not a wrapped sentence (unless a wrap runs on into a figure)
        out[i] = "□"
        prev_soft = True
    return "".join(out)


def _continues_with_figure(text: str, at: int) -> bool:
    """The next line starts with a number that runs on as prose ("198.06 万元。"), not a bare table cell."""
    nl = text.find("\n", at)
    nxt = text[at: nl if nl >= 0 else len(text)].strip()
    return bool(_NUM_START.match(nxt)) and not facts_cells.is_value_cell(nxt)


def _sentence_bounds(ctx: _Ctx, pos: int) -> tuple[int, int]:
    """The sentence around ``pos`` ignoring soft line breaks: (start, end)."""
    t = ctx.masked
    i = pos - 1
    while i >= 0 and t[i] not in "。！？!?\n":
        i -= 1
    j = pos
    while j < len(t) and t[j] not in "。！？!?\n":
        j += 1
    return i + 1, min(j + 1, len(t))


def _clause_start(ctx: _Ctx, lo: int, pos: int) -> int:
    t = ctx.masked
    i = pos - 1
    while i >= lo and t[i] not in CLAUSE_END:
        i -= 1
    return i + 1


def _segment_start(ctx: _Ctx, lo: int, pos: int) -> int:
    t = ctx.masked
    i = pos - 1
    while i >= lo and t[i] not in SEGMENT_END:
        i -= 1
    return i + 1


def _open_bracket(ctx: _Ctx, lo: int, pos: int) -> int | None:
    """Where the bracket still open at ``pos`` was opened (None when ``pos`` is outside brackets)."""
    stack: list[int] = []
    t = ctx.masked
    for i in range(lo, pos):
        if t[i] in OPEN:
            stack.append(i)
        elif t[i] in CLOSE and stack:
            stack.pop()
    return stack[-1] if stack else None


def _parent(ctx: _Ctx, q: Quantity, s_start: int, seg_start: int, before: list[Fact]) -> str | None:
    """The provisional id of the total this quantity is a part of ("X（a，b）", "X，其中a，b")."""
    start = q.span.start
    same = [f for f in before if f.kind == q.kind and f.unit == q.unit or (f.kind == q.kind == "amount")]
    opened = _open_bracket(ctx, s_start, start)
    if opened is not None:
        cands = [f for f in same if s_start <= f.start and f.end <= opened]
        return cands[-1].fact_id if cands else None
    cue = None
    for m in ctx.r.breakdown.finditer(ctx.doc.text, seg_start, start):
        cue = m
    if cue is None:
        return None
    cands = [f for f in same if seg_start <= f.start and f.end <= cue.start() and _open_bracket(ctx, s_start, f.start) is None]
    if not cands and not ctx.doc.text[seg_start:cue.start()].strip(" ，,：:\n"):
        # "…46.00 万元。其中: …" / "X 万元，其中 a、b；其中 c": the total before, not a sibling part
        near = [f for f in same if f.end <= cue.start() and (f.start >= s_start or cue.start() - f.end < 12)]
        cands = [f for f in near if f.parent is None] or near
    if not cands:
        return None
    return cands[-1].fact_id


def _named_subject(ctx: _Ctx, left: str, label_text: str, metric: str, s_start: int, pos: int) -> str | None:
    """A project or spending category named right before the amount, or heading the sentence ("一是X支出，即…")."""
    pats = {c.id: p for c, p in ctx.r.subjects}
    for text in (_LEAD.sub("", left), label_text):
        m = pats["subject.named"].search(text.strip()) if text else None
        if m:
            name = _clean_name(m.group("name"))
            if len(name) >= 4 and not _NO_NAME.match(name):  # "项目建设经费" names no project
                ctx.sentence_subject[s_start] = name
                return name
    m = pats["subject.category"].search(ctx.doc.text[s_start:pos])
    if m:
        name = _clean_name(m.group("name"))
        ctx.sentence_subject[s_start] = name
        return name
    return None


def _subject(ctx: _Ctx, pos: int, s_start: int | None = None) -> str:
    if s_start is not None and s_start in ctx.sentence_subject:
        return ctx.sentence_subject[s_start]
    if s_start is not None and _THIS_PROJECT.match(ctx.doc.text[s_start:pos]):
        # "该项目…" / "本项目…": the project named last in this section
        sec = ctx.doc.section_at(s_start)
        lo = sec.start if sec is not None else 0
        named = [k for k in ctx.sentence_subject if lo <= k < s_start]
        if named:
            name = ctx.sentence_subject[max(named)]
            ctx.sentence_subject[s_start] = name
            return name
    best = None
    for s, e, name in ctx.scopes:
        if s <= pos < e and (best is None or s >= best[0]):
            best = (s, e, name)
    return best[2] if best else "department"


def _clean_name(name: str) -> str:
    """A project's name as written, without quotes ("“英才荟专项”项目" → 英才荟专项)."""
    name = name.strip()
    if _QUOTED_PROJECT.match(name):
        name = name[:-2]
    return _QUOTES.sub("", name).strip()


# --------------------------------------------------------------------------- labels and stages


def _label_text(left: str, lm: L.LabelMatch) -> str:
    """The label as written: from the nearest stage cue touching the label to its end, fillers trimmed."""
    start = lm.start
    for s, e, _, _ in L.stage_cues(left):
        if s < start and e >= lm.start - 4:
            start = s
    text = _LEAD.sub("", left[start:])
    return _FILLER.sub("", text).strip() or lm.text


_SHORT_NAME = regex.compile(r"\p{Han}{2,12}")


def _free_label(left: str, whole: bool = False) -> str:
    """The words that name an unlabeled figure.  ``whole``: for a listed part (``其中清淤疏浚 X``) a short
    run of Han characters is the part's name as written, kept whole rather than cut by word class."""
    text = _FILLER.sub("", _LEAD.sub("", left)).strip()
    if not text:
        return ""
    if whole and _SHORT_NAME.fullmatch(text):
        return text
    phrase = nlp.tail_phrase(text)
    return phrase or text[-24:]


def _change(r: L.Compiled, left: str) -> str | None:
    for cue, pat in r.changes:
        if pat.search(left):
            return cue.id
    return None


def _stage(ctx: _Ctx, left: str, mask, rule: L.MetricRule | None, parent: str | None, in_sentence: list[Fact], pos: int,
           before_all: list[Fact] = ()) -> str:
    cues = L.stage_cues(left, mask, ctx.r)
    prior = [c for c in cues if c[2] == "prior_year" and not _VERSUS.search(left[: c[0]])]
    if prior or _PRIOR_VALUE.search(left):
        return "prior_year"  # "上年决算数 X" / "比上年的 X 增加…": X is last year's figure
    year = ctx.doc.metadata.year
    m = _CLAUSE_YEAR.match(left)
    if m and year and int(m.group(1)) == year - 1 and not (rule is not None and rule.metric == "carryover_opening"):
        return "prior_year"  # "2019 年项目支出决算数 X" in the 2020 report
    explicit = [c for c in cues if c[2] not in ("budget", "prior_year")]
    if explicit:
        return max(explicit, key=lambda c: (c[1], c[1] - c[0]))[2]
    by_id = {f.fact_id: f for f in list(before_all) + list(in_sentence)}
    parent_fact = by_id.get(parent) if parent else None
    budgetish = ("initial_budget", "adjusted_budget")
    if any(c[2] == "budget" for c in cues):
        if parent_fact is not None and parent_fact.stage in budgetish:
            return parent_fact.stage
        prev = next((f for f in reversed(in_sentence) if f.stage in budgetish), None)
        return prev.stage if prev else "initial_budget"
    lead = ctx.doc.text[_sentence_bounds(ctx, pos)[0]:pos]
    first = _OPENING.match(lead)
    short = lead[: max(lead.rfind("，"), lead.rfind(","), 0)]
    short = short if len(short) <= 12 and not _DIGIT.search(short) else ""
    opening = first.group(1) if first and not _DIGIT.search(_YEAR.sub("", first.group(1))) else ""
    for text in (short, opening):
        if text:
            lead_cues = [c for c in L.stage_cues(text, None, ctx.r) if c[2] not in ("budget", "prior_year")]
            if lead_cues:
                # "截至年末，项目支出 X" / "“三公”经费财政拨款支出决算中，公务用车运行维护费 X":
                # a number-less opening clause sets the stage of the figures after it
                return lead_cues[-1][2]
    if parent_fact is not None and parent_fact.stage not in ("none", "change", "prior_year"):
        return parent_fact.stage  # a part shares its total's stage ("资金总额 X（…上年结转资金 Y）")
    if rule is not None and rule.default_stage:
        return rule.default_stage
    if rule is None:
        return "none"  # an unlabeled figure takes a stage only from its own clause or its total
    prev = next((f for f in reversed(in_sentence) if f.stage not in ("none", "change", "prior_year")), None)
    if prev is not None:
        return prev.stage
    cur_start, _ = _sentence_bounds(ctx, pos)
    prev_start = _sentence_bounds(ctx, cur_start - 1)[0] if cur_start > 0 else cur_start
    for f in reversed(before_all):
        if f.start < prev_start or "\n" in ctx.masked[f.end:pos]:
            break  # only the sentence just before, in the same paragraph ("…决算数2364万元。分项情况是:…12万元")
        if f.start < cur_start and f.stage in ("initial_budget", "adjusted_budget", "actual") and f.kind == "amount":
            return f.stage
    return _heading_stage(ctx, pos)


def _heading_stage(ctx: _Ctx, pos: int) -> str:
    sec = ctx.doc.section_at(pos)
    if sec is None:
        return "none"
    title = sec.path.split(" > ")[-1]
    if _FINAL_TITLE.search(title):
        return "actual"
    if _BUDGET_TITLE.search(title):
        return "initial_budget"
    return "none"


def _heading_metric(ctx: _Ctx, left: str, pos: int, kind: str) -> L.LabelMatch | None:
    """"调整后预算数 X" under "整体收入预算情况": the heading names the metric when the clause names only a stage."""
    if not L.stage_cues(left, None, ctx.r):
        return None
    sec = ctx.doc.section_at(pos)
    if sec is None:
        return None
    return L.nearest_label(sec.title, kind, ctx.r)


def _formula(ctx: _Ctx, q: Quantity, seg_start: int) -> tuple[str, bool] | None:
    """(head, is_result) when ``q`` sits in a written-out formula "结余结转率=A/(B+C)*100%=R"."""
    text = ctx.doc.text
    seg_end = q.span.end
    while seg_end < len(text) and ctx.masked[seg_end] not in SEGMENT_END:
        seg_end += 1
    seg = text[seg_start:seg_end].replace("\n", " ")
    lo = max(seg.rfind("："), seg.rfind(":"), seg.rfind("，", 0, q.span.start - seg_start)) + 1
    body = seg[lo:]
    m = ctx.r.formula.search(body)
    if m is None or not _OPERATOR.search(body):
        return None
    eq_at = seg_start + lo + m.end()
    qpos = q.span.start + len(q.surface) - len(q.surface.lstrip("=＝≈ "))
    if qpos < eq_at:
        return None
    last_eq = seg_start + lo + max(body.rfind("="), body.rfind("＝"))
    return m.group("head"), qpos > last_eq


# --------------------------------------------------------------------------- quantities


_YEAR_TAIL = regex.compile(r"[ \u3000](\d{1,3})\s*年")


def _split_year(text: str, q: Quantity) -> bool:
    """"对2 018年度": a stray space inside a year leaves a bare head of digits that is no quantity."""
    if q.unit or q.kind != "count" or not q.text.isdigit():
        return False
    m = _YEAR_TAIL.match(text, q.span.end)
    return bool(m) and len(q.text + m.group(1)) == 4 and (q.text + m.group(1))[:2] in ("19", "20")


def _inside(start: int, end: int, skip) -> bool:
    return any(s <= start and end <= e for s, e in skip)
