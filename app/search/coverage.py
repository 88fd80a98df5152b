"""Which shards answered a search, and what an answer says when some did not.

A search through a Ray cluster waits for each shard up to a deadline (app/settings.py
`shard_deadline_ms`); a shard that fails or misses it is left out rather than failing or holding
up the request. The answer then says it may be incomplete (the note is data:
app/data/messages/partial.json), and `--json` reports the shards in `mode.shards`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.datafiles import DATA_DIR

NOTICE_FILE = DATA_DIR / "messages" / "partial.json"


@dataclass(frozen=True)
class Coverage:
    """Which shards answered a search (`missing`: those that failed or missed the deadline)."""

    shards: int
    missing: tuple[int, ...] = ()
    distributed: bool = False  # searched by other processes (a Ray cluster), not this one

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def reported(self) -> bool:
        """Whether answers report it (`mode.shards`): sharded or distributed searches only, so an
        unsharded index searched in-process answers exactly as before."""
        return self.shards > 1 or self.distributed or not self.complete

    def as_mode(self) -> dict[str, Any]:
        return {
            "count": self.shards,
            "answered": self.shards - len(self.missing),
            "missing": list(self.missing),
            "complete": self.complete,
            "distributed": self.distributed,
        }

    def combined(self, other: Coverage) -> Coverage:
        """Coverage of two searches behind one answer (a shard missing from either is missing)."""
        missing = tuple(sorted(set(self.missing) | set(other.missing)))
        return Coverage(max(self.shards, other.shards), missing, self.distributed or other.distributed)


@cache
def _notices() -> dict[str, str]:
    raw = json.loads(NOTICE_FILE.read_text(encoding="utf-8"))
    from app.answer.messages import HOTLINE

    return {k: v.replace("{hotline}", HOTLINE) for k, v in raw.items() if not k.startswith("_")}


def incomplete_notice(language: str) -> str:
    """The note appended to an answer some shards did not contribute to (zh-Hans by default)."""
    notices = _notices()
    return notices.get(language, notices["zh-Hans"])
