"""Answering on Ray: replicas of the answering front end over one actor per shard.

`gongyou serve --ray` (and `ask`/`search --ray`) calls `serve_with(RayServing(...))`
(app/pipeline.py), so every pipeline this process opens is a `RemotePipeline`: the same
interface (`ask`, `search`, `mode`, `index.build_id`) as the in-process `Pipeline`, answered by
`FrontEnd` actors. Each replica holds a `Pipeline` over the build's passages whose retriever
searches the shard actors (app/cluster/serving.py); questions go to the replicas in turn, so
the UI process only serves HTTP. A replica that dies is restarted by Ray and the question is
asked again of another replica. When a new build becomes current, `get_pipeline` opens a new
RemotePipeline (new actors) and closes the old one after a grace period for questions in flight.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ray

from app.cluster.connect import ClusterProblem
from app.cluster.serving import LOAD_TIMEOUT_S, RayShards, shard_names, start_shards, stop
from app.errors import GongyouError
from app.generate.answerers import AnswererConfig
from app.index.store import current_build, read_manifest
from app.pipeline import AskResult, Pipeline, SearchResult
from app.settings import current

CLOSE_GRACE_S = 30.0  # an old build's actors outlive the swap by this much (questions in flight)


class FrontEnd:
    """One answering replica: a Pipeline whose shards are the build's shard actors."""

    def __init__(
        self,
        index_dir: str,
        embed_model: str | None,
        shards: list[list[str]],
        deadline_ms: float | None,
        answerer: AnswererConfig | None = None,
        reader: str | None = None,
    ) -> None:
        self.pipeline = Pipeline(
            Path(index_dir),
            embed_model,
            answerer,
            shards=lambda index: RayShards.named(shards, deadline_ms),
            reader=reader,
        )

    def build_id(self) -> str:
        return self.pipeline.index.build_id

    def mode(self) -> dict[str, Any]:
        return self.pipeline.mode

    def ask(self, question: str, history: list[str], k: int | None) -> AskResult:
        return self.pipeline.ask(question, history, k)

    def search(self, question: str, k: int, mode: str) -> SearchResult:
        return self.pipeline.search(question, k=k, mode=mode)


@dataclass(frozen=True)
class ServedIndex:
    """What the UI process knows of the build the cluster serves (its passages stay there)."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def build_id(self) -> str:
        return self.manifest["build_id"]

    @property
    def embedder_name(self) -> str:
        return self.manifest["embedder"]["name"]


class RemotePipeline:
    """A Pipeline's interface, answered by FrontEnd replicas on the Ray cluster."""

    def __init__(
        self,
        index_dir: Path,
        embed_model: str | None,
        replicas: int,
        deadline_ms: float | None = None,
        shard_copies: int = 1,
        answerer: AnswererConfig | None = None,
        reader: str | None = None,
    ) -> None:
        build = current_build(index_dir)
        manifest = read_manifest(index_dir)  # raises IndexProblem with the fix when there is none
        assert build is not None
        self.index = ServedIndex(build, manifest)
        count = int((manifest.get("shards") or {}).get("count", 1))
        names = shard_names(build, count, uuid.uuid4().hex[:8], shard_copies)  # this pipeline's own
        self.shards = start_shards(names, build)
        settings = current()
        actor = ray.remote(FrontEnd).options(
            num_cpus=settings.ray_replica_cpus,
            max_concurrency=settings.ray_replica_concurrency,
            max_restarts=-1,
            max_task_retries=0,
        )
        self.replicas = [
            actor.remote(str(index_dir), embed_model, names, deadline_ms, answerer, reader)
            for _ in range(replicas)
        ]
        try:
            built = ray.get([r.build_id.remote() for r in self.replicas], timeout=LOAD_TIMEOUT_S)
            self._mode = ray.get(self.replicas[0].mode.remote())
        except ray.exceptions.RayError as exc:
            self._stop()
            cause = getattr(exc, "cause", None)
            if isinstance(cause, GongyouError):
                raise cause from None  # e.g. the index needs a rebuild: the message says how
            raise ClusterProblem(
                f"The answering replicas could not start: {str(exc).splitlines()[0]}"
            ) from exc
        if any(b != self.index.build_id for b in built):  # a build swapped in meanwhile: next call reloads
            self.index = ServedIndex(build, {**manifest, "build_id": built[0]})
        self._turn = itertools.count()

    @property
    def mode(self) -> dict[str, Any]:
        return {**self._mode, "replicas": len(self.replicas)}

    def _call(self, method: str, *args: Any) -> Any:
        """Ask each replica in turn until one answers (a dead one is being restarted by Ray)."""
        first = next(self._turn)
        last: Exception | None = None
        for offset in range(len(self.replicas)):
            replica = self.replicas[(first + offset) % len(self.replicas)]
            try:
                return ray.get(getattr(replica, method).remote(*args))
            except ray.exceptions.RayTaskError as exc:
                if isinstance(exc.cause, GongyouError):  # bad input, index problems: the user's message
                    raise exc.cause from None
                raise
            except ray.exceptions.RayError as exc:  # the replica died: try the next one
                last = exc
        raise ClusterProblem(f"No answering replica is reachable: {last}")

    def ask(self, question: str, history: Sequence[str] = (), k: int | None = None) -> AskResult:
        return self._call("ask", question, list(history), k)

    def search(self, question: str, k: int = 5, mode: str = "hybrid") -> SearchResult:
        return self._call("search", question, k, mode)

    def _stop(self) -> None:
        stop(self.replicas)
        stop([handle for copies in self.shards for handle in copies])

    def close(self) -> None:
        """Stop this build's actors once questions in flight have had time to finish."""
        timer = threading.Timer(CLOSE_GRACE_S, self._stop)
        timer.daemon = True
        timer.start()


class RayServing:
    """Opens RemotePipelines on the connected cluster (a `Serving`, app/pipeline.py)."""

    distributed = True

    def __init__(self, replicas: int = 1, deadline_ms: float | None = None, shard_copies: int = 1) -> None:
        self.replicas = replicas
        self.deadline_ms = deadline_ms  # None: app/settings.py shard_deadline_ms
        self.shard_copies = shard_copies

    def open(
        self,
        index_dir: Path,
        embed_model: str | None,
        answerer: AnswererConfig | None = None,
        reader: str | None = None,
    ) -> RemotePipeline:
        return RemotePipeline(
            Path(index_dir), embed_model, self.replicas, self.deadline_ms, self.shard_copies, answerer, reader
        )
