"""Loading a whole shared benchmark corpus (.jsonl passages) stays fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.ingest.walk import load_corpus

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
LECOQA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "lecoqa" / "corpus.jsonl"


@pytest.mark.benchmark
@pytest.mark.skipif(not LECOQA.is_file(), reason="LeCoQA benchmark corpus absent")
def test_lecoqa_corpus_loads_fast():
    load_corpus(CORPUS)  # warm the lazy imports and OpenCC
    start = time.perf_counter()
    docs, report = load_corpus(LECOQA)
    elapsed = time.perf_counter() - start
    assert len(docs) > 11000 and report.skipped == [] and report.warnings == []
    assert docs[0].doc_id == "专利法第一条" and docs[0].is_passage
    assert elapsed < 1.0, elapsed
