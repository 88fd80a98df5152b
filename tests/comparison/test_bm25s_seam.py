"""Our BM25 build (VectorisedBM25, numpy) against plain bm25s on the same token ids, on real text.

The two must agree bit for bit, not within a tolerance: both compute every score with the same
float64 operations in the same order (idf * tf / (k1 * (1 - b + b * len / avg_len) + tf)) and
round once to float32, and both lay the CSC columns out by passage. The one step that could
differ is the logarithm of the idf (numpy's log against Python's math.log, at most one float64
ulp apart), which the rounding to float32 absorbs unless a value sits on a float32 rounding
boundary; exact equality is asserted so that any such case would show here. Bit-equal matrices
also make saved indexes byte-identical, so indexes built before this seam stay valid.
"""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np
import pytest
from conftest import ROOT, benchmark_dir

from app.index.bm25 import BM25Index
from app.index.bm25_vectorised import VectorisedBM25
from app.index.store import current_build
from app.settings import current
from app.text.segment import tokenize, tokenize_many

LECOQA_SAMPLE_STEP = 4  # every 4th statute article: about 3,000 passages from all 161 laws


def _shipped_ids(shipped_index: Path) -> tuple[list[np.ndarray], dict[str, int]]:
    """The token ids the shipped index stores, as a build hands them to BM25."""
    build = current_build(shipped_index)
    ids, offsets = np.load(build / "token_ids.npy"), np.load(build / "token_offsets.npy")
    words = (build / "token_vocab.txt").read_text(encoding="utf-8").split("\n")
    return [ids[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)], {
        w: i for i, w in enumerate(words)
    }


def _ids_of(texts: list[str]) -> tuple[list[np.ndarray], dict[str, int]]:
    vocab: dict[str, int] = {"": 0}
    ids = [
        np.array([vocab.setdefault(t, len(vocab)) for t in tokens or [""]], np.int32)
        for tokens in tokenize_many(texts)
    ]
    return ids, vocab


def _lines(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(
    scope="module", params=["shipped corpus", pytest.param("lecoqa sample", marks=pytest.mark.benchmark)]
)
def real_text(request: pytest.FixtureRequest) -> tuple[list[np.ndarray], dict[str, int], list[str]]:
    """(token ids per passage, vocabulary, questions) of real text."""
    if request.param == "shipped corpus":
        ids, vocab = _shipped_ids(request.getfixturevalue("shipped_index"))
        questions = [q["question"] for q in _lines(ROOT / "eval" / "questions.jsonl")]
        return ids, vocab, questions
    folder = benchmark_dir("lecoqa")
    articles = _lines(folder / "corpus.jsonl")[::LECOQA_SAMPLE_STEP]
    ids, vocab = _ids_of([f"{a.get('title', '')}\n{a['text']}" for a in articles])
    questions = [q["question"] for q in _lines(folder / "queries.jsonl")[:200]]
    return ids, vocab, questions


def _both(ids: list[np.ndarray], vocab: dict[str, int]) -> tuple[bm25s.BM25, bm25s.BM25]:
    """(ours, plain bm25s) indexed through bm25s's entry point for ids and a vocabulary."""
    k1, b = current().bm25_k1, current().bm25_b
    ours = VectorisedBM25(k1=k1, b=b)
    ours.index((ids, dict(vocab)), show_progress=False)
    plain = bm25s.BM25(k1=k1, b=b)
    plain.index(([p.tolist() for p in ids], dict(vocab)), show_progress=False)
    return ours, plain


@pytest.fixture(scope="module")
def both(real_text) -> tuple[bm25s.BM25, bm25s.BM25]:
    ids, vocab, _ = real_text
    return _both(ids, vocab)


def test_the_score_matrix_is_bm25s_own_bit_for_bit(real_text, both) -> None:
    ids, vocab, _ = real_text
    ours, plain = both
    assert ours.scores["num_docs"] == plain.scores["num_docs"] == len(ids)
    for part in ("data", "indices", "indptr"):
        mine, theirs = ours.scores[part], plain.scores[part]
        assert mine.dtype == theirs.dtype, part
        assert mine.shape == theirs.shape, part
        assert mine.tobytes() == theirs.tobytes(), part  # bits, not values: -0.0 or NaN would show
    assert ours.scores["data"].size > 10 * len(ids)  # a real matrix, not an empty one
    assert ours.vocab_dict == plain.vocab_dict == vocab
    assert ours.unique_token_ids_set == plain.unique_token_ids_set
    assert ours.nonoccurrence_array is None and plain.nonoccurrence_array is None


def test_query_scores_are_bm25s_own_bit_for_bit(real_text, both) -> None:
    _, vocab, questions = real_text
    ours, plain = both
    compared = 0
    for question in questions:
        known = [t for t in tokenize(question) if t in vocab]
        if not known:
            continue
        mine, theirs = ours.get_scores(known), plain.get_scores(known)
        assert mine.dtype == theirs.dtype
        assert mine.tobytes() == theirs.tobytes(), question
        compared += int(mine.max() > 0)
    assert compared >= len(questions) // 2  # most questions match something


def test_saved_files_are_those_plain_bm25s_writes(real_text, both, tmp_path: Path) -> None:
    """BM25Index builds through the seam; what it saves is byte for byte what bm25s saves."""
    ids, vocab, _ = real_text
    BM25Index.from_ids(list(ids), dict(vocab)).save(tmp_path / "ours")
    _, plain = both
    plain.save(str(tmp_path / "plain"), show_progress=False)
    names = sorted(p.name for p in (tmp_path / "plain").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "ours").iterdir())
    for name in names:
        assert (tmp_path / "ours" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes(), name
    loaded = BM25Index.load(tmp_path / "ours")
    tokens = [w for w in list(vocab)[1:50] if w]
    assert loaded.scores(tokens).tobytes() == plain.get_scores(tokens).astype(np.float32).tobytes()


def test_other_scoring_methods_are_left_to_bm25s(real_text) -> None:
    ids, vocab, _ = real_text
    ours = VectorisedBM25(method="bm25+")
    ours.index((ids[:300], dict(vocab)), show_progress=False)
    plain = bm25s.BM25(method="bm25+")
    plain.index(([p.tolist() for p in ids[:300]], dict(vocab)), show_progress=False)
    assert ours.scores["data"].tobytes() == plain.scores["data"].tobytes()
    assert np.array_equal(ours.nonoccurrence_array, plain.nonoccurrence_array)


def test_the_lucene_build_is_ours_not_bm25s_per_passage_loop(
    real_text, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The equality above would hold trivially if the override fell through to bm25s."""
    ids, vocab, _ = real_text

    def per_passage_loop(*args, **kwargs):
        raise AssertionError("bm25s's own build ran")

    monkeypatch.setattr(bm25s.BM25, "build_index_from_ids", per_passage_loop)
    ours = VectorisedBM25(k1=current().bm25_k1, b=current().bm25_b)
    ours.index((ids, dict(vocab)), show_progress=False)
    assert ours.scores["num_docs"] == len(ids)
    with pytest.raises(AssertionError, match="own build ran"):
        VectorisedBM25(method="bm25+").index((ids, dict(vocab)), show_progress=False)
