"""A 自评表 printed with **no separators**: PDF text in drawing order, figures run together.

``250000.00 250000.00 215,457.6 10 8.62 … 86.19%`` and
``145000000.00145000000.00145000000.0010100.0%10`` are read back into rows from the
header order, the block arithmetic (执行率 = 执行数/全年预算数, 得分 = 执行率 × 分值,
capped) and each field's precision; where a split stays ambiguous the candidates are
emitted with lower confidence.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import regex

from .model import Document
from .tables import AMOUNT_FIELDS, Reader, TableResult, Tok, level1_for, read_indicator
from .tableshapes import _NUMLIKE, _PAGE_NO, TextTable, _overlaps, _valuelike
from .tablevocab import clean, match, norm, parse_cell, vocab

_WORD = regex.compile(r"\S+")
# one figure of a run: an amount with two decimals, a rate, or a small figure (分值/得分)
_PIECE = regex.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}(?!%)|\d{1,3}(?:\.\d{1,2})?%|[1-9]\d{0,2}(?:\.\d{1,2})?|0(?:\.\d{1,2})?")
_BUDGET_HEAD = regex.compile(r"年初预算数?|年初預算數?")
_TITLE = regex.compile(r"\S*(?:自评表|自評表)")
_IND_HEAD = regex.compile(r"一级指标|一級指標")


_IND_COLS = tuple((f, regex.compile(p)) for f, p in (("nature", "指标性质"), ("target", "指标值"), ("unit", "度量单位"),
                                                    ("actual", "完成值"), ("weight", "分值|权重"), ("score", "得分")))


def _header_run(text: str, at: int) -> bool:
    """A budget header printed in a row: 年初预算数 followed, word by word, by ≥ 2 more column names."""
    v = vocab()
    words = _WORD.findall(text[at : at + 120])[:7]
    return sum(1 for w in words if match(v.budget_columns, norm(w))) >= 3


def scrambled_regions(text: str, taken) -> list[tuple[int, int]]:
    """Lines without ``|`` that hold a budget header in a row, cut at each table title (自评表)."""
    out: list[tuple[int, int]] = []
    for m in _BUDGET_HEAD.finditer(text):
        if _overlaps(m.start(), m.end(), taken + out) or not _header_run(text, m.start()):
            continue
        a = text.rfind("\n\n", 0, m.start())
        a = 0 if a == -1 else a + 2
        b = text.find("\n\n", m.end())
        b = len(text) if b == -1 else b
        para = text[a:b]
        if "|" in para:
            continue
        titles = [a + t.start() for t in _TITLE.finditer(para)]
        cuts = sorted(set([a] + titles)) + [b]
        for s, e in zip(cuts, cuts[1:]):
            if _overlaps(s, e, taken + out):
                continue
            head = next((h for h in _BUDGET_HEAD.finditer(text, s, e) if _header_run(text, h.start())), None)
            if head is not None or _IND_HEAD.search(text, s, e):
                out.append((s, e))
    return out


def _words(doc: Document, a: int, b: int) -> list[Tok]:
    out = []
    for m in _WORD.finditer(doc.text[a:b]):
        s, e = a + m.start(), a + m.end()
        out.append(Tok(doc.text[s:e], s, e, 0, len(out)))
    return out


def split_run(tok: Tok) -> list[list[Tok]]:
    """A run of figures printed together (``145000000.00145000000.0010100.0%10``) → candidate splits.

    Amounts keep two decimals, a rate ends in %, other figures have ≤ 3 integer digits;
    every split that uses all characters is a candidate (the caller weighs them by arithmetic).
    """
    s = norm(tok.raw)
    if _NUMLIKE.match(s) and s.count(".") <= 1 and s.count("%") <= 1 and not (s.count("%") == 1 and not s.endswith("%")):
        return [[tok]]
    piece = _PIECE
    results: list[list[tuple[int, int]]] = []

    def walk(pos: int, acc: list[tuple[int, int]]) -> None:
        if len(results) > 50 or len(acc) > 10:
            return
        if pos == len(s):
            results.append(list(acc))
            return
        for m in _all_prefixes(piece, s, pos):
            acc.append((pos, m))
            walk(m, acc)
            acc.pop()

    walk(0, [])
    out = []
    for cand in results:
        out.append([Tok(s[x:y], tok.start, tok.end, 0, 0, located=False) for x, y in cand])
    return out or [[tok]]


def _all_prefixes(rx: regex.Pattern, s: str, pos: int) -> list[int]:
    ends = set()
    for n in range(pos + 1, len(s) + 1):
        m = rx.fullmatch(s, pos, n)
        if m:
            ends.add(n)
    return sorted(ends, reverse=True)


def read_scrambled(doc: Document, tt: TextTable) -> TableResult:
    """A 自评表 printed without separators, cells in drawing order: rebuilt from header order and arithmetic."""
    v = vocab()
    words = _words(doc, tt.start, tt.end)
    keys = [w.key for w in words]
    reader = Reader(doc, tt.id, (tt.start, tt.end), "text", 0.75)
    res = TableResult()
    reader.subject = _scrambled_subject(words, v) or "project"
    for k in keys:
        reader._unit_from(k)
    if reader.unit is None:
        joined = "".join(keys)
        e = match(v.unit_cues, joined)
        reader.unit = e.key if e else None
    head: list[int] = []
    for i, k in enumerate(keys):  # the first run of budget column headers
        if match(v.budget_columns, k):
            head.append(i)
        elif head and i - head[-1] > 2:
            break
    ind_start = next((i for i, k in enumerate(keys) if k == "一级指标"), len(words))
    if head:
        zone = words[head[-1] + 1 : ind_start] if head[-1] < ind_start else []
        reader.budget_cols = [(match(v.budget_columns, keys[i]).key, match(v.budget_columns, keys[i]).id) for i in head]
        _scrambled_budget(reader, zone)
    if ind_start < len(words):
        _scrambled_indicators(reader, words[ind_start:])
    reader._unit_check()
    _renumber(reader)
    res.facts, res.findings = reader.facts, reader.findings
    return res


def _renumber(reader: Reader) -> None:
    """Scrambled cells have no grid: number rows as the form prints them (budget rows, indicator rows,
    总分) and columns by the header order, so checks can group a row's figures."""
    order = [f for f, _ in reader.budget_cols]
    # budget rows in the form's printed order (年度资金总额, 其中：财政拨款, 上年结转, 其他: the vocabulary's order),
    # not the drawing order the text came in
    canon = [e.id for e in reader.v.budget_rows]
    present: dict[str, str] = {}
    n_ind = 0
    for f in reader.facts:
        if f.metric == "indicator":
            n_ind += 1
            continue
        if f.metric != "score_total" and "score_total" not in f.rule:
            present.setdefault(f.label.split(" ")[0], f.rule.split("/")[0])
    ranked = sorted(present, key=lambda lab: (canon.index(present[lab]) if present[lab] in canon else len(canon), lab))
    rows = {lab: i for i, lab in enumerate(ranked, 1)}
    k = len(rows)
    for f in reader.facts:
        if f.metric == "indicator":
            f.row, f.col = k + f.row, 0
        elif f.metric == "score_total" or "score_total" in f.rule:
            f.row, f.col = k + n_ind + 1, 0
        else:
            field = f.rule.split("/col.")[-1]
            f.row = rows[f.label.split(" ")[0]]
            f.col = order.index(field) + 1 if field in order else 0
        f.fact_id = f"{reader.table_id}r{f.row}c{f.col}"
    seen: dict[str, int] = {}
    for f in reader.facts:  # alternatives read from the same cells keep distinct ids
        seen[f.fact_id] = seen.get(f.fact_id, 0) + 1
        if seen[f.fact_id] > 1:
            f.fact_id += f"_{seen[f.fact_id]}"


def _scrambled_subject(words: list[Tok], v) -> str | None:
    keys = [w.key for w in words]
    for i, k in enumerate(keys):
        if not v.project_name.search(k):
            continue
        after = []
        for w in words[i + 1 :]:
            if v.stop_labels.search(w.key) or match(v.budget_columns, w.key) or v.project_name.search(w.key):
                break
            after.append(w.raw)
        if after:
            return v.code_prefix.sub("", clean("".join(after)))
        before = []
        for w in reversed(words[:i]):
            if v.title.search(w.key) or w.key.endswith("年度)") or v.stop_labels.search(w.key):
                break
            before.append(w.raw)
        if before:
            return v.code_prefix.sub("", clean("".join(reversed(before))))
    return None


def _scrambled_budget(reader: Reader, zone: list[Tok]) -> None:
    """Group figures: a run right after a row label is that row's; the rest belong to the total row."""
    v = reader.v
    labelled: list[tuple[Tok, object, list[Tok]]] = []
    orphans: list[list[Tok]] = []
    orphan_labels: list[tuple[Tok, object]] = []
    i = 0
    pending: tuple[Tok, object] | None = None
    while i < len(zone):
        w = zone[i]
        lab = match(v.budget_rows, w.key)
        if _NUMLIKE.match(w.key) or _is_run(w.key):
            run = []
            while i < len(zone) and (_NUMLIKE.match(zone[i].key) or _is_run(zone[i].key)):
                run.append(zone[i])
                i += 1
            parts = _row_runs(run)
            if pending is not None:
                labelled.append((pending[0], pending[1], parts.pop(0)))
                pending = None
            orphans.extend(parts)
            continue
        if pending is not None:
            orphan_labels.append(pending)
            pending = None
        if lab is not None:
            pending = (w, lab)
        i += 1
    if pending is not None:
        orphan_labels.append(pending)
    total_label = next(((t, l) for t, l in orphan_labels if l.id == "row.project_total"), None)
    sub_labels = [(t, l) for t, l in orphan_labels if l.id != "row.project_total"]
    total_vals: list[Tok] = []
    for run in orphans:
        kinds = [_fig_kind(t) for t in run]
        n_amounts = sum(1 for t in total_vals if _fig_kind(t) == "amount")
        if sub_labels and n_amounts >= 2 and all(k in ("amount", "dash") for k in kinds) and "amount" in kinds:
            t, l = sub_labels.pop(0)
            labelled.append((t, l, run))
        else:
            total_vals.extend(run)
    if total_label is not None or total_vals:
        lab_tok, lab = total_label if total_label else (zone[0] if zone else Tok("年度资金总额", 0, 0), match(v.budget_rows, "年度资金总额"))
        _solve_total(reader, lab_tok, lab, total_vals)
    for t, lab, run in labelled:
        _plain_row(reader, t, lab, run)


def _row_runs(run: list[Tok]) -> list[list[Tok]]:
    """Cut a run of figures where a new row's amounts begin (an amount after a score, rate or dash)."""
    parts: list[list[Tok]] = [[]]
    prev = None
    for t in run:
        k = _fig_kind(t)
        if k == "amount" and prev in ("small", "rate", "dash") and parts[-1]:
            parts.append([])
        parts[-1].append(t)
        prev = k
    return parts


_RUN = regex.compile(r"[\d.,%]+")
_DASH = regex.compile(r"[—–-]{1,2}")


def _is_run(key: str) -> bool:
    return bool(_RUN.fullmatch(key)) and key.count(".") >= 2


def _fig_kind(t: Tok) -> str:
    k = t.key
    if _DASH.fullmatch(k):
        return "dash"
    n = parse_cell(t.raw)
    if n is None:
        return "other"
    if n.unit == "%":
        return "rate"
    if "," in n.text or n.value >= 1000 or (n.decimals == 2 and n.value >= 100):
        return "amount"
    return "small"


def _plain_row(reader: Reader, label_tok: Tok, lab, run: list[Tok]) -> None:
    """A labelled sub-row: figures then an optional rate/dash; fewer figures than amount columns is ambiguous."""
    figs = [t for t in run if _fig_kind(t) in ("amount", "small")]
    rate = next((t for t in run if _fig_kind(t) == "rate"), None)
    cols = [f for f in AMOUNT_FIELDS if f in dict(reader.budget_cols)] or list(AMOUNT_FIELDS)
    conf = reader.base_conf if len(figs) == len(cols) else reader.base_conf * 0.7
    fields = cols if len(figs) >= len(cols) else cols[len(cols) - len(figs) :]
    _emit(reader, label_tok, lab, dict(zip(fields, figs)) | ({"rate": rate} if rate else {}), conf)


def _emit(reader: Reader, label_tok: Tok, lab, assigned: dict[str, Tok], conf: float) -> None:
    save = reader.base_conf
    reader.base_conf = conf
    reader._budget_row(label_tok, lab, list(assigned.values()), assigned=assigned)
    reader.base_conf = save


def _solve_total(reader: Reader, label_tok: Tok, lab, vals: list[Tok]) -> None:
    """The total row's figures, in any order: pick 分值/得分 and the amounts by the block arithmetic."""
    splits = [split_run(t) for t in vals]
    best: list[tuple[Decimal, dict[str, Tok]]] = []
    for combo in itertools.islice(itertools.product(*splits), 200):
        toks = [t for part in combo for t in part]
        rate = next((t for t in toks if _fig_kind(t) == "rate"), None)
        figs = [t for t in toks if _fig_kind(t) in ("amount", "small")]
        for cand in _total_candidates(figs, rate):
            best.append((_penalty(cand), cand))
    if not best:
        return
    best.sort(key=lambda x: x[0])
    top = best[0]
    alts = [c for p, c in best[1:] if p - top[0] < Decimal("0.001") and _values(c) != _values(top[1])]
    conf = reader.base_conf if not alts else reader.base_conf * 0.6
    _emit(reader, label_tok, lab, top[1], conf)
    for alt in alts[:1]:
        _emit(reader, label_tok, lab, alt, conf)


def _values(c: dict[str, Tok]) -> dict[str, str]:
    return {k: norm(t.raw) for k, t in c.items()}


def _total_candidates(figs: list[Tok], rate: Tok | None):
    """Every way to read the figures as amounts (in printed order) plus 分值 and 得分."""
    n = len(figs)
    pairs = list(itertools.permutations(range(n), 2)) if n >= 3 else [None]
    for pair in pairs:
        rest = [figs[i] for i in range(n) if pair is None or i not in pair]
        if len(rest) > 3:
            continue
        fields = {3: AMOUNT_FIELDS, 2: AMOUNT_FIELDS[1:], 1: ("actual",), 0: ()}[len(rest)]
        cand = dict(zip(fields, rest))
        if pair:
            cand["weight"], cand["score"] = figs[pair[0]], figs[pair[1]]
        if rate is not None:
            cand["rate"] = rate
        yield cand


def _penalty(c: dict[str, Tok]) -> Decimal:
    def val(k):
        t = c.get(k)
        n = parse_cell(t.raw) if t is not None else None
        return n.value if n else None

    adj, act, w, s, r = val("adjusted_budget"), val("actual"), val("weight"), val("score"), val("rate")
    p = Decimal(0)
    ratio = None
    if adj and act is not None:
        ratio = act / adj
        if r is not None:
            p += abs(ratio * 100 - r) / 100
    elif r is not None:
        ratio = r / 100
    if w is not None and s is not None:
        if w > 100 or w <= 0:
            p += 10
        if s > w:
            p += 5
        if ratio is not None and w:
            p += abs(min(ratio, Decimal(1)) * w - s) / w
    if c.get("initial_budget") is not None and adj and val("initial_budget") and val("initial_budget") > adj * 100:
        p += 1
    return p


def _scrambled_indicators(reader: Reader, words: list[Tok]) -> None:
    """Indicator block in drawing order: the value run is cut by the header's column count."""
    v = reader.v
    ztext = "".join(w.key for w in words)
    cols = [f for f, rx in _IND_COLS if rx.search(ztext)]
    if not cols:
        return
    runs, cur = [], []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        if _valuelike(w.key):
            cur.append(w)
            continue
        if cur and nxt is not None and len(w.key) <= 6 and not _header_word(w.key) and not v.level2.search(w.key) and (
            nxt.key == w.key or _valuelike(nxt.key)
        ):
            cur.append(w)
            continue
        if cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    if not runs:
        return
    run = max(runs, key=len)
    k = len(cols)
    n = len(run) // k
    extra = run[n * k :]
    l2s, names = _scrambled_labels(words, run, v)
    aligned = len(l2s) == n and len(names) == n
    conf = reader.base_conf * (1.0 if aligned else 0.7)
    for r in range(n):
        got = dict(zip(cols, run[r * k : (r + 1) * k]))
        ind = read_indicator(got, v, l2s[r] if len(l2s) == n else None)
        anchor = got.get("actual") or got.get("target")
        name = names[r] if aligned else None
        l2 = l2s[r] if len(l2s) == n else None
        f = reader.fact(anchor, "indicator", "actual", ind["value"], ind["unit"] or "", name or "", "indicator.row_scrambled", conf, ind["num"])
        f.indicator_level1, f.indicator_level2, f.indicator_name = level1_for(l2, v), l2, name
        for key in ("comparator", "target", "target_unit", "actual", "actual_unit", "weight", "score", "met", "deviation_reason"):
            setattr(f, key, ind[key])
        f.kind = ind["kind"]
        f.row, f.col = r + 1, 0
        f.fact_id = f"{reader.table_id}r{r + 1}"
        reader.facts.append(f)
    if extra and any(match(v.total_rows, w.key) for w in words):
        reader.ind_cols = {c: "col." + c for c in cols}
        reader._score_total(extra, "row.score_total")


_HEADER_WORDS = ("一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值", "分值", "权重", "得分",
                 "偏差原因分析及改进措施", "未完成原因分析", "绩效指标", "总分")


def _header_word(key: str) -> bool:
    return bool(key) and (any(key in h for h in _HEADER_WORDS) or bool(_PAGE_NO.fullmatch(key)))


def _scrambled_labels(words: list[Tok], run: list[Tok], v) -> tuple[list[str], list[str]]:
    """Level-2 labels and indicator names in drawing order; a lone 率/性 fragment joins the name before it."""
    in_run = {id(w) for w in run}
    l2s, names = [], []
    keys = [w.key for w in words]
    for i, w in enumerate(words):
        k = w.key
        if id(w) in in_run or _valuelike(k) or _header_word(k) or match(v.total_rows, k) or v.stop_labels.search(k):
            continue
        if v.level2.search(k):
            nxt = next((x for x in keys[i + 1 :] if v.level2.search(x)), "")
            if not (v.level1.search(k) and "满意度" in nxt):
                l2s.append(clean(w.raw))
            continue
        if v.level1.search(k):
            continue
        names.append(clean(w.raw))
    merged: list[str] = []
    for nm in names:
        if len(nm) <= 1 and merged:  # a wrapped tail (率) printed apart from its name
            merged[-1] += nm
        else:
            merged.append(nm)
    return l2s, merged
