"""The feedback store: SQLite round trip, the JSON Lines export, nothing stored about users, files
readable by their owner only, retention and purge, and a damaged database."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.web.feedback import DB_NAME, FeedbackDamaged, FeedbackStore

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


# ---- privacy: owner-only files, retention, purge; a damaged database -------------------------------


def _age_rows(store: FeedbackStore, days: int) -> None:
    """Move every record `days` into the past (as if it had been given then)."""
    old = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE feedback SET time = ?", (old,))


def test_the_database_and_its_folder_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask, which gave 0644 before
    try:
        store = FeedbackStore(tmp_path / "data")
        _record(store)
        journal_seen = []
        with sqlite3.connect(store.path) as db:  # a write transaction creates the rollback journal
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM feedback WHERE id = -1")
            journal_seen = [p for p in (tmp_path / "data").iterdir() if p.name.endswith("-journal")]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in journal_seen}
        assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
        assert all(mode == 0o600 for mode in modes.values()), modes
        out = tmp_path / "export.jsonl"
        store.export_jsonl(out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    finally:
        os.umask(previous)


def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path)
    _record(store)
    os.chmod(store.path, 0o644)
    _record(store)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_records_older_than_the_retention_are_purged_and_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.web import feedback

    store = FeedbackStore(tmp_path, retention_days=30)
    _record(store, question="旧问题：我的老板拖欠工资")
    _age_rows(store, 31)
    _record(store, question="新问题")
    assert len(store.records()) == 2  # purged at most hourly: not yet
    monkeypatch.setattr(feedback, "PURGE_EVERY_S", 0.0)  # an hour later
    _record(store, question="新问题")
    assert [r["question"] for r in store.records()] == ["新问题", "新问题"]
    assert "旧问题".encode() not in store.path.read_bytes()  # secure_delete: not left in free pages
    kept_forever = FeedbackStore(tmp_path / "forever", retention_days=0)
    _record(kept_forever)
    _age_rows(kept_forever, 3650)
    _record(kept_forever)
    assert len(kept_forever.records()) == 2


def test_the_server_purges_at_start_without_waiting_for_feedback(tmp_path: Path) -> None:
    import time

    store = FeedbackStore(tmp_path, retention_days=30)
    _record(store)
    _age_rows(store, 40)
    assert FeedbackStore(tmp_path, retention_days=0).keep_purging() is None  # 0: kept for ever
    restarted = FeedbackStore(tmp_path, retention_days=30)
    restarted.keep_purging()
    deadline = time.time() + 10
    while time.time() < deadline and restarted.records():
        time.sleep(0.05)
    assert restarted.records() == []


def test_purge_by_age_and_everything(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path)
    _record(store)
    _age_rows(store, 10)
    _record(store)
    assert store.purge(5) == 1 and len(store.records()) == 1
    assert store.purge(everything=True) == 1
    assert not store.path.exists() and store.records() == []


def test_a_damaged_database_is_set_aside_and_feedback_keeps_being_recorded(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path)
    store.path.write_bytes(b"this is not a database " * 100)
    with pytest.raises(FeedbackDamaged, match="cannot be read"):
        store.records()  # before: sqlite3.DatabaseError, a traceback from `feedback export`
    _record(store)  # before: the same error on every click
    assert len(store.records()) == 1
    (aside,) = tmp_path.glob(f"{DB_NAME}.damaged-*")
    assert aside.read_bytes().startswith(b"this is not a database")
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    os.utime(aside, (0, 0))  # set aside long ago: the retention applies to it too
    assert store.purge(30) == 0 and not aside.exists()


def test_another_programs_database_is_not_written_into(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE feedback (id INTEGER PRIMARY KEY, note TEXT)")
    store = FeedbackStore(tmp_path)
    _record(store)
    assert len(store.records()) == 1 and list(tmp_path.glob(f"{DB_NAME}.damaged-*"))


def _gongyou(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", "feedback", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_gongyou_feedback_purge_command(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path)
    _record(store)
    _age_rows(store, 200)
    _record(store)
    done = _gongyou("purge", "--data", str(tmp_path))  # the default retention, 90 days
    assert done.returncode == 0, done.stderr
    assert "Deleted 1 feedback records older than 90 days" in done.stderr
    done = _gongyou("purge", "--all", "--data", str(tmp_path))
    assert done.returncode == 0 and "Deleted all 1" in done.stderr and not store.path.exists()
    assert _gongyou("purge", "--older-than", "-3", "--data", str(tmp_path)).returncode == 2


def test_feedback_export_of_a_damaged_database_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"garbage" * 200)
    done = _gongyou("export", "--data", str(tmp_path))
    assert done.returncode == 1
    assert "cannot be read" in done.stderr and "purge --all" in done.stderr and "Traceback" not in done.stderr
