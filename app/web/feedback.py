"""Feedback from the chat UI: like / dislike / wrong citation, kept in a local SQLite file.

One row per click, in `<data>/feedback.sqlite3`: the question (as asked and as resolved against the
conversation), the answer, its citations (JSON), the verdict, the UTC time and the index build that
answered. Nothing about the person is stored: no IP address, no session, no browser. An operator
can opt in to storing the signed-in administrator's name (`store_user=True`,
`GONGYOU_FEEDBACK_USER=1`); workers never sign in, so their feedback never has one.

Questions can be personal ("my boss in 东莞 has not paid me since March"), so the file is readable by
its owner only (0600; the data folder 0700 when Gongyou creates it), deleted rows are overwritten
(`secure_delete`), and rows older than the retention (`--feedback-days`, `GONGYOU_FEEDBACK_DAYS`,
90 days by default; 0 keeps them) are purged by the server at start and hourly, and by
`gongyou feedback purge`. A damaged database is set aside as `feedback.sqlite3.damaged-<time>`
(same permissions, purged with the rest after the retention) and a new one is started, so clicks
keep being recorded.

`gongyou feedback export` writes one JSON object per line, which the evaluation suite can turn into
questions (a disliked or wrong-citation answer is a regression test waiting to be written).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import threading
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from app.errors import GongyouError

log = logging.getLogger("gongyou.ui")

VERDICTS = ("like", "dislike", "wrong_citation")
DB_NAME = "feedback.sqlite3"
DAMAGED = ".damaged-"
DEFAULT_RETENTION_DAYS = 90
PURGE_EVERY_S = 3600.0
COLUMNS = ("id", "time", "question", "standalone_question", "answer", "citations", "verdict", "build", "user")

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


class FeedbackDamaged(GongyouError):
    """The feedback database cannot be read."""


NOT_OURS = "not a Gongyou feedback database"


def _unusable(exc: sqlite3.Error) -> bool:
    """Is this the file itself (damaged, or another program's database), not a passing problem?"""
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc)
    return (
        code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
        or "not a database" in text
        or NOT_OURS in text
    )


def _private_file(path: Path) -> None:
    """Create path readable by its owner only, or take others' access away from an existing one."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)


class FeedbackStore:
    """Feedback records in `data_dir/feedback.sqlite3` (created on the first record)."""

    def __init__(
        self, data_dir: Path, *, store_user: bool = False, retention_days: int | None = None
    ) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.store_user = store_user
        self.retention_days = DEFAULT_RETENTION_DAYS if retention_days is None else retention_days
        self._lock = threading.Lock()
        self._last_purge = float("-inf")

    def _connect(self) -> sqlite3.Connection:
        """A connection to a private file with the expected table (raises sqlite3 errors)."""
        if not self.data_dir.exists():
            self.data_dir.mkdir(parents=True, mode=0o700)
        _private_file(self.path)
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute(_SCHEMA)
            columns = tuple(row[1] for row in connection.execute("PRAGMA table_info(feedback)"))
            if columns != COLUMNS:
                raise sqlite3.DatabaseError(f"{NOT_OURS} (columns {columns})")
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    def _set_aside(self, exc: sqlite3.Error) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{DB_NAME}{DAMAGED}{stamp}")
        self.path.replace(target)
        log.error("feedback database %s is damaged (%s); set aside as %s, starting a new one",
                  self.path, exc, target.name)  # fmt: skip

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
            for attempt in (1, 2):
                try:
                    with closing(self._connect()) as db, db:
                        cursor = db.execute(
                            "INSERT INTO feedback (time, question, standalone_question, answer,"
                            " citations, verdict, build, user) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            row,
                        )
                        row_id = int(cursor.lastrowid or 0)
                    break
                except sqlite3.DatabaseError as exc:
                    if attempt == 2 or not _unusable(exc):
                        raise
                    self._set_aside(exc)
            if time.monotonic() - self._last_purge > PURGE_EVERY_S and self.retention_days > 0:
                self._purge_locked(self.retention_days)
        return row_id

    def _read(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        try:
            with self._lock, closing(self._connect()) as db:
                db.row_factory = sqlite3.Row
                return db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            if not _unusable(exc):
                raise
            raise FeedbackDamaged(
                f"The feedback database {self.path} cannot be read ({exc}). The server sets it aside "
                f"as {DB_NAME}{DAMAGED}<time> and starts a new one at the next feedback; "
                "`gongyou feedback purge --all` deletes it now."
            ) from exc

    def records(self) -> list[dict[str, Any]]:
        """Every record, oldest first, as the export writes it."""
        if not self.path.exists():
            return []
        out = []
        for row in self._read("SELECT * FROM feedback ORDER BY id"):
            record: dict[str, Any] = {name: row[name] for name in EXPORT_FIELDS}
            record["citations"] = json.loads(row["citations"])
            if record["standalone_question"] is None:
                record["standalone_question"] = record["question"]
            if row["user"] is not None:
                record["user"] = row["user"]
            out.append(record)
        return out

    def purge(self, older_than_days: float | None = None, *, everything: bool = False) -> int:
        """Delete records older than the given days (the retention by default), or every record and
        the database itself; set-aside damaged copies go the same way. Returns the records deleted."""
        with self._lock:
            if everything:
                count = 0
                if self.path.exists():
                    try:
                        with closing(self._connect()) as db:
                            count = db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
                    except sqlite3.DatabaseError:
                        count = 0  # damaged: it goes all the same
                for path in [self.path, *self._damaged_copies(), *self._journals()]:
                    path.unlink(missing_ok=True)
                return count
            days = self.retention_days if older_than_days is None else older_than_days
            return self._purge_locked(days)

    def _purge_locked(self, days: float) -> int:
        self._last_purge = time.monotonic()
        cutoff = datetime.now(timezone.utc) - timedelta(days=days)
        for copy in self._damaged_copies():
            if datetime.fromtimestamp(copy.stat().st_mtime, timezone.utc) < cutoff:
                copy.unlink(missing_ok=True)
        if not self.path.exists():
            return 0
        try:
            with closing(self._connect()) as db, db:
                cursor = db.execute(
                    "DELETE FROM feedback WHERE time < ?", (cutoff.isoformat(timespec="seconds"),)
                )
                return cursor.rowcount
        except sqlite3.DatabaseError as exc:
            if not _unusable(exc):
                raise
            raise FeedbackDamaged(
                f"The feedback database {self.path} cannot be read ({exc}); "
                "`gongyou feedback purge --all` deletes it."
            ) from exc

    def keep_purging(self) -> threading.Thread | None:
        """Purge expired records now and every PURGE_EVERY_S in a daemon thread (the server's), so the
        retention holds even when nobody gives feedback for a while."""
        if self.retention_days <= 0:
            return None

        def loop() -> None:
            while True:
                try:
                    with self._lock:
                        self._purge_locked(self.retention_days)
                except Exception as exc:  # a damaged file is set aside at the next record
                    log.warning("purging old feedback failed: %s", exc)
                time.sleep(PURGE_EVERY_S)

        thread = threading.Thread(target=loop, name="gongyou-feedback-purge", daemon=True)
        thread.start()
        return thread

    def _damaged_copies(self) -> list[Path]:
        return sorted(self.data_dir.glob(f"{DB_NAME}{DAMAGED}*")) if self.data_dir.exists() else []

    def _journals(self) -> list[Path]:
        return [self.path.with_name(DB_NAME + suffix) for suffix in ("-journal", "-wal", "-shm")]

    def export_jsonl(self, path: Path | None = None) -> int:
        """Write the records as JSON Lines to path (stdout when None); returns how many."""
        records = self.records()
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        if path is None:
            sys.stdout.write(lines)
            sys.stdout.flush()
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            _private_file(Path(path))  # the questions stay owner-only in the export too
            Path(path).write_text(lines, encoding="utf-8")
        return len(records)
