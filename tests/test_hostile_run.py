"""A folder of hostile and broken inputs through ``jixiao run``: the run finishes (exit 0), each broken
file is one row of errors.csv under its own reason code, and the good files' facts are all there.

Sizes are small but representative (a 20 MB zip bomb member, HTML nested 5,000 deep); the reader's
own tests (tests/test_hostile.py) cover the limits themselves.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from builders import make_docx, make_pdf
from extractor import cli, ocr

GOOD_TEXT = (
    "{name}2021年度部门整体支出绩效自评报告\n\n一、部门基本情况\n"
    "本单位2021年度预算总额为{total}万元，其中基本支出{basic}万元，项目支出{project}万元。\n"
    "全年实际支出{actual}万元，预算执行率为{rate}%。\n"
)


def _report(name: str, total: str, basic: str, project: str, actual: str, rate: str) -> str:
    return GOOD_TEXT.format(name=name, total=total, basic=basic, project=project, actual=actual, rate=rate)


def _docx_bytes(tmp: Path, paragraphs: list[str]) -> bytes:
    p = make_docx(tmp / "_base.docx", paragraphs)
    data = p.read_bytes()
    p.unlink()
    return data


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same DOCX with some members replaced (written deflated, as Word does)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return buf.getvalue()


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "in"
    folder.mkdir()
    expected_errors: dict[str, set[str]] = {}  # file name -> acceptable reason codes
    good: dict[str, list[str]] = {}  # file name -> amounts that must be among its facts

    # --- good files (distinct content: the runner reads identical bytes once)
    (folder / "gb18030 报告.txt").write_bytes(_report("福田区文化局", "1,234.56", "800.00", "434.56", "1,200.00", "97.20").encode("gb18030"))
    good["gb18030 报告.txt"] = ["1234.56", "434.56"]
    (folder / "report with spaces.txt").write_text(_report("南山区档案馆", "2,500.00", "1,500.00", "1,000.00", "2,400.00", "96.00"), encoding="utf-8")
    good["report with spaces.txt"] = ["2500.00", "2400.00"]
    (folder / "绩效自评报告（项目）.txt").write_text(_report("龙岗区图书馆", "3,100.50", "2,000.00", "1,100.50", "3,000.00", "96.76"), encoding="utf-8")
    good["绩效自评报告（项目）.txt"] = ["3100.50", "1100.50"]
    (folder / "-leading-dash.txt").write_text(_report("宝安区体育中心", "4,321.00", "3,000.00", "1,321.00", "4,000.00", "92.57"), encoding="utf-8")
    good["-leading-dash.txt"] = ["4321.00", "1321.00"]
    lines = _report("罗湖区科技局", "5,600.00", "3,600.00", "2,000.00", "5,500.00", "98.21").splitlines()
    make_pdf(folder / "empty-password.pdf", [[ln for ln in lines if ln]], user_password="", owner_password="owner-secret")
    good["empty-password.pdf"] = ["5600.00", "5500.00"]

    scan_text = [ln for ln in _report("福田区档案局", "7,250.40", "5,000.00", "2,250.40", "7,100.00", "97.93").splitlines() if ln]
    scan_pdf = make_pdf(base / "to-scan.pdf", [scan_text], page_number=None)
    if ocr.available():  # a photographed page: PNG of the printed report, read by OCR
        page = ocr.render_pdf_page(scan_pdf, 1, 200)
        page.crop((0, 0, page.size[0], page.size[1] // 3)).save(folder / "扫描件 page.png")
        good["扫描件 page.png"] = ["7250.40", "2250.40"]

    # --- broken files
    (folder / "zero.pdf").write_bytes(b"")
    expected_errors["zero.pdf"] = {"empty"}
    rnd = random.Random(9)
    (folder / "junk.pdf").write_bytes(bytes(rnd.randrange(256) for _ in range(4096)))
    expected_errors["junk.pdf"] = {"corrupt", "unsupported_type"}
    full = make_pdf(base / "whole.pdf", [[ln for ln in _report("盐田区港务局", "6,000.00", "4,000.00", "2,000.00", "5,900.00", "98.33").splitlines() if ln]] * 3)
    data = full.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    expected_errors["truncated.pdf"] = {"corrupt"}
    make_pdf(folder / "locked.pdf", [["加密的报告 预算 100.00 万元"]], user_password="secret")
    expected_errors["locked.pdf"] = {"encrypted"}
    docx = _docx_bytes(base, ["部门整体支出绩效自评报告", "预算总额为 700.00 万元。"])
    bomb_xml = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + b"<w:p/>" * (20 * 1024 * 1024 // 6) + b"</w:body></w:document>"
    (folder / "bomb.docx").write_bytes(_rezip(docx, {"word/document.xml": bomb_xml}))
    expected_errors["bomb.docx"] = {"unsafe"}
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x; 预算 800.00 万元</w:t></w:r></w:p></w:body></w:document>'
    ).encode("utf-8")
    (folder / "xxe.docx").write_bytes(_rezip(docx, {"word/document.xml": xxe}))
    expected_errors["xxe.docx"] = {"unsafe"}
    depth = 5000
    (folder / "nested.html").write_text("<html><body>" + "<div>" * depth + "预算 900.00 万元" + "</div>" * depth + "</body></html>", encoding="utf-8")
    expected_errors["nested.html"] = {"unsafe"}
    make_pdf(folder / "invoice.pdf", [["增值税专用发票", "发票代码：044031900111  发票号码：12345678", "购买方名称：某某科技有限公司", "货物或应税劳务名称  数量  单价  金额  税率  税额", "技术服务费  1  9,433.96  9,433.96  6%  566.04", "价税合计（大写）壹万元整  （小写）¥10,000.00", "销售方：某某信息有限公司  开票人：张三"]])
    expected_errors["invoice.pdf"] = {"not_a_report"}

    # --- neither good nor broken: a report with no figures (read, no facts, or refused as not a report)
    (folder / "no-figures.txt").write_text("部门整体支出绩效自评报告\n\n一、部门基本情况\n本单位认真贯彻落实各项工作部署，严格执行预算管理制度，绩效目标基本完成。\n二、存在问题\n部分项目进度偏慢。\n", encoding="utf-8")

    # --- a symlink loop: sub/up points back at the folder that holds it
    sub = folder / "sub"
    sub.mkdir()
    os.symlink("..", sub / "up")

    out = base / "out"
    code = cli.main(["run", str(folder), "-o", str(out), "--quiet", "--workers", "1", "--no-html", "--no-xlsx"])
    return {"code": code, "out": out, "expected_errors": expected_errors, "good": good}


def _errors(run) -> pd.DataFrame:
    return pd.read_csv(run["out"] / "errors.csv", dtype=str, keep_default_na=False)


def _facts(run) -> pd.DataFrame:
    return pd.read_csv(run["out"] / "facts.csv", dtype=str, keep_default_na=False)


def test_run_finishes(hostile_run):
    assert hostile_run["code"] == 0


@pytest.mark.parametrize(
    "name",
    [
        "zero.pdf", "junk.pdf", "truncated.pdf", "locked.pdf", "bomb.docx", "xxe.docx", "nested.html",
        "invoice.pdf",
    ],
)
def test_broken_file_has_its_reason(hostile_run, name):
    errors = _errors(hostile_run)
    rows = errors[errors["path"].map(lambda p: Path(p).name) == name]
    assert len(rows) == 1, errors.to_string()
    assert rows.iloc[0]["reason"] in hostile_run["expected_errors"][name], rows.iloc[0].to_dict()
    assert rows.iloc[0]["code"].startswith("E1")


@pytest.mark.parametrize(
    "name",
    [
        "gb18030 报告.txt", "report with spaces.txt", "绩效自评报告（项目）.txt", "-leading-dash.txt", "empty-password.pdf",
        pytest.param("扫描件 page.png", marks=pytest.mark.skipif(not ocr.available(), reason="tesseract with chi_sim is not installed")),
    ],
)
def test_good_file_facts_present(hostile_run, name):
    facts = _facts(hostile_run)
    mine = facts[facts["source"] == name]
    values = {Decimal(v) for v in mine["value"] if v}
    for amount in hostile_run["good"][name]:
        assert Decimal(amount) in values, (name, sorted(values))
    errors = _errors(hostile_run)
    assert not any(Path(p).name == name for p in errors["path"])


@pytest.mark.skipif(not ocr.available(), reason="tesseract with chi_sim is not installed")
def test_scanned_image_is_marked_ocr(hostile_run):
    docs = pd.read_csv(hostile_run["out"] / "documents.csv", dtype=str, keep_default_na=False)
    row = docs[docs["source"] == "扫描件 page.png"]
    assert len(row) == 1 and row.iloc[0]["source_kind"] == "ocr", docs[["source", "source_kind"]].to_string()


def test_no_figures_is_not_a_crash(hostile_run):
    errors = _errors(hostile_run)
    rows = errors[errors["path"].map(lambda p: Path(p).name) == "no-figures.txt"]
    if len(rows):
        assert rows.iloc[0]["reason"] in {"not_a_report", "empty"}
    else:
        assert (_facts(hostile_run)["source"] == "no-figures.txt").sum() == 0


def test_nothing_crashed_and_each_file_once(hostile_run):
    errors = _errors(hostile_run)
    assert not set(errors["reason"]) & {"crashed", "internal", "timeout"}, errors.to_string()
    names = [Path(p).name for p in errors["path"]]
    assert len(names) == len(set(names))  # the symlink loop did not make anything be read twice
