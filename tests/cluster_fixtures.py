"""A local Ray for the cluster tests: started once per session on loopback, stopped at the end.

Imported by name from tests/cluster and the benchmark tier. The tests skip with a message where
Ray is not installed (it comes with the test extra, `gongyou[cluster]`).
"""

from __future__ import annotations

import logging
import os

import pytest
from conftest import ROOT

from app.cluster.connect import NAMESPACE, quiet_and_local, ray_missing

# Before anything imports ray (its switches are read at import): test modules import app.cluster's
# Ray modules inside their tests, never at collection.
quiet_and_local(loopback=True)

# Scheduling tokens, not cores: a module's served index (3 shards, 2 replicas) lives while its
# other tests start their own (the CLI's --ray: 4 more; two copies of each shard: 7 more); with 8
# the third waited for CPUs that never came free.
LOGICAL_CPUS = 24


@pytest.fixture(scope="session")
def local_ray():
    """Ray started here: every process on 127.0.0.1, no usage statistics, this checkout's code."""
    if reason := ray_missing():
        pytest.skip(reason)
    import ray

    if ray.is_initialized():  # each module importing this fixture has its own copy of it
        yield ray
        return

    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    ray.init(
        num_cpus=LOGICAL_CPUS,
        include_dashboard=False,
        namespace=NAMESPACE,
        logging_level=logging.ERROR,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": path}},
    )
    assert {node["NodeManagerAddress"] for node in ray.nodes()} == {"127.0.0.1"}
    yield ray
    ray.shutdown()
