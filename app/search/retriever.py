"""Hybrid retrieval: BM25 and dense candidates fused by reciprocal rank.

Both legs see the same expanded question (see app/search/expansion.py), in the matching form, so
a traditional question finds simplified text and the reverse. The question is embedded once, the
index's shards rank it (app/search/scatter.py: in this process, or on a Ray cluster), and fusion
runs once over the merged candidates.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np

from app.index.embedders.base import Embedder
from app.index.store import Index
from app.models import Hit
from app.search.expansion import expand_query, expansion_terms
from app.search.fusion import reciprocal_rank_fusion, score_fusion
from app.search.legs import BM25Leg, Query
from app.search.scatter import Coverage, LegRequest, LocalShards, ShardSet
from app.settings import current
from app.text.segment import content_words, tokenize

MODES = ("hybrid", "bm25", "dense")


@dataclass
class Retrieval:
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    query_tokens: list[str] = field(default_factory=list)
    query_vector: np.ndarray | None = None  # the question's embedding (dense and hybrid modes)
    coverage: Coverage = field(default_factory=lambda: Coverage(1))


class Retriever:
    def __init__(self, index: Index, embedder: Embedder, shards: ShardSet | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self.shards = shards if shards is not None else LocalShards.of(index)

    def query(self, question: str) -> Query:
        """The question with its tokens and expansions, as the legs take it."""
        tokens = tokenize(question)
        extra = expansion_terms(question, content_words(question), self.index.term_stats.idf)
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
        legs = LegRequest(mode in ("hybrid", "bm25"), mode in ("hybrid", "dense"), settings.expansion_weight)
        timings: dict[str, float] = {}
        if legs.semantic and self.index.chunks:
            start = time.perf_counter()
            query = replace(query, vector=self.embedder.embed_queries([query.expanded]))
            timings["embed"] = (time.perf_counter() - start) * 1000
        gathered = self.shards.gather(query, want, legs)
        lexical, semantic = gathered.lexical, gathered.semantic
        start = time.perf_counter()
        # A leg's weight counts only against another leg; alone, its ranks count at weight 1.
        weights = (BM25Leg.fusion_weight, self.embedder.fusion_weight) if mode == "hybrid" else (1.0, 1.0)
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
        fuse = (time.perf_counter() - start) * 1000
        timings = {**lexical.timings_ms, **timings, **semantic.timings_ms, **gathered.timings_ms}
        timings["fuse"] = fuse
        vector = None if query.vector is None else np.asarray(query.vector)[0]
        return Retrieval(hits, timings, query.tokens, vector, gathered.coverage)
