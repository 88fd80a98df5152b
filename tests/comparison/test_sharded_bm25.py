"""BM25 over N shards against BM25 over one index, on real text: the same scores, not only ranks.

Each shard's matrix is computed with the whole collection's idf and average length
(app/index/shards.py), so a passage's score in its shard must equal its score in the one index
bit for bit: both evaluate idf * tf / (k1 * (1 - b + b * len / avgdl) + tf) with the same float64
operands and round once to float32, and a query sums the same per-token values in query order.
Exact equality is asserted, for every passage and every question, and with expansion terms.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, benchmark_dir

from app.index.bm25 import BM25Index
from app.index.lexicon import Lexicon
from app.index.shards import load_shard, write_shards
from app.index.store import current_build, load_index
from app.index.tokens import save_token_ids
from app.search.expansion import expansion_terms
from app.text.segment import content_words, tokenize, tokenize_many

SHARDS = 4


def _lines(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(
    scope="module", params=["shipped corpus", pytest.param("lecoqa", marks=pytest.mark.benchmark)]
)
def collection(request: pytest.FixtureRequest) -> tuple[list[np.ndarray], list[str], list[str], list[str]]:
    """(token ids per passage, words, document of each passage, questions) of real text."""
    if request.param == "shipped corpus":
        index_dir = request.getfixturevalue("shipped_index")
        build = current_build(index_dir)
        ids, offsets = np.load(build / "token_ids.npy"), np.load(build / "token_offsets.npy")
        words = (build / "token_vocab.txt").read_text(encoding="utf-8").split("\n")
        parts = [ids[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
        docs = [c.doc_id for c in load_index(index_dir).chunks]
        questions = [q["question"] for q in _lines(ROOT / "eval" / "questions.jsonl")]
        return parts, words, docs, questions
    folder = benchmark_dir("lecoqa")
    articles = _lines(folder / "corpus.jsonl")
    vocab: dict[str, int] = {"": 0}
    texts = [f"{a.get('title', '')}\n{a['text']}" for a in articles]
    parts = [
        np.array([vocab.setdefault(t, len(vocab)) for t in tokens or [""]], np.int32)
        for tokens in tokenize_many(texts)
    ]
    docs = [a.get("law") or a["id"] for a in articles]
    questions = [q["question"] for q in _lines(folder / "queries.jsonl") if q.get("split") == "test"]
    return parts, list(vocab), docs, questions


@pytest.fixture(scope="module")
def one_and_shards(collection, tmp_path_factory: pytest.TempPathFactory):
    parts, words, docs, _ = collection
    one = BM25Index.from_ids(list(parts), {w: i for i, w in enumerate(words)})
    folder = tmp_path_factory.mktemp("shards")
    vectors = np.zeros((len(parts), 1), dtype=np.float32)  # the dense side is not compared here
    record = write_shards(folder, SHARDS, docs, vectors, parts, words)
    save_token_ids(folder, list(parts), words)  # as write_index does beside the shards
    shards = [load_shard(folder, n) for n in range(SHARDS)]
    lexicon = Lexicon.load(folder, record["n_docs"], record["avgdl"])
    return one, shards, lexicon


def _sharded_scores(shards, tokens: list[str], size: int) -> np.ndarray:
    scores = np.full(size, np.nan, dtype=np.float32)
    for shard in shards:
        scores[shard.rows] = shard.bm25.scores(tokens)
    return scores


def test_every_passage_scores_the_same_in_its_shard_as_in_one_index(collection, one_and_shards) -> None:
    parts, _, docs, questions = collection
    one, shards, _ = one_and_shards
    assert sum(s.size for s in shards) == len(parts) and all(s.size for s in shards)
    for shard in shards:  # whole documents per shard
        assert not {docs[r] for r in shard.rows} & {docs[r] for s in shards if s is not shard for r in s.rows}
    matched = 0
    for question in questions:
        tokens = tokenize(question)
        single = one.scores(tokens)
        sharded = _sharded_scores(shards, tokens, len(parts))
        assert single.dtype == sharded.dtype
        assert single.tobytes() == sharded.tobytes(), question  # bits, every passage
        matched += int(single.max() > 0)
    assert matched >= len(questions) * 0.9  # real questions that match real passages


def test_expansion_weighted_scores_and_idf_are_the_same(collection, one_and_shards) -> None:
    """What the BM25 leg adds (expansion terms, chosen by idf) comes out the same too."""
    parts, words, _, questions = collection
    one, shards, lexicon = one_and_shards
    assert all(lexicon.idf(w) == one.idf(w) for w in words[:: max(1, len(words) // 5000)])
    expanded = 0
    for question in questions:
        terms = expansion_terms(question, content_words(question), one.idf)
        assert terms == expansion_terms(question, content_words(question), lexicon.idf)
        if not terms:
            continue
        extra = tokenize(" ".join(terms))
        single = one.scores(tokenize(question)) + 0.75 * one.scores(extra)
        sharded = _sharded_scores(shards, tokenize(question), len(parts)) + 0.75 * _sharded_scores(
            shards, extra, len(parts)
        )
        assert single.tobytes() == sharded.tobytes(), question
        expanded += 1
    assert expanded >= 5
