"""Regenerate the OCR regression fixtures: a generated report page, rendered and read by tesseract.

Run ``python tests/data/ocr/make_fixture.py`` (needs tesseract + chi_sim).  It writes
``page.pdf`` (our own generated content), and ``{clean,scan,rough}.psm{4,6}.txt`` (raw OCR output of the page as rendered and as simulated scans),
which ``tests/test_ocr.py`` uses to test that ``ocr.fix_text`` repairs what tesseract misreads.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

# (sentence, amounts the OCR must read back exactly) — generated content, not copied from any report.
PROSE = [
    "一、部门基本情况",
    "本单位 2021 年度预算总额为 22,719.86 万元，其中基本支出",
    "8,145.20 万元，项目支出 14,574.66 万元。",
    "全年实际支出 22,374.05 万元，预算执行率为 98.48%。",
    "三公经费预算 31.50 万元，实际支出 27.91 万元。",
    "政府采购金额 1,293,929.96 元，其中中小企业 861,204.11 元。",
    "二、绩效指标完成情况",
]
TABLE = [
    ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "数量指标", "服务企业数", "≥500 家", "612 家", "10", "10"],
    ["", "质量指标", "验收合格率", "≥95%", "98.48%", "10", "9.5"],
    ["", "时效指标", "资金拨付及时率", "100%", "100%", "10", "10"],
    ["效益指标", "满意度指标", "服务对象满意度", "≥90%", "96.21%", "10", "10"],
    ["", "成本指标", "单户补助成本", "≤1.2 万元", "1.11 万元", "5", "5"],
]


def build_pdf(path: Path) -> None:
    """One A4 page of report-like prose and a small 自评表, drawn with a CJK TrueType font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", FONT, subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("jixiao OCR fixture")
    width, height = A4
    y = height - 60
    c.setFont("WQY", 12)
    for line in PROSE:
        c.drawString(50, y, line)
        y -= 24
    col = [50, 112, 174, 266, 340, 420, 470, 520]
    row_h = 24
    top = y - 6
    for r, row in enumerate(TABLE):
        for k, cell in enumerate(row):
            c.setFont("WQY", 10)
            c.drawString(col[k] + 3, top - r * row_h - 16, cell)
    bottom = top - len(TABLE) * row_h
    for r in range(len(TABLE) + 1):
        c.line(col[0], top - r * row_h, col[-1], top - r * row_h)
    for x in col:
        c.line(x, top, x, bottom)
    c.showPage()
    c.save()


# Simulated scans: downsampled, slightly rotated, blurred, speckled, JPEG-compressed (fixed seeds).
SCANS = {
    "clean": None,
    "scan": dict(dpi=200, angle=0.15, blur=0.6, quality=50, speckle=0.002, seed=1),
    "rough": dict(dpi=150, angle=0.3, blur=0.9, quality=35, speckle=0.0, seed=2),
}


def degrade(image, dpi: int, angle: float, blur: float, quality: int, speckle: float, seed: int, source_dpi: int = 300):
    """A 300 dpi page image made to look like a photocopied scan at ``dpi``."""
    import io
    import random

    from PIL import Image, ImageFilter

    rnd = random.Random(seed)
    im = image.convert("L")
    w, h = im.size
    im = im.resize((w * dpi // source_dpi, h * dpi // source_dpi), Image.BILINEAR)
    im = im.rotate(angle, resample=Image.BILINEAR, fillcolor=255)
    im = im.filter(ImageFilter.GaussianBlur(blur))
    px = im.load()
    for _ in range(int(im.size[0] * im.size[1] * speckle)):
        px[rnd.randrange(im.size[0]), rnd.randrange(im.size[1])] = rnd.choice((0, 90, 200, 255))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("L")


def main() -> int:
    sys.path.insert(0, str(HERE.parents[2]))
    from extractor import ocr

    pdf = HERE / "page.pdf"
    build_pdf(pdf)
    if not ocr.available():
        print("tesseract with chi_sim is not installed", file=sys.stderr)
        return 1
    page = ocr.render_pdf_page(pdf, 1, 300)
    for name, how in SCANS.items():
        image = page if how is None else degrade(page, **how)
        for psm in (4, 6):
            text = ocr.ocr_image_object(image, psm=psm, fix=False)
            (HERE / f"{name}.psm{psm}.txt").write_text(text, encoding="utf-8")
            print(f"{name} psm {psm}: {len(text)} chars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
