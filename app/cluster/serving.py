"""Sharded serving on Ray: one actor per shard, searched by scatter-gather with a deadline.

`RayShards` is a `ShardSet` (app/search/scatter.py), the second implementation beside the
in-process `LocalShards`: the retriever embeds the question once, every shard actor ranks it by
both legs (`rank_shard`, the same function the in-process path runs), and fusion runs once over
the merged candidates, so answers equal the in-process ones. A shard that fails or does not
answer within `shard_deadline_ms` (app/settings.py) is left out: the search reports it in its
`Coverage` and `timings_ms` (`shard<k>_failed` / `shard<k>_timeout`), and the answer says it may
be incomplete. Shard actors restart by themselves (reloading their shard) after a crash.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from pathlib import Path
from typing import Any

import ray

from app.cluster.connect import ClusterProblem
from app.search.coverage import Coverage
from app.search.legs import Query
from app.search.scatter import Gathered, LegRequest, ShardReply, merge_replies, rank_shard
from app.settings import current

SUSPECT_S = 5.0  # a shard copy that failed is skipped this long (Ray restarts a crashed one in seconds)
LOAD_TIMEOUT_S = 600  # loading a shard of millions of passages from a shared disk can take minutes


class ShardActor:
    """One shard of a build, loaded once (and again after a restart), ranking questions."""

    def __init__(self, build: str, number: int) -> None:
        from app.index.shards import load_shard

        self.shard = load_shard(Path(build), number)

    def ready(self) -> int:
        return self.shard.size

    def rank(self, query: Query, want: int, legs: LegRequest) -> ShardReply:
        return rank_shard(self.shard, query, want, legs)


def shard_names(build: Path, count: int, serving: str, copies: int = 1) -> list[list[str]]:
    """The names of the shard actors (copies of each shard) one serving process starts for a
    build. Replicas look them up by name: handles passed as arguments would live in the object
    store, which Ray cannot promise to keep for an actor's restart."""
    return [[f"shard-{build.name}-{serving}-{n}-{c}" for c in range(copies)] for n in range(count)]


def start_shards(names: list[list[str]], build: Path) -> list[list[Any]]:
    """The actors of every copy of every shard, loaded (ClusterProblem when one cannot load)."""
    handles = [
        [
            ray.remote(ShardActor)
            .options(name=name, num_cpus=current().ray_shard_cpus, max_restarts=-1, max_task_retries=0)
            .remote(str(build), number)
            for name in copies
        ]
        for number, copies in enumerate(names)
    ]
    try:
        ray.get([h.ready.remote() for copies in handles for h in copies], timeout=LOAD_TIMEOUT_S)
    except (ray.exceptions.RayError, TimeoutError) as exc:
        stop([h for copies in handles for h in copies])
        raise ClusterProblem(
            f"The shards of {build} could not be loaded on the Ray cluster ({str(exc).splitlines()[0]}). "
            "Every node needs the index folder at the same path."
        ) from exc
    return handles


def stop(handles: list[Any]) -> None:
    for handle in handles:
        with contextlib.suppress(ray.exceptions.RayError):  # already gone
            ray.kill(handle, no_restart=True)


class RayShards:
    """The shards of one build as Ray actors; `gather` waits at most the deadline.

    With several copies of a shard, questions take turns among them, and a copy that failed or
    missed the deadline is passed over for `SUSPECT_S`, so one dead copy costs at most one
    partial answer while Ray restarts it.
    """

    @classmethod
    def named(cls, names: list[list[str]], deadline_ms: float | None = None) -> RayShards:
        return cls([[ray.get_actor(name) for name in copies] for copies in names], deadline_ms)

    def __init__(self, handles: list[list[Any]], deadline_ms: float | None = None) -> None:
        self.handles = handles
        self.deadline_ms = current().shard_deadline_ms if deadline_ms is None else deadline_ms
        self.coverage_of_all = Coverage(len(handles), distributed=True)
        self._turn = itertools.count()
        self._suspect_until = [[0.0] * len(copies) for copies in handles]

    def _copy(self, number: int, turn: int) -> int:
        """The copy of a shard that takes this question: its turn, unless it is suspect."""
        copies = len(self.handles[number])
        now = time.monotonic()
        order = [(turn + offset) % copies for offset in range(copies)]
        return next((c for c in order if self._suspect_until[number][c] <= now), order[0])

    def gather(self, query: Query, want: int, legs: LegRequest) -> Gathered:
        started = time.perf_counter()
        turn = next(self._turn)
        chosen = [self._copy(number, turn) for number in range(len(self.handles))]
        refs = [self.handles[n][c].rank.remote(query, want, legs) for n, c in enumerate(chosen)]
        ready, _ = ray.wait(refs, num_returns=len(refs), timeout=self.deadline_ms / 1000)
        answered = set(ready)
        replies: list[ShardReply] = []
        missing: list[int] = []
        timings: dict[str, float] = {}
        for number, ref in enumerate(refs):
            if ref not in answered:
                missing.append(number)
                timings[f"shard{number}_timeout"] = self.deadline_ms
                _cancel(ref)
            else:
                try:
                    replies.append(ray.get(ref))
                    continue
                except ray.exceptions.RayError:  # the actor died or its task failed: restarting
                    missing.append(number)
                    timings[f"shard{number}_failed"] = (time.perf_counter() - started) * 1000
            self._suspect_until[number][chosen[number]] = time.monotonic() + SUSPECT_S
        coverage = Coverage(len(self.handles), tuple(missing), distributed=True)
        gathered = merge_replies(replies, want, coverage, max)  # shards ran in parallel
        gathered.timings_ms = {"gather": (time.perf_counter() - started) * 1000, **timings}
        return gathered

    def close(self) -> None:
        """The actors belong to whoever started them (app/cluster/frontend.py stops them)."""


def _cancel(ref: Any) -> None:
    """Drop a late shard's queued task (a restarting actor would otherwise run stale questions)."""
    # Best effort: a running task of a sync actor cannot be cancelled, only a queued one.
    with contextlib.suppress(Exception):
        ray.cancel(ref)
