"""Adding, replacing and removing documents: `gongyou add/remove/list/build` and app.index.build.

Every document is generated here: a GBK and a Big5 .txt, a .docx (python-docx), a two-page
Chinese PDF (reportlab) and an HTML page with navigation and footer. Each is added to a copy of
the shipped index and a worker's question answered from it must cite it with the right label.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, SHIPPED_DOCUMENTS
from fixtures_docs import write_docx, write_html

from app.index.build import add, build, remove
from app.index.store import current_build, load_index, read_manifest
from app.pipeline import get_pipeline
from app.present import ask_json

GBK_NOTICE = """关于高温津贴发放标准的通知
发布日期：2023年6月1日
各车间、各部门：
根据有关规定，现将今年高温津贴发放事项通知如下。
在露天岗位或者三十三摄氏度以上高温环境中作业的职工，高温津贴标准为每人每月三百元。
高温津贴从六月份发放到九月份，随当月工资一起发放，不得用防暑降温饮料代替。
"""
BIG5_RULES = """職工子女助學金辦法

第一條 為幫助職工解決子女上學困難，制定本辦法。
第二條 職工子女就讀全日制大學的，每學年發給助學金二千四百元。
第三條 申請助學金須於每年九月底前向工會提出。
第四條 本辦法自發布之日起施行。
"""
PDF_PAGES = [
    ["夜班补贴规定", "第一部分 总则", "本规定适用于本公司全体一线职工。"],
    [
        "第二部分 补贴标准",
        "每个夜班发放夜班补贴六十元，由车间每月汇总发放。",
        "夜班是指晚上十点至次日早上六点之间的工作。",
    ],
]


def case(question: str, doc_id: str, title: str, label: str, fact: str, name: str):
    """A question answered by one added document: its title, citation label and the fact."""
    return pytest.param(question, doc_id, title, label, fact, id=name)


CASES = [
    case("高温津贴每个月发多少钱？", "高温津贴通知", "关于高温津贴发放标准的通知",
         "《关于高温津贴发放标准的通知》", "三百元", "gbk-txt"),
    case("職工子女上大學，每學年能領多少助學金？", "助学金办法", "職工子女助學金辦法",
         "《職工子女助學金辦法》第二條", "二千四百元", "big5-txt-traditional-question"),
    case("职工子女上大学，每学年能领多少助学金？", "助学金办法", "職工子女助學金辦法",
         "《职工子女助学金办法》第二条", "二千四百元", "big5-txt-simplified-question"),
    case("工龄满十年的员工，病假工资按百分之多少发？", "病假规定", "员工病假工资规定",
         "《员工病假工资规定》", "百分之九十", "docx"),
    case("夜班补贴每个班发多少钱？", "夜班补贴规定", "夜班补贴规定",
         "《夜班补贴规定》第2页", "六十元", "pdf-page-2"),
    case("夜班補貼每個班發多少錢？", "夜班补贴规定", "夜班补贴规定",
         "《夜班補貼規定》第2頁", "六十元", "pdf-page-2-traditional-question"),
    case("工作不满六个月被解除劳动合同，经济补偿怎么算？", "经济补偿", "劳动合同解除的经济补偿",
         "《劳动合同解除的经济补偿》", "半个月工资", "html"),
]  # fmt: skip
NEW_IDS = {"高温津贴通知", "助学金办法", "病假规定", "夜班补贴规定", "经济补偿"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, timeout=120
    )


def write_pdf_lines(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with several lines of Chinese text per page (reportlab's built-in CID font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for n, line in enumerate(lines):
            pdf.drawString(72, 750 - 20 * n, line)
        pdf.showPage()
    pdf.save()
    return path


def write_documents(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "高温津贴通知.txt").write_bytes(GBK_NOTICE.encode("gbk"))
    (folder / "助学金办法.txt").write_bytes(BIG5_RULES.encode("big5"))
    write_docx(
        folder / "病假规定.docx",
        "员工病假工资规定",
        [
            "员工因病停止工作治病休息的，按下列标准发给病假工资。",
            "连续工龄满十年的员工，病假工资按本人工资的百分之九十发放。",
            "病假工资不得低于当地最低工资标准的百分之八十。",
        ],
        [["连续工龄", "病假工资"], ["不满十年", "百分之七十"], ["满十年", "百分之九十"]],
    )
    write_pdf_lines(folder / "夜班补贴规定.pdf", PDF_PAGES)
    write_html(folder / "经济补偿.html")  # navigation, script, footer around the article
    return folder


def copy_index(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def top_citation(index: Path, question: str) -> dict | None:
    pipeline = get_pipeline(index)
    data = ask_json(pipeline.ask(question), pipeline.mode)
    return None if data["refused"] else data["citations"][0]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_documents(tmp_path_factory.mktemp("new-docs"))


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory, shipped_index: Path, documents: Path):
    """The shipped index with the five documents added by `gongyou add FOLDER`."""
    index = copy_index(shipped_index, tmp_path_factory.mktemp("updated") / "index")
    out = run("add", str(documents), "--index", str(index))
    assert out.returncode == 0, out.stderr
    return index, out.stdout


# --------------------------------------------------------------------------- add, through the CLI


def test_cli_add_indexes_every_format_and_embeds_only_the_new_chunks(updated, shipped_index: Path) -> None:
    index, stdout = updated
    assert "Added: 助学金办法, 夜班补贴规定, 病假规定, 经济补偿, 高温津贴通知." in stdout
    assert "Loaded 5 files (5 documents); skipped 0" in stdout
    before, after = read_manifest(shipped_index), read_manifest(index)
    new_chunks = [c for c in load_index(index).chunks if c.doc_id in NEW_IDS]
    assert {c.doc_id for c in new_chunks} == NEW_IDS
    assert after["embedded_chunks"] == len(new_chunks)
    assert after["chunk_count"] == before["chunk_count"] + len(new_chunks)
    assert after["doc_count"] == before["doc_count"] + 5


@pytest.mark.parametrize(("question", "doc_id", "title", "label", "fact"), CASES)
def test_each_added_document_answers_with_its_title_and_label(
    updated, question: str, doc_id: str, title: str, label: str, fact: str
) -> None:
    index, _ = updated
    citation = top_citation(index, question)
    assert citation is not None, f"refused: {question}"
    assert (citation["doc_id"], citation["title"], citation["label"]) == (doc_id, title, label)
    assert citation["page"] == (2 if doc_id == "夜班补贴规定" else None)
    pipeline = get_pipeline(index)
    assert fact in pipeline.ask(question).answer.text or fact in citation["text"]


def test_html_navigation_script_and_footer_are_not_indexed(updated) -> None:
    index, _ = updated
    text = "\n".join(c.text for c in load_index(index).chunks if c.doc_id == "经济补偿")
    assert "半个月工资" in text
    for debris in ("导航链接", "脚本里的文字", "页脚文字", "站点页眉"):
        assert debris not in text


def test_list_json_shows_chunk_counts_and_dates(updated) -> None:
    index, _ = updated
    out = run("list", "--index", str(index), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    rows = {row["doc_id"]: row for row in data["documents"]}
    chunks = load_index(index).chunks
    assert data["doc_count"] == len(rows) == SHIPPED_DOCUMENTS + len(NEW_IDS) and data["chunk_count"] == len(
        chunks
    )
    for doc_id, row in rows.items():
        assert row["chunks"] == sum(c.doc_id == doc_id for c in chunks) > 0
        assert row["indexed_at"][:2] == "20"
    assert rows["高温津贴通知"]["date"] == "2023-06-01"  # 发布日期 in the GBK text
    assert rows["经济补偿"]["date"] == "2023-05-06"
    assert rows["助学金办法"]["chunks"] == 4 and rows["助学金办法"]["script"] == "traditional"
    assert rows["夜班补贴规定"]["source"] == "夜班补贴规定.pdf"
    human = run("list", "--index", str(index))
    assert "高温津贴通知\t1 chunks\t2023-06-01\tindexed 20" in human.stdout
    assert f"{SHIPPED_DOCUMENTS + len(NEW_IDS)} documents" in human.stdout


def test_adding_the_same_document_again_is_a_duplicate_and_changes_nothing(
    updated, documents: Path, tmp_path: Path
) -> None:
    index, _ = updated
    build_before = current_build(index)
    out = run("add", str(documents / "高温津贴通知.txt"), "--index", str(index))
    assert out.returncode == 0, out.stderr
    assert "No change" in out.stdout
    assert "skipped 高温津贴通知.txt: duplicate of indexed document 高温津贴通知" in out.stdout
    renamed = tmp_path / "高温通知副本.txt"  # same bytes under another name: still a duplicate
    shutil.copyfile(documents / "高温津贴通知.txt", renamed)
    result = add([renamed], index)
    assert not result.changed
    assert result.report.skipped == [
        ("高温通知副本.txt", "duplicate of indexed document 高温津贴通知 (same content as 高温津贴通知)")
    ]
    assert current_build(index) == build_before


def test_add_of_nothing_readable_fails_and_names_the_path(updated, tmp_path: Path) -> None:
    index, _ = updated
    out = run("add", str(tmp_path / "missing.txt"), "--index", str(index))
    assert out.returncode == 1
    assert "missing.txt: no such file or folder" in out.stdout


# --------------------------------------------------------------------------- remove


def test_remove_drops_the_document_and_its_answer_becomes_a_refusal(updated, tmp_path: Path) -> None:
    index = copy_index(updated[0], tmp_path / "index")
    assert top_citation(index, "夜班补贴每个班发多少钱？")["doc_id"] == "夜班补贴规定"
    out = run("remove", "夜班补贴规定", "--index", str(index))
    assert out.returncode == 0, out.stderr
    assert "Removed: 夜班补贴规定." in out.stdout
    manifest = read_manifest(index)
    assert manifest["embedded_chunks"] == 0 and manifest["doc_count"] == SHIPPED_DOCUMENTS + len(NEW_IDS) - 1
    assert manifest["sentences"]["count"] > 0 and manifest["sentences"]["embedded"] == 0  # kept, reused
    assert "夜班补贴规定" not in load_index(index).docs
    pipeline = get_pipeline(index)
    assert pipeline.ask("夜班补贴每个班发多少钱？").answer.refused
    assert top_citation(index, "高温津贴每个月发多少钱？")["doc_id"] == "高温津贴通知"  # the rest stays

    unknown = run("remove", "没有这个文件", "--index", str(index))
    assert unknown.returncode == 2
    assert "Not in the index: 没有这个文件" in unknown.stderr and "gongyou list" in unknown.stderr
    with pytest.raises(ValueError, match="empty index"):
        remove(sorted(load_index(index).docs), index)


# --------------------------------------------------------------------------- add, through app.index.build


def test_a_running_pipeline_answers_from_an_added_document_without_restart(
    shipped_index: Path, documents: Path, tmp_path: Path
) -> None:
    index = copy_index(shipped_index, tmp_path / "index")
    before = get_pipeline(index)
    assert before.ask("夜班补贴每个班发多少钱？").answer.refused
    result = add([documents / "夜班补贴规定.pdf"], index)
    assert result.added == ["夜班补贴规定"] and result.manifest["embedded_chunks"] == 2
    after = get_pipeline(index)  # what the server calls per question: it notices the new build
    assert after is not before
    assert top_citation(index, "夜班补贴每个班发多少钱？")["label"] == "《夜班补贴规定》第2页"
    # The pipeline a request already holds keeps answering from the previous build.
    assert before.ask("高温津贴每个月发多少钱？").answer.refused


def test_adding_a_changed_document_replaces_it_and_embeds_only_changed_chunks(
    shipped_index: Path, tmp_path: Path
) -> None:
    index = copy_index(shipped_index, tmp_path / "index")
    rules = tmp_path / "docs" / "助学金办法.txt"
    rules.parent.mkdir()
    rules.write_bytes(BIG5_RULES.encode("big5"))
    first = add([rules], index)
    assert first.added == ["助学金办法"] and first.manifest["embedded_chunks"] == 4
    rules.write_bytes(BIG5_RULES.replace("二千四百元", "三千元").encode("big5"))
    second = add([rules], index)
    assert second.replaced == ["助学金办法"] and second.added == []
    assert "Replaced (content changed): 助学金办法." in second.summary()
    assert second.manifest["embedded_chunks"] == 1  # only 第二條 changed
    assert second.manifest["doc_count"] == first.manifest["doc_count"]
    assert sum(c.doc_id == "助学金办法" for c in load_index(index).chunks) == 4
    answer = get_pipeline(index).ask("職工子女上大學，每學年能領多少助學金？").answer
    assert "三千元" in answer.text and "二千四百元" not in answer.text


def test_adding_a_file_of_the_built_corpus_replaces_it_in_place(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "notices").mkdir(parents=True)
    shutil.copy(CORPUS / "2019-09-30-mohrss-notice-skilled-talent.txt", corpus)
    notice = corpus / "notices" / "高温津贴通知.txt"
    notice.write_bytes(GBK_NOTICE.encode("gbk"))
    index = tmp_path / "index"
    build(corpus, index, "offline", progress=False)
    notice.write_bytes(GBK_NOTICE.replace("三百元", "三百五十元").encode("gbk"))
    result = add([notice], index)
    assert result.replaced == ["notices/高温津贴通知"] and result.added == []
    docs = sorted(load_index(index).docs)
    assert docs == ["2019-09-30-mohrss-notice-skilled-talent", "notices/高温津贴通知"]
    assert "三百五十元" in get_pipeline(index).ask("高温津贴每个月发多少钱？").answer.text


def test_rebuilding_a_changed_folder_reembeds_only_the_changed_document(
    documents: Path, tmp_path: Path
) -> None:
    corpus = shutil.copytree(documents, tmp_path / "corpus")
    index = tmp_path / "index"
    first = run("build", "--corpus", str(corpus), "--index", str(index), "--embed-model", "offline")
    assert first.returncode == 0, first.stderr
    built = read_manifest(index)
    assert built["embedded_chunks"] == built["chunk_count"]
    (corpus / "助学金办法.txt").write_bytes(BIG5_RULES.replace("九月底", "十月底").encode("big5"))
    second = run("build", "--corpus", str(corpus), "--index", str(index), "--embed-model", "offline")
    assert second.returncode == 0, second.stderr
    rebuilt = read_manifest(index)
    assert rebuilt["chunk_count"] == built["chunk_count"]
    assert rebuilt["embedded_chunks"] == 1  # 第三條 of 助学金办法, of its 4 chunks
    assert "embedded 1, reused" in second.stdout
    assert "Replaced (content changed): 助学金办法." in second.stdout


def test_concurrent_adds_to_one_index_keep_both_documents(
    shipped_index: Path, documents: Path, tmp_path: Path
) -> None:
    """An upload in the UI and a `gongyou add` in a terminal at the same moment: writers take turns."""
    from concurrent.futures import ThreadPoolExecutor

    index = copy_index(shipped_index, tmp_path / "index")
    files = [documents / "高温津贴通知.txt", documents / "病假规定.docx"]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda path: add([path], index), files))
    assert sorted(d for r in results for d in r.added) == ["病假规定", "高温津贴通知"]
    assert {"病假规定", "高温津贴通知"} <= set(load_index(index).docs)


# --------------------------------------------------------------------------- bad input


def test_bad_files_are_each_named_and_the_good_ones_are_still_indexed(
    shipped_index: Path, documents: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(documents / "高温津贴通知.txt", folder / "good.txt")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a PDF body")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "huge.txt").write_text("超大文件。" * 100_000, encoding="utf-8")  # 1.5 MB, limit 64 KB
    (folder / "table.xlsx").write_bytes(b"PK\x03\x04 not really a spreadsheet")
    shutil.copy(CORPUS / "2019-09-30-mohrss-notice-skilled-talent.txt", folder / "again.txt")  # indexed
    index = copy_index(shipped_index, tmp_path / "index")

    result = add([folder], index, max_file_bytes=64 * 1024)
    reasons = dict(result.report.skipped)
    assert set(reasons) == {"corrupt.pdf", "empty.txt", "binary.txt", "huge.txt", "table.xlsx", "again.txt"}
    assert reasons["corrupt.pdf"].startswith("corrupt or unreadable PDF")
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file, not text")
    assert reasons["huge.txt"].startswith("too large: 1.4 MB > 64 KB limit")
    assert reasons["table.xlsx"].startswith("unsupported format .xlsx")
    assert reasons["again.txt"].startswith("duplicate of indexed document 2019-09-30-mohrss-notice")
    summary = result.summary()
    for name in reasons:
        assert f"skipped {name}: " in summary
    assert result.added == ["good"]
    assert top_citation(index, "高温津贴每个月发多少钱？")["doc_id"] == "good"

    fresh = build(folder, tmp_path / "fresh", "offline", progress=False, max_file_bytes=64 * 1024)
    assert {p for p, _ in fresh.report.skipped} == set(reasons) - {"again.txt"}
    assert sorted(load_index(tmp_path / "fresh").docs) == ["again", "good"]


def test_upload_names_cannot_leave_the_upload_folder() -> None:
    from app.web.uploads import safe_upload_name  # the UI's upload handler uses it before writing anything

    for hostile in ("../../x.txt", "..\\..\\x.txt", "/etc/x.txt", "C:\\Windows\\x.txt", "a/../../x.txt"):
        assert safe_upload_name(hostile) == "x.txt"
    for refused in ("", ".", "..", "../", "..\\", ".env", "../.bashrc"):
        assert safe_upload_name(refused) is None
    assert safe_upload_name("夜班补贴规定.pdf") == "夜班补贴规定.pdf"
