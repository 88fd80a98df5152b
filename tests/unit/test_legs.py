"""The retrieval legs on a three-passage index built in memory (BM25 and a flat faiss index)."""

from __future__ import annotations

import pytest

from app.index.bm25 import BM25Index
from app.index.embedders.hashing import HashingEmbedder
from app.search.legs import BM25Leg, DenseLeg, Query
from app.text.segment import tokenize

PASSAGES = [
    "用人单位安排加班应当支付加班工资",
    "职工连续工作满12个月以上的，享受带薪年休假",
    "技能人才培训补贴",
]


@pytest.fixture(scope="module")
def bm25() -> BM25Index:
    return BM25Index.build(tokenize(p) for p in PASSAGES)


@pytest.fixture(scope="module")
def dense():
    import faiss

    vectors = HashingEmbedder().embed_passages(PASSAGES)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return index


def _query(question: str, extra: str = "") -> Query:
    return Query(
        question, tokenize(question), tokenize(extra) if extra else [], f"{question} {extra}".strip()
    )


def test_bm25_leg_ranks_only_passages_that_share_a_token(bm25: BM25Index) -> None:
    result = BM25Leg(bm25, expansion_weight=0.5).rank(_query("加班工资怎么算"), want=10)
    assert result.rows == [0]
    assert result.candidates[0].score == pytest.approx(float(bm25.scores(tokenize("加班工资怎么算"))[0]))
    assert list(result.timings_ms) == ["bm25"]
    assert result.score_of(0) == result.candidates[0].score and result.score_of(1) is None


def test_bm25_leg_weighs_expansion_tokens_lower(bm25: BM25Index) -> None:
    # 年假 is not in any passage; its glossary term 年休假 is, and counts at the expansion weight.
    assert BM25Leg(bm25, 0.5).rank(_query("年假有几天"), want=10).rows == []
    result = BM25Leg(bm25, 0.5).rank(_query("年假有几天", "带薪年休假 年休假"), want=10)
    assert result.rows == [1]
    alone = float(bm25.scores(tokenize("带薪年休假 年休假"))[1])
    assert result.candidates[0].score == pytest.approx(0.5 * alone)


def test_dense_leg_returns_the_nearest_passages_best_first(dense) -> None:
    embedder = HashingEmbedder()
    leg = DenseLeg(dense, embedder, len(PASSAGES))
    assert leg.fusion_weight == embedder.fusion_weight
    result = leg.rank(_query("技能人才有培训补贴吗"), want=2)
    assert len(result.rows) == 2 and result.rows[0] == 2
    assert result.candidates[0].score > result.candidates[1].score
    assert list(result.timings_ms) == ["embed", "dense"]


def test_dense_leg_on_an_empty_index_returns_nothing_without_embedding(dense) -> None:
    class NeverEmbeds(HashingEmbedder):
        def embed_queries(self, texts):
            raise AssertionError("an empty index needs no query vector")

    result = DenseLeg(dense, NeverEmbeds(), size=0).rank(_query("年假"), want=5)
    assert result.candidates == [] and result.timings_ms == {}
