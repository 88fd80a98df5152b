"""scripts/get_benchmarks.py: hand-made rows in LeCoQA's, LawRefBook's and RGB's original formats
(tests/fixtures/benchmark_originals) converted to the shared format, field by field."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
import tarfile
import urllib.error
from pathlib import Path

import pytest
from conftest import BENCHMARKS, ROOT, benchmark_dir

sys.path.insert(0, str(ROOT / "scripts"))

import convert_lecoqa
import convert_rgb
import get_benchmarks

ORIGINALS = ROOT / "tests" / "fixtures" / "benchmark_originals"
SOURCES = json.loads((ROOT / "scripts" / "benchmark_sources.json").read_text(encoding="utf-8"))


def load(name: str) -> list[dict]:
    return json.loads((ORIGINALS / "lecoqa" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lecoqa() -> convert_lecoqa.LecoqaSet:
    library = get_benchmarks.LawLibrary(ORIGINALS)
    return convert_lecoqa.convert_lecoqa(
        load("queries.json"), load("train.json"), load("test.json"), library.paths(), library.read, SOURCES
    )


@pytest.fixture(scope="module")
def rgb() -> convert_rgb.RgbSet:
    return convert_rgb.convert_rgb(get_benchmarks.read_json_lines(ORIGINALS / "rgb" / "zh_refine.json"))


def test_lecoqa_question_rows(lecoqa):
    first, loan, shares, _, social = lecoqa.queries
    assert first == {
        "id": "leco-0",
        "question": "老板三个月没发钱，我能直接走人并要补偿吗？",
        "answers": ["您好，单位未及时足额支付劳动报酬的，您可以解除劳动合同，并要求经济补偿。"],
        "gold_ids": ["劳动合同法第三十八条"],
        "answerable": True,
        "keywords": "欠薪；解除合同",
        "domain_labor": True,
        "split": "train",
        "stard_match_id": [9001],
    }
    assert list(first) == ["id", "question", "answers", "gold_ids", "answerable", "keywords",
                           "domain_labor", "split", "stard_match_id"]  # fmt: skip
    # 中华人民共和国 and 《》 leave the ids; NaN keywords become "", a NaN answer no answer.
    assert loan["gold_ids"] == ["民法典第六百七十五条", "最高人民法院关于适用民事诉讼法的解释第一条"]
    assert loan["keywords"] == "" and loan["split"] == "test" and loan["stard_match_id"] == [375, 40001]
    assert loan["answers"] == ["您好，借款人应当按期还款；到期不还的，您可以向被告住所地的法院起诉。\n"]
    assert shares["answers"] == [] and shares["gold_ids"] == ["公司法第七十一条"]
    # Labour: a gold article of a labour law (leco-0, no labour word), or 职工 in the question (leco-4).
    assert [q["id"] for q in lecoqa.queries if q["domain_labor"]] == ["leco-0", "leco-4"]
    assert social["split"] == "test"


def test_lecoqa_corpus_rows(lecoqa):
    by_id = {row["id"]: row for row in lecoqa.corpus}
    assert [(row["id"], row["src"]) for row in lecoqa.corpus] == [
        ("公司法第七十二条", "lrb"),  # 2018 version: its 第七十一条 is the text LeCoQA quotes
        ("劳动合同法第一条", "lrb"),
        ("劳动合同法第二条", "lrb"),
        ("劳动合同法第三十九条", "lrb"),
        ("工伤保险条例第一条", "lrb"),  # a labour law no question cites
        ("工伤保险条例第十四条", "lrb"),
        ("民法典第九百六十七条", "lrb"),  # books in path order: 合同编 before 总则
        ("民法典第一条", "lrb"),
        ("公司法第七十一条", "gold"),
        ("劳动合同法第三十八条", "gold"),
        ("最高人民法院关于适用民事诉讼法的解释第一条", "gold"),
        ("民法典第一百五十三条", "gold"),
        ("民法典第九百六十条", "gold"),
        ("民法典第六百七十五条", "gold"),
    ]
    assert "民法典第九百六十六条" not in by_id  # same words as the gold 第九百六十条
    assert "旅行社条例第一条" not in by_id  # neither cited nor a labour law
    assert by_id["劳动合同法第二条"] == {
        "id": "劳动合同法第二条",
        "title": "劳动合同法第二条",
        "text": "中华人民共和国境内的用人单位与劳动者建立劳动关系，适用本法。\n"
        "国家机关、事业单位与其建立劳动关系的劳动者，依照本法执行。",
        "lang": "zh",
        "law": "劳动合同法",
        "src": "lrb",
    }
    assert by_id["劳动合同法第三十九条"]["text"].startswith("劳动者在试用期间")  # full-width space
    assert by_id["民法典第九百六十七条"]["text"] == "合伙合同是两个以上合伙人为了共同的事业目的订立的协议。"
    assert by_id["民法典第九百六十条"] == {
        "id": "民法典第九百六十条",
        "title": "中华人民共和国民法典第九百六十条",
        "text": "本章没有规定的，参照适用委托合同的有关规定。",
        "lang": "zh",
        "law": "民法典",
        "src": "gold",
    }
    assert by_id["劳动合同法第三十八条"]["text"].endswith("\n\n（一）未及时足额支付劳动报酬的。")
    assert "最高人民法院关于适用民事诉讼法的解释" in lecoqa.missing_laws
    assert len(lecoqa.missing_laws) == 1 + 28 - 2  # the fixture holds two of the 28 labour laws


def test_article_parsing_ends_an_article_at_a_heading():
    markdown = "# 某法\n<!-- INFO END -->\n第一条 甲。\n\n乙。\n## 第二章\n无编号的节名\n第二条之一 丙。\n"
    articles = convert_lecoqa.parse_articles("某法", markdown)
    assert [(a.id, a.text) for a in articles] == [("某法第一条", "甲。\n乙。"), ("某法第二条之一", "丙。")]


def test_rgb_corpus_pools_passages_once_without_withheld_ones(rgb):
    assert [row["id"] for row in rgb.corpus] == [
        "rgb-p0-0", "rgb-p0-1", "rgb-n0-0", "rgb-n0-2", "rgb-n1-0",
        "rgb-p2-0", "rgb-n2-0", "rgb-p3-0", "rgb-n4-0",
    ]  # fmt: skip
    # NBSP, CR LF and runs of spaces collapse to one space.
    text = "Jan 3, 2030 ... 青河市新建12座 公园， 覆盖全市各区。"
    assert rgb.corpus[1] == {"id": "rgb-p0-1", "title": "", "text": text, "lang": "zh"}


def test_rgb_question_rows(rgb):
    parks, marathon, actor, jury, cup = rgb.queries
    assert parks == {
        "id": "rgb-0",
        "question": "青河市到2030年要新建多少座公园",
        "answers": ["12座"],
        "answer_parts": [["12座"]],
        "gold_ids": ["rgb-p0-0", "rgb-p0-1"],
        "answerable": True,
        "answer_bearing_ids": ["rgb-n0-2", "rgb-p0-0", "rgb-p0-1"],
        "candidate_ids": ["rgb-n0-0", "rgb-n0-2", "rgb-p0-0", "rgb-p0-1"],
        "negative_ids": ["rgb-n0-0", "rgb-n0-2"],  # rgb-n0-1 repeats rgb-n0-0 but for a trailing space
        "withheld_positive_ids": [],
    }
    # Only its own positive names 李明: withheld, so the question is unanswerable.
    assert (marathon["answerable"], marathon["gold_ids"], marathon["withheld_positive_ids"]) == (
        False, [], ["rgb-p1-0"],
    )  # fmt: skip
    assert marathon["candidate_ids"] == marathon["negative_ids"] == ["rgb-n1-0"]
    assert marathon["answer_bearing_ids"] == []
    # Two questions answered by each other's positives both stay answerable.
    assert actor["answerable"] and jury["answerable"]
    assert actor["answer_bearing_ids"] == jury["answer_bearing_ids"] == ["rgb-p2-0", "rgb-p3-0"]
    assert jury["negative_ids"] == ["rgb-n0-0"]  # a negative shared with rgb-0 keeps rgb-0's id
    # Its answer is elsewhere only in rgb-1's positive, withheld before rgb-4 is considered.
    assert cup["answer_parts"] == [["30元", "三十元"], ["周一"]]
    assert cup["answers"] == ["30元", "三十元", "周一"]
    assert (cup["answerable"], cup["withheld_positive_ids"]) == (False, ["rgb-p4-0"])


def test_script_converts_a_folder_or_an_archive_of_originals(tmp_path, capsys):
    originals = tmp_path / "originals"
    shutil.copytree(ORIGINALS, originals)
    shutil.rmtree(originals / "lawrefbook")
    with tarfile.open(originals / "lawrefbook.tar.gz", "w:gz") as tar:  # shaped like GitHub's archive
        tar.add(ORIGINALS / "lawrefbook", arcname="Laws-2f4c5c2")
    assert get_benchmarks.main(["--from", str(originals), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr()
    counts = json.loads(out.out.strip().splitlines()[-1])
    assert counts["lecoqa"]["passages"] == 14 and counts["lecoqa"]["labour"] == 2
    assert counts["rgb_zh"] == {"passages": 9, "questions": 5, "unanswerable": 2}
    assert "LICENSE-LeCoQA.txt missing" in out.err  # the fixture has no licence files
    labour = (tmp_path / "out" / "lecoqa" / "queries_labor.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in labour] == ["leco-0", "leco-4"]
    assert (tmp_path / "out" / "rgb_zh" / "corpus.jsonl").read_text(encoding="utf-8").count("\n") == 9


def test_failed_download_names_the_file_and_the_way_out(tmp_path, monkeypatch, capsys):
    def offline(url, timeout):
        assert timeout == get_benchmarks.TIMEOUT_S
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(get_benchmarks.urllib.request, "urlopen", offline)
    assert get_benchmarks.main(["--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Could not download https://raw.githubusercontent.com/oneal2000/LeCoQA/" in err
    assert f"--from {tmp_path / 'originals'}" in err
    assert not list((tmp_path / "originals").rglob("*.part"))


def test_download_refuses_a_file_that_is_not_the_pinned_one(tmp_path, monkeypatch):
    monkeypatch.setattr(get_benchmarks.urllib.request, "urlopen", lambda url, timeout: io.BytesIO(b"changed"))
    entry = SOURCES["downloads"][0]
    with pytest.raises(get_benchmarks.SourceProblem, match="expected " + entry["sha256"]):
        get_benchmarks.download(entry, tmp_path)
    assert not (tmp_path / entry["to"]).exists()


def test_sources_file_schema():
    commit = r"/[0-9a-f]{40}"
    raw = re.compile(rf"^https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+{commit}/\S+$")
    archive = re.compile(rf"^https://github\.com/[\w.-]+/[\w.-]+/archive{commit}\.tar\.gz$")
    targets = [entry["to"] for entry in SOURCES["downloads"]]
    assert len(set(targets)) == len(targets)
    for entry in SOURCES["downloads"]:
        assert set(entry) == {"to", "url", "sha256"}, entry
        assert (raw if entry["sha256"] else archive).match(entry["url"]), entry  # pinned to a commit
        assert entry["sha256"] is None or re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]), entry
    # Only GitHub's generated archive has no stable checksum.
    assert [e["to"] for e in SOURCES["downloads"] if e["sha256"] is None] == ["lawrefbook.tar.gz"]
    needed = {"lecoqa/queries.json", "lecoqa/train.json", "lecoqa/test.json", "rgb/zh_refine.json"}
    assert needed <= set(targets)
    assert len(SOURCES["labour_laws"]) == len(set(SOURCES["labour_laws"])) == 28
    assert all(isinstance(t, str) and t for t in SOURCES["labour_terms"])
    assert SOURCES["multi_file_laws"] == {"民法典": "民法典/"}


def _shape(row: dict) -> dict:
    return {key: type(value).__name__ for key, value in row.items()}


@pytest.mark.benchmark
@pytest.mark.parametrize("name", ["lecoqa", "rgb_zh"])
def test_converted_rows_have_the_shared_files_shape(name, lecoqa, rgb):
    """The fixture's rows have the keys, key order and value types of the shared files' rows."""
    folder = benchmark_dir(name)
    converted = lecoqa if name == "lecoqa" else rgb
    for file, rows in (("corpus.jsonl", converted.corpus), ("queries.jsonl", converted.queries)):
        with open(folder / file, encoding="utf-8") as handle:
            shared = [json.loads(line) for line, _ in zip(handle, range(200))]
        assert {json.dumps(_shape(r)) for r in rows} <= {json.dumps(_shape(r)) for r in shared}, file


@pytest.mark.benchmark
def test_real_originals_convert_to_the_shared_files_byte_for_byte(tmp_path):
    """Runs when the originals have been downloaded (../shared/benchmarks/originals, or the folder
    named by GONGYOU_BENCHMARK_ORIGINALS): the conversion reproduces every shared file exactly."""
    benchmark_dir("lecoqa")
    originals = Path(os.environ.get("GONGYOU_BENCHMARK_ORIGINALS", BENCHMARKS / "originals"))
    if not (originals / "lecoqa" / "queries.json").is_file():
        pytest.skip(f"original benchmark files not found at {originals} (run scripts/get_benchmarks.py)")
    get_benchmarks.convert_all(originals, tmp_path, SOURCES)
    for file in ("lecoqa/corpus.jsonl", "lecoqa/queries.jsonl", "lecoqa/queries_labor.jsonl",
                 "rgb_zh/corpus.jsonl", "rgb_zh/queries.jsonl"):  # fmt: skip
        assert (tmp_path / file).read_bytes() == (BENCHMARKS / file).read_bytes(), file
