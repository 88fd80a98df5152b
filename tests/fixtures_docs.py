"""Builders for test documents in every supported format, written into a tmp_path by the tests.

Only pip-installed packages are used: reportlab (with its built-in CID font STSong-Light, whose
Chinese text pypdf extracts exactly) and python-docx.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

# One sentence of labour law in each script (the traditional one in Taiwan's wording).
SIMPLIFIED = "劳动者依法享有获得劳动报酬的权利，用人单位不得克扣或者无故拖欠劳动者的工资。"
TRADITIONAL = "勞工依法享有獲得勞動報酬的權利，雇主不得剋扣或者無故拖欠勞工的工資。"

PAGE_ONE = "第一页：劳动者享有平等就业和选择职业的权利。"
PAGE_TWO = "第二页：用人单位应当依法为劳动者缴纳社会保险费。"

ARTICLE_HTML = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{title}</title>
<script>var tracker = "脚本里的文字不应出现";</script>
<style>.nav {{ color: red; }}</style></head>
<body>
<header><div class="logo">站点页眉文字</div></header>
<nav><a href="/">网站首页</a> <a href="/a">导航链接甲</a> <a href="/b">导航链接乙</a></nav>
<article>
<h1>劳动合同解除的经济补偿</h1>
<p>发布日期：2023-05-06</p>
<p>用人单位依法解除劳动合同的，应当向劳动者支付经济补偿。经济补偿按劳动者在本单位工作的年限，
每满一年支付一个月工资的标准向劳动者支付。</p>
<p>六个月以上不满一年的，按一年计算；不满六个月的，向劳动者支付半个月工资的经济补偿。</p>
</article>
<footer>版权所有 页脚文字 联系我们</footer>
</body></html>
"""


def write_html(path: Path, title: str = "劳动合同解除的经济补偿-维权-中工网", charset: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ARTICLE_HTML.format(title=title, charset=charset).encode(charset))
    return path


def write_pdf(path: Path, pages: Sequence[str] = (PAGE_ONE, PAGE_TWO)) -> Path:
    """A PDF with one line of Chinese text per page (an empty string gives a page without text)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path))
    for text in pages:
        if text:
            pdf.setFont("STSong-Light", 12)
            pdf.drawString(72, 750, text)
        else:
            pdf.rect(72, 500, 200, 100, fill=1)  # a drawing, no text: what a scan looks like to pypdf
        pdf.showPage()
    pdf.save()
    return path


def write_scanned_pdf(path: Path) -> Path:
    return write_pdf(path, pages=[""])


def write_docx(path: Path, heading: str, paragraphs: Iterable[str], table: Sequence[Sequence[str]]) -> Path:
    """Heading, then the first paragraph, the table, then the remaining paragraphs."""
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    paragraphs = list(paragraphs)
    document.add_paragraph(paragraphs[0])
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_jsonl(path: Path, rows: Iterable[dict | str]) -> Path:
    """Rows as JSON lines; a str row is written as is (to make broken lines)."""
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
