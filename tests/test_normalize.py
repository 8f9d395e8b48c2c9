"""Normalization: reflow, page furniture, width folding inside numbers, split numbers, provenance."""

from __future__ import annotations

import pytest

from extractor.ingest import from_text
from extractor.model import Page
from extractor.normalize import fold_char, normalize

# A hard-wrapped text in the seed's shape: ~30 characters a line, a blank line between lines.
WRAPPED = [
    "深圳市某某区企业发展服务中心（以下简称“本单位”）自",
    "觉践行习近平新时代中国特色社会主义思想，全面贯彻落实习近",
    "平总书记重要讲话和重要指示精神，做好招商引资前置服务，搭建企",
    "业交流合作平台，引导企业参加各种经贸交流活动，打造服务响",
    "应体系，加快优质服务资源集聚，推动企业高质量发展。",
    "1.本单位 2020 年度整体收入预算情况",
    "年初本单位收入预算 22,719.86 万元，全部为一般公共预算财政",
    "拨款收入，比2019年增加17,019.31万元，增长率为298.56%，增",
    "长的主要原因：一是增加了一项专项费用，支出决算数1,540.",
    "23万元，其中人员经费决算数1,352.20万元，日常公用经费 188.03",
    "万元，调整后项目支出预算数 292,305.04 万元，其中基建项目 537",
    "69 个。",
]


def _seedlike(lines: list[str]) -> str:
    return "\n\n".join(lines) + "\n"


def _pages(*texts: str) -> list[Page]:
    return [Page(i + 1, t) for i, t in enumerate(texts)]


@pytest.fixture(scope="module")
def wrapped():
    return from_text(_seedlike(WRAPPED))


@pytest.mark.parametrize(
    "whole",
    [
        "自觉践行习近平新时代中国特色社会主义思想",
        "全面贯彻落实习近平总书记重要讲话",
        "搭建企业交流合作平台",
        "支出决算数1,540.23万元",
        "日常公用经费 188.03万元",
        "增长的主要原因：",
    ],
    ids=["xi-jinping-join", "second-xi-join", "mid-word", "split-decimal", "unit-on-next-line", "join-before-colon"],
)
def test_wrapped_sentence_comes_back_whole(wrapped, whole):
    assert whole in wrapped.text


def test_paragraph_breaks_kept_at_sentence_end_and_numbered_item(wrapped):
    assert "推动企业高质量发展。\n1.本单位 2020 年度整体收入预算情况\n年初本单位" in wrapped.text


def test_digit_runs_split_at_a_full_line_are_one_number(wrapped):
    """The 537 line runs to the wrap width: the wrap cut the number 53769, so it is rejoined with no space."""
    assert "其中基建项目 53769 个" in wrapped.text


# Four full prose lines first, so the wrap width is known; then the case's lines, a blank line between each.
_OPENING = WRAPPED[:5]


def _provenance_ok(raw: str, got) -> None:
    pages = raw.split("\f")
    for i, ch in enumerate(got.text):
        if ch in " \n|":
            continue
        src = pages[got.char_page[i] - 1][got.char_src[i]]
        assert ch in (src, fold_char(src)), (i, ch, src)


@pytest.mark.parametrize(
    "lines, want, absent",
    [
        (["为加强预算绩效管理，提高财政资金使用效益，我单位对202", "2年度支出开展绩效自评，现报告如下。"], "我单位对2022年度支出", "202 2"),
        (["本部门整体预算执行率＝部门全年预算执行数÷部门全年预算数×10", "0%，本单位预算执行率为 96.50%。"], "全年预算数×100%，", "10 0%"),
        (["年初本单位收入预算 22,719.86 万元，全部为一般公共预算财政拨", "款收入，比2019年增加17,019.31万元，共实施项目12", "3个。"], "共实施项目123个", "12 3"),
    ],
    ids=["year-split-after-a-han-char", "formula-hundred-split", "count-split"],
)
def test_number_split_by_a_wrap_at_a_full_line_is_rejoined(lines, want, absent):
    raw = _seedlike(_OPENING + lines)
    got = from_text(raw)
    assert want in got.text and absent not in got.text
    _provenance_ok(raw, got)


@pytest.mark.parametrize(
    "lines, want",
    [
        (["年初本单位收入预算 22,719.86 万元，全部为一般公共预算财政拨", "款收入，共实施项目 12", "3 个子项目已完工。"], "共实施项目 12\n3 个"),
        (["本年度各项目完成情况如下", "120  95  80", "100  90  70"], "120 | 95 | 80\n100 | 90 | 70"),
    ],
    ids=["short-line-is-a-real-break", "figure-only-table-rows"],
)
def test_digit_runs_at_a_real_break_or_in_table_rows_stay_apart(lines, want):
    assert want in from_text(_seedlike(_OPENING + lines)).text


@pytest.mark.parametrize(
    "lines, want",
    [
        (["该项目年初预算数为1,500.00万元，其中清淤疏浚 ", "1372.80 万元、护岸加固127.20万元。"], "其中清淤疏浚1372.80 万元、"),
        (["项目实际拨付资金 3268.65 万元，调整后预算 ", "3737.48 万元，执行率为 87.46%。"], "调整后预算3737.48 万元"),
        (["该项目调整后预算 ", "3737.48 万元。"], "该项目调整后预算3737.48 万元。"),
    ],
    ids=["qizhong-part", "adjusted-budget", "bare-label-line"],
)
@pytest.mark.parametrize("opening", [True, False], ids=["width-known", "two-lines-only"])
def test_label_line_ending_in_a_space_joins_its_figure(lines, want, opening):
    """A prose line cut between a label and its figure (the line keeping a trailing space) is one sentence."""
    raw = _seedlike((_OPENING if opening else []) + lines)
    got = from_text(raw)
    assert want in got.text
    _provenance_ok(raw, got)


def test_label_cell_above_its_figure_cell_stays_a_table_line():
    """No wrap width, no trailing space, no clause mark: a label line over a figure line is a one-cell-per-line table."""
    assert "基本支出\n600.00万元" in from_text("支出合计\n900.00万元\n基本支出\n600.00万元\n").text


def test_wrap_width_is_read_from_prose_not_table_rows():
    rows = ["年度资金总额 | 3183.00 | 3278.49 | 3268.65 | 10 | 99.70% | 9.97"] * 6
    lines = _OPENING + ["（一）资金投入和使用情况", "护岸加固 一千二百五十八万元，生态修复六百零五万元，全年到位资金", "3278.49 万元。"] + rows
    assert "全年到位资金3278.49 万元。" in from_text(_seedlike(lines)).text


@pytest.mark.parametrize(
    "footer",
    ["— 3 —", "- 3 -", "-3-", "第 3 页", "第3页 共10页", "3"],
    ids=["em-dash", "hyphen", "tight-hyphen", "di-ye", "di-ye-gong", "bare"],
)
def test_page_numbers_dropped(footer):
    body = "本单位年度预算执行率为 98.48%，{}工作完成良好，达到预期目标。\n"
    pages = _pages(*(body.format(w) + footer.replace("3", n) + "\n" for w, n in (("党建", "1"), ("业务", "3"), ("后勤", "4"))))
    got = normalize(pages).text
    assert got.count("98.48%") == 3
    for line in got.split("\n"):
        assert line.strip() not in {footer, footer.replace("3", "1"), footer.replace("3", "4")}


def test_running_header_and_footer_dropped():
    pages = _pages(*(f"某某区教育局2020年度部门整体支出绩效自评报告\n第{i}部分正文，预算数 {i}00.00 万元。\n某某区教育局\n— {i} —\n" for i in range(1, 5)))
    got = normalize(pages).text
    assert "某某区教育局2020年度部门整体支出绩效自评报告" not in got
    assert "\n某某区教育局" not in got and not got.startswith("某某区教育局\n")
    assert "第3部分正文，预算数 300.00 万元。" in got


@pytest.mark.parametrize(
    "raw,want",
    [
        ("调整后预算数２９３，９２９．９６万元", "调整后预算数293,929.96万元"),
        ("执行率９８．４８％，较上年提高", "执行率98.48%，较上年提高"),
        ("一是加强管理，二是完善制度", "一是加强管理，二是完善制度"),
        ("分别为12，15和18个", "分别为12，15和18个"),
        ("共计１，２３４，５６７元", "共计1,234,567元"),
        ("ＰＭ２．５浓度下降", "PM2.5浓度下降"),
    ],
    ids=["fullwidth-amount", "fullwidth-rate", "prose-comma-kept", "list-comma-kept", "two-groups", "letters"],
)
def test_width_folding_inside_numbers_only(raw, want):
    assert from_text(raw).text == want


def test_traditional_to_simplified_and_pinyin_noise():
    doc = from_text("| 2020年度項(xiàng)目支出績效自評表 |\n| 實(shí)施單位 | 麗江市古城區(qū)自然資源局 |")
    assert "2020年度项目支出绩效自评表" in doc.text
    assert "丽江市古城区自然资源局" in doc.text
    assert "xiàng" not in doc.text


def test_provenance_every_char_maps_back():
    raw = _seedlike(WRAPPED) + "\n\n\n\n" + _seedlike(["（二）执行率９８．４８％。", "第二页的正文内容。"])
    doc = from_text(raw)
    assert len(doc.pages) == 2
    assert len(doc.char_page) == len(doc.char_src) == len(doc.text)
    for i, ch in enumerate(doc.text):
        if ch.isspace():
            continue
        src = doc.pages[doc.char_page[i] - 1].text[doc.char_src[i]]
        assert ch == src or ch == fold_char(src), (i, ch, src)
    i = doc.text.index("第二页")
    assert doc.page_of(i) == 2
    assert doc.page_of(doc.text.index("习近平")) == 1


@pytest.mark.parametrize(
    "raw,pages",
    [
        ("第一页正文。\f第二页正文。\f第三页正文。", 3),
        ("第一页正文。\n- 1 -\n第二页正文。\n- 2 -\n", 2),
        ("第一页正文。\n\n第一页续。\n\n\n\n第二页正文。\n\n第二页续。\n", 2),
        ("第一页正文。\n第一页续。\n\n第一页新段。\n", 1),
    ],
    ids=["form-feed", "page-number-lines", "blank-runs", "paragraph-blank-is-not-a-page"],
)
def test_text_page_inference(raw, pages):
    doc = from_text(raw)
    assert len(doc.pages) == pages
    assert "- 1 -" not in doc.text
    assert doc.page_of(doc.text.index("第一页正文")) == 1
    if pages > 1:
        assert doc.page_of(doc.text.index("第二页正文")) == 2


@pytest.mark.parametrize(
    "text,usable",
    [
        ("本单位调整后预算数 293,929.96 万元。", True),
        ("(cid:123)(cid:45)(cid:678)(cid:9)(cid:10)(cid:11)", False),
        ("", False),
        ("\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008", False),
    ],
    ids=["text", "cid-codes", "empty", "private-use-garbage"],
)
def test_usable_text_layer(text, usable):
    from extractor.readers.pdf import usable_text

    assert usable_text(text) is usable


@pytest.mark.parametrize(
    "data,kind",
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        (b"\x89PNG\r\n\x1a\n0000", "image"),
        (b"\xff\xd8\xff\xe0JFIF", "image"),
        ("2020年度部门整体绩效自评报告".encode("utf-8"), "text"),
    ],
    ids=["pdf", "html", "png", "jpeg", "text"],
)
def test_sniff_by_bytes(data, kind):
    from extractor.ingest import sniff

    assert sniff(data) == kind


def test_text_pages_tile_the_file_so_gold_offsets_map_back(seed_path):
    from extractor.readers.text import file_offset

    raw = seed_path.read_text(encoding="utf-8")
    doc = from_text(raw)
    assert "".join(p.text for p in doc.pages) == raw
    i = doc.text.index("292,305.04")
    off = file_offset(doc.pages, doc.page_of(i), doc.source_offset(i))
    assert raw[off : off + 10] == "292,305.04"


def test_label_line_after_full_line_starts_a_paragraph():
    title = "2018年公共文化服务体系建设专项项目绩效自评报告"
    body = ["按照预算绩效管理工作安排，本中心对2018年度预算资金使用情况开", "展了自评，查阅账簿凭证，核对项目资料，现将有关情况报告如下。"] * 3
    doc = from_text("\n".join([title, "项目名称：公共文化服务体系建设专项", *body]))
    assert doc.text.startswith(title + "\n项目名称：")
    assert "使用情况开展了自评" in doc.text


def test_line_opening_with_a_comma_continues():
    got = normalize(_pages("上年结转资金329.65 万元\n，其他资金0.00 万元。\n")).text
    assert got == "上年结转资金329.65 万元，其他资金0.00 万元。"


def test_line_ended_short_by_an_unbroken_number_is_joined():
    lines = ["项目全年预算资金二千四百四十四万元，其中图书购置", "1,279.00 万元，文艺演出1,165.00 万元，其他支出合计", "为零，全部资金均已按照进度拨付到位并及时使用。"]
    doc = from_text("\n".join(lines * 3))
    assert "其中图书购置1,279.00 万元" in doc.text


def test_flattened_pdf_line_loses_wrap_spaces_and_regains_headings():
    # one long line as text pulled from a PDF arrives: wrapped lines joined by spaces
    chunks = ["现将 2021 年某某市发展和改革局整体支出绩效自评报告如下:", "一、部门基本情况", "(一)部门职能我局负责拟订和组织实施全市国民经济和社", "会发展战略、中长期规划和年度计划、重点项目计划,负责全", "市固定资产投资项目审批、核准、备案及监督检查等工作。", "(二)设置机构及人员情况我局成立于 1958 年,设 17 个内设", "机构,实有编制数 63 人,在职人数 57 人,离退休人数 94 人。"]
    doc = from_text(" ".join(chunks))
    assert "组织实施全市国民经济和社会发展战略" in doc.text
    assert "我局成立于 1958 年,设 17 个内设机构" in doc.text
    assert [s.marker for s in doc.sections] == ["一、", "(一)", "(二)"]
    assert "\n一、部门基本情况\n(一)部门职能" in doc.text


def test_flattened_table_keeps_its_cell_spaces():
    cells = "项目名称 主管部门 上海市某区体育局 年初预算数 全年预算数 全年执行数 分值 执行率 得分 " * 4
    assert "项目名称 主管部门" in from_text(cells).text


def test_running_header_with_its_own_page_number_dropped():
    pages = _pages(*(f"某某局2020年度部门整体支出绩效自评报告 第 {i} 页\n正文第{'一二三四'[i - 1]}部分：本单位完成年度任务。\n" for i in range(1, 5)))
    got = normalize(pages).text
    assert "自评报告 第" not in got and got.count("本单位完成年度任务") == 4


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ALPHABET = st.sampled_from(list("本单位预算执行率万元一二、（）()1234567890.,，。：；%％．０１２ \n\n\n\f-—第页項(xiàng)") + ["\u3000", "\u200b"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=400).map("".join))
def test_any_text_normalizes_with_intact_provenance(raw):
    doc = from_text(raw)
    assert len(doc.text) == len(doc.char_page) == len(doc.char_src)
    for i, ch in enumerate(doc.text):
        if ch.isspace():
            continue
        src = doc.pages[doc.char_page[i] - 1].text[doc.char_src[i]]
        # a column gap becomes the cell separator " | ", each of its characters mapped to the gap
        assert ch == src or ch == fold_char(src) or (ch == "|" and src.isspace())
    for s in doc.sentences:
        assert 0 <= s.start < s.end <= len(doc.text)
    for sec in doc.sections:
        assert 0 <= sec.start <= sec.end <= len(doc.text)


# --------------------------------------------------------------------------- flattened table rows inside wrapped prose

_PROSE = [
    "年初本单位收入预算 22,719.86 万元，全部为一般公共预算财政",
    "拨款收入，比上年增加17,019.31万元，增长率为298.56%，增长",
    "的主要原因是增加了一项专项费用，其中采购货物的情况如下表",
]


@pytest.mark.parametrize(
    "rows, kept",
    [
        (["项目资金（万元） | 年初预算数 | 全年预算数", "年度资金总额 | 2369.00 | 2321.62"], ["项目资金（万元） | 年初预算数 | 全年预算数", "年度资金总额 | 2369.00 | 2321.62"]),
        (["项目资金（万元）      年初预算数     全年预算数", "年度资金总额          2369.00       2321.62"], ["项目资金（万元） | 年初预算数 | 全年预算数", "年度资金总额 | 2369.00 | 2321.62"]),
        (["2369.00 2321.62 98.00%", "1,200.00 1,180.50 98.38%"], ["2369.00 2321.62 98.00%", "1,200.00 1,180.50 98.38%"]),
    ],
    ids=["pipe-cells", "column-gaps", "figures-only"],
)
def test_flattened_table_rows_keep_their_lines(rows, kept):
    doc = from_text(_seedlike(_PROSE + rows + _PROSE))
    lines = doc.text.split("\n")
    for row in kept:
        assert row in lines, doc.text
    assert "其中采购货物的情况如下表\n" in doc.text  # the prose line before the table is not glued to it


def test_column_gap_minimal_input_keeps_three_lines():
    doc = from_text("…其中采购货物\n项目资金（万元）      年初预算数     全年预算数\n年度资金总额          2369.00       2321.62\n")
    assert doc.text.split("\n") == ["…其中采购货物", "项目资金（万元） | 年初预算数 | 全年预算数", "年度资金总额 | 2369.00 | 2321.62"]
    i = doc.text.index("2369.00")
    assert doc.pages[0].text[doc.char_src[i] : doc.char_src[i] + 7] == "2369.00"
    bar = doc.text.index(" | ")
    assert {doc.pages[0].text[doc.char_src[k]] for k in range(bar, bar + 3)} == {" "}  # the separator maps to the gap


def test_empty_markup_cell_is_not_a_new_column():
    doc = from_text("合计 | 100.00 |  |\n")
    assert doc.text == "合计 | 100.00 | |"


def test_single_spaces_in_prose_are_not_cells():
    doc = from_text("日常公用经费 188.03 万元，执行率 98.5%。\n")
    assert " | " not in doc.text
