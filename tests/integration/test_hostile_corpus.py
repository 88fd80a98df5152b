"""Bad and hostile corpus files (issue 18, defects 1, 2, 3 and 10): the audit's catalogue for
ingestion (the folder walk, defect 8, is in test_hostile_walk.py). Every file is indexed, or
skipped and named with the reason (a broken limit names the limit); a bad field is dropped with
a warning; no build ends in a traceback, and no answer that cites a document with odd metadata
fails to render.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS
from fixtures_docs import SIMPLIFIED, write_docx, write_jsonl

from app.cli import main
from app.index.build import build
from app.index.integrity import build_checksums
from app.index.store import current_build
from app.ingest.report import LoadReport
from app.ingest.walk import load_corpus
from app.limits import MAX_PASSAGES_PER_DOCUMENT
from app.models import Chunk, DocMeta, Hit
from app.present import ask_text, search_text
from app.web.render import formal_citation, passages_markdown, source_line

HUBEI = "2020-12-09-hubei-industrial-worker-reform-meeting"
HUBEI_QUESTION = "湖北省有多少个技能大师工作室?"
MOHRSS = "2019-09-30-mohrss-notice-skilled-talent"


def reasons(report: LoadReport) -> dict[str, str]:
    return dict(report.skipped)


def copy_corpus(target: Path) -> Path:
    """The five seed documents and their metadata (the laws' folder is left out: these tests are
    about the files at the top, and a build of five documents is fast)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in CORPUS.iterdir():
        if path.is_file():
            shutil.copy(path, target / path.name)
    return target


# --------------------------------------------------------------------------- defect 1: metadata types


def test_metadata_of_the_wrong_type_is_dropped_or_read_and_every_answer_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = copy_corpus(tmp_path / "corpus")
    metadata = json.loads((corpus / "metadata.json").read_text(encoding="utf-8"))
    entry = metadata[f"{HUBEI}.txt"]
    entry.update(date=20201209, publisher=["长江网", "湖北日报"], region=42, script="klingon")
    metadata[f"{MOHRSS}.txt"]["title"] = {"zh": "通知"}
    metadata["yunnan-14th-five-year-plan-industrial-workers.txt"] = "not an object"
    (corpus / "metadata.json").write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")

    docs, report = load_corpus(corpus)
    by_id = {d.doc_id: d.meta for d in docs}
    meta = by_id[HUBEI]
    assert meta.date == "2020-12-09"  # a date-like number is read as a date
    assert meta.publisher is None or isinstance(meta.publisher, str)  # the list is dropped
    assert meta.region is None and meta.script == "traditional"  # dropped; the script detected
    assert by_id[MOHRSS].title.startswith("人力资源社会保障部关于")  # read from the document
    warnings = [w for path, w in report.warnings if path == "metadata.json"]
    assert any("date 20201209 is a number: read as 2020-12-09" in w for w in warnings)
    assert any("publisher" in w and "a list, not text: ignored" in w for w in warnings)
    assert any("region 42 is a number, not text: ignored" in w for w in warnings)
    assert any("title" in w and "an object, not text" in w for w in warnings)
    assert any('script "klingon" is not one of' in w for w in warnings)
    assert any("yunnan" in w and "must be an object of fields" in w for w in warnings)
    assert len(docs) == 5

    index = tmp_path / "index"
    assert main(["build", "--corpus", str(corpus), "--index", str(index), "--embed-model", "offline"]) == 0
    assert "date 20201209 is a number" in capsys.readouterr().out
    assert main(["ask", HUBEI_QUESTION, "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert "172个" in out and "2020-12-09" in out


def test_jsonl_lines_with_fields_of_the_wrong_type(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "p.jsonl",
        [
            {"id": "a", "text": SIMPLIFIED, "date": 2019, "publisher": 12351, "title": ["x"]},
            {"id": 7, "text": SIMPLIFIED + "一", "region": {"x": 1}, "extra": [1]},
            {"id": ["no"], "text": SIMPLIFIED},
            {"id": True, "text": SIMPLIFIED},
            {"id": "d", "text": 5},
        ],
    )
    docs, report = load_corpus(tmp_path)
    by_id = {d.doc_id: d.meta for d in docs}
    assert set(by_id) == {"a", "7"}
    assert by_id["a"].date == "2019" and by_id["a"].publisher is None and by_id["a"].title == "a"
    assert by_id["7"].region is None
    warnings = " | ".join(w for _, w in report.warnings)
    assert "line 1: date 2019 is a number: read as 2019" in warnings
    assert "line 1: publisher 12351 is a number, not text: ignored" in warnings
    assert "line 3: id must be text or a whole number, not list; skipped" in warnings
    assert "line 4: id must be text or a whole number, not bool; skipped" in warnings
    assert "line 5: text is not a string; skipped" in warnings


def _hit(**meta: object) -> Hit:
    chunk = Chunk("d#0", "d", "截至今年10月，技能大师工作室172个。", 0, 20, heading="一、成绩")
    return Hit(chunk, DocMeta(**{"title": "标题", **meta}), 0.5, 0.4, 3.2, rank=1)


@pytest.mark.parametrize(
    "meta",
    [
        {"date": 20201209},
        {"publisher": ["长江网", "湖北日报"]},
        {"title": 12345},
        {"title": {"zh": "会议"}, "region": 42},
        {"date": 2020.5, "publisher": {"name": "x"}, "source_site": [None, 1]},
        {"title": ""},
    ],
)
def test_rendering_is_total_whatever_the_stored_types(meta: dict) -> None:
    """Indexes built before the checks may hold any JSON type: the CLI and web renderers still work."""
    from app.models import Answer, Citation
    from app.pipeline import AskResult, SearchResult
    from app.web.answerer import Turn

    hit = _hit(**meta)
    answer = Answer("q", "技能大师工作室172个。[1]", False, [Citation(1, hit, ["技能大师工作室172个。"])])
    result = AskResult("q", "q", "zh-Hans", answer, [hit])
    assert "[1]" in ask_text(result, {"offline": True})
    assert "(score" in search_text(SearchResult("q", [hit]))
    for lang in ("zh-Hans", "zh-Hant", "en"):
        assert source_line(hit, lang) and formal_citation(1, hit, lang).startswith("[1]")
        assert "172" in passages_markdown(Turn("q", "ask", result=result, top=[hit]), lang)


def test_an_index_with_odd_stored_types_still_answers(tmp_path: Path, capsys) -> None:
    """An index written before the checks (docs.json with a list publisher and a number date)."""
    index = tmp_path / "index"
    build(CORPUS, index, "offline", progress=False)
    folder = current_build(index)
    docs = json.loads((folder / "docs.json").read_text(encoding="utf-8"))
    docs[HUBEI]["meta"].update(date=20201209, publisher=["长江网"])
    (folder / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["checksums"] = build_checksums(folder)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["ask", HUBEI_QUESTION, "--index", str(index)]) == 0
    assert "长江网 · 20201209" in capsys.readouterr().out


# --------------------------------------------------------------------------- defect 2: long passages


def test_a_huge_jsonl_passage_is_skipped_and_a_long_one_split(tmp_path: Path, capsys) -> None:
    """One 60 MB line used to be one passage: a 92 s build, then 180 MB of JSON per answer."""
    sentence = "劳动者依法享有获得劳动报酬的权利，用人单位不得克扣或者无故拖欠劳动者的工资。"
    write_jsonl(
        tmp_path / "corpus" / "p.jsonl",
        [
            {"id": "huge", "text": sentence * 3000},  # 114,000 characters
            {"id": "long", "title": "工资支付", "text": sentence * 100},  # 3,800 characters
            {"id": "short", "text": "职工享有带薪年休假。"},
        ],
    )
    index = tmp_path / "index"
    assert (
        main(
            ["build", "--corpus", str(tmp_path / "corpus"), "--index", str(index), "--embed-model", "offline"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "line 1: passage too long: 114,000 > 100,000 characters (limit in app/limits.py)" in out
    assert main(["search", "克扣工资", "--index", str(index), "--json", "-k", "100"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert {r["doc_id"] for r in results} == {"long", "short"}
    assert max(len(r["text"]) for r in results) <= 600 and len(results) >= 10


def test_a_jsonl_file_over_its_limit_is_skipped_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("wb") as f:  # sparse: 150 MB without writing them
        f.seek(150 * 1024 * 1024 - 1)
        f.write(b"\n")
    _, report = load_corpus(tmp_path)
    assert reasons(report) == {"big.jsonl": "too large: 150.0 MB > 100 MB limit"}


# --------------------------------------------------------------------------- defect 3: zipped bombs


def _docx_with_extra_member(path: Path, name: str, data: bytes) -> Path:
    write_docx(path, heading="工资支付规定", paragraphs=[SIMPLIFIED, "第二段。"], table=[["a", "b"]])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return path


def test_a_docx_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    _docx_with_extra_member(tmp_path / "bomb.docx", "word/media/zeros.bin", bytes(120 * 1024 * 1024))
    assert (tmp_path / "bomb.docx").stat().st_size < 300 * 1024
    _docx_with_extra_member(
        tmp_path / "xml.docx", "customXml/item9.xml", b"<a>" + b"x" * (40 * 1024 * 1024) + b"</a>"
    )
    (tmp_path / "fine.txt").write_text("工资支付\n" + SIMPLIFIED, encoding="utf-8")
    docs, report = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["fine"]
    bomb = reasons(report)["bomb.docx"]
    assert bomb.startswith("expands too much when unzipped: ") and "> 104,857,600 bytes" in bomb
    assert reasons(report)["xml.docx"].startswith("too much XML when unzipped:")
    assert all("limit in app/limits.py" in r for r in reasons(report).values())


def test_a_docx_whose_member_lies_about_its_size_is_still_measured(tmp_path: Path) -> None:
    """The sizes a zip declares can lie: the members are decompressed and counted."""
    path = _docx_with_extra_member(tmp_path / "liar.docx", "word/media/zeros.bin", bytes(110 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/media/zeros.bin")
    declared = (110 * 1024 * 1024).to_bytes(4, "little")
    small = (1000).to_bytes(4, "little")
    data = data.replace(declared, small)  # local header and central directory both say 1000 bytes
    path.write_bytes(bytes(data))
    _, report = load_corpus(tmp_path)
    reason = reasons(report)["liar.docx"]
    assert info.file_size == 110 * 1024 * 1024
    # zipfile stops at the declared size, so the CRC fails: refused, before python-docx sees it
    assert reason == (
        "corrupt or unreadable DOCX: zip member word/media/zeros.bin: BadZipFile: Bad CRC-32 for file "
        "'word/media/zeros.bin'"
    )


def test_too_many_passages_or_too_much_text_in_one_document(tmp_path: Path, capsys) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sections = "".join(f"【第{n}节】\n内容{n}。\n" for n in range(1, MAX_PASSAGES_PER_DOCUMENT + 2))
    (corpus / "sections.txt").write_text(sections, encoding="utf-8")  # a heading every 12 characters
    (corpus / "huge.txt").write_text("工" * 2_100_000, encoding="utf-8")
    (corpus / "fine.txt").write_text("工资支付\n" + SIMPLIFIED, encoding="utf-8")
    code = main(
        ["build", "--corpus", str(corpus), "--index", str(tmp_path / "i"), "--embed-model", "offline"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "Indexed 1 documents" in out
    assert "skipped huge.txt: too much text: 2,100,000 > 2,000,000 characters per document" in out
    assert "skipped sections.txt: too many passages:" in out and "> 5,000 per document" in out


# --------------------------------------------------------------------------- defect 10: text and names


def test_a_file_of_utf8_and_gbk_lines_decodes_each_line(tmp_path: Path) -> None:
    """Half of such a file came out as mojibake, with only "1 undecodable characters" to show."""
    utf8 = "第一部分：劳动者依法享有获得劳动报酬的权利。\n"
    gbk = "第二部分：用人单位应当依法为劳动者缴纳社会保险费。\n"
    (tmp_path / "mixed.txt").write_bytes(
        utf8.encode() + gbk.encode("gbk") + utf8.encode() + gbk.encode("gbk")
    )
    [doc], report = load_corpus(tmp_path)
    assert doc.text == utf8 + gbk + utf8 + gbk
    assert report.warnings == [
        ("mixed.txt", "mixed encodings: lines in UTF-8 and in gb18030, each line decoded in its own")
    ]


def test_control_characters_in_file_names_are_printed_escaped(tmp_path: Path, capsys) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("clear\x1b[2J.txt", "rlo\u202etxt.exe.txt", "bell\x07.txt"):
        (corpus / name).write_text(f"{name[:4]}通知\n" + SIMPLIFIED + name[:4], encoding="utf-8")
    (corpus / "bad\x1b[31m.xlsx").write_bytes(b"PK")
    index = tmp_path / "index"
    assert main(["build", "--corpus", str(corpus), "--index", str(index), "--embed-model", "offline"]) == 0
    built = capsys.readouterr().out
    assert "\x1b" not in built and "skipped bad\\x1b[31m.xlsx" in built
    assert main(["list", "--index", str(index)]) == 0
    listed = capsys.readouterr().out
    assert "\x1b" not in listed and "\x07" not in listed and "\u202e" not in listed
    assert "clear\\x1b[2J" in listed and "rlo\\u202etxt.exe" in listed and "bell\\x07" in listed
    assert main(["list", "--index", str(index), "--json"]) == 0  # JSON keeps the real names
    assert "clear\x1b[2J" in {d["doc_id"] for d in json.loads(capsys.readouterr().out)["documents"]}


def test_killed_builds_leave_no_temporary_folders_behind(tmp_path: Path) -> None:
    """A killed build's .tmp-* folder (41 MB each in the audit) was kept for an hour."""
    index = tmp_path / "index"
    build(CORPUS, index, "offline", progress=False)
    leftover = index / "builds" / ".tmp-20200101T000000-dead00"
    leftover.mkdir()
    (leftover / "dense.faiss").write_bytes(b"x" * 1000)
    build(CORPUS, index, "offline", progress=False)
    assert not leftover.exists()
    assert [p.name for p in (index / "builds").iterdir() if p.name.startswith(".tmp-")] == []
