"""`gongyou eval` on the shared benchmarks (../shared/benchmarks; skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, benchmark_dir
from eval_fixtures import run_eval

from app.evaluation.datasets import read_jsonl
from app.text.normalize import match_form


@pytest.fixture(scope="session")
def eval_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index cache for the whole session, outside the repository."""
    return tmp_path_factory.mktemp("eval-cache")


@pytest.fixture(autouse=True)
def _cache_env(eval_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGYOU_EVAL_CACHE", str(eval_cache))
    monkeypatch.delenv("GONGYOU_EMBED_MODEL", raising=False)


@pytest.mark.benchmark
def test_lecoqa_train_sample(capsys, tmp_path):
    folder = benchmark_dir("lecoqa")
    code, metrics, err = run_eval(
        capsys, "--benchmark", str(folder), "--split", "train", "--limit", "60", "--retrieval", "bm25,hybrid",
        "--out", str(tmp_path), "--embed-model", "offline",
    )  # fmt: skip
    assert code == 0, err
    assert metrics["n"] == 60 and metrics["config"]["label"] == "lecoqa-train"
    assert metrics["retrieval"]["configs"]["bm25"]["recall@20"]["value"] > 0.3  # untuned bigram BM25: 0.57
    assert metrics["answers"]["accuracy"]["value"] is None  # no short answers: retrieval and citations only
    assert metrics["answers"]["citation_precision"]["n"] > 0
    rows = (tmp_path / "per_question.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(json.loads(r)["tags"][0] in ("domain_labor", "non_labor") for r in rows)
    code, metrics, _ = run_eval(
        capsys, "--benchmark", str(folder), "--subset", "queries_labor.jsonl", "--split", "train",
        "--limit", "30", "--out", str(tmp_path / "labor"), "--embed-model", "offline",
    )  # fmt: skip
    assert code == 0 and set(metrics["retrieval"]["configs"]["hybrid"]["by_tag"]["hit@5"]) == {"domain_labor"}


@pytest.mark.benchmark
def test_rgb_train_sample(capsys, tmp_path):
    folder = benchmark_dir("rgb_zh")
    code, metrics, err = run_eval(
        capsys, "--benchmark", str(folder), "--split", "train", "--limit", "80", "--out", str(tmp_path),
        "--embed-model", "offline",
    )  # fmt: skip
    assert code == 0, err
    rows = [json.loads(r) for r in (tmp_path / "per_question.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 80 and all(int(r["id"].rsplit("-", 1)[1]) % 2 == 0 for r in rows)
    hybrid = metrics["retrieval"]["configs"]["hybrid"]
    assert hybrid["skipped"] > 0 and hybrid["mrr@20"]["value"] > 0.5  # untuned bigram BM25: 0.739
    assert "lenient" in metrics["retrieval"]
    answers = metrics["answers"]
    assert answers["accuracy"]["n"] > 0 and answers["refusal_rate_unanswerable"]["n"] > 0


LABOUR_SET = ROOT / "eval" / "labour_statutes.jsonl"


@pytest.mark.benchmark
def test_labour_statutes_set_matches_the_statutes():
    """Our worker questions against LeCoQA's statutes: each gold article exists and states every
    answer part; for each unanswerable question, what an answer would have to say is in no article."""
    folder = benchmark_dir("lecoqa")
    lines = (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    articles = {row["id"]: match_form(row["text"]) for row in map(json.loads, lines)}
    questions = read_jsonl(LABOUR_SET)
    assert len(questions) >= 50 and len({q["id"] for q in questions}) == len(questions)
    for q in questions:
        assert set(q["gold_ids"]) <= set(q["answer_bearing_ids"]) <= set(articles), q["id"]
        for alternatives in q["answer_parts"]:
            assert any(any(match_form(a) in articles[g] for a in alternatives) for g in q["gold_ids"]), (
                f"{q['id']}: no gold article states {alternatives}"
            )
        if not q["answerable"]:
            assert q["absent"] and not q["gold_ids"], q["id"]
            for phrase in q["absent"]:
                assert not any(match_form(phrase) in text for text in articles.values()), (q["id"], phrase)


@pytest.mark.benchmark
def test_labour_statutes_set_runs_against_the_lecoqa_corpus(capsys, tmp_path, monkeypatch):
    folder = benchmark_dir("lecoqa")
    monkeypatch.chdir(ROOT)  # --subset takes a path relative to where gongyou runs
    code, metrics, err = run_eval(
        capsys, "--benchmark", str(folder), "--subset", str(LABOUR_SET.relative_to(ROOT)), "--split", "train",
        "--out", str(tmp_path), "--embed-model", "offline",
    )  # fmt: skip
    assert code == 0, err
    assert metrics["config"]["label"] == "lecoqa-train-labour_statutes"
    answers = metrics["answers"]
    assert answers["accuracy"]["n"] == 22 and answers["refusal_rate_unanswerable"]["n"] == 6
    assert set(metrics["retrieval"]["configs"]["hybrid"]["by_tag"]["hit@5"]) >= {"wages", "injury", "en"}
