"""The committed reader on the shipped corpus, with the real bundled model: it reranks, it judges
answerability, explain shows its scores, and --reader switches it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.evaluation.datasets import load_dev
from app.evaluation.judge import attach_text_relevance, chunk_forms
from app.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def readers(shipped_index: Path) -> dict[str, Pipeline]:
    return {"off": Pipeline(shipped_index, reader="off"), "on": Pipeline(shipped_index, reader="on")}


@pytest.fixture(scope="module")
def dev(readers):
    dataset = load_dev(ROOT / "eval" / "questions.jsonl", None, None)
    attach_text_relevance(dataset.items, chunk_forms(readers["off"].index))
    return dataset.items


def test_reader_on_keeps_the_dev_sets_passages_and_refusals(readers, dev):
    """The development set is no worse with the reader: gold in the top 5, unanswerable refused."""
    hit5, refused = {}, {}
    for name, pipeline in readers.items():
        answerable = [i for i in dev if i.answerable and i.gold]
        hit5[name] = sum(
            any(h.chunk.chunk_id in i.gold for h in pipeline.search(i.question, k=5).hits) for i in answerable
        )
        refused[name] = sum(pipeline.ask(i.question).answer.refused for i in dev if not i.answerable)
    assert hit5["on"] >= hit5["off"] - 1
    # The reader must not refuse fewer; the rules alone refuse 15 of the 17 (README, dev set figures).
    assert refused["on"] >= refused["off"] >= sum(not i.answerable for i in dev) - 3


def test_reader_reorders_and_reports_its_step(readers):
    question = "用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同吗？"
    on = readers["on"].ask(question)
    assert "reader" in on.timings_ms and not on.answer.refused
    assert readers["on"].mode["reader"] == "on" and readers["off"].mode["reader"] == "off"
    assert [h.rank for h in on.hits] == list(range(1, len(on.hits) + 1))


def test_explain_shows_the_readers_scores_and_rule(readers):
    from app.answer.explain import explanation_text

    text = explanation_text(readers["on"].explain("加班费怎么算?"))
    assert "reader 0." in text and "Reader 阅读器: answerable" in text and "reader.unanswerable" in text
    assert "Reader 阅读器" not in explanation_text(readers["off"].explain("加班费怎么算?"))


def test_cli_reader_flag(shipped_index: Path, tmp_path: Path):
    from app.cli import main

    assert (
        main(["ask", "试用期最长能定多长时间？", "--index", str(shipped_index), "--reader", "off", "--json"])
        == 0
    )


def test_reader_on_refuses_an_offline_index_clearly(tmp_path: Path, capsys):
    from app.cli import main
    from app.index.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("技工院校招生工作由人力资源社会保障部门负责。" * 3, encoding="utf-8")
    build(corpus, tmp_path / "index", "offline", progress=False)
    code = main(["ask", "技工院校招生", "--index", str(tmp_path / "index"), "--reader", "on"])
    assert code == 1 and "bundled model" in capsys.readouterr().err
    assert main(["ask", "技工院校招生", "--index", str(tmp_path / "index"), "--json"]) == 0  # auto: off


def test_cli_json_mode_names_the_reader(shipped_index: Path, capsys):
    from app.cli import main

    assert (
        main(["ask", "试用期最长能定多长时间？", "--index", str(shipped_index), "--reader", "on", "--json"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["mode"]["reader"] == "on"
