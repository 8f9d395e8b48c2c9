"""Reading every input kind: the seed text, a generated PDF, DOCX and HTML, and the ``jixiao read`` verb."""

from __future__ import annotations

import json
import shutil

import pytest

from builders import html_page, make_docx, make_pdf, wrap
from extractor import ingest
from extractor.cli import main
from extractor.normalize import fold_char

# --------------------------------------------------------------------------- the seed


def test_seed_reads_whole_sentences(seed_doc):
    t = seed_doc.text
    assert "自觉践行习近平新时代中国特色社会主义思想" in t  # 习近 / 平 across a wrap
    assert "本单位 2020 年度总体预算、决算情况：" in t
    assert "292,305.04 万元" in t
    assert "预算执行率是 98.48%。" in t


def test_seed_pages_and_provenance(seed_doc):
    assert len(seed_doc.pages) >= 10
    for i in range(0, len(seed_doc.text), 37):
        ch = seed_doc.text[i]
        if ch.isspace():
            continue
        src = seed_doc.pages[seed_doc.char_page[i] - 1].text[seed_doc.char_src[i]]
        assert ch == src or ch == fold_char(src)
    assert seed_doc.page_of(seed_doc.text.index("部门名称")) == 1
    assert seed_doc.page_of(seed_doc.text.index("292,305.04")) > 1


def test_seed_no_page_number_lines(seed_doc):
    for line in seed_doc.text.split("\n"):
        assert not line.strip().isdigit()


# --------------------------------------------------------------------------- PDF

PARA = (
    "本单位调整后预算数 293,929.96 万元，年度总支出 289,466.44 万元，剩余指标 4,463.51 万元，预算执行率是 98.48%。"
    "本单位深入学习贯彻习近平新时代中国特色社会主义思想，严格落实全面从严治党总要求，进一步增强凝聚力，提升组织力，"
    "充分发挥党员的先锋模范作用，为各项工作再上新台阶提供了政治思想和纪律作风保障。"
)


@pytest.fixture(scope="module")
def pdf_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "某某区 2020 自评.pdf"
    page1 = ["2020 年度部门整体绩效自评报告", "部门名称（公章）：深圳市某某区教育局", "一、部门基本情况", *wrap(PARA)]
    page2 = ["二、绩效自评情况", "（一）预算执行", *wrap(PARA.replace("本单位", "我局"))]
    page3 = ["三、存在问题", *wrap(PARA[:120])]
    rows = [["项目", "预算数", "执行数"], ["基本支出", "1,624.92", "1,540.23"], ["项目支出", "292,305.04", "287,926.21"]]
    make_pdf(path, [page1, page2, page3], header="某某区教育局 2020 年度部门整体支出绩效自评报告", footer="深圳市某某区教育局", table=(1, rows), fake_bold=True)
    return ingest.read(path)


def test_pdf_metadata_and_text(pdf_doc):
    m = pdf_doc.metadata
    assert (m.department, m.year, m.kind) == ("深圳市某某区教育局", 2020, "department_overall")
    assert pdf_doc.format == "pdf" and len(pdf_doc.pages) == 3
    assert "本单位调整后预算数 293,929.96 万元，年度总支出 289,466.44 万元" in pdf_doc.text
    assert "严格落实全面从严治党总要求" in pdf_doc.text  # wrapped mid-phrase, rejoined
    assert "本本" not in pdf_doc.text and "单单" not in pdf_doc.text  # fake bold deduplicated


def test_pdf_running_header_footer_page_numbers_gone(pdf_doc):
    t = pdf_doc.text
    assert "某某区教育局 2020 年度部门整体支出绩效自评报告" not in t
    assert "—" not in t
    assert t.count("深圳市某某区教育局") == 1  # the label line only, not the footer


@pytest.mark.parametrize("quote,page", [("部门名称", 1), ("我局调整后预算数", 2), ("三、存在问题", 3), ("292,305.04", 2)], ids=["p1", "p2", "p3", "table-cell"])
def test_pdf_quote_pages(pdf_doc, quote, page):
    assert pdf_doc.page_of(pdf_doc.text.index(quote)) == page


def test_pdf_table_cells(pdf_doc):
    assert len(pdf_doc.tables) == 1
    t = pdf_doc.tables[0]
    assert t.page == 2 and t.origin == "pdf"
    assert t.rows[1] == ["基本支出", "1,624.92", "1,540.23"]
    cell = next(c for c in t.cells if c.text == "287,926.21")
    assert (cell.row, cell.col, cell.page) == (2, 2, 2) and cell.bbox is not None
    region = pdf_doc.text[t.start : t.end]
    assert "1,624.92" in region and "287,926.21" in region
    assert "预算执行率" not in region


def test_pdf_sniffed_by_content_not_extension(tmp_path, pdf_doc):
    src = tmp_path / "report.txt"
    make_pdf(src, [["2020 年度项目支出绩效自评报告", "项目预算 100.00 万元。"]])
    assert ingest.read(src).format == "pdf"


# --------------------------------------------------------------------------- DOCX and HTML


@pytest.fixture(scope="module")
def docx_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    table = [["一级指标", "二级指标", "指标值", "实际值"], ["产出指标", "数量指标", "≥90%", "95%"], ["^^", "质量指标", "合格", "<<"]]
    make_docx(path, ["某某市财政局2022年度部门整体支出绩效自评报告", "一、基本情况", "（一）预算 3,000.00 万元。", table, "二、结论", "自评得分 95 分。"])
    return ingest.read(path)


def test_docx_paragraphs_and_table_in_order(docx_doc):
    d = docx_doc
    assert d.format == "docx"
    assert d.metadata.department == "某某市财政局" and d.metadata.year == 2022
    assert d.text.index("（一）预算") < d.text.index("一级指标") < d.text.index("二、结论")
    t = d.tables[0]
    assert t.origin == "docx"
    assert t.rows[0] == ["一级指标", "二级指标", "指标值", "实际值"]
    assert t.rows[2][0] is None  # covered by 产出指标 (vMerge)
    assert t.rows[2][3] is None  # covered by 合格 (gridSpan)
    head = next(c for c in t.cells if c.text == "产出指标")
    assert head.rowspan == 2
    assert "产出指标 | 数量指标 | ≥90% | 95%" in d.text[t.start : t.end]


HTML_BODY = """
<h2>某某县教育局2021年度项目支出绩效自评报告</h2>
<p>一、项目基本情况</p><p>项目预算 1,200.50 万元，执行率 95.2%。</p>
<table border="1">
<tr><td rowspan="2">项目资金（万元）</td><td>年初预算数</td><td colspan="2">全年执行数</td></tr>
<tr><td>100.00</td><td>95.20</td><td>95.2%</td></tr>
<tr><td>合计</td><td colspan="3">100.00</td></tr>
</table>
<p>二、绩效目标完成情况</p>
"""


@pytest.fixture(scope="module")
def html_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "page.html"
    path.write_text(html_page(HTML_BODY), encoding="utf-8")
    return ingest.read(path)


def test_html_chrome_stripped_and_metadata(html_doc):
    t = html_doc.text
    assert "首页" not in t and "版权所有" not in t and "var menu" not in t
    m = html_doc.metadata
    assert (m.department, m.year, m.kind, m.region) == ("某某县教育局", 2021, "project", "某某县")


def test_html_table_spans(html_doc):
    t = html_doc.tables[0]
    assert t.origin == "html"
    assert t.rows == [["项目资金（万元）", "年初预算数", "全年执行数", None], [None, "100.00", "95.20", "95.2%"], ["合计", "100.00", None, None]]
    spans = {c.text: (c.rowspan, c.colspan) for c in t.cells}
    assert spans["项目资金（万元）"] == (2, 1) and spans["全年执行数"] == (1, 2)
    region = html_doc.text[t.start : t.end]
    assert region.startswith("项目资金（万元） | 年初预算数 | 全年执行数")
    assert "二、绩效目标" not in region
    assert [s.title for s in html_doc.sections] == ["项目基本情况", "绩效目标完成情况"]


# --------------------------------------------------------------------------- CLI


def test_cli_read_text_has_page_markers(seed_path, capsys):
    assert main(["read", str(seed_path)]) == 0
    out = capsys.readouterr().out
    assert "=== page 1 ===" in out and "=== page 2 ===" in out
    assert "department=深圳市福田区企业发展服务中心" in out


def test_cli_read_json(html_doc, tmp_path, capsys):
    path = tmp_path / "page.html"
    path.write_text(html_page(HTML_BODY), encoding="utf-8")
    assert main(["read", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["metadata"]["year"] == 2021 and isinstance(data["metadata"]["year"], int)
    assert data["tables"][0]["cells"][0]["text"] == "项目资金（万元）"
    assert {"pages", "sections", "sentences", "text"} <= set(data)
    t = data["tables"][0]
    assert data["text"][t["start"] : t["end"]].startswith("项目资金（万元） | 年初预算数")


@pytest.mark.parametrize("name", ["with space.txt", "中文报告.txt", "-leading-dash.txt"], ids=["space", "chinese", "dash"])
def test_awkward_file_names(tmp_path, seed_path, name, capsys):
    path = tmp_path / name
    shutil.copy(seed_path, path)
    assert ingest.read(path).source == name
    assert main(["read", "--", str(path)] if name.startswith("-") else ["read", str(path)]) == 0


def test_word_like_pdf_of_the_seed_reflows_to_the_same_paragraphs(seed_doc, tmp_path):
    """The seed's paragraphs typeset as a justified, flowing, multi-page PDF come back whole."""
    from builders import make_report_pdf

    paras = seed_doc.text.split("\n")
    path = make_report_pdf(tmp_path / "seed.pdf", paras, header="深圳市福田区企业发展服务中心2020年度部门整体绩效自评报告", footer="福田区企业发展服务中心")
    doc = ingest.read(path)
    assert len(doc.pages) >= 5
    assert doc.metadata.department == "深圳市福田区企业发展服务中心" and doc.metadata.year == 2020
    got = {g.replace(" ", "") for g in doc.text.split("\n")}
    whole = [p for p in paras if p.replace(" ", "") in got]
    assert len(whole) == len(paras), [p[:30] for p in paras if p.replace(" ", "") not in got]
    assert "— 1 —" not in doc.text and "- 2 -" not in doc.text


def test_html_layout_table_is_prose_not_a_table(tmp_path):
    article = "<p>某某县教育局2021年度项目支出绩效自评报告</p><p>" + "本项目年初预算 100.00 万元，全年执行 95.20 万元，执行率 95.20%，各项工作有序推进。" * 6 + "</p>"
    data = "<table border=1><tr><td>年初预算数</td><td>全年执行数</td></tr><tr><td>100.00</td><td>95.20</td></tr></table>"
    page = f"<html><body><table><tr><td>导航</td><td>{article}{data}</td></tr></table></body></html>"
    path = tmp_path / "layout.html"
    path.write_text(page, encoding="utf-8")
    doc = ingest.read(path)
    assert len(doc.tables) == 1 and doc.tables[0].rows == [["年初预算数", "全年执行数"], ["100.00", "95.20"]]
    t = doc.tables[0]
    assert "执行率 95.20%" not in doc.text[t.start : t.end]
    assert "全年执行 95.20 万元，执行率 95.20%" in doc.text


def test_docx_automatic_numbering_restores_heading_markers(tmp_path):
    import zipfile

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def para(text, lvl=None):
        num = f"<w:pPr><w:numPr><w:ilvl w:val='{lvl}'/><w:numId w:val='1'/></w:numPr></w:pPr>" if lvl is not None else ""
        return f"<w:p>{num}<w:r><w:t>{text}</w:t></w:r></w:p>"

    body = "".join([para("某某县财政局2021年度部门整体支出绩效自评报告"), para("部门基本情况", 0), para("预算情况", 1), para("收入预算 100.00 万元。"), para("支出情况", 1), para("绩效自评情况", 0)])
    numbering = (
        f"<w:numbering {w}><w:abstractNum w:abstractNumId='0'>"
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='chineseCounting'/><w:lvlText w:val='%1、'/></w:lvl>"
        "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='chineseCounting'/><w:lvlText w:val='（%2）'/></w:lvl>"
        "</w:abstractNum><w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num></w:numbering>"
    )
    path = tmp_path / "numbered.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", f"<w:document {w}><w:body>{body}</w:body></w:document>")
        z.writestr("word/numbering.xml", numbering)
    doc = ingest.read(path)
    assert [s.path for s in doc.sections] == [
        "一、部门基本情况",
        "一、部门基本情况 > （一）预算情况",
        "一、部门基本情况 > （二）支出情况",
        "二、绩效自评情况",
    ]


@pytest.mark.parametrize("fixture", ["pdf_doc", "docx_doc", "html_doc"])
def test_every_character_maps_back_to_its_page(fixture, request):
    doc = request.getfixturevalue(fixture)
    assert len(doc.char_page) == len(doc.char_src) == len(doc.text)
    for i, ch in enumerate(doc.text):
        if ch.isspace():
            continue
        src = doc.pages[doc.char_page[i] - 1].text[doc.char_src[i]]
        # a column gap becomes the cell separator " | ", each of its characters mapped to the gap
        assert ch == src or ch == fold_char(src) or (ch == "|" and src.isspace()), (i, ch, src)


def test_cli_read_pdf_page_markers(pdf_doc, capsys):
    assert main(["read", pdf_doc.path]) == 0
    out = capsys.readouterr().out
    assert out.index("=== page 1 ===") < out.index("部门名称") < out.index("=== page 2 ===") < out.index("我局调整后预算数") < out.index("=== page 3 ===")
    assert "year=2020" in out


def test_pdf_merged_cells_get_spans(tmp_path):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, TableStyle
    from reportlab.platypus import Table as RLTable

    from builders import cjk_font

    name = cjk_font()
    t = RLTable([["项目资金（万元）", "", "年初预算数", "执行数"], ["年度资金总额", "", "2,444.00", "2,416.63"], ["其中：财政拨款", "", "2,123.95", ""]])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (0, 0), (1, 0)), ("SPAN", (3, 1), (3, 2)), ("FONTNAME", (0, 0), (-1, -1), name)]))
    path = tmp_path / "spans.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([t])
    doc = ingest.read(path)
    cells = {c.text: c for c in doc.tables[0].cells}
    assert (cells["项目资金（万元）"].rowspan, cells["项目资金（万元）"].colspan) == (1, 2)
    assert (cells["2,416.63"].rowspan, cells["2,416.63"].colspan) == (2, 1)
    assert doc.tables[0].rows[0][1] is None
