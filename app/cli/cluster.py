"""`--ray [ADDRESS]`: the cluster a build embeds on, and the Ray replicas that answer questions.

Ray is imported only when the flag is given (app/cluster/), so the single-machine CLI never loads it.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path


def on_ray(args: argparse.Namespace, needed_cpus: float = 0):
    """The Ray cluster `--ray [ADDRESS]` names, connected for a block (app/cluster/connect.py)."""
    from app.cluster.connect import ray_cluster

    return ray_cluster(args.ray, needed_cpus)


def cluster_line(info) -> str:
    """One line on stderr saying which cluster a command runs on."""
    where = f"the Ray cluster {info.address}"
    if info.address == "local":
        where = "a local Ray started for this run" if info.started_here else "this process's Ray"
    return f"On {where}: {info.nodes} node(s), {info.cpus:g} CPUs, {info.gpus:g} GPUs."


def shard_count(index_dir: Path) -> int:
    from app.index.store import IndexProblem, read_manifest

    try:
        return int((read_manifest(index_dir).get("shards") or {}).get("count", 1))
    except IndexProblem:
        return 1  # `serve` builds it first; asking reports the missing index


@contextmanager
def serving(args: argparse.Namespace):
    """Context in which this process's pipelines are answered by Ray replicas (with `--ray`)."""
    if args.ray is None:
        yield
        return
    from app.pipeline import IN_PROCESS, serve_with
    from app.settings import current

    settings = current()
    needed = shard_count(Path(args.index)) * args.shard_replicas * settings.ray_shard_cpus
    needed += args.replicas * settings.ray_replica_cpus
    with on_ray(args, needed) as info:
        from app.cluster.frontend import RayServing

        print(cluster_line(info), file=sys.stderr)
        serve_with(RayServing(args.replicas, shard_copies=args.shard_replicas))
        try:
            yield
        finally:
            serve_with(IN_PROCESS)
