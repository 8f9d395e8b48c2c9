"""audit.xlsx and the HTML pages: they open, link, escape and highlight every figure."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from extractor import bulk, ingest, pipeline, report
from extractor.model import Finding

from test_bulk import fake_check, make_fact, report_text


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    d = tmp_path_factory.mktemp("in")
    (d / "edu.txt").write_text(report_text("某某区教育局", 2020, "1,234.56", "1,200.00", "97.20", total=True), encoding="utf-8")
    (d / "health.txt").write_text(report_text("某某区卫生健康局", 2020, "88.10", "80.00", "90.81"), encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "check", fake_check)
        bulk.run([d], out, workers=2, quiet=True)
    return out


def test_workbook_opens_with_sorted_linked_findings(run_out):
    wb = load_workbook(run_out / "audit.xlsx")
    assert wb.sheetnames == ["findings", "facts", "department_year"]
    ws = wb["findings"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["severity", "rule"] and header[-1] == "report"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    link = ws.cell(row=2, column=len(header)).hyperlink.target
    assert re.fullmatch(r"reports/[0-9a-f]{12}\.html", link) and (run_out / link).exists()
    facts = wb["facts"]
    values = [r[header_index(facts, "value")] for r in facts.iter_rows(min_row=2, values_only=True)]
    assert "1234.56" in values  # exact text, not a float
    dy = wb["department_year"]
    assert dy.freeze_panes == "A2" and dy.max_row == 3


def header_index(ws, name):
    return [c.value for c in ws[1]].index(name)


def test_index_lists_reports_with_counts(run_out):
    page = (run_out / "reports" / "index.html").read_text(encoding="utf-8")
    assert page.count("<tr><td><a href=") == 2
    assert page.index("edu.txt") < page.index("health.txt")  # most errors first


def test_document_page_highlights_every_figure(run_out):
    pages = {p.read_text(encoding="utf-8") for p in (run_out / "reports").glob("*.html") if p.name != "index.html"}
    edu = next(p for p in pages if "某某区教育局" in p)
    marks = re.findall(r'<mark id="(f\d+)" class="m-([a-z_]+)"[^>]*>([^<]*)</mark>', edu)
    assert [(i, m) for i, m, _ in marks] == [("f0001", "expenditure_total"), ("f0002", "expenditure_total"), ("f0003", "execution_rate")]
    assert marks[0][2] == "调整后预算数为1,234.56万元" and marks[2][2] == "执行率97.20%"
    assert 'href="#f0001"' in edu and 'href="#f0002"' in edu  # the finding links to its figures
    assert edu.index("sum.expenditure") < edu.index('<div class="text">')  # findings at the top
    assert "http://" not in edu and "https://" not in edu and "<script" not in edu  # self-contained


def test_strings_are_escaped():
    doc = ingest.from_text("<script>alert(1)</script>支出12.00万元 & 更多\n", source="<evil>.txt")
    fact = make_fact(doc, 25, 34, "expenditure_total", "actual", None, "万元", None, "<b>label</b>")
    fact.fact_id = "f0001"
    finding = Finding(doc.doc_id, doc.source, "sum.expenditure", "error", "<img src=x onerror=1>", None, None, None, None, [fact])
    page = report.document_page(doc, [fact], [finding])
    assert "<script>" not in page and "<img" not in page and "<b>label" not in page
    assert "&lt;script&gt;" in page and "&amp; 更多" in page and "&lt;evil&gt;.txt" in page


def test_page_markers_follow_the_provenance_map():
    from array import array

    doc = ingest.from_text("第一页\n第二页\n")
    doc.char_page = array("i", [1] * 4 + [2] * 4)
    page = report.document_page(doc, [], [])
    assert 'id="page-1"' in page and 'id="page-2"' in page


@pytest.mark.slow
def test_page_renders_in_headless_chromium(run_out, tmp_path):
    import shutil
    import subprocess
    from pathlib import Path

    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "screenshot.sh"
    page = next(p for p in (run_out / "reports").glob("*.html") if p.name != "index.html")
    shot = tmp_path / "page.png"
    done = subprocess.run(["bash", str(script), str(page), str(shot), "900x900"], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
