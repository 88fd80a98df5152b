"""LeCoQA's 11,908 articles in 4 shards, served through a local Ray, against one index.

The issue's equality check: the top-10 ids of every LeCoQA test question from the 4-shard index
served by Ray equal those from the unsharded index searched in this process (the share that
differs is printed; the goal, asserted, is none). Both indexes use the offline embedder, which
keeps the build cheap enough for CI (about 10 s); the default model's dense leg is compared on
the shipped corpus (tests/cluster/test_ray_serving.py) and its scores on LeCoQA in
tests/comparison/test_sharded_bm25.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cluster_fixtures import local_ray  # noqa: F401 - the session's Ray
from conftest import benchmark_dir

from app.index.build import build
from app.pipeline import Pipeline

pytestmark = [pytest.mark.benchmark, pytest.mark.cluster]

SHARDS = 4


def _test_questions(folder: Path) -> list[str]:
    with open(folder / "queries.jsonl", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [q["question"] for q in rows if q.get("split") == "test"]


@pytest.fixture(scope="module")
def lecoqa(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """(unsharded index, 4-shard index, test questions); the shards reuse the first build's work."""
    folder = benchmark_dir("lecoqa")
    root = tmp_path_factory.mktemp("lecoqa")
    one, four = root / "one", root / "four"
    build(folder / "corpus.jsonl", one, "offline", progress=False)
    shutil.copytree(one, four)
    result = build(folder / "corpus.jsonl", four, "offline", progress=False, shards=SHARDS)
    assert result.manifest["embedded_chunks"] == 0 and result.manifest["shards"]["count"] == SHARDS
    return one, four, _test_questions(folder)


def _ids(result) -> list[str]:
    return [h.chunk.chunk_id for h in result.hits]


def test_top10_of_the_test_questions_from_4_shards_on_ray_equal_one_index(local_ray, lecoqa) -> None:  # noqa: F811
    from app.cluster.frontend import RemotePipeline

    one, four, questions = lecoqa
    single, in_process = Pipeline(one), Pipeline(four)
    remote = RemotePipeline(four, None, replicas=2)
    try:
        results = [(q, _ids(single.search(q, k=10)), remote.search(q, k=10)) for q in questions]
    finally:
        remote._stop()
    assert len(results) == 309
    assert all(r.coverage.complete and r.coverage.shards == SHARDS for _, _, r in results)
    differing = [q for q, ids, r in results if _ids(r) != ids]
    print(
        f"\nLeCoQA test: {len(differing)}/{len(results)} top-10 lists differ (4 shards on Ray vs one index)"
    )
    assert differing == []
    assert all(_ids(in_process.search(q, k=10)) == ids for q, ids, _ in results)  # in-process shards too
