"""What an auditor opens: ``audit.xlsx`` and one self-contained HTML page per report.

The HTML page shows the normalized text with every extracted figure
highlighted (one colour per metric), the findings at the top, each linking to
the figures it involves.  Every string from a report is HTML-escaped.
"""

from __future__ import annotations

import hashlib
import html
import os
from pathlib import Path
from typing import Any, Iterable

from .model import Document, Fact, Finding

_SEV_ORDER = {"error": 0, "warning": 1, "info": 2}
_CSS = """
body{font-family:"WenQuanYi Zen Hei","Noto Sans CJK SC",sans-serif;margin:1.5em;max-width:70em;color:#222}
h1{font-size:1.3em} h2{font-size:1.1em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.9em;width:100%} .findings td:nth-child(3){min-width:18em} td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}
.text{white-space:pre-wrap;line-height:1.7;font-size:.95em}
mark{border-radius:3px;padding:0 1px} mark:target,tr:target{outline:3px solid #d00}
.page{display:block;color:#888;font-size:.8em;border-top:1px dashed #bbb;margin-top:.5em}
.sev-error{color:#b00;font-weight:bold} .sev-warning{color:#b60} .sev-info{color:#06b}
.meta{color:#555} .legend mark{margin-right:.6em}
"""


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def metric_colour(metric: str) -> str:
    """A stable pastel colour per metric name."""
    h = int(hashlib.sha256(metric.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({h},75%,82%)"


def page_name(doc_id: str) -> str:
    """The file name of a report's page under ``reports/``."""
    return f"{doc_id[:12]}.html"


def document_page(doc: Document, facts: list[Fact], findings: list[Finding]) -> str:
    """One self-contained HTML page: findings, the highlighted text, and every figure in a table."""
    text = doc.text
    spans: list[Fact] = []
    last_end = -1
    for f in sorted(facts, key=lambda f: (f.start, -f.end)):
        if f.start is not None and f.end is not None and 0 <= f.start < f.end <= len(text) and f.start >= last_end:
            spans.append(f)
            last_end = f.end
    marked = {f.fact_id for f in spans}
    metrics = sorted({f.metric for f in facts})
    css = _CSS + "".join(f".m-{_e(m)}{{background:{metric_colour(m)}}}\n" for m in metrics)
    m = doc.metadata
    out = [
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
        f"<title>{_e(m.title or doc.source)}</title><style>{css}</style></head><body>",
        f"<p><a href=\"index.html\">← all reports</a></p><h1>{_e(m.title or doc.source)}</h1>",
        f"<p class=\"meta\">{_e(doc.source)} · {_e(m.department)} · {_e(m.year)} · {_e(m.kind)} · {_e(m.region)}"
        f" · {len(doc.pages)} pages · {len(facts)} figures · {len(findings)} findings · sha256 {_e(doc.doc_id)}</p>",
        f"<h2>Findings ({len(findings)})</h2>",
    ]
    if findings:
        out.append("<table class=\"findings\"><tr><th>severity</th><th>rule</th><th>message</th><th>expected</th><th>stated</th><th>difference</th><th>tolerance</th><th>figures</th></tr>")
        for i, fd in enumerate(sorted(findings, key=lambda x: (_SEV_ORDER.get(x.severity, 9), x.rule)), 1):
            links = " ".join(
                f"<a href=\"#{_e(x.fact_id) if x.fact_id in marked else 'row-' + _e(x.fact_id)}\">{_e(x.label or x.metric)} {_e(_num(x.value))}</a>"
                for x in fd.facts
            )
            out.append(
                f"<tr id=\"finding-{i}\"><td class=\"sev-{_e(fd.severity)}\">{_e(fd.severity)}</td><td>{_e(fd.rule)}</td>"
                f"<td>{_e(fd.message)}</td><td>{_e(_num(fd.expected))}</td><td>{_e(_num(fd.stated))}</td>"
                f"<td>{_e(_num(fd.difference))}</td><td>{_e(_num(fd.tolerance))}</td><td>{links}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>No findings.</p>")
    out.append("<h2>Text</h2><p class=\"legend\">" + " ".join(f"<mark class=\"m-{_e(x)}\">{_e(x)}</mark>" for x in metrics) + "</p>")
    out.append("<div class=\"text\">")
    out.append(_marked_text(doc, spans))
    out.append("</div>")
    out.append(f"<h2>Figures ({len(facts)})</h2><table><tr><th>id</th><th>page</th><th>subject</th><th>metric</th><th>stage</th><th>value</th><th>unit</th><th>万元</th><th>label</th><th>rule</th></tr>")
    for f in facts:
        ref = f"<a href=\"#{_e(f.fact_id)}\">{_e(f.fact_id)}</a>" if f.fact_id in marked else _e(f.fact_id)
        out.append(
            f"<tr id=\"row-{_e(f.fact_id)}\"><td>{ref}</td><td>{_e(f.page)}</td><td>{_e(f.subject)}</td>"
            f"<td class=\"m-{_e(f.metric)}\">{_e(f.metric)}</td><td>{_e(f.stage)}</td><td>{_e(_num(f.value))}</td>"
            f"<td>{_e(f.unit)}</td><td>{_e(_num(f.value_wanyuan))}</td><td>{_e(f.label)}</td><td>{_e(f.rule)}</td></tr>"
        )
    out.append("</table></body></html>\n")
    return "\n".join(out)


def _num(v: Any) -> str:
    return "" if v is None else format(v, "f") if not isinstance(v, str) else v


def _marked_text(doc: Document, spans: list[Fact]) -> str:
    """The text escaped, with ``<mark>`` around each figure and a marker where a new page starts."""
    text = doc.text
    cuts: list[tuple[int, int, str]] = []  # (offset, order, html) ; order: close=0, page=1, open=2
    page = None
    cp = doc.char_page
    for i in range(len(text)):
        p = cp[i] if i < len(cp) else page
        if p != page:
            cuts.append((i, 1, f"<span class=\"page\" id=\"page-{p}\">— {p} —</span>"))
            page = p
    for f in spans:
        title = f"{f.metric} · {f.stage} · {_num(f.value)} {f.unit} · {f.rule}"
        cuts.append((f.start, 2, f"<mark id=\"{_e(f.fact_id)}\" class=\"m-{_e(f.metric)}\" title=\"{_e(title)}\">"))
        cuts.append((f.end, 0, "</mark>"))
    cuts.sort(key=lambda c: (c[0], c[1]))
    out, pos = [], 0
    for off, _, tag in cuts:
        out.append(html.escape(text[pos:off], quote=False))
        out.append(tag)
        pos = off
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def write_index(out: Path, documents: Iterable[dict[str, Any]]) -> None:
    """``reports/index.html``: every report with its finding counts, most errors first."""
    docs = sorted(documents, key=lambda d: (-(d.get("findings_error") or 0), -(d.get("findings_warning") or 0), d.get("source") or ""))
    rows = []
    for d in docs:
        rows.append(
            f"<tr><td><a href=\"{_e(page_name(d['doc_id']))}\">{_e(d.get('source'))}</a></td><td>{_e(d.get('department'))}</td>"
            f"<td>{_e(d.get('year'))}</td><td>{_e(d.get('kind'))}</td><td>{_e(d.get('pages'))}</td><td>{_e(d.get('facts'))}</td>"
            f"<td class=\"sev-error\">{_e(d.get('findings_error'))}</td><td class=\"sev-warning\">{_e(d.get('findings_warning'))}</td>"
            f"<td class=\"sev-info\">{_e(d.get('findings_info'))}</td></tr>"
        )
    page = (
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>jixiao reports</title>"
        f"<style>{_CSS}</style></head><body><h1>Reports ({len(docs)})</h1>"
        "<table><tr><th>report</th><th>department</th><th>year</th><th>kind</th><th>pages</th><th>figures</th>"
        "<th>errors</th><th>warnings</th><th>info</th></tr>\n" + "\n".join(rows) + "\n</table></body></html>\n"
    )
    reports = out / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    tmp = reports / ".index.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, reports / "index.html")


# --------------------------------------------------------------------------- workbook

_XLSX_MAX_ROWS = 1_048_575


def write_workbook(out: Path, db_path: Path) -> None:
    """``audit.xlsx`` from the dataset: findings (by severity, linked to each report page), facts, department_year.

    Written in openpyxl's streaming mode; a sheet that would exceed Excel's row limit is cut, with a note.
    """
    import duckdb
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    con = duckdb.connect(str(db_path), read_only=True)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    try:
        sheets = [
            ("findings",
             "SELECT f.severity, f.rule, f.message, f.expected, f.stated, f.difference, f.tolerance, f.source_kind,"
             " d.department, d.year, f.source, f.doc_id FROM findings f LEFT JOIN documents d ON f.doc_id = d.doc_id"
             " ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, d.department, f.source, f.rule"),
            ("facts", "SELECT * EXCLUDE (bbox) FROM facts ORDER BY source, start"),
            ("department_year", "SELECT * FROM department_year ORDER BY department, year"),
        ]
        for name, sql in sheets:
            ws = wb.create_sheet(name)
            ws.freeze_panes = "A2"
            cur = con.execute(sql)
            cols = [c[0] for c in cur.description]
            link = name == "findings"
            header = cols + (["report"] if link else [])
            row_cells = []
            for h in header:
                c = WriteOnlyCell(ws, value=h)
                c.font = bold
                row_cells.append(c)
            ws.append(row_cells)
            n = 0
            while True:
                batch = cur.fetchmany(5000)
                if not batch:
                    break
                for r in batch:
                    if n >= _XLSX_MAX_ROWS - 1:
                        break
                    values = [_cell(v) for v in r]
                    if link:
                        doc_id = r[cols.index("doc_id")]
                        c = WriteOnlyCell(ws, value="open")
                        if doc_id:
                            c.hyperlink = f"reports/{page_name(doc_id)}"
                            c.style = "Hyperlink"
                        values.append(c)
                    ws.append(values)
                    n += 1
            if n >= _XLSX_MAX_ROWS - 1:
                ws.append([f"(cut at Excel's row limit; the full table is in {name}.parquet / dataset.duckdb)"])
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n + 1}"
    finally:
        con.close()
    tmp = out / ".audit.xlsx.tmp"
    wb.save(tmp)
    os.replace(tmp, out / "audit.xlsx")


def _cell(v: Any) -> Any:
    """Decimals go to the workbook as their exact text, so Excel never rounds a figure through a float."""
    from decimal import Decimal

    if isinstance(v, Decimal):
        return format(v, "f")
    return v
