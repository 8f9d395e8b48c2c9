"""Score the pipeline against gold annotations (``jixiao eval DIR``).

For every ``*.gold.json`` under DIR the pipeline runs on each rendering the gold
lists (text, PDF, DOCX), and figures are kept per format so PDF reading can be
compared with plain text on the same reports:

* facts: precision / recall / F1 overall and per metric, matched as multisets on
  (metric, stage, subject, value) with amounts compared in 万元 as exact Decimals;
  value-only recall; 自评表 facts (gold ``table: true``) apart from prose facts;
* findings: recall of planted inconsistencies per rule (found when a finding of the
  same rule cites at least half of the planted figures, matched by value); false
  findings (error/warning) per clean report; findings in planted reports that no
  plant, listed consequence (gold ``kind: "consequence"``) or real case explains;
  must-not-flag violations (a finding of the rule's family citing the total and most of the case's figures);
* metadata: department and year accuracy.

Ratios are Decimals (4 places) and go to ``eval.json`` as strings.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable

REPO_ROOT = Path(__file__).resolve().parent.parent
FORMATS = {".txt": "text", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
AMOUNT_UNITS = {"元", "万元", "亿元", "千元"}
Q = Decimal("0.0001")
_QUOTES = str.maketrans("", "", "“”\"'‘’《》「」 \u3000")


def ratio(num: int, den: int) -> Decimal | None:
    return (Decimal(num) / Decimal(den)).quantize(Q) if den else None


def f1(p: Decimal | None, r: Decimal | None) -> Decimal | None:
    if p is None or r is None or p + r == 0:
        return None
    return (2 * p * r / (p + r)).quantize(Q)


def _dec(v: Any) -> Decimal | None:
    if v is None or v == "":
        return None
    try:
        return Decimal(str(v))
    except InvalidOperation:
        return None


def _value(unit: str | None, value: Any, wanyuan: Any) -> Decimal | None:
    """The comparable value: 万元 for amounts, the number as written otherwise."""
    if unit in AMOUNT_UNITS and _dec(wanyuan) is not None:
        return _dec(wanyuan)
    return _dec(value)


def gold_key(f: dict) -> tuple:
    return (f["metric"], f["stage"], _subject(f["subject"]), _value(f.get("unit"), f.get("value"), f.get("value_wanyuan")))


def pred_key(f: Any) -> tuple:
    return (f.metric, f.stage, _subject(f.subject), _value(f.unit, f.value, f.value_wanyuan))


def _subject(s: str | None) -> str:
    return (s or "").translate(_QUOTES) or "department"


def _fact_value(f: Any) -> Decimal | None:
    return _value(getattr(f, "unit", None), getattr(f, "value", None), getattr(f, "value_wanyuan", None))


def _run(path: Path):
    from .pipeline import check

    return check(path)


class _Acc:
    """Counts for one format."""

    def __init__(self) -> None:
        self.documents = 0
        self.tp = Counter()  # by metric
        self.gold = Counter()
        self.pred = Counter()
        self.value_hit = 0
        self.value_gold = 0
        self.split = {"table": [0, 0, 0], "prose": [0, 0, 0]}  # tp, gold, predicted
        self.planted = defaultdict(lambda: [0, 0])  # rule -> [planted, found]
        self.real = defaultdict(lambda: [0, 0])  # genuine inconsistencies listed in gold (kind "real")
        self.clean_reports = 0
        self.false_findings = 0
        self.planted_reports = 0
        self.unexplained = 0
        self.mnf_cases = 0
        self.mnf_violations = 0
        self.meta = {"department": [0, 0], "year": [0, 0]}

    def as_dict(self) -> dict:
        tp, g, p = sum(self.tp.values()), sum(self.gold.values()), sum(self.pred.values())
        prec, rec = ratio(tp, p), ratio(tp, g)
        per_metric = {}
        for m in sorted(set(self.gold) | set(self.pred)):
            mp, mr = ratio(self.tp[m], self.pred[m]), ratio(self.tp[m], self.gold[m])
            per_metric[m] = {"gold": self.gold[m], "predicted": self.pred[m], "matched": self.tp[m], "precision": mp, "recall": mr, "f1": f1(mp, mr)}
        split = {}
        for k, (t, gg, pp) in self.split.items():
            sp, sr = ratio(t, pp), ratio(t, gg)
            split[k] = {"gold": gg, "predicted": pp, "matched": t, "precision": sp, "recall": sr, "f1": f1(sp, sr)}
        planted_total = sum(v[0] for v in self.planted.values())
        found_total = sum(v[1] for v in self.planted.values())
        return {
            "documents": self.documents,
            "facts": {"gold": g, "predicted": p, "matched": tp, "precision": prec, "recall": rec, "f1": f1(prec, rec), "value_recall": ratio(self.value_hit, self.value_gold)},
            "table_facts": split["table"],
            "prose_facts": split["prose"],
            "per_metric": per_metric,
            "findings": {
                "planted": {r: {"planted": a, "found": b, "recall": ratio(b, a)} for r, (a, b) in sorted(self.planted.items())},
                "planted_recall": ratio(found_total, planted_total),
                "planted_total": planted_total,
                "planted_found": found_total,
                "real": {r: {"listed": a, "found": b, "recall": ratio(b, a)} for r, (a, b) in sorted(self.real.items())},
                "real_recall": ratio(sum(v[1] for v in self.real.values()), sum(v[0] for v in self.real.values())),
                "clean_reports": self.clean_reports,
                "false_findings": self.false_findings,
                "false_findings_per_clean_report": ratio(self.false_findings, self.clean_reports),
                "false_findings_per_20_clean_reports": ratio(20 * self.false_findings, self.clean_reports),
                "planted_reports": self.planted_reports,
                "unexplained_findings_in_planted_reports": self.unexplained,
                "must_not_flag_cases": self.mnf_cases,
                "must_not_flag_violations": self.mnf_violations,
            },
            "metadata": {k: ratio(a, b) for k, (a, b) in self.meta.items()},
        }


def _family(rule: str) -> str:
    return rule.split(".", 1)[0] + "."


def _involves(finding: Any, rule: str, values: set[Decimal]) -> bool:
    """Loose match (must-not-flag, real cases): same rule family, one figure in common."""
    if finding.rule != rule and _family(finding.rule) != _family(rule):
        return False
    return any(_fact_value(f) in values for f in finding.facts)


def _flags(finding: Any, rule: str, values: list[Decimal]) -> bool:
    """A finding about a must-not-flag case: the rule's family, its total, and more than half of its figures
    (a figure that happens to repeat elsewhere — a budget total equal to the actual one — is not enough)."""
    if finding.rule != rule and _family(finding.rule) != _family(rule):
        return False
    cited = {_fact_value(f) for f in finding.facts}
    return bool(values) and values[0] in cited and 2 * sum(1 for v in values if v in cited) > len(values)


def _explains(finding: Any, rule: str, values: list[Decimal]) -> bool:
    """Strict match for a planted inconsistency: the same rule, and the finding cites at least half of its figures (at least one)."""
    if finding.rule != rule:
        return False
    cited = {_fact_value(f) for f in finding.facts}
    hit = sum(1 for v in values if v in cited)
    return hit >= max(1, (len(values) + 1) // 2)


def evaluate(directory: str | Path, out_json: str | Path | None = None, limit: int | None = None, runner: Callable[[Path], Any] | None = None) -> dict:
    """Run the pipeline on every gold-annotated report under ``directory`` and score it; write ``eval.json``."""
    directory = Path(directory)
    if not directory.is_dir():
        from .errors import UnreadableReport

        raise UnreadableReport("not_found", directory, "jixiao eval needs a folder holding *.gold.json files")
    runner = runner or _run
    golds = sorted(directory.rglob("*.gold.json"))
    if limit is not None:
        golds = golds[:limit]
    accs: dict[str, _Acc] = defaultdict(_Acc)
    skipped: list[dict] = []
    errors: list[dict] = []
    misses: list[dict] = []
    for gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        root = REPO_ROOT if gold.get("source_root") == "repo" else gold_path.parent
        source_text = _source_text(root / gold["source"])
        for name in gold.get("documents") or [gold["source"]]:
            path = root / name
            if not path.exists():  # a bare rendering name sits beside the source
                path = (root / gold["source"]).parent / name
            if not path.exists():
                print(f"eval: skipping {name}: {path} is not here", file=sys.stderr)
                skipped.append({"gold": str(gold_path), "document": name, "reason": "file absent"})
                continue
            fmt = FORMATS.get(path.suffix.lower(), path.suffix.lstrip(".") or "text")
            try:
                result = runner(path)
            except Exception as exc:  # the harness must survive a pipeline that fails on one file
                errors.append({"document": str(path), "format": fmt, "error": f"{type(exc).__name__}: {exc}"[:300]})
                result = None
            _score(gold, result, accs[fmt], fmt, name, source_text, misses)
    report = {
        "directory": str(directory),
        "golds": len(golds),
        "formats": {fmt: acc.as_dict() for fmt, acc in sorted(accs.items())},
        "skipped": skipped,
        "errors": errors,
        "worst": sorted(misses, key=lambda m: (-m["weight"], m["document"], m.get("start") or 0)),
    }
    out = Path(out_json) if out_json else directory / "eval.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    report["written_to"] = str(out)
    return report


def _source_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8") if path.suffix.lower() in (".txt", ".md") else ""
    except (OSError, UnicodeDecodeError):
        return ""


def _quote(text: str, start: int | None, end: int | None) -> str:
    if not text or start is None:
        return ""
    return text[max(0, start - 25) : min(len(text), (end or start) + 25)].replace("\n", "")


def _score(gold: dict, result: Any, acc: _Acc, fmt: str, name: str, source_text: str, misses: list[dict]) -> None:
    acc.documents += 1
    gfacts = gold.get("facts", [])
    pfacts = list(result.facts) if result is not None else []
    findings = list(result.findings) if result is not None else []
    # ---- facts (multiset match)
    gkeys = Counter(gold_key(f) for f in gfacts if gold_key(f)[3] is not None)
    pkeys = Counter(pred_key(f) for f in pfacts if pred_key(f)[3] is not None)
    for k, n in gkeys.items():
        acc.gold[k[0]] += n
        acc.tp[k[0]] += min(n, pkeys.get(k, 0))
    for k, n in pkeys.items():
        acc.pred[k[0]] += n
    gvals = Counter(k[3] for k in gkeys.elements())
    pvals = Counter(k[3] for k in pkeys.elements())
    acc.value_gold += sum(gvals.values())
    acc.value_hit += sum(min(n, pvals.get(v, 0)) for v, n in gvals.items())
    for part, gsel, psel in (("table", lambda f: f.get("table"), lambda f: f.table_id is not None), ("prose", lambda f: not f.get("table"), lambda f: f.table_id is None)):
        gk = Counter(gold_key(f) for f in gfacts if gsel(f) and gold_key(f)[3] is not None)
        pk = Counter(pred_key(f) for f in pfacts if psel(f) and pred_key(f)[3] is not None)
        acc.split[part][0] += sum(min(n, pk.get(k, 0)) for k, n in gk.items())
        acc.split[part][1] += sum(gk.values())
        acc.split[part][2] += sum(pk.values())
    remaining = Counter(pkeys)
    for f in gfacts:
        k = gold_key(f)
        if k[3] is None:
            continue
        if remaining.get(k, 0) > 0:
            remaining[k] -= 1
        else:
            misses.append({"weight": 1, "what": "missed fact", "document": name, "format": fmt, "metric": f["metric"], "stage": f["stage"], "subject": f["subject"], "value": f["value"], "unit": f.get("unit"), "start": f.get("start"), "quote": _quote(source_text, f.get("start"), f.get("end"))})
    # ---- findings
    vlist = lambda idxs: [_value(gfacts[i].get("unit"), gfacts[i].get("value"), gfacts[i].get("value_wanyuan")) for i in idxs]  # noqa: E731
    values = lambda idxs: set(vlist(idxs))  # noqa: E731
    incs = gold.get("inconsistencies", [])
    planted = [i for i in incs if i.get("kind", "planted") == "planted"]
    real = [i for i in incs if i.get("kind") == "real"]
    consequences = [i for i in incs if i.get("kind") == "consequence"]  # knock-on failures of a planted error: neither missed nor false
    for inc in planted:
        acc.planted[inc["rule"]][0] += 1
        if any(_explains(fd, inc["rule"], vlist(inc["facts"])) for fd in findings):
            acc.planted[inc["rule"]][1] += 1
        else:
            first = gfacts[inc["facts"][0]] if inc["facts"] else {}
            misses.append({"weight": 3, "what": f"missed planted {inc['rule']}", "document": name, "format": fmt, "note": inc.get("note"), "start": first.get("start"), "quote": _quote(source_text, first.get("start"), first.get("end"))})
    for inc in real:
        acc.real[inc["rule"]][0] += 1
        acc.real[inc["rule"]][1] += any(_involves(fd, inc["rule"], values(inc["facts"])) for fd in findings)
    if not planted:
        acc.clean_reports += 1
    else:
        acc.planted_reports += 1
    for fd in findings:
        if fd.severity not in ("error", "warning"):
            continue
        if any(_explains(fd, r["rule"], vlist(r["facts"])) for r in planted + consequences) or any(_involves(fd, r["rule"], values(r["facts"])) for r in real):
            continue
        if planted:
            acc.unexplained += 1  # a finding in a report with plants that no plant, consequence or real case accounts for
        else:
            acc.false_findings += 1
        misses.append({"weight": 2, "what": f"{'false' if not planted else 'unexplained'} finding {fd.rule}", "document": name, "format": fmt, "note": fd.message, "start": None, "quote": fd.facts[0].quote if fd.facts else ""})
    for case in gold.get("must_not_flag", []):
        acc.mnf_cases += 1
        if any(fd.severity in ("error", "warning") and _flags(fd, case["rule"], vlist(case["facts"])) for fd in findings):
            acc.mnf_violations += 1
            first = gfacts[case["facts"][0]]
            misses.append({"weight": 3, "what": f"must-not-flag violated {case['rule']}", "document": name, "format": fmt, "note": case.get("note"), "start": first.get("start"), "quote": _quote(source_text, first.get("start"), first.get("end"))})
    # ---- metadata
    meta = gold.get("metadata", {})
    got = result.document.metadata if result is not None else None
    for key in ("department", "year"):
        if meta.get(key) is not None:
            acc.meta[key][1] += 1
            mine = getattr(got, key, None) if got is not None else None
            if mine is not None and str(mine).strip() == str(meta[key]).strip():
                acc.meta[key][0] += 1


# --------------------------------------------------------------------------- printing


def _pct(v: Any) -> str:
    return "—" if v is None else f"{(Decimal(str(v)) * 100).quantize(Decimal('0.1'))}%"


def render(report: dict, worst: int = 15, stream=None) -> None:
    """Print the scores as rich tables, then the worst misses with their quotes."""
    from rich.console import Console
    from rich.table import Table

    out = stream or sys.stdout
    console = Console(file=out, width=160 if not out.isatty() else None)
    fmts = report["formats"]
    if report["errors"]:  # figures below are meaningless when the pipeline itself failed
        console.print(f"[bold red]{len(report['errors'])} documents failed in the pipeline[/]; first: {report['errors'][0]['error']}")
    for fmt, d in fmts.items():  # the two figures the checks are judged on, first and plain
        fd = d["findings"]
        if fd.get("planted_total"):
            console.print(f"[bold]{fmt}: planted inconsistencies found {fd['planted_found']}/{fd['planted_total']} = {_pct(fd['planted_recall'])}[/] (bar ≥ 99%)")
        if fd["clean_reports"]:
            per20 = fd.get("false_findings_per_20_clean_reports")
            console.print(f"[bold]{fmt}: false findings {fd['false_findings']} in {fd['clean_reports']} clean reports = {per20} per 20[/] (bar ≤ 1); "
                          f"must-not-flag violations {fd['must_not_flag_violations']}/{fd['must_not_flag_cases']}; "
                          f"unexplained findings in {fd.get('planted_reports', 0)} planted reports: {fd.get('unexplained_findings_in_planted_reports', 0)}")
    t = Table(title=f"jixiao eval: {report['golds']} gold files in {report['directory']}")
    t.add_column("figure")
    for fmt in fmts:
        t.add_column(fmt, justify="right")
    rows = [
        ("documents", lambda d: str(d["documents"])),
        ("facts gold / predicted / matched", lambda d: f"{d['facts']['gold']} / {d['facts']['predicted']} / {d['facts']['matched']}"),
        ("facts precision", lambda d: _pct(d["facts"]["precision"])),
        ("facts recall", lambda d: _pct(d["facts"]["recall"])),
        ("facts F1", lambda d: _pct(d["facts"]["f1"])),
        ("value-only recall", lambda d: _pct(d["facts"]["value_recall"])),
        ("prose facts P / R", lambda d: f"{_pct(d['prose_facts']['precision'])} / {_pct(d['prose_facts']['recall'])}"),
        ("自评表 facts P / R", lambda d: f"{_pct(d['table_facts']['precision'])} / {_pct(d['table_facts']['recall'])}"),
        ("planted inconsistencies found", lambda d: _pct(d["findings"]["planted_recall"])),
        ("real (listed) inconsistencies found", lambda d: _pct(d["findings"]["real_recall"])),
        ("false findings per clean report", lambda d: "—" if d["findings"]["false_findings_per_clean_report"] is None else str(d["findings"]["false_findings_per_clean_report"])),
        ("must-not-flag violations", lambda d: f"{d['findings']['must_not_flag_violations']} of {d['findings']['must_not_flag_cases']}"),
        ("department accuracy", lambda d: _pct(d["metadata"]["department"])),
        ("year accuracy", lambda d: _pct(d["metadata"]["year"])),
    ]
    for label, fn in rows:
        t.add_row(label, *(fn(d) for d in fmts.values()))
    console.print(t)
    _per_format(console, fmts, "planted inconsistencies found, per rule", "rule", lambda d: d["findings"]["planted"], _rule_cell)
    _per_format(console, fmts, "facts per metric: recall (precision)", "metric", lambda d: d["per_metric"], _metric_cell)
    if report["errors"]:
        console.print(f"[bold red]{len(report['errors'])} documents failed in the pipeline[/]; first: {report['errors'][0]['document']}: {report['errors'][0]['error']}")
    if report["skipped"]:
        console.print(f"{len(report['skipped'])} documents skipped (absent)")
    if worst and report["worst"]:
        wt = Table(title=f"worst misses (first {worst} of {len(report['worst'])})")
        for c in ("what", "document", "detail", "quote"):
            wt.add_column(c, overflow="fold")
        for m in report["worst"][:worst]:
            detail = m.get("note") or f"{m.get('metric')}/{m.get('stage')}/{m.get('subject')} = {m.get('value')} {m.get('unit') or ''}"
            wt.add_row(m["what"], m["document"], str(detail), m.get("quote") or "")
        console.print(wt)
    if report.get("written_to"):
        console.print(f"wrote {report['written_to']}")


def _rule_cell(v: dict | None) -> str:
    return "" if not v else f"{v['found']}/{v['planted']}"


def _metric_cell(v: dict | None) -> str:
    return "" if not v else f"{_pct(v['recall'])} ({_pct(v['precision'])})"


def _per_format(console, fmts: dict, title: str, key: str, table_of, cell) -> None:
    """One row per key (rule or metric), one column per format."""
    from rich.table import Table

    keys = sorted({k for d in fmts.values() for k in table_of(d)})
    if not keys:
        return
    t = Table(title=title)
    t.add_column(key)
    for fmt in fmts:
        t.add_column(fmt, justify="right")
    for k in keys:
        t.add_row(k, *(cell(table_of(d).get(k)) for d in fmts.values()))
    console.print(t)
