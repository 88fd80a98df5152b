"""Walking a corpus: the shipped corpus, bad files in a folder, unique ids. Fixtures in tmp_path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from fixtures_docs import SIMPLIFIED

from app.ingest.readers import READERS, SUPPORTED_SUFFIXES
from app.ingest.readers.base import Reader
from app.ingest.report import LoadReport
from app.ingest.walk import MAX_FILE_BYTES, load_corpus, load_file

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def skipped_reasons(report: LoadReport) -> dict[str, str]:
    return dict(report.skipped)


# --------------------------------------------------------------------------- the shipped corpus


def test_shipped_corpus_loads_with_metadata_json():
    """The five policy documents at the top and the national laws in laws/, each with its metadata."""
    docs, report = load_corpus(CORPUS)
    assert report.skipped == [] and report.warnings == []
    by_id = {d.doc_id: d for d in docs}
    expected = 0
    for folder in (CORPUS, CORPUS / "laws"):
        prefix = "" if folder == CORPUS else "laws/"
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        for name, entry in metadata.items():
            if name.startswith("_"):
                continue
            expected += 1
            doc = by_id[prefix + name.removesuffix(".txt")]
            assert doc.meta.title == entry["title"]
            assert doc.meta.date == entry["date"]
            assert doc.meta.publisher == entry["publisher"]
            assert doc.meta.source_path == prefix + name
            if "published" in entry:
                assert doc.meta.extra["published"] == entry["published"]
            assert len(doc.content_hash) == 64 and not doc.is_passage
    assert len([d for d in docs if "/" not in d.doc_id]) == 5
    assert len(docs) == expected and report.documents == expected
    paths = [d.meta.source_path for d in docs]
    assert paths == sorted(paths)  # walked in file-path order
    assert "湖北省" in by_id["2020-12-09-hubei-industrial-worker-reform-meeting"].text
    assert f"Loaded {expected} files ({expected} documents)" in report.summary()


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
    (tmp_path / "a.docx").write_bytes(b"x")
    (tmp_path / "b.txt").write_text("正常的文件", encoding="utf-8")
    monkeypatch.setitem(READERS, ".docx", Reader(read=lambda data, warnings: 1 / 0))
    docs, report = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["b"]
    assert report.skipped == [("a.docx", "unexpected error: ZeroDivisionError: division by zero")]


def test_missing_path_is_reported_not_raised(tmp_path):
    docs, report = load_corpus(tmp_path / "nope")
    assert docs == [] and report.skipped[0][1] == "no such file or folder"


def test_supported_suffixes():
    assert frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl"}) == SUPPORTED_SUFFIXES


def test_same_stem_in_two_formats_keeps_ids_unique(tmp_path):
    (tmp_path / "通知.md").write_text("# 关于加班的通知\n正文一", encoding="utf-8")
    (tmp_path / "通知.txt").write_text("关于休假的通知\n正文二", encoding="utf-8")
    docs, report = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["通知", "通知.txt"]
    assert docs[0].meta.title == "关于加班的通知"  # markdown heading marks stripped
    assert "already used" in report.warnings[0][1]


def test_crlf_newlines_are_normalised(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("第一行\r\n第二行\r\n".encode())
    assert load_file(path)[0].text == "第一行\n第二行\n"
