"""A whole shared benchmark corpus (.jsonl passages) loads: every passage, no warning.

How fast it loads is a benchmark figure (scripts/bench_ingest.py), not a test assertion."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest.walk import load_corpus

LECOQA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "lecoqa" / "corpus.jsonl"


@pytest.mark.benchmark
@pytest.mark.skipif(not LECOQA.is_file(), reason="LeCoQA benchmark corpus absent")
def test_lecoqa_corpus_loads_every_passage():
    docs, report = load_corpus(LECOQA)
    assert len(docs) > 11000 and report.skipped == [] and report.warnings == []
    assert docs[0].doc_id == "专利法第一条" and docs[0].is_passage
