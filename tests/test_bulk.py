"""``jixiao run``: inputs, broken files, crashes, timeouts, resume.

The extraction stages are other modules' business; here the pipeline is a small
stand-in (:func:`fake_check`) so the runner is tested on its own: it reads the file
with the real reader and turns "<label>X万元" phrases into facts, one finding per
"合计" phrase.  Workers are forked, so the monkeypatch reaches them.
"""

from __future__ import annotations

import json
import os
import signal
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import regex

from extractor import bulk, pipeline
from extractor.cli import main
from extractor.model import CheckOutcome, Fact, Finding

AMOUNT = regex.compile(r"(调整后预算数?|年初预算数?|实际支出|支出|预算)(?:为|数为)?([\d,]+(?:\.\d+)?)万元")
RATE = regex.compile(r"执行率(?:为)?([\d.]+)%")
HEAD = regex.compile(r"^(\S+?)(\d{4})年度")
CALLS = "JIXIAO_TEST_CALLS"


def fake_check(path, facts=None, limits=None):
    """Stand-in for pipeline.check: real reader, a handful of facts and findings, with side doors for tests."""
    from extractor import ingest

    if not isinstance(path, (str, Path)):
        raise TypeError("the stand-in reads files only (the runner's preflight passes a Document)")
    name = Path(path).name
    if os.environ.get(CALLS):
        with open(os.environ[CALLS], "a", encoding="utf-8") as fh:
            fh.write(name + "\n")
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("hang"):
        time.sleep(60)
    if name.startswith("slow"):
        time.sleep(0.4)
    if name.startswith("boom"):
        raise ValueError("a bug in a stage")
    doc = ingest.read(path, limits=limits)
    head = HEAD.search(doc.text)
    if head:
        doc.metadata.department, doc.metadata.year = head.group(1), int(head.group(2))
        doc.metadata.kind = "department_overall"
    out: list[Fact] = []
    for m in AMOUNT.finditer(doc.text):
        stage = "adjusted_budget" if "调整" in m.group(1) else "initial_budget" if "年初" in m.group(1) else "actual"
        value = Decimal(m.group(2).replace(",", ""))
        out.append(make_fact(doc, m.start(), m.end(), "expenditure_total", stage, value, "万元", value, m.group(1)))
    for m in RATE.finditer(doc.text):
        out.append(make_fact(doc, m.start(), m.end(), "execution_rate", "actual", Decimal(m.group(1)), "%", None, "执行率"))
    out = pipeline.assign_ids(out)
    findings = []
    if "合计" in doc.text and len(out) >= 2:
        a, b = out[0], out[1]
        findings.append(Finding(doc.doc_id, doc.source, "sum.expenditure", "error", f"合计{a.value}万元≠{b.value}万元",
                                a.value, b.value, a.value - b.value, Decimal("0.01"), [a, b]))
    outcomes = [CheckOutcome("sum.expenditure", "failed" if findings else "passed"), CheckOutcome("flow.unspent", "skipped", "missing")]
    return pipeline.Result(doc, out, findings, outcomes)


def make_fact(doc, start, end, metric, stage, value, unit, wanyuan, label):
    return Fact(doc.doc_id, doc.source, doc.metadata.department, doc.metadata.year, "department", "", metric, stage,
                value, unit, wanyuan, label, doc.page_of(start), start, end, doc.quote(start, end), "test.fake", 1.0,
                fact_id=f"p{start}", kind="amount" if unit == "万元" else "rate")


def report_text(dept: str, year: int, adjusted: str, actual: str, rate: str, total: bool = False) -> str:
    lines = [f"{dept}{year}年度部门整体支出绩效自评报告", "一、部门基本情况",
             f"{year}年调整后预算数为{adjusted}万元，实际支出{actual}万元，执行率{rate}%。"]
    if total:
        lines.append("支出合计与明细不符。")
    return "\n".join(lines) + "\n"


@pytest.fixture
def fake(monkeypatch, tmp_path):
    calls = tmp_path / "calls.txt"
    monkeypatch.setattr(pipeline, "check", fake_check)
    monkeypatch.setenv(CALLS, str(calls))
    monkeypatch.setenv("JIXIAO_PIPELINE_VERSION", "test")  # others edit the code meanwhile; their edits are not ours to rerun
    return calls


def calls_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split() if path.exists() else []


@pytest.fixture
def broken_folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(report_text("某某区教育局", 2020, "1,234.56", "1,200.00", "97.20", total=True), encoding="utf-8")
    (d / "gb.txt").write_bytes(report_text("某某区卫生健康局", 2021, "88.10", "80.00", "90.81").encode("gb18030"))
    (d / "empty.txt").write_bytes(b"")
    (d / "junk.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 3)
    (d / "boom.txt").write_text("x", encoding="utf-8")
    (d / ".hidden.txt").write_text("x", encoding="utf-8")
    (d / "good.gold.json").write_text("{}", encoding="utf-8")
    (d / "sub").mkdir()
    (d / "sub" / "loop").symlink_to(d, target_is_directory=True)
    return d


def test_broken_files_become_rows_and_the_run_goes_on(fake, broken_folder, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(broken_folder), "-o", str(out), "--workers", "2", "--quiet"]) == 0
    errors = pd.read_csv(out / "errors.csv", encoding="utf-8-sig")
    reasons = dict(zip(errors["path"].map(lambda p: Path(p).name), errors["reason"]))
    assert reasons["empty.txt"] == "empty"
    assert reasons["boom.txt"] == "internal"
    assert ".hidden.txt" not in reasons and "good.gold.json" not in reasons
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str)
    names = sorted(docs["path"].map(lambda p: Path(p).name))
    assert names == sorted(["good.txt", "gb.txt", "empty.txt", "junk.pdf", "boom.txt"])  # each once, loop ended
    good = docs[docs["source"] == "good.txt"].iloc[0]
    assert (good["status"], good["facts"], good["findings_error"]) == ("ok", "3", "1")
    assert (good["checks_run"], good["checks_passed"], good["checks_failed"], good["checks_skipped"]) == ("1", "0", "1", "1")
    facts = pd.read_parquet(out / "facts.parquet")
    assert facts[facts["source"] == "good.txt"]["value"].tolist() == ["1234.56", "1200.00", "97.20"]


def test_junk_pdf_is_a_coded_error(fake, broken_folder, tmp_path):
    out = tmp_path / "out"
    bulk.run([broken_folder], out, workers=1, quiet=True)
    errors = pd.read_csv(out / "errors.csv", encoding="utf-8-sig")
    row = errors[errors["path"].str.endswith("junk.pdf")]
    assert row["reason"].tolist()[0] in {"corrupt", "unsupported_type", "empty", "no_text_layer"}


def test_crash_and_timeout_cost_one_file(fake, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "crash.txt").write_text("x", encoding="utf-8")
    (d / "hang.txt").write_text("y", encoding="utf-8")
    (d / "good.txt").write_text(report_text("某某区财政局", 2020, "10.00", "9.00", "90.00"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(d), "-o", str(out), "--workers", "2", "--timeout", "1.5", "--quiet"]) == 0
    errors = pd.read_csv(out / "errors.csv", encoding="utf-8-sig")
    reasons = dict(zip(errors["path"].map(lambda p: Path(p).name), errors["reason"]))
    assert reasons == {"crash.txt": "crashed", "hang.txt": "timeout"}
    assert errors["code"].tolist() == ["E112", "E108"]
    assert pd.read_parquet(out / "facts.parquet")["source"].unique().tolist() == ["good.txt"]


def test_rerun_skips_done_files_and_redoes_changed_ones(fake, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(4):
        (d / f"r{i}.txt").write_text(report_text(f"某某区第{i}局", 2020, f"{i + 1}00.00", "50.00", "50.00"), encoding="utf-8")
    out = tmp_path / "out"
    first = bulk.run([d], out, workers=2, quiet=True)
    assert sorted(calls_of(fake)) == ["r0.txt", "r1.txt", "r2.txt", "r3.txt"]
    assert (first["processed"], first["reports_read"], first["facts"]) == (4, 4, 12)
    fake.unlink()
    again = bulk.run([d], out, workers=2, quiet=True)
    assert calls_of(fake) == []
    assert (again["processed"], again["skipped_done"], again["assembled"], again["facts"]) == (0, 4, False, 12)
    (d / "r1.txt").write_text(report_text("某某区第1局", 2020, "999.00", "50.00", "5.01"), encoding="utf-8")
    (d / "r4.txt").write_text(report_text("某某区第4局", 2020, "1.00", "1.00", "100.00"), encoding="utf-8")
    third = bulk.run([d], out, workers=2, quiet=True)
    assert sorted(calls_of(fake)) == ["r1.txt", "r4.txt"]
    assert (third["processed"], third["reports_read"], third["facts"]) == (2, 5, 15)
    facts = pd.read_parquet(out / "facts.parquet")
    assert "999.00" in facts["value"].tolist() and "100.00" not in facts[facts["source"] == "r1.txt"]["value"].tolist()


def test_sigkill_loses_at_most_the_files_in_flight(fake, tmp_path):
    import multiprocessing as mp

    d = tmp_path / "in"
    d.mkdir()
    for i in range(12):
        (d / f"slow{i:02d}.txt").write_text(report_text(f"某某区第{i}局", 2020, "10.00", "9.00", "90.00"), encoding="utf-8")
    out = tmp_path / "out"
    proc = mp.get_context("fork").Process(target=bulk.run, args=([d], out), kwargs={"workers": 2, "quiet": True})
    proc.start()
    deadline = time.monotonic() + 20
    while len(list((out / ".parts").glob("*.json"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    time.sleep(0.6)  # orphans die with the parent (PDEATHSIG); give them no chance to write later
    done = len(list((out / ".parts").glob("*.json")))
    assert 3 <= done < 12 and not (out / "facts.parquet").exists()
    fake.unlink()
    summary = bulk.run([d], out, workers=2, quiet=True)
    assert len(calls_of(fake)) == 12 - done
    assert (summary["reports_read"], summary["skipped_done"]) == (12, done)


# --------------------------------------------------------------------------- inputs

def test_path_list_is_read_as_paths(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.pdf"
    a.write_text("一、部门基本情况", encoding="utf-8")
    b.write_bytes(b"%PDF")
    lst = tmp_path / "list.txt"
    lst.write_text(f"{a}\n\nb.pdf\n", encoding="utf-8")
    assert bulk.collect([lst]) == [str(a), str(tmp_path / "b.pdf")]


@pytest.mark.parametrize(
    "content",
    ["某某区教育局2020年度部门整体支出绩效自评报告\n一、部门基本情况\n", "/etc/passwd\n不是路径\n"],
    ids=["report-text", "half-paths"],
)
def test_text_that_is_not_a_path_list_is_a_report(tmp_path, content):
    f = tmp_path / "r.txt"
    f.write_text(content, encoding="utf-8")
    assert bulk.collect([f]) == [str(f)]


def test_collect_skips_output_folder_and_follows_links_once(tmp_path):
    d = tmp_path / "in"
    (d / "x").mkdir(parents=True)
    (d / "x" / "r.txt").write_text("a", encoding="utf-8")
    (d / "link.txt").symlink_to(d / "x" / "r.txt")
    (d / "x" / "up").symlink_to(d, target_is_directory=True)
    (d / "out").mkdir()
    (d / "out" / "facts.csv").write_text("a", encoding="utf-8")
    assert bulk.collect([d, d / "x" / "r.txt"], exclude=[d / "out"]) == [str(d / "link.txt")]


def test_version_covers_code_and_patterns(monkeypatch):
    from extractor import __version__

    monkeypatch.delenv("JIXIAO_PIPELINE_VERSION", raising=False)
    assert regex.fullmatch(regex.escape(__version__) + r"\+[0-9a-f]{12}", bulk.pipeline_version())


def test_invalid_patterns_stop_the_run_with_exit_4(fake, monkeypatch, tmp_path):
    from extractor.errors import PatternError

    def broken(path, facts=None, limits=None):
        raise PatternError("metrics.yaml", "budget.total", "duplicate id")

    monkeypatch.setattr(pipeline, "check", broken)
    (tmp_path / "r.txt").write_text("x", encoding="utf-8")
    assert main(["run", str(tmp_path / "r.txt"), "-o", str(tmp_path / "out"), "--quiet"]) == 4


def test_patterns_broken_mid_run_are_not_remembered(fake, monkeypatch, tmp_path):
    from extractor.errors import PatternError

    def broken_for_files(path, facts=None, limits=None):
        if isinstance(path, (str, Path)):
            with open(fake, "a", encoding="utf-8") as fh:
                fh.write(Path(path).name + "\n")
            raise PatternError("metrics.yaml", "budget.total", "duplicate id")
        return fake_check(path)

    monkeypatch.setattr(pipeline, "check", broken_for_files)
    (tmp_path / "r.txt").write_text("x", encoding="utf-8")
    for _ in range(2):
        summary = bulk.run([tmp_path / "r.txt"], tmp_path / "out", quiet=True)
        assert summary["errors"] == {"internal": 1}
    assert calls_of(fake) == ["r.txt", "r.txt"]


def test_missing_input_is_a_not_found_row(fake, tmp_path):
    out = tmp_path / "out"
    summary = bulk.run([tmp_path / "nope.pdf"], out, quiet=True)
    assert summary["errors"] == {"not_found": 1}
    assert pd.read_csv(out / "errors.csv", encoding="utf-8-sig")["code"].tolist() == ["E100"]


def test_summary_is_printed_on_one_screen(fake, tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    (d / "r.txt").write_text(report_text("某某区教育局", 2020, "10.00", "9.00", "90.00", total=True), encoding="utf-8")
    bulk.run([d], tmp_path / "out", workers=1)
    err = capsys.readouterr().err
    assert "reports read" in err and "findings: error" in err and len(err.splitlines()) < 40


def test_manifest_records_version_and_memory(fake, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "r.txt").write_text(report_text("某某区教育局", 2020, "10.00", "9.00", "90.00"), encoding="utf-8")
    out = tmp_path / "out"
    bulk.run([d], out, workers=1, quiet=True)
    (man,) = [json.loads(p.read_text()) for p in (out / ".parts").glob("*.json")]
    assert man["version"] == "test" and man["rss_mb"] > 0 and man["status"] == "ok"


def test_preflight_loads_jieba_once_for_all_forked_workers():
    """jieba's dictionary takes ~2 s to load; loaded in the parent, forked workers inherit it."""
    from extractor import bulk, nlp

    nlp._posseg.cache_clear()
    bulk.preflight()
    assert nlp._posseg.cache_info().currsize == 1


def test_pipeline_version_covers_the_readers_subpackage(monkeypatch):
    """A change to extractor/readers/*.py must redo cached files, like a change to any other stage."""
    from pathlib import Path

    from extractor import bulk

    monkeypatch.delenv("JIXIAO_PIPELINE_VERSION", raising=False)
    before = bulk.pipeline_version()
    pdf_reader = Path(bulk.__file__).resolve().parent / "readers" / "pdf.py"
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read_bytes(self) + (b"# changed" if self == pdf_reader else b""))
    assert bulk.pipeline_version() != before
