"""`gongyou ask --llm` and `gongyou eval --answerer extractive,llm` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT
from eval_fixtures import run_eval
from llm_fixtures import ScriptedServer, closed_port
from test_cli import run

FIXTURE = ROOT / "tests" / "fixtures" / "tiny_benchmark"
QUESTION = "到2035年要培养多少名大国工匠?"


def test_ask_with_an_unreachable_model_answers_extractively_and_says_why(shipped_index: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    out = run("ask", QUESTION, "--index", str(shipped_index), "--json", "--llm", url, "--llm-model", "m")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    mode = data["mode"]
    assert mode["answerer"] == "extractive" and mode["answerer_requested"] == "llm"
    assert mode["fallback"].startswith("refused") and mode["llm"]["kind"] == "openai"
    assert mode["removed_sentences"] == 0 and "2000名" in data["answer"]
    assert data["generation"] == {"raw": None, "removed": [], "timings_ms": data["generation"]["timings_ms"]}


def test_a_model_that_cannot_be_used_is_a_clear_error(shipped_index: Path, tmp_path: Path) -> None:
    out = run("ask", QUESTION, "--index", str(shipped_index), "--answerer", "llm")
    assert out.returncode == 2 and "needs a model" in out.stderr and "Traceback" not in out.stderr
    out = run("ask", QUESTION, "--index", str(shipped_index), "--llm", str(tmp_path / "missing.gguf"))
    assert out.returncode == 1 and "cannot be used" in out.stderr and "Traceback" not in out.stderr
    out = run("ask", QUESTION, "--index", str(shipped_index), "--llm", str(tmp_path / "nothing"))
    assert out.returncode == 1 and "not a URL" in out.stderr


@pytest.fixture()
def eval_cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGYOU_EVAL_CACHE", str(tmp_path / "cache"))


def test_eval_compares_answerers_side_by_side(capsys, tmp_path: Path, eval_cache_env) -> None:
    server = ScriptedServer()
    # Whatever the question, one sentence that copies nothing and one with an invented figure.
    server.reply = "用人单位应当支付二倍的工资[1]。劳动者每月可以领取9999元补贴[1]。"
    try:
        code, metrics, err = run_eval(
            capsys, "--benchmark", str(FIXTURE), "--embed-model", "offline", "--out", str(tmp_path / "r"),
            "--answerer", "extractive,llm", "--llm", server.url, "--llm-timeout", "300",
        )  # fmt: skip
    finally:
        server.close()
    assert code == 0, err
    compared = metrics["answerers"]
    assert list(compared) == ["extractive", "llm"]
    extractive, llm = compared["extractive"], compared["llm"]
    assert extractive["generated_sentences"] == 0 and extractive["answered_by_model"] is None
    assert llm["generated_sentences"] >= 2 and llm["removed_by_check"].get("figure.unsupported", 0) >= 1
    assert llm["removed_sentences"] >= llm["removed_by_check"]["figure.unsupported"]
    assert {"accuracy", "answer_precision", "latency_ms", "removed_per_answer"} <= set(llm)
    assert metrics["config"]["answerers"]["llm"]["llm"]["kind"] == "openai"
    report = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "## Answerers side by side" in report and "| llm |" in report
    rows = [json.loads(r) for r in (tmp_path / "r" / "per_question.jsonl").read_text().splitlines()]
    assert all(set(r["answerers"]) == {"extractive", "llm"} for r in rows if "answerers" in r)
    assert all("9999" not in r["answerers"]["llm"]["answer"] for r in rows if "answerers" in r)
