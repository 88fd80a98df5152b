"""The feedback store: SQLite round trip, the JSON Lines export, and nothing stored about users."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.web.feedback import DB_NAME, FeedbackStore

ROOT = Path(__file__).resolve().parents[2]
CITATIONS = [
    {
        "n": 1,
        "doc_id": "hubei",
        "chunk_id": "hubei#3",
        "title": "湖北省2020年全省产业工人队伍建设改革暨联络员工作视频会议",
        "label": "《湖北省2020年全省产业工人队伍建设改革暨联络员工作视频会议》",
        "sentences": ["高技能人才總量達270.5萬人"],
    }
]


def _record(store: FeedbackStore, verdict: str = "like", **kw) -> int:
    return store.record(
        question=kw.pop("question", "湖北省高技能人才总量有多少?"),
        answer="高技能人才总量达270.5万人。[1]",
        citations=CITATIONS,
        verdict=verdict,
        build="20250101T000000-abc",
        **kw,
    )


def test_round_trip_keeps_question_answer_citations_verdict_time_and_build(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "data")
    assert store.records() == []  # no database yet, and reading does not create one
    assert not (tmp_path / "data").exists()
    _record(store, "like")
    _record(store, "wrong_citation", question="那云南呢?", standalone_question="云南省高技能人才总量有多少?")
    _record(store, "dislike")
    records = store.records()
    assert [r["verdict"] for r in records] == ["like", "wrong_citation", "dislike"]
    first = records[0]
    assert first["question"] == "湖北省高技能人才总量有多少?"
    assert first["standalone_question"] == first["question"]
    assert first["answer"] == "高技能人才总量达270.5万人。[1]"
    assert first["citations"] == CITATIONS
    assert first["build"] == "20250101T000000-abc"
    assert first["time"].endswith("+00:00")  # UTC, ISO 8601
    assert records[1]["standalone_question"] == "云南省高技能人才总量有多少?"
    assert (tmp_path / "data" / DB_NAME).is_file()


def test_unknown_verdict_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="verdict"):
        _record(FeedbackStore(tmp_path), "meh")


def test_export_writes_json_lines_with_the_documented_fields(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path)
    _record(store, "like")
    _record(store, "dislike")
    out = tmp_path / "export" / "feedback.jsonl"
    assert store.export_jsonl(out) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    rows = [json.loads(line) for line in lines]
    assert set(rows[0]) == {
        "question",
        "standalone_question",
        "answer",
        "citations",
        "verdict",
        "time",
        "build",
    }
    assert rows[1]["verdict"] == "dislike"
    assert "湖北" in lines[0]  # UTF-8, not \\u escapes


def test_export_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = FeedbackStore(tmp_path)
    _record(store)
    assert store.export_jsonl(None) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "like"


def test_nothing_about_users_is_stored_unless_the_operator_turns_it_on(tmp_path: Path) -> None:
    plain = FeedbackStore(tmp_path / "plain")
    _record(plain, user="agent-007")
    with sqlite3.connect(plain.path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(feedback)")]
        (user,) = db.execute("SELECT user FROM feedback").fetchone()
    assert user is None
    # The only columns: the answer and its verdict, time and build; no IP, session or browser.
    assert set(columns) == {
        "id", "time", "question", "standalone_question", "answer", "citations", "verdict", "build", "user",
    }  # fmt: skip
    assert "user" not in plain.records()[0]

    opted_in = FeedbackStore(tmp_path / "opted", store_user=True)
    _record(opted_in, user="agent-007")
    assert opted_in.records()[0]["user"] == "agent-007"


def test_gongyou_feedback_export_command(tmp_path: Path) -> None:
    _record(FeedbackStore(tmp_path))
    out = tmp_path / "fb.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "app", "feedback", "export", "--data", str(tmp_path), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Exported 1 feedback records" in done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["verdict"] == "like"
