"""Joining or starting a Ray cluster for `--ray [ADDRESS]`.

Ray is the optional extra `gongyou[cluster]`; nothing imports it unless `--ray` is given, so the
single-machine install stays as it is. ADDRESS is `local` (the default: a Ray started for this
run on this machine and stopped after it), `auto` (the cluster this machine belongs to, as
`ray start` left it) or `ray://host:port` (a remote cluster through Ray Client, which needs
`ray[client]`). Every node of a real cluster needs the same Gongyou installed and the index
folder at the same path (a shared file system): shard actors read their shard from it.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.errors import GongyouError

LOCAL = "local"
NAMESPACE = "gongyou"
INSTALL_HINT = "Install the cluster extra: pip install 'gongyou[cluster]' (or pip install ray==2.60.0)."


class ClusterProblem(GongyouError, RuntimeError):
    """Ray is missing, a cluster cannot be reached, or its workers cannot do the work."""


@dataclass(frozen=True)
class ClusterInfo:
    address: str  # as asked for (`local` for a Ray started here)
    started_here: bool
    cpus: float
    gpus: float
    nodes: int


def ray_missing() -> str | None:
    """Why `--ray` cannot work here (Ray not installed), or None."""
    if importlib.util.find_spec("ray") is None:
        return f"--ray needs Ray, which is not installed. {INSTALL_HINT}"
    return None


def quiet_and_local(loopback: bool) -> None:
    """Before Ray is imported: no usage statistics sent anywhere (Gongyou makes no network call the
    user did not configure) and, for a Ray started here, every Ray process on the loopback address
    (Ray's own switch for single-machine clusters), so nothing listens on the machine's network."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if loopback:
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")


def _code_root() -> str:
    """The folder holding the `app` package this process runs, so local workers import the same."""
    import app

    return str(Path(app.__file__).resolve().parent.parent)


def local_cpus(needed: float = 0) -> int:
    """Logical CPUs of a Ray started here: the machine's cores, or as many as the actors it must
    hold reserve (they then share the cores, as threads of one process would)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(cores, int(-(-needed // 1)))


def _describe(ray, address: str, started_here: bool) -> ClusterInfo:
    resources = ray.cluster_resources()
    nodes = sum(1 for node in ray.nodes() if node.get("Alive"))
    return ClusterInfo(
        address, started_here, float(resources.get("CPU", 0)), float(resources.get("GPU", 0)), nodes
    )


@contextmanager
def ray_cluster(address: str | None = None, needed_cpus: float = 0) -> Iterator[ClusterInfo]:
    """Ray connected for the block: joins ADDRESS, or starts a local Ray (stopped afterwards).

    When this process is already connected (tests start one Ray for many runs), that connection
    is used and left as it is.
    """
    if reason := ray_missing():
        raise ClusterProblem(reason)
    address = address or LOCAL
    quiet_and_local(loopback=address == LOCAL)
    import ray

    if ray.is_initialized():
        yield _describe(ray, address, started_here=False)
        return
    options = {"namespace": NAMESPACE, "logging_level": logging.ERROR, "log_to_driver": False}
    try:
        if address == LOCAL:
            path = os.pathsep.join(p for p in (_code_root(), os.environ.get("PYTHONPATH", "")) if p)
            ray.init(
                num_cpus=local_cpus(needed_cpus),
                include_dashboard=False,
                runtime_env={"env_vars": {"PYTHONPATH": path}},
                **options,
            )
        else:
            ray.init(address=address, **options)
    except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError... alike
        raise ClusterProblem(
            f"Cannot {'start a local Ray' if address == LOCAL else f'join the Ray cluster at {address}'}: "
            f"{exc}. Check the address (`ray status` on a node of the cluster prints it), or drop the "
            "address to start a local Ray."
        ) from exc
    try:
        yield _describe(ray, address, started_here=True)
    finally:
        ray.shutdown()
