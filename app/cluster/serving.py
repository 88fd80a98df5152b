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
import time
from pathlib import Path
from typing import Any

import ray

from app.cluster.connect import ClusterProblem
from app.search.coverage import Coverage
from app.search.legs import Query
from app.search.scatter import Gathered, LegRequest, ShardReply, merge_replies, rank_shard
from app.settings import current

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


def shard_names(build: Path, count: int, serving: str) -> list[str]:
    """The names of the shard actors one serving process starts for a build (replicas look them
    up by name: handles passed as arguments would live in the object store, which Ray cannot
    promise to keep for an actor's restart)."""
    return [f"shard-{build.name}-{serving}-{number}" for number in range(count)]


def start_shards(names: list[str], build: Path) -> list[Any]:
    """One actor per shard of the build, loaded (raises ClusterProblem when one cannot load)."""
    handles = [
        ray.remote(ShardActor)
        .options(name=name, num_cpus=current().ray_shard_cpus, max_restarts=-1, max_task_retries=0)
        .remote(str(build), number)
        for number, name in enumerate(names)
    ]
    try:
        ray.get([h.ready.remote() for h in handles], timeout=LOAD_TIMEOUT_S)
    except (ray.exceptions.RayError, TimeoutError) as exc:
        stop(handles)
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
    """The shards of one build as Ray actors; `gather` waits at most the deadline."""

    @classmethod
    def named(cls, names: list[str], deadline_ms: float | None = None) -> RayShards:
        return cls([ray.get_actor(name) for name in names], deadline_ms)

    def __init__(self, handles: list[Any], deadline_ms: float | None = None) -> None:
        self.handles = handles
        self.deadline_ms = current().shard_deadline_ms if deadline_ms is None else deadline_ms
        self.coverage_of_all = Coverage(len(handles), distributed=True)

    def gather(self, query: Query, want: int, legs: LegRequest) -> Gathered:
        started = time.perf_counter()
        refs = [handle.rank.remote(query, want, legs) for handle in self.handles]
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
                continue
            try:
                replies.append(ray.get(ref))
            except ray.exceptions.RayError:  # the actor died or its task failed: restarting
                missing.append(number)
                timings[f"shard{number}_failed"] = (time.perf_counter() - started) * 1000
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
