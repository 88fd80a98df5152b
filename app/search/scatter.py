"""Scatter-gather over an index's shards: every shard ranks the query by both legs, the best
candidates of each leg are merged by score, and fusion (app/search/retriever.py) runs once over
the merged lists.

Merging is exact: a shard's scores equal the unsharded index's (BM25 with the collection's
statistics, app/index/shards.py; cosine over the same vectors), candidates are ordered by score
then global row, and the best `want` of a whole index are the best `want` among the best `want`
of each shard. An unsharded index is the one-shard case of the same code.

`ShardSet` is what the retriever searches through: `LocalShards` here (in this process, every
shard always answers) or a Ray cluster's shard actors (app/cluster/serving.py), which may report
shards that missed the deadline in the `Coverage` of the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from app.search.coverage import Coverage
from app.search.legs import BM25Leg, Candidate, DenseLeg, LegResult, Query

if TYPE_CHECKING:
    from app.index.shards import Shard
    from app.index.store import Index


@dataclass(frozen=True)
class LegRequest:
    """Which legs a search wants and how the lexical leg weighs expansion terms."""

    lexical: bool
    semantic: bool
    expansion_weight: float


@dataclass
class ShardReply:
    """One shard's candidates per leg, in global rows, best first."""

    number: int
    lexical: LegResult
    semantic: LegResult


@dataclass
class Gathered:
    lexical: LegResult
    semantic: LegResult
    coverage: Coverage
    timings_ms: dict[str, float] = field(default_factory=dict)


class ShardSet(Protocol):
    """What the retriever searches: some shards, in this process or elsewhere."""

    coverage_of_all: Coverage  # the coverage of a search every shard answered

    def gather(self, query: Query, want: int, legs: LegRequest) -> Gathered: ...

    def close(self) -> None: ...


def rank_shard(shard: Shard, query: Query, want: int, legs: LegRequest) -> ShardReply:
    """Both legs over one shard, candidates in global rows (also run inside a shard's actor)."""
    lexical = semantic = LegResult()
    if legs.lexical:
        lexical = _in_global_rows(shard, BM25Leg(shard.bm25, legs.expansion_weight).rank(query, want))
    if legs.semantic:
        semantic = _in_global_rows(shard, DenseLeg(shard.dense, None, shard.size).rank(query, want))
    return ShardReply(shard.number, lexical, semantic)


def _in_global_rows(shard: Shard, result: LegResult) -> LegResult:
    if shard.rows is None:
        return result
    rows = shard.rows
    return LegResult([Candidate(int(rows[c.row]), c.score) for c in result.candidates], result.timings_ms)


def merge_leg(
    results: Sequence[LegResult], want: int, combine: Callable[[Iterable[float]], float]
) -> LegResult:
    """The best `want` candidates of the shards' lists (score, then the lower row); each timing
    combined over the shards (sum when they ran one after another, max when in parallel)."""
    if len(results) == 1:
        return results[0]
    pool = [c for result in results for c in result.candidates]
    pool.sort(key=lambda c: (-c.score, c.row))
    timings: dict[str, list[float]] = {}
    for result in results:
        for stage, ms in result.timings_ms.items():
            timings.setdefault(stage, []).append(ms)
    return LegResult(pool[:want], {stage: combine(values) for stage, values in timings.items()})


def merge_replies(
    replies: Sequence[ShardReply],
    want: int,
    coverage: Coverage,
    combine: Callable[[Iterable[float]], float],
) -> Gathered:
    return Gathered(
        merge_leg([r.lexical for r in replies], want, combine),
        merge_leg([r.semantic for r in replies], want, combine),
        coverage,
    )


class LocalShards:
    """Every shard in this process, searched one after another (no deadline: all answer)."""

    def __init__(self, shards: Sequence[Shard]) -> None:
        self.shards = list(shards)
        self.coverage_of_all = Coverage(len(self.shards))

    @classmethod
    def of(cls, index: Index) -> LocalShards:
        """An index's shards: each shard of a sharded build, or the unsharded build as one."""
        from app.index.shards import Shard, load_shard
        from app.index.store import IndexProblem, rebuild_hint

        if not index.sharded:
            return cls([Shard(0, index.bm25, index.dense)])
        try:
            return cls([load_shard(index.folder, n) for n in range(index.shard_count)])
        except (OSError, ValueError) as exc:
            raise IndexProblem(
                f"A shard of the index at {index.folder.parent.parent} is damaged ({exc}). "
                f"Rebuild it: {rebuild_hint(index.folder.parent.parent)} --shards {index.shard_count}"
            ) from exc

    def gather(self, query: Query, want: int, legs: LegRequest) -> Gathered:
        replies = [rank_shard(shard, query, want, legs) for shard in self.shards]
        return merge_replies(replies, want, self.coverage_of_all, sum)

    def close(self) -> None:
        """Nothing to release: the shards are this process's memory."""
