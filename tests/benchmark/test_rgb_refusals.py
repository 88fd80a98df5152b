"""The refusal rules on RGB's training split, which they were tuned on (reads ../shared/benchmarks)."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import benchmark_dir

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.benchmark


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of RGB for the tests of this module."""
    return tmp_path_factory.mktemp("rgb_cache")


def test_rgb_withheld_answers_are_refused(cache: Path):
    """RGB's own construction of unanswerable questions, applied to the training split's
    answerable ones (109 more unanswerable questions than RGB ships): the rules were tuned on it."""
    spec = importlib.util.spec_from_file_location("rgb_withheld", ROOT / "scripts" / "rgb_withheld.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    rows = script.refusals(benchmark_dir("rgb_zh"), "train", cache)
    assert len(rows) == 109
    assert sum(r["refused"] for r in rows) / len(rows) >= 0.65


def test_rgb_training_questions_refused_and_answered(capsys, tmp_path, monkeypatch, cache: Path):
    """The refusal goal on the split the rules were tuned on (even ids); odd ids are reported, not
    tested. Guards against a change that quietly undoes the evidence tests."""
    from app.cli import main as cli_main

    folder = benchmark_dir("rgb_zh")
    monkeypatch.setenv("GONGYOU_EVAL_CACHE", str(cache))
    argv = ["eval", "--json", "--benchmark", str(folder), "--split", "train", "--out", str(tmp_path / "out")]
    assert cli_main([*argv, "--embed-model", "offline"]) == 0
    answers = json.loads(capsys.readouterr().out)["answers"]
    assert answers["refusal_rate_unanswerable"]["value"] >= 0.6
    assert answers["false_refusal_rate"]["value"] <= 0.15


def test_news_questions_are_refused_by_news_rules_too(tmp_path, capsys, cache: Path):
    """On RGB's unanswerable training questions, the rules written for news questions do part of
    the refusing: `ask --json` names the rule of each refusal."""
    from app.cli import main as cli_main
    from app.evaluation.cache import cached_index
    from app.evaluation.datasets import load_benchmark

    folder = benchmark_dir("rgb_zh")
    dataset = load_benchmark(folder, None, "train", None)
    index = cached_index(dataset, "offline", cache, progress=False)
    unanswerable = [item.question for item in dataset.items if not item.answerable]
    questions = tmp_path / "questions.txt"
    questions.write_text("\n".join(unanswerable), encoding="utf-8")
    assert cli_main(["ask", "--index", str(index), "--input", str(questions)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    rules = Counter(r["refusal_rule"] for r in rows if r["refused"])
    assert all(r["refusal_rule"] is None for r in rows if not r["refused"])
    assert sum(n for rule, n in rules.items() if rule.startswith("news.")) >= 3, rules
