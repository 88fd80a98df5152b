"""Feedback from the chat UI: like / dislike / wrong citation, kept in a local SQLite file.

One row per click, in `<data>/feedback.sqlite3`: the question (as asked and as resolved against the
conversation), the answer, its citations (JSON), the verdict, the UTC time and the index build that
answered. Nothing about the person is stored: no IP address, no session, no browser. An operator
can opt in to storing the signed-in user name (`store_user=True`, `GONGYOU_FEEDBACK_USER=1`); it is
only ever known when the server runs with `--auth`.

`gongyou feedback export` writes one JSON object per line, which the evaluation suite can turn into
questions (a disliked or wrong-citation answer is a regression test waiting to be written).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

VERDICTS = ("like", "dislike", "wrong_citation")
DB_NAME = "feedback.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    time                TEXT NOT NULL,            -- UTC, ISO 8601
    question            TEXT NOT NULL,            -- as asked
    standalone_question TEXT,                     -- a follow-up resolved against the conversation
    answer              TEXT NOT NULL,
    citations           TEXT NOT NULL,            -- JSON list
    verdict             TEXT NOT NULL CHECK (verdict IN ('like', 'dislike', 'wrong_citation')),
    build               TEXT,                     -- index build id that answered
    user                TEXT                      -- NULL unless the operator turned it on
)
"""

EXPORT_FIELDS = ("question", "standalone_question", "answer", "citations", "verdict", "time", "build")


class FeedbackStore:
    """Append-only feedback records in `data_dir/feedback.sqlite3` (created on the first record)."""

    def __init__(self, data_dir: Path, *, store_user: bool = False) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.store_user = store_user
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute(_SCHEMA)
        return connection

    def record(
        self,
        *,
        question: str,
        answer: str,
        citations: list[dict[str, Any]],
        verdict: str,
        build: str | None = None,
        standalone_question: str | None = None,
        user: str | None = None,
    ) -> int:
        """Store one verdict; returns its row id. `user` is dropped unless store_user is on."""
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
        row = (
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
            question,
            standalone_question if standalone_question != question else None,
            answer,
            json.dumps(citations, ensure_ascii=False),
            verdict,
            build,
            user if self.store_user else None,
        )
        with self._lock:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as db, db:
                cursor = db.execute(
                    "INSERT INTO feedback (time, question, standalone_question, answer, citations,"
                    " verdict, build, user) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                return int(cursor.lastrowid or 0)

    def records(self) -> list[dict[str, Any]]:
        """Every record, oldest first, as the export writes it."""
        if not self.path.exists():
            return []
        with self._lock, closing(sqlite3.connect(self.path, timeout=10)) as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM feedback ORDER BY id").fetchall()
        out = []
        for row in rows:
            record: dict[str, Any] = {name: row[name] for name in EXPORT_FIELDS}
            record["citations"] = json.loads(row["citations"])
            if record["standalone_question"] is None:
                record["standalone_question"] = record["question"]
            if row["user"] is not None:
                record["user"] = row["user"]
            out.append(record)
        return out

    def export_jsonl(self, path: Path | None = None) -> int:
        """Write the records as JSON Lines to path (stdout when None); returns how many."""
        records = self.records()
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        if path is None:
            sys.stdout.write(lines)
            sys.stdout.flush()
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(lines, encoding="utf-8")
        return len(records)
