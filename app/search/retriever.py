"""Hybrid retrieval: BM25 and dense candidates fused by reciprocal rank.

Both legs see the same expanded question (see glossary), in the matching form, so a traditional
question finds simplified text and the reverse.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from app.index.embedders.base import Embedder
from app.index.store import Index
from app.models import Hit
from app.settings import current
from app.text.glossary import expand_query, expansion_terms
from app.text.segment import content_words, tokenize

MODES = ("hybrid", "bm25", "dense")


@dataclass
class Retrieval:
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    query_tokens: list[str] = field(default_factory=list)


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, scores.size)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, n - 1)[:n]
    return part[np.argsort(-scores[part], kind="stable")]


class Retriever:
    def __init__(self, index: Index, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def search(
        self, question: str, k: int = 5, mode: str = "hybrid", candidates: int | None = None
    ) -> Retrieval:
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose one of {', '.join(MODES)}")
        settings = current()
        candidates = candidates or settings.candidates
        timings: dict[str, float] = {}
        expanded = expand_query(question)
        tokens = tokenize(question)
        extra = expansion_terms(question, content_words(question), self.index.bm25.idf)
        extra_tokens = tokenize(" ".join(extra)) if extra else []
        n = len(self.index.chunks)
        want = max(k, candidates)
        bm25_rank: dict[int, tuple[int, float]] = {}
        dense_rank: dict[int, tuple[int, float]] = {}
        if mode in ("hybrid", "bm25"):
            t = time.perf_counter()
            scores = self.index.bm25.scores(tokens)
            if extra_tokens:
                scores = scores + settings.expansion_weight * self.index.bm25.scores(extra_tokens)
            for r, row in enumerate(_top(scores, want)):
                if scores[row] > 0:
                    bm25_rank[int(row)] = (r, float(scores[row]))
            timings["bm25"] = (time.perf_counter() - t) * 1000
        if mode in ("hybrid", "dense") and n:
            t = time.perf_counter()
            query = self.embedder.embed_queries([expanded])
            timings["embed"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            sims, rows = self.index.dense.search(query, min(want, n))
            for r, (row, sim) in enumerate(zip(rows[0], sims[0])):
                if row >= 0:
                    dense_rank[int(row)] = (r, float(sim))
            timings["dense"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        fused: dict[int, float] = {}
        dense_weight = self.embedder.fusion_weight
        for ranks, weight in ((bm25_rank, 1.0), (dense_rank, dense_weight if mode == "hybrid" else 1.0)):
            for row, (r, _) in ranks.items():
                fused[row] = fused.get(row, 0.0) + weight / (settings.rrf_k + r + 1)
        order = sorted(fused, key=lambda row: (-fused[row], row))[:k]
        hits = []
        for rank, row in enumerate(order, start=1):
            chunk = self.index.chunks[row]
            hits.append(
                Hit(
                    chunk=chunk,
                    meta=self.index.docs[chunk.doc_id],
                    score=round(fused[row], 6),
                    dense_score=dense_rank[row][1] if row in dense_rank else None,
                    bm25_score=bm25_rank[row][1] if row in bm25_rank else None,
                    rank=rank,
                )
            )
        timings["fuse"] = (time.perf_counter() - t) * 1000
        return Retrieval(hits, timings, tokens)
