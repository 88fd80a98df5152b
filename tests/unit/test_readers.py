"""Readers, one format at a time: HTML, PDF, DOCX and .jsonl passages. Fixtures are made in tmp_path."""

from __future__ import annotations

import shutil

import pytest
from fixtures_docs import (
    PAGE_ONE,
    PAGE_TWO,
    write_docx,
    write_html,
    write_jsonl,
    write_pdf,
    write_scanned_pdf,
)

from app.ingest.report import LoadError, LoadReport
from app.ingest.walk import load_corpus, load_file
from app.models import PAGE_BREAK


def skipped_reasons(report: LoadReport) -> dict[str, str]:
    return dict(report.skipped)


# --------------------------------------------------------------------------- HTML


def test_html_main_text_without_navigation_footer_or_script(tmp_path):
    write_html(tmp_path / "page.html")
    [doc] = load_file(tmp_path / "page.html")
    assert "每满一年支付一个月工资" in doc.text
    assert "不满六个月的" in doc.text
    assert doc.text.index("每满一年") < doc.text.index("不满六个月")
    assert "\n" in doc.text.strip()  # paragraphs stay apart
    for debris in ("导航链接甲", "页脚文字", "脚本里的文字", "站点页眉文字", "color: red"):
        assert debris not in doc.text
    assert doc.meta.title == "劳动合同解除的经济补偿"
    assert doc.meta.source_site == "中工网"
    assert doc.meta.date == "2023-05-06"


def test_html_through_trafilatura_without_warnings(tmp_path):
    pytest.importorskip("trafilatura", reason="not importable (needs lxml_html_clean)", exc_type=ImportError)
    write_html(tmp_path / "page.html")
    [doc], report = load_corpus(tmp_path)
    assert report.warnings == []
    assert "每满一年支付一个月工资" in doc.text and "导航链接甲" not in doc.text


def test_html_in_gbk_with_meta_charset(tmp_path):
    write_html(tmp_path / "gbk.htm", charset="gbk")
    [doc] = load_file(tmp_path / "gbk.htm")
    assert "每满一年支付一个月工资" in doc.text and doc.meta.title == "劳动合同解除的经济补偿"


def test_html_fallback_extraction_when_trafilatura_finds_nothing(tmp_path, monkeypatch):
    import sys
    import types

    fake = types.ModuleType("trafilatura")
    fake.extract = lambda *a, **k: None
    monkeypatch.setitem(sys.modules, "trafilatura", fake)
    (tmp_path / "short.html").write_text(
        "<html><head><style>p{}</style></head><body><nav>菜单一 菜单二</nav><h1>工伤认定</h1>"
        "<p>职工因工作遭受事故伤害的，应当认定为工伤。</p><footer>页脚</footer></body></html>",
        encoding="utf-8",
    )
    [doc] = load_file(tmp_path / "short.html")
    assert doc.text == "工伤认定\n职工因工作遭受事故伤害的，应当认定为工伤。"
    assert "菜单一" not in doc.text and "页脚" not in doc.text
    assert doc.meta.title == "工伤认定"  # no <title>: the first <h1>


# --------------------------------------------------------------------------- PDF


def test_pdf_pages_are_joined_with_page_break(tmp_path):
    write_pdf(tmp_path / "两页.pdf")
    [doc] = load_file(tmp_path / "两页.pdf")
    first, second = doc.text.split(PAGE_BREAK)
    assert PAGE_ONE in first and PAGE_TWO in second
    assert doc.meta.title == "两页"  # the first line ends like a sentence: the file name stands in


def test_bad_pdfs_are_skipped_with_reasons(tmp_path):
    good = write_pdf(tmp_path / "good.pdf")
    (tmp_path / "truncated.pdf").write_bytes(good.read_bytes()[:300])
    write_scanned_pdf(tmp_path / "scan.pdf")
    docs, report = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["good"]
    reasons = skipped_reasons(report)
    assert reasons["truncated.pdf"].startswith("corrupt or unreadable PDF")
    assert reasons["scan.pdf"] == "no text layer (scanned PDF?): OCR is not supported"
    with pytest.raises(LoadError, match="OCR is not supported"):
        load_file(tmp_path / "scan.pdf")


def test_encrypted_pdfs(tmp_path):
    from pypdf import PdfWriter

    plain = write_pdf(tmp_path / "src" / "plain.pdf")
    for name, user_password in (("locked.pdf", "secret"), ("permissions-only.pdf", "")):
        writer = PdfWriter(clone_from=str(plain))
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
        writer.write(str(tmp_path / name))
    shutil.rmtree(tmp_path / "src")
    docs, report = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["permissions-only"]  # an empty user password opens it
    assert PAGE_TWO in docs[0].text
    assert report.skipped == [("locked.pdf", "corrupt or unreadable PDF: encrypted, a password is required")]


def test_pdf_with_one_scanned_page_loads_with_a_warning(tmp_path):
    write_pdf(tmp_path / "mixed.pdf", pages=[PAGE_ONE, ""])
    docs, report = load_corpus(tmp_path)
    assert docs[0].text.split(PAGE_BREAK) == [PAGE_ONE, ""]
    assert report.warnings == [("mixed.pdf", "page(s) 2 have no text layer (scanned?): OCR is not supported")]


# --------------------------------------------------------------------------- DOCX


def test_docx_heading_paragraphs_and_table_in_order(tmp_path):
    write_docx(
        tmp_path / "规定.docx",
        heading="职工带薪年休假条例",
        paragraphs=[
            "第一条 为了维护职工休息休假权利，制定本条例。",
            "第二条 职工连续工作1年以上的，享受带薪年休假。",
        ],
        table=[["工作年限", "年休假天数"], ["满1年不满10年", "5天"]],
    )
    [doc] = load_file(tmp_path / "规定.docx")
    lines = doc.text.split("\n")
    assert lines == [
        "职工带薪年休假条例",
        "第一条 为了维护职工休息休假权利，制定本条例。",
        "工作年限 | 年休假天数",
        "满1年不满10年 | 5天",
        "第二条 职工连续工作1年以上的，享受带薪年休假。",
    ]
    assert doc.meta.title == "职工带薪年休假条例" and doc.doc_id == "规定"


def test_corrupt_docx_raises_load_error(tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LoadError, match="corrupt or unreadable DOCX"):
        load_file(tmp_path / "bad.docx")


# --------------------------------------------------------------------------- JSONL passages


def test_jsonl_passages_with_a_broken_line(tmp_path):
    write_jsonl(
        tmp_path / "passages.jsonl",
        [
            {
                "id": "劳动法第一条",
                "title": "劳动法第一条",
                "text": "为了保护劳动者的合法权益，制定本法。",
                "law": "劳动法",
            },
            '{"id": "broken", "text": ',
            {
                "id": "劳动法第三条",
                "text": "劳动者享有平等就业和选择职业的权利。",
                "date": "2018-12-29",
                "url": "u",
            },
            {"title": "没有编号", "text": "缺少 id 的行"},
            {"id": "勞基法第一條", "text": "為規定勞動條件最低標準，保障勞工權益，特制定本法。"},
        ],
    )
    docs, report = load_corpus(tmp_path / "passages.jsonl")
    assert [d.doc_id for d in docs] == ["劳动法第一条", "劳动法第三条", "勞基法第一條"]
    assert all(d.is_passage for d in docs)
    first, third, taiwan = docs
    assert first.meta.extra["law"] == "劳动法" and first.meta.source_path == "passages.jsonl"
    assert third.meta.title == "劳动法第三条"  # no title: the id
    assert third.meta.date == "2018-12-29" and third.meta.extra["url"] == "u"
    assert taiwan.meta.script == "traditional" and first.meta.script == "simplified"
    assert len({d.content_hash for d in docs}) == 3
    warned = dict(report.warnings)
    assert list(warned) == ["passages.jsonl"]
    lines = [w for _, w in report.warnings]
    assert lines[0].startswith("line 2: invalid JSON")
    assert lines[1] == "line 4: missing id; skipped"
    assert report.loaded == ["passages.jsonl"] and report.documents == 3


def test_jsonl_duplicate_ids_keep_the_first(tmp_path):
    write_jsonl(tmp_path / "p.jsonl", [{"id": "a", "text": "甲"}, {"id": "a", "text": "乙"}])
    docs, report = load_corpus(tmp_path)
    assert [d.text for d in docs] == ["甲"]
    assert "already used" in report.warnings[0][1]
