"""Distributed builds: a Ray cluster's workers embed and tokenize, this process writes the index.

`RayWorkers` is a `BuildWorkers` (app/index/workers.py): `gongyou build --ray` hands it to
`build()`, which reuses the vectors and tokens of unchanged passages as always and writes the
index atomically here. Each worker is an actor that loads the embedder once (the very one this
process resolved: its name and recorded identity are checked on the worker) and reserves one CPU,
or one GPU on a cluster that has GPUs. Batches go to the least busy worker, two in flight per
worker so none idles between batches. A batch whose worker dies (killed, its node lost) is sent
again to whichever worker is free, and every result lands in its batch's own slot, so no passage
is lost or counted twice; `facts()` records the workers and the batches sent again.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import ray

from app.cluster.connect import ClusterProblem
from app.index.embedders.base import Embedder
from app.index.workers import EMBED_BATCH, batch_ranges
from app.settings import current

IN_FLIGHT = 2  # batches queued per worker: the next one is there when a batch ends
REST_S = 0.5  # a worker Ray is restarting gets no batch for this long (it refuses them meanwhile)
PATIENCE_S = 600.0  # how long a batch may wait for a worker that keeps restarting


class BuildWorker:
    """One worker process: tokenizes, and embeds with the embedder it loads on first use."""

    def __init__(self, record: dict[str, Any] | None) -> None:
        self.record = record  # the driver's embedder: name, dim and identity
        self.embedder: Embedder | None = None

    def ready(self) -> dict[str, Any]:
        from app.index.tokens import tokens_fingerprint

        return {"tokens_fingerprint": tokens_fingerprint(), "pid": os.getpid(), "gpus": ray.get_gpu_ids()}

    def embed(self, texts: list[str]) -> np.ndarray:
        if self.embedder is None:
            from app.index.embedders.registry import embedder_that_built

            assert self.record is not None
            self.embedder = embedder_that_built(self.record)
        return self.embedder.embed_passages(texts)

    def tokenize(self, texts: list[str]) -> list[list[str]]:
        from app.text.segment import tokenize_many

        return list(tokenize_many(texts))


class RayWorkers:
    """Build workers on the connected Ray cluster (one per CPU, or per GPU, unless `count`).

    `on_batch(batches_done)` is called after each finished batch (tests kill a worker from it).
    """

    def __init__(self, count: int | None = None, on_batch: Callable[[int], None] | None = None) -> None:
        self.count = count
        self.on_batch = on_batch
        self.handles: list[Any] = []
        self.record: dict[str, Any] | None = None
        self.retried = 0
        self.batches_done = 0
        self.gpus_per_worker = 0
        self.rates: dict[str, float] = {}

    # ----------------------------------------------------------------- workers

    def _start(self, record: dict[str, Any] | None) -> None:
        if self.handles and record == self.record:
            return
        self.close()
        resources = ray.cluster_resources()
        gpus = int(resources.get("GPU", 0))
        self.gpus_per_worker = 1 if gpus else 0
        count = self.count or gpus or max(1, int(resources.get("CPU", 1)))
        actor = ray.remote(BuildWorker).options(
            num_cpus=1, num_gpus=self.gpus_per_worker, max_restarts=-1, max_task_retries=0
        )
        self.record = record
        self.handles = [actor.remote(record) for _ in range(count)]
        from app.index.tokens import tokens_fingerprint

        mine = tokens_fingerprint()
        for facts in ray.get([h.ready.remote() for h in self.handles]):
            if facts["tokens_fingerprint"] != mine:
                self.close()
                raise ClusterProblem(
                    "A Ray worker segments text differently from this machine (another Gongyou version or "
                    "glossary): install the same Gongyou on every node of the cluster."
                )

    def close(self) -> None:
        for handle in self.handles:
            ray.kill(handle, no_restart=True)
        self.handles = []

    # ----------------------------------------------------------------- scheduling

    def _run(self, method: str, batches: Sequence[list[str]], bar) -> Iterator[tuple[int, Any]]:
        """(batch number, result) as batches finish; a batch whose worker failed is sent again.

        Every batch sent again counts in `retried`. A batch uses up one of its attempts when its
        task failed; when its worker was killed or is restarting (Ray cannot say whether the task
        ran), it is simply sent again, to another worker or after the restart.
        """
        pending = deque(range(len(batches)))
        attempts = [0] * len(batches)
        inflight: dict[Any, tuple[int, int]] = {}
        load = [0] * len(self.handles)
        resting = [0.0] * len(self.handles)  # monotonic time until which a worker gets no batch
        started = time.monotonic()
        while pending or inflight:
            now = time.monotonic()
            while pending:
                awake = [w for w in range(len(load)) if resting[w] <= now and load[w] < IN_FLIGHT]
                if not awake:
                    break
                worker = min(awake, key=load.__getitem__)
                number = pending.popleft()
                ref = getattr(self.handles[worker], method).remote(batches[number])
                inflight[ref] = (number, worker)
                load[worker] += 1
            if not inflight:  # every worker is restarting
                if now - started > PATIENCE_S:
                    raise ClusterProblem(f"No Ray build worker came back within {PATIENCE_S:.0f} s.")
                time.sleep(REST_S / 5)
                continue
            ready, _ = ray.wait(list(inflight), num_returns=1)
            for ref in ready:
                number, worker = inflight.pop(ref)
                load[worker] -= 1
                try:
                    result = ray.get(ref)
                except ray.exceptions.ActorUnavailableError:  # killed or restarting: send it again
                    self.retried += 1
                    resting[worker] = time.monotonic() + REST_S
                    pending.appendleft(number)
                    continue
                except ray.exceptions.RayError as exc:
                    attempts[number] += 1
                    if attempts[number] >= current().build_batch_attempts:
                        raise ClusterProblem(
                            f"A batch of {len(batches[number])} passages failed {attempts[number]} times "
                            f"on the Ray workers; the last error: {_cause(exc)}"
                        ) from exc
                    self.retried += 1
                    resting[worker] = time.monotonic() + REST_S
                    pending.appendleft(number)
                    if bar is not None:
                        bar.set_postfix(workers=len(self.handles), retried=self.retried)
                    continue
                self.batches_done += 1
                if bar is not None:
                    bar.update(len(batches[number]))
                yield number, result
                if self.on_batch is not None:
                    self.on_batch(self.batches_done)

    def _bar(self, what: str, total: int, show: bool):
        if not show:
            return None
        from tqdm import tqdm

        desc = f"{what} on {len(self.handles)} Ray workers"
        bar = tqdm(total=total, desc=desc, unit="passage", file=sys.stderr, smoothing=0.1)
        bar.set_postfix(workers=len(self.handles), retried=self.retried)
        return bar

    # ----------------------------------------------------------------- BuildWorkers

    def embed(self, embedder: Embedder, texts: Sequence[str], progress: bool) -> np.ndarray:
        self._start({"name": embedder.name, "dim": embedder.dim, **embedder.identity})
        ranges = batch_ranges(len(texts), EMBED_BATCH)
        batches = [list(texts[r.start : r.stop]) for r in ranges]
        vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        started = time.perf_counter()
        bar = self._bar("embedding", len(texts), progress)
        for number, block in self._run("embed", batches, bar):
            vectors[ranges[number].start : ranges[number].stop] = block
        if bar is not None:
            bar.close()
        self.rates["embed_passages_per_second"] = round(len(texts) / (time.perf_counter() - started), 1)
        return vectors

    def tokenize(self, texts: Sequence[str]) -> Iterator[list[str]]:
        self._start(self.record)
        size = current().tokenize_batch
        batches = [list(texts[i : i + size]) for i in range(0, len(texts), size)]
        waiting: dict[int, list[list[str]]] = {}
        following = 0
        started = time.perf_counter()
        for number, tokens in self._run("tokenize", batches, None):
            waiting[number] = tokens
            while following in waiting:  # in text order, whatever order batches finish in
                yield from waiting.pop(following)
                following += 1
        self.rates["tokenize_passages_per_second"] = round(len(texts) / (time.perf_counter() - started), 1)

    def facts(self) -> dict[str, Any]:
        return {
            "engine": "ray",
            "workers": len(self.handles),
            "gpus_per_worker": self.gpus_per_worker,
            "retried_batches": self.retried,
            **self.rates,
        }


def _cause(exc: Exception) -> str:
    cause = getattr(exc, "cause", None)
    return f"{type(cause).__name__}: {cause}" if cause is not None else str(exc).splitlines()[0]
