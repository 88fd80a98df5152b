"""The `gongyou` parser after its split into app/cli/: every sub-command and flag still parses to
the handler of its concern, flag checks still reject bad values, and importing the CLI loads no
heavy library (the CLI must start fast).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from app.cli import parser

# Each sub-command with every flag it documents, and the module its handler lives in.
COMMANDS = [
    (
        "build --corpus c --index i --embed-model offline --chunk-size 300 --chunk-overlap 30 "
        "--follow-links --shards 4 --ray auto --workers 2",
        "index_commands",
    ),
    ("add a.txt b.docx --index i --follow-links", "index_commands"),
    ("remove doc-1 doc-2 --index i", "index_commands"),
    ("list --index i --json", "index_commands"),
    (
        "search 加班费 --index i -k 7 --json --mode bm25 --ray --replicas 2 --shard-replicas 2",
        "question_commands",
    ),
    (
        "ask 加班费 --index i -k 3 --json --answerer extractive --llm http://x --llm-model m "
        "--llm-key-env K --llm-timeout 2.5 --ray ray://h:1 --replicas 3",
        "question_commands",
    ),
    ("ask --input questions.txt", "question_commands"),
    ("explain 加班费 -k 4 --index i", "question_commands"),
    (
        "eval --benchmark b --split test --subset s.jsonl --retrieval bm25,dense --out o --json "
        "--limit 5 --min-recall10 0.5 --min-accuracy 0.5 --answerer extractive,llm",
        "question_commands",
    ),
    ("eval --set eval/labour_statutes.jsonl --split train", "question_commands"),
    (
        "serve --corpus c --index i --host 0.0.0.0 --port 8080 --auth a.txt --data d "
        "--feedback-days 30 --ray --replicas 2",
        "admin_commands",
    ),
    ("feedback export --data d --out f.jsonl", "admin_commands"),
    ("feedback purge --older-than 7", "admin_commands"),
    ("hash-password admin", "admin_commands"),
]


@pytest.mark.parametrize(("line", "module"), COMMANDS, ids=[c[0].split()[0] for c in COMMANDS])
def test_every_flag_parses_to_the_handler_of_its_concern(line: str, module: str) -> None:
    args = parser().parse_args(line.split())
    assert args.func.__module__ == f"app.cli.{module}"


def test_flag_values_are_read_not_just_accepted() -> None:
    args = parser().parse_args("build --shards 4 --ray --workers 2".split())
    assert (args.shards, args.ray, args.workers) == (4, "local", 2)
    args = parser().parse_args("ask q -k 9 --ray ray://h:1 --replicas 3 --shard-replicas 2".split())
    assert (args.k, args.ray, args.replicas, args.shard_replicas) == (9, "ray://h:1", 3, 2)
    assert parser().parse_args(["ask", "q"]).ray is None


@pytest.mark.parametrize(
    "line",
    ["ask q -k 0", "ask q -k many", "build --shards 0", "serve --port 70000", "search q --mode fuzzy"],
)
def test_bad_flag_values_exit_2_with_a_message(line: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(line.split())
    assert exit_.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = (
        "import sys, app.cli, app.cli.parser;"
        "heavy = [m for m in ('numpy', 'torch', 'gradio', 'ray', 'jieba', 'faiss') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
