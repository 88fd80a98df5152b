"""`gongyou build --ray`: a Ray cluster's workers embed and tokenize; the index is the one a single
machine writes, even when every worker is killed mid-build.

The corpus is the five shipped policy documents (corpus/ without the laws: a Ray build of all
1,595 passages costs minutes on 2 cores and proves nothing more). The reference is that corpus
built in this process in one batch, by torch. The Ray build embeds in batches of 64 (two batches,
so workers die with one in flight): 64 by torch, the rest by the model's C engine, as a local
build embeds a small last batch; vectors agree at cosine >= 0.9999, everything else (passages,
BM25 tokens and scores, manifest apart from build facts) byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from cluster_fixtures import local_ray  # noqa: F401 - the session's Ray
from conftest import CORPUS

from app.index.build import build
from app.index.store import current_build, load_index

pytestmark = pytest.mark.cluster

BUILD_FACTS = ("build_id", "built_at", "build_seconds", "build")
SAME_BYTES = ("chunks.jsonl", "vector_keys.txt", "token_ids.npy", "token_offsets.npy", "token_vocab.txt")


def _docs_without_stamps(build: Path) -> dict:
    docs = json.loads((build / "docs.json").read_text(encoding="utf-8"))
    for entry in docs.values():
        entry["meta"]["extra"].pop("indexed_at", None)  # when the build ran
    return docs


def assert_same_index(reference: Path, other: Path) -> None:
    a, b = current_build(reference), current_build(other)
    ma, mb = (json.loads((x / "manifest.json").read_text(encoding="utf-8")) for x in (a, b))
    sums = [manifest.pop("checksums") for manifest in (ma, mb)]  # the vectors' bytes may differ
    for manifest in (ma, mb):
        for fact in BUILD_FACTS:
            manifest.pop(fact)
        manifest["settings"].pop("corpus")  # the path given on the command line
    assert ma == mb
    assert {n: sums[0][n] for n in SAME_BYTES} == {n: sums[1][n] for n in SAME_BYTES}
    for name in SAME_BYTES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    for part in sorted(p.name for p in (a / "bm25").iterdir()):
        assert (a / "bm25" / part).read_bytes() == (b / "bm25" / part).read_bytes(), part
    assert _docs_without_stamps(a) == _docs_without_stamps(b)
    va, vb = load_index(reference).vectors(), load_index(other).vectors()
    assert va.shape == vb.shape
    # The bundled model embeds a batch of 64 or more with torch, a smaller one with its C engine;
    # the two agree at cosine >= 0.9999 (tests/comparison/test_e5_engines.py), and so must these.
    cosines = np.einsum("ij,ij->i", va, vb) / (np.linalg.norm(va, axis=1) * np.linalg.norm(vb, axis=1))
    assert cosines.min() >= 0.9999, float(cosines.min())


@pytest.fixture(scope="module")
def policy_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """corpus/ without corpus/laws/: the five policy documents and their metadata."""
    import shutil

    folder = tmp_path_factory.mktemp("policy") / "corpus"
    shutil.copytree(CORPUS, folder, ignore=shutil.ignore_patterns("laws"))
    return folder


@pytest.fixture(scope="module")
def policy_index(policy_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: the policy documents built in this process."""
    index_dir = tmp_path_factory.mktemp("policy-index") / "index"
    build(policy_corpus, index_dir, progress=False)
    return index_dir


def test_a_ray_build_whose_workers_die_equals_the_single_machine_build(
    local_ray,  # noqa: F811
    policy_corpus: Path,
    policy_index: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import app.cluster.build as ray_build

    monkeypatch.setattr(ray_build, "EMBED_BATCH", 32)  # several batches, whichever engine embeds them
    killed: list[int] = []

    def kill_every_worker_once(batches_done: int) -> None:
        if not killed:  # after the first batch: the other one is in flight on a worker
            for handle in workers.handles:
                local_ray.kill(handle, no_restart=False)  # Ray restarts it, as after a crash
            killed.append(batches_done)

    workers = ray_build.RayWorkers(2, on_batch=kill_every_worker_once)
    try:
        result = build(policy_corpus, tmp_path / "index", progress=False, workers=workers)
    finally:
        workers.close()
    facts = result.manifest["build"]
    assert killed == [1]
    assert facts["engine"] == "ray" and facts["workers"] == 2
    assert facts["retried_batches"] >= 1  # the batch in flight was sent again, not lost
    passages = load_index(policy_index).manifest["chunk_count"]
    assert passages >= 64  # 2+ batches of 32 or more: one done, others in flight when the workers die
    assert result.manifest["embedded_chunks"] == result.manifest["chunk_count"] == passages
    assert_same_index(policy_index, tmp_path / "index")


def test_a_ray_build_reuses_unchanged_passages_as_a_local_build_does(
    local_ray,  # noqa: F811
    policy_corpus: Path,
    policy_index: Path,
    tmp_path: Path,
) -> None:
    import shutil

    from app.cluster.build import RayWorkers

    index_dir = tmp_path / "index"
    shutil.copytree(policy_index, index_dir)
    workers = RayWorkers(1)
    try:
        result = build(policy_corpus, index_dir, progress=False, workers=workers, shards=2)
    finally:
        workers.close()
    assert result.manifest["embedded_chunks"] == 0  # by content hash: no worker had to embed
    assert result.manifest["shards"]["count"] == 2
