"""Loaders: every format, every kind of bad file, metadata heuristics. Fixtures are made in tmp_path."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

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

from app.ingest.loaders import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    LoadError,
    LoadReport,
    decode_text,
    detect_script,
    extract_meta,
    find_date,
    find_publisher,
    guess_region,
    guess_title,
    load_corpus,
    load_file,
    read_metadata,
    split_web_title,
)
from app.models import PAGE_BREAK

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
LECOQA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "lecoqa" / "corpus.jsonl"

SIMPLIFIED = "劳动者依法享有获得劳动报酬的权利，用人单位不得克扣或者无故拖欠劳动者的工资。"
TRADITIONAL = "勞工依法享有獲得勞動報酬的權利，雇主不得剋扣或者無故拖欠勞工的工資。"


def skipped_reasons(report: LoadReport) -> dict[str, str]:
    return dict(report.skipped)


# --------------------------------------------------------------------------- the shipped corpus


def test_shipped_corpus_loads_with_metadata_json():
    docs, report = load_corpus(CORPUS)
    assert report.skipped == [] and report.warnings == []
    assert len(docs) == 5 and report.documents == 5
    by_id = {d.doc_id: d for d in docs}
    metadata = json.loads((CORPUS / "metadata.json").read_text(encoding="utf-8"))
    for name, entry in metadata.items():
        if name.startswith("_"):
            continue
        doc = by_id[name.removesuffix(".txt")]
        assert doc.meta.title == entry["title"]
        assert doc.meta.date == entry["date"]
        assert doc.meta.publisher == entry["publisher"]
        assert doc.meta.source_path == name
        if "published" in entry:
            assert doc.meta.extra["published"] == entry["published"]
        assert len(doc.content_hash) == 64 and not doc.is_passage
    assert [d.doc_id for d in docs] == sorted(by_id)
    assert "湖北省" in by_id["2020-12-09-hubei-industrial-worker-reform-meeting"].text
    assert "Loaded 5 files (5 documents)" in report.summary()


def test_shipped_corpus_script_and_title_detected_without_metadata(tmp_path):
    for f in CORPUS.glob("*.txt"):
        shutil.copy(f, tmp_path / f.name)
    docs, _ = load_corpus(tmp_path)
    scripts = {d.doc_id: d.meta.script for d in docs}
    assert sorted(k for k, v in scripts.items() if v == "traditional") == [
        "2020-12-09-hubei-industrial-worker-reform-meeting",
        "yunnan-14th-five-year-plan-industrial-workers",
    ]
    meta = {d.doc_id: d.meta for d in docs}
    workers = meta["2019-11-14-workers-daily-industrial-worker-reform"]
    assert workers.title == "不断把产业工人队伍建设改革引向深入"  # "X-工会-中工网" → X
    assert workers.source_site == "中工网"
    assert workers.publisher == "中工网——《工人日报》"
    assert workers.date == "2019-11-14"
    mohrss = meta["2019-09-30-mohrss-notice-skilled-talent"]
    assert mohrss.title.startswith("人力资源社会保障部关于") and mohrss.date == "2019-10-12"
    assert meta["2024-10-21-central-opinions-industrial-worker-reform"].date == "2024-10-25"
    # first line is a long sentence: the file name stands in
    assert (
        meta["yunnan-14th-five-year-plan-industrial-workers"].title
        == "yunnan-14th-five-year-plan-industrial-workers"
    )


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (SIMPLIFIED, "gbk", "gb18030"),
        ("工资", "gbk", "gb18030"),  # two characters: charset-normalizer alone says Big5
        ("加班费怎么算", "gb2312", "gb18030"),
        (TRADITIONAL, "big5", "cp950"),
        ("工會", "big5", "cp950"),
        ("資遣費", "big5", "cp950"),
        (TRADITIONAL, "gb18030", "gb18030"),  # traditional characters in a GB file stay GB
    ],
)
def test_chinese_legacy_encodings_decode_exactly(text, encoding, expected):
    decoded, used = decode_text(text.encode(encoding))
    assert decoded == text
    assert used == expected


def test_gbk_and_big5_files_load_exactly(tmp_path):
    (tmp_path / "gbk.txt").write_bytes(("工资支付规定\n" + SIMPLIFIED).encode("gbk"))
    (tmp_path / "big5.txt").write_bytes(("工資支付規定\n" + TRADITIONAL).encode("big5"))
    docs, report = load_corpus(tmp_path)
    by_id = {d.doc_id: d for d in docs}
    assert by_id["gbk"].text == "工资支付规定\n" + SIMPLIFIED
    assert by_id["gbk"].meta.script == "simplified" and by_id["gbk"].meta.title == "工资支付规定"
    assert by_id["big5"].text == "工資支付規定\n" + TRADITIONAL
    assert by_id["big5"].meta.script == "traditional"
    assert by_id["big5"].meta.extra["encoding"] == "cp950"
    assert report.skipped == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_byte_order_marks(tmp_path, encoding):
    data = SIMPLIFIED.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "bom.txt"
    path.write_bytes(data)
    [doc] = load_file(path)
    assert doc.text == SIMPLIFIED  # no BOM character left at the start


def test_noise_without_nul_bytes_is_binary():
    import random

    noise = bytes(random.Random(7).randrange(0x80, 0x100) for _ in range(4000))
    with pytest.raises(LoadError, match="binary file, not text"):
        decode_text(noise)
    with pytest.raises(LoadError, match="binary file, not text"):
        decode_text("Le salarié a droit à une indemnité de congés payés.".encode("latin-1"))


def test_utf16_without_bom_with_ascii_is_recognised():
    text = "Article 1. 劳动者享有平等就业的权利 (equal employment)."
    assert decode_text(text.encode("utf-16-le")) == (text, "utf-16-le")
    chinese_only = "劳动合同法规定用人单位应当与劳动者订立书面劳动合同。"  # no NUL bytes at all
    assert decode_text(chinese_only.encode("utf-16-be")) == (chinese_only, "utf-16-be")


def test_crlf_newlines_are_normalised(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("第一行\r\n第二行\r\n".encode())
    assert load_file(path)[0].text == "第一行\n第二行\n"


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


# --------------------------------------------------------------------------- bad files in a folder


def test_bad_files_are_skipped_and_good_ones_still_load(tmp_path):
    (tmp_path / "good.txt").write_text("工资支付\n" + SIMPLIFIED, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(
        "工资支付\n" + SIMPLIFIED, encoding="utf-8"
    )  # after good.txt? no: sorted
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text(" \n\t\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "sheet.xlsx").write_bytes(b"PK\x03\x04whatever")
    (tmp_path / "big.txt").write_text("大" * 2000, encoding="utf-8")  # 6000 bytes
    (tmp_path / ".hidden.txt").write_text("隐藏文件不应加载", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("版本库", encoding="utf-8")

    docs, report = load_corpus(tmp_path, max_file_bytes=5000)

    assert [d.doc_id for d in docs] == ["copy"]  # sorted: copy.txt comes first, good.txt duplicates it
    assert report.loaded == ["copy.txt"]
    reasons = skipped_reasons(report)
    assert reasons == {
        "big.txt": "too large: 5.9 KB > 4.88281 KB limit",
        "binary.txt": "binary file, not text",
        "blank.md": "empty file",
        "empty.txt": "empty file",
        "good.txt": "duplicate of copy.txt",
        "sheet.xlsx": "unsupported format .xlsx (supported: .docx, .htm, .html, .jsonl, .md, .pdf, .txt)",
    }
    summary = report.summary()
    assert summary.startswith("Loaded 1 file (1 document); skipped 6; 0 warnings.")
    for name, reason in reasons.items():
        assert f"skipped {name}: {reason}" in summary


def test_too_large_message_in_megabytes(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse: 80 MB without writing them
        f.seek(80 * 1024 * 1024 - 1)
        f.write(b"\0")
    _, report = load_corpus(tmp_path)
    assert report.skipped == [("huge.txt", "too large: 80.0 MB > 50 MB limit")]
    assert MAX_FILE_BYTES == 50 * 1024 * 1024


def test_unexpected_exception_in_one_file_does_not_stop_the_rest(tmp_path, monkeypatch):
    import app.ingest.loaders as loaders

    (tmp_path / "a.docx").write_bytes(b"x")
    (tmp_path / "b.txt").write_text("正常的文件", encoding="utf-8")
    monkeypatch.setattr(loaders, "_read_docx", lambda data: 1 / 0)
    docs, report = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["b"]
    assert report.skipped == [("a.docx", "unexpected error: ZeroDivisionError: division by zero")]


def test_missing_path_is_reported_not_raised(tmp_path):
    docs, report = load_corpus(tmp_path / "nope")
    assert docs == [] and report.skipped[0][1] == "no such file or folder"


def test_supported_suffixes():
    assert frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl"}) == SUPPORTED_SUFFIXES


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


@pytest.mark.benchmark
@pytest.mark.skipif(not LECOQA.is_file(), reason="LeCoQA benchmark corpus absent")
def test_lecoqa_corpus_loads_fast():
    load_corpus(CORPUS)  # warm the lazy imports and OpenCC
    start = time.perf_counter()
    docs, report = load_corpus(LECOQA)
    elapsed = time.perf_counter() - start
    assert len(docs) > 11000 and report.skipped == [] and report.warnings == []
    assert docs[0].doc_id == "专利法第一条" and docs[0].is_passage
    assert elapsed < 1.0, elapsed


# --------------------------------------------------------------------------- metadata and paths


def test_metadata_json_overrides_field_by_field_in_subfolders(tmp_path):
    laws = tmp_path / "法律"
    laws.mkdir()
    (laws / "劳动合同法.txt").write_text(
        "中华人民共和国劳动合同法（2012年修正） 第一章 总则\n第一条 为了完善劳动合同制度……",
        encoding="utf-8",
    )
    (laws / "metadata.json").write_text(
        json.dumps({"劳动合同法.txt": {"date": "2012-12-28", "publisher": "全国人大常委会", "law_no": 73}}),
        encoding="utf-8",
    )
    [doc], report = load_corpus(tmp_path)
    assert doc.doc_id == "法律/劳动合同法"
    assert doc.meta.source_path == "法律/劳动合同法.txt"
    assert doc.meta.title == "中华人民共和国劳动合同法（2012年修正）"  # from the law name on the first line
    assert doc.meta.region == "全国"
    assert (doc.meta.date, doc.meta.publisher) == ("2012-12-28", "全国人大常委会")
    assert doc.meta.extra["law_no"] == 73
    assert report.loaded == ["法律/劳动合同法.txt"]


def test_read_metadata(tmp_path):
    assert read_metadata(tmp_path) == {}
    (tmp_path / "metadata.json").write_text('{"_about": "x", "a.txt": {"title": "甲"}}', encoding="utf-8")
    assert read_metadata(tmp_path) == {"a.txt": {"title": "甲"}}
    (tmp_path / "metadata.json").write_text('{"a.txt": {"title": "甲",}}', encoding="utf-8")
    with pytest.raises(LoadError, match=r"metadata.json is not valid JSON: .* line 1 column"):
        read_metadata(tmp_path)
    (tmp_path / "metadata.json").write_text('["a.txt"]', encoding="utf-8")
    with pytest.raises(LoadError, match="must be a JSON object"):
        read_metadata(tmp_path)


def test_broken_metadata_is_a_warning_and_documents_still_load(tmp_path):
    (tmp_path / "a.txt").write_text("工会法\n内容", encoding="utf-8")
    (tmp_path / "metadata.json").write_text("{broken", encoding="utf-8")
    docs, report = load_corpus(tmp_path)
    assert docs[0].meta.title == "工会法"
    assert report.warnings[0][0] == "metadata.json"
    assert "not valid JSON" in report.warnings[0][1] and "metadata ignored" in report.warnings[0][1]


def test_same_stem_in_two_formats_keeps_ids_unique(tmp_path):
    (tmp_path / "通知.md").write_text("# 关于加班的通知\n正文一", encoding="utf-8")
    (tmp_path / "通知.txt").write_text("关于休假的通知\n正文二", encoding="utf-8")
    docs, report = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["通知", "通知.txt"]
    assert docs[0].meta.title == "关于加班的通知"  # markdown heading marks stripped
    assert "already used" in report.warnings[0][1]


# --------------------------------------------------------------------------- heuristics


def test_title_heuristics():
    assert guess_title("\n\n  关于做好工资支付工作的通知  \n正文", "f") == "关于做好工资支付工作的通知"
    assert guess_title("长" * 61 + "\n正文", "file-name") == "file-name"
    assert guess_title("会议于昨日召开。\n正文", "file-name") == "file-name"  # a sentence is no title
    assert guess_title("中华人民共和国劳动法 第一章 总则 " + "第一条" * 30, "f") == "中华人民共和国劳动法"
    assert guess_title("中华人民共和国劳动合同法实施条例\n", "f") == "中华人民共和国劳动合同法实施条例"
    assert split_web_title("不断把产业工人队伍建设改革引向深入-工会-中工网") == (
        "不断把产业工人队伍建设改革引向深入",
        "中工网",
    )
    assert split_web_title("2021-2025年职业技能提升规划") == ("2021-2025年职业技能提升规划", None)


def test_date_heuristics():
    assert find_date("发布日期:2019-10-12   打印本页") == "2019-10-12"
    assert find_date("2024年10月21日，《意见》发布") == "2024-10-21"
    assert find_date("发布时间：２０２３年５月６日") == "2023-05-06"  # full-width digits
    assert find_date("2019/9/3 更新") == "2019-09-03"
    assert (
        find_date("编号 2019-13-45 之后 2020-02-30 再 2021-1-2") == "2021-01-02"
    )  # impossible dates skipped
    assert find_date("12月9日召开") is None
    meta = extract_meta("标题\n" + "正文" * 800 + "2020-01-01", "x.txt")
    assert meta.date is None  # beyond the first 1500 characters


def test_publisher_region_and_script_heuristics():
    assert find_publisher("正文\n来源: 中工网——《工人日报》\n") == "中工网——《工人日报》"
    assert find_publisher("2019-11-14 08:15 來源：長江網  作者：某某") == "長江網"
    assert find_publisher("资金来源于财政拨款") is None  # not a source line
    assert guess_region("湖北省2020年全省产业工人队伍建设改革会议") == "湖北省"
    assert guess_region("雲南省新時代產業工人隊伍建設改革規劃") == "云南省"
    assert guess_region("广西出台新规") == "广西壮族自治区"
    assert guess_region("中共中央、国务院关于深化产业工人队伍建设改革的意见") == "全国"
    assert guess_region("关于加班的通知") is None
    assert detect_script(TRADITIONAL) == "traditional"
    assert detect_script(SIMPLIFIED) == "simplified"
    assert detect_script("Article 1") is None
