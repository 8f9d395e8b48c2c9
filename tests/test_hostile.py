"""Hostile and broken input: each kind gives its coded reason (or reads fine), never a traceback or a hang."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest

from builders import make_image_only_pdf, make_many_pages_pdf, make_pdf
from extractor import ingest
from extractor.cli import main
from extractor.errors import UnreadableReport
from extractor.readers.pdf import read_pdf
from extractor.model import Limits

REPORT = ["2020 年度部门整体绩效自评报告", "部门名称：某某县财政局", "一、基本情况", "调整后预算数 1,000.00 万元，执行率 98.48%。"]


def _reason(path, limits=None) -> str:
    with pytest.raises(UnreadableReport) as exc:
        ingest.read(path, limits)
    return exc.value.reason


def test_zero_byte(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    assert _reason(p) == "empty"


def test_missing_file(tmp_path):
    assert _reason(tmp_path / "nope.txt") == "not_found"


def test_gb18030_text_reads(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes("2020年度部门整体绩效自评报告\n部门名称：某某县财政局\n调整后预算数 1,000.00 万元。\n".encode("gb18030"))
    doc = ingest.read(p)
    assert doc.metadata.department == "某某县财政局" and "1,000.00 万元" in doc.text


def test_utf8_bom_text_reads(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + "2021年度项目支出绩效自评报告\n".encode("utf-8"))
    doc = ingest.read(p)
    assert doc.text.startswith("2021年度") and doc.metadata.year == 2021


def test_binary_junk_named_pdf(tmp_path):
    p = tmp_path / "junk.pdf"
    p.write_bytes(bytes(range(256)) * 20)
    assert _reason(p) in ("corrupt", "unsupported_type")


def test_truncated_pdf(tmp_path):
    good = make_pdf(tmp_path / "good.pdf", [REPORT])
    bad = tmp_path / "truncated.pdf"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert _reason(bad) == "corrupt"


def test_encrypted_pdf_with_user_password(tmp_path):
    p = make_pdf(tmp_path / "locked.pdf", [REPORT], user_password="s3cret")
    assert _reason(p) == "encrypted"


def test_encrypted_pdf_with_empty_user_password_opens(tmp_path):
    p = make_pdf(tmp_path / "owner-only.pdf", [REPORT], owner_password="owner")
    doc = ingest.read(p)
    assert "1,000.00 万元" in doc.text and doc.metadata.year == 2020


def test_2000_pages_refused_quickly(tmp_path):
    p = make_many_pages_pdf(tmp_path / "many.pdf", 2000)
    t0 = time.monotonic()
    assert _reason(p, Limits(max_pages=500)) == "too_many_pages"
    assert time.monotonic() - t0 < 5


def test_page_with_100000_characters_is_cut_with_warning(tmp_path):
    from reportlab.pdfgen import canvas

    p = tmp_path / "dense.pdf"
    c = canvas.Canvas(str(p), pagesize=(1000, 1000))
    c.setFont("Helvetica", 2)
    for col in range(8):
        for k in range(130):
            c.drawString(10 + col * 120, 10 + k * 2, "1234567890" * 10)
    c.showPage()
    c.save()
    # read by the PDF reader itself: a page of bare digits has no report vocabulary (ingest.read refuses it as not_a_report)
    got = read_pdf(p, p.read_bytes(), Limits(max_chars_per_page=50_000))
    assert len(got.pages[0].text) <= 50_000
    assert any(w.startswith("[E106]") for w in got.warnings)


def test_file_over_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes("预算".encode("utf-8") * (700 * 1024))
    assert _reason(p, Limits(max_file_mb=1)) == "too_large"


def _zip(path, members: dict[str, bytes]):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def test_docx_zip_bomb(tmp_path, monkeypatch):
    from extractor.readers import markup

    monkeypatch.setattr(markup, "MAX_UNZIPPED", 8 * 1024 * 1024)  # same check, a smaller bomb keeps the test fast
    p = _zip(tmp_path / "bomb.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<a>" + b" " * (12 * 1024 * 1024) + b"</a>"})
    assert p.stat().st_size < 100 * 1024
    assert _reason(p) == "unsafe"


def test_docx_single_member_ratio_bomb(tmp_path):
    p = _zip(tmp_path / "ratio.docx", {"word/document.xml": b"<a>" + b"0" * (11 * 1024 * 1024) + b"</a>"})
    assert _reason(p) == "unsafe"


def test_docx_external_entity_not_expanded(tmp_path):
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    p = _zip(tmp_path / "xxe.docx", {"word/document.xml": xml})
    assert _reason(p) == "unsafe"


def test_docx_without_document_xml_is_not_docx(tmp_path):
    p = _zip(tmp_path / "fake.docx", {"hello.txt": b"hi"})
    assert _reason(p) == "unsupported_type"


def test_deeply_nested_html_bounded(tmp_path):
    n = 200_000  # the 50 MB case takes the same bounded path, only longer
    p = tmp_path / "nest.html"
    p.write_text("<html><body>" + "<div>" * n + "预算" + "</div>" * n + "</body></html>", encoding="utf-8")
    t0 = time.monotonic()
    assert _reason(p) == "unsafe"
    assert time.monotonic() - t0 < 10


def test_scan_without_ocr(tmp_path):
    p = make_image_only_pdf(tmp_path / "scan.pdf")
    assert _reason(p, Limits(ocr=False)) == "no_text_layer"


def test_page_without_text_layer_warns_and_rest_is_read(tmp_path):
    p = make_pdf(tmp_path / "mixed.pdf", [REPORT, []], page_number=None)
    doc = ingest.read(p, Limits(ocr=False))
    assert "1,000.00 万元" in doc.text
    assert any(w.startswith("[E105] no_text_layer: page 2") for w in doc.warnings)


def test_report_without_figures_reads(tmp_path):
    p = tmp_path / "words.txt"
    p.write_text("部门整体绩效自评报告\n本单位认真开展自评工作，各项任务均已完成。\n", encoding="utf-8")
    doc = ingest.read(p)
    assert doc.text.startswith("部门整体绩效自评报告") and len(doc.sentences) == 2


def test_image_bytes_without_ocr(tmp_path):
    p = tmp_path / "photo.jpg"
    p.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(2000))
    assert _reason(p, Limits(ocr=False)) == "no_text_layer"


def test_cli_exit_3_with_reason(tmp_path, capsys):
    p = tmp_path / "-dash name.pdf"
    p.write_bytes(b"%PDF-1.4\n garbage")
    assert main(["read", str(p)]) == 3
    assert "corrupt" in capsys.readouterr().err


def test_scanned_pdf_is_ocred_when_tesseract_is_there(tmp_path):
    from extractor import ocr

    if not ocr.available():
        pytest.skip("tesseract with chi_sim is not installed")
    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas

    src = make_pdf(tmp_path / "src.pdf", [REPORT], size=16, page_number=None)
    pdf = pdfium.PdfDocument(str(src))
    pdf[0].render(scale=300 / 72).to_pil().save(tmp_path / "page.png")
    pdf.close()
    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan))
    c.drawImage(str(tmp_path / "page.png"), 0, 0, 595, 842)
    c.showPage()
    c.save()
    doc = ingest.read(scan)
    assert doc.pages[0].source_kind == "ocr"
    assert doc.source_kind_at(doc.text.index("1,000.00")) == "ocr"
    assert doc.metadata.department == "某某县财政局" and doc.metadata.year == 2020


def test_long_html_table_with_open_cells_is_not_nesting(tmp_path):
    rows = "".join(f"<tr><td>指标{i}<td>{i}.00<td>95%" for i in range(600))
    p = tmp_path / "open-cells.html"
    p.write_text(f"<html><body><p>2021年度项目支出绩效自评表<table>{rows}</table></body></html>", encoding="utf-8")
    doc = ingest.read(p)
    assert len(doc.tables[0].rows) == 600 and doc.tables[0].rows[599] == ["指标599", "599.00", "95%"]


def test_gbk_html_with_meta_charset(tmp_path):
    p = tmp_path / "gbk.html"
    page = "<html><head><meta charset='gbk'></head><body><p>某某县教育局2021年度项目支出绩效自评报告</p><p>预算 1,200.50 万元。</p></body></html>"
    p.write_bytes(page.encode("gbk"))
    doc = ingest.read(p)
    assert doc.metadata.department == "某某县教育局" and "1,200.50 万元" in doc.text


def test_text_over_character_limit(tmp_path):
    p = tmp_path / "long.txt"
    p.write_text("本单位预算执行情况良好。\n" * 2000, encoding="utf-8")
    assert _reason(p, Limits(max_total_chars=10_000)) == "too_large"


def test_invoice_is_not_a_report(tmp_path):
    p = make_pdf(tmp_path / "invoice.pdf", [["增值税普通发票", "购买方：某某科技有限公司", "金额合计 1,280.00 元", "开票日期：2021年03月15日"]])
    assert _reason(p) == "not_a_report"


def test_invoice_text_reads_as_a_document_through_from_text():
    """``from_text`` (tests, fuzzing, fragments) never refuses: only a submitted file is judged as a report."""
    doc = ingest.from_text("增值税普通发票\n金额合计 1,280.00 元\n")
    assert "1,280.00 元" in doc.text and (doc.metadata.kind, doc.metadata.year) == (None, None)


def test_real_report_excerpts_are_never_refused(real_dev, seed_path):
    """Every 2,000-byte block of every real report (seed and real-dev) holds some report vocabulary."""
    for f in sorted(real_dev.glob("*.txt")) + [seed_path]:
        data = f.read_bytes()
        for k in range(0, len(data), 2000):
            assert ingest.is_report_text(data[k : k + 2000].decode("utf-8", "ignore")), (f.name, k)


def test_symlink_loop_is_not_found(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    assert _reason(a) == "not_found"
