"""The query-side reader of a saved bm25s index scores exactly as bm25s.BM25.load does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.index.bm25 import BM25Index
from app.index.bm25_saved import SavedBM25
from app.text.segment import tokenize

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BM25 over every paragraph of the shipped corpus, saved as a build saves it."""
    paragraphs = [
        line
        for path in sorted((ROOT / "corpus").rglob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    folder = tmp_path_factory.mktemp("bm25") / "bm25"
    BM25Index.build(tokenize(p) for p in paragraphs).save(folder)
    return folder


def questions() -> list[str]:
    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def test_scores_equal_bm25s_bit_for_bit(saved: Path) -> None:
    import bm25s

    reference = bm25s.BM25.load(str(saved), show_progress=False, verbosity=0)
    ours = SavedBM25(saved)
    assert ours.scores["num_docs"] == reference.scores["num_docs"] > 1000
    asked = questions()
    assert len(asked) > 100
    for question in asked:
        tokens = [t for t in tokenize(question) if t in reference.vocab_dict]
        if not tokens:
            continue
        assert np.array_equal(ours.get_scores(tokens), reference.get_scores(tokens)), question


def test_repeated_and_unknown_tokens_count_as_in_bm25s(saved: Path) -> None:
    import bm25s

    reference = bm25s.BM25.load(str(saved), show_progress=False, verbosity=0)
    tokens = ["加班费", "加班费", "工资", "不在词表里的词"]
    expected = reference.get_scores([t for t in tokens if t in reference.vocab_dict])
    assert np.array_equal(SavedBM25(saved).get_scores(tokens), expected)
    assert expected.max() > 0


def test_loading_for_a_query_imports_neither_bm25s_nor_scipy(saved: Path) -> None:
    probe = (
        "import sys; from pathlib import Path; from app.index.bm25 import BM25Index; "
        f"index = BM25Index.load(Path({str(saved)!r})); "
        "assert index.scores(['工资']).max() > 0; "
        "print(sorted(m for m in ('bm25s', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
