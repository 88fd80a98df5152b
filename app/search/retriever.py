"""Hybrid retrieval: BM25 and dense candidates fused by reciprocal rank.

Both legs see the same expanded question (see app/search/expansion.py), in the matching form, so
a traditional question finds simplified text and the reverse.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from app.index.embedders.base import Embedder
from app.index.store import Index
from app.models import Hit
from app.search.expansion import expand_query, expansion_terms
from app.search.fusion import reciprocal_rank_fusion, score_fusion
from app.search.legs import BM25Leg, DenseLeg, LegResult, Query
from app.settings import current
from app.text.segment import content_words, tokenize

MODES = ("hybrid", "bm25", "dense")


@dataclass
class Retrieval:
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    query_tokens: list[str] = field(default_factory=list)
    query_vector: np.ndarray | None = None  # the question's embedding (dense and hybrid modes)


class Retriever:
    def __init__(self, index: Index, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def query(self, question: str) -> Query:
        """The question with its tokens and expansions, as the legs take it."""
        tokens = tokenize(question)
        extra = expansion_terms(question, content_words(question), self.index.bm25.idf)
        extra_tokens = tokenize(" ".join(extra)) if extra else []
        dense_text = expand_query(question) if current().dense_query_expansion else question
        return Query(question, tokens, extra_tokens, dense_text)

    def search(
        self, question: str, k: int = 5, mode: str = "hybrid", candidates: int | None = None
    ) -> Retrieval:
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose one of {', '.join(MODES)}")
        settings = current()
        want = max(k, candidates or settings.candidates)
        query = self.query(question)
        bm25 = BM25Leg(self.index.bm25, settings.expansion_weight)
        dense = DenseLeg(self.index.dense, self.embedder, len(self.index.chunks))
        lexical = bm25.rank(query, want) if mode in ("hybrid", "bm25") else LegResult()
        semantic = dense.rank(query, want) if mode in ("hybrid", "dense") else LegResult()
        start = time.perf_counter()
        # A leg's weight counts only against another leg; alone, its ranks count at weight 1.
        weights = (bm25.fusion_weight, dense.fusion_weight) if mode == "hybrid" else (1.0, 1.0)
        if settings.fusion == "scores":
            scored = [[(c.row, c.score) for c in leg.candidates] for leg in (lexical, semantic)]
            fused = score_fusion(scored, weights)[:k]
        else:
            fused = reciprocal_rank_fusion((lexical.rows, semantic.rows), weights, settings.rrf_k)[:k]
        hits = []
        for rank, entry in enumerate(fused, start=1):
            chunk = self.index.chunks[entry.row]
            hits.append(
                Hit(
                    chunk=chunk,
                    meta=self.index.docs[chunk.doc_id],
                    score=round(entry.score, 6),
                    dense_score=semantic.score_of(entry.row),
                    bm25_score=lexical.score_of(entry.row),
                    rank=rank,
                    row=entry.row,
                )
            )
        timings = {**lexical.timings_ms, **semantic.timings_ms, "fuse": (time.perf_counter() - start) * 1000}
        return Retrieval(hits, timings, query.tokens, semantic.query_vector)
