"""The legs of retrieval: each ranks the index's passages for a query its own way.

BM25 scores the question's tokens plus, at a lower weight, the tokens of its expansion terms;
the dense leg embeds the expanded question and searches the vector index. Each leg returns its
best candidates (row, its own score) and the time it took; app/search/fusion.py merges them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from app.index.bm25 import BM25Index
    from app.index.embedders.base import Embedder


@dataclass(frozen=True)
class Query:
    """A question as the legs see it (all in the matching form once tokenized or embedded)."""

    question: str
    tokens: list[str]  # BM25 tokens of the question
    extra_tokens: list[str]  # BM25 tokens of its expansion terms, weighted lower
    expanded: str  # the question followed by its glossary terms, for the embedder


@dataclass(frozen=True)
class Candidate:
    row: int  # the passage's row in the index
    score: float  # the leg's own score: BM25 score or cosine similarity


@dataclass
class LegResult:
    candidates: list[Candidate] = field(default_factory=list)  # best first
    timings_ms: dict[str, float] = field(default_factory=dict)
    query_vector: np.ndarray | None = None  # the dense leg's embedding of the question

    @property
    def rows(self) -> list[int]:
        return [c.row for c in self.candidates]

    def score_of(self, row: int) -> float | None:
        """The leg's score for a row, None when the row is not among its candidates."""
        return next((c.score for c in self.candidates if c.row == row), None)


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, scores.size)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, n - 1)[:n]
    return part[np.argsort(-scores[part], kind="stable")]


class BM25Leg:
    """Lexical candidates: passages with a positive BM25 score, highest first."""

    fusion_weight = 1.0  # the reference the dense leg's weight is relative to

    def __init__(self, bm25: BM25Index, expansion_weight: float) -> None:
        self.bm25 = bm25
        self.expansion_weight = expansion_weight

    def rank(self, query: Query, want: int) -> LegResult:
        start = time.perf_counter()
        scores = self.bm25.scores(query.tokens)
        if query.extra_tokens:
            scores = scores + self.expansion_weight * self.bm25.scores(query.extra_tokens)
        candidates = [
            Candidate(int(row), float(scores[row])) for row in _top(scores, want) if scores[row] > 0
        ]
        return LegResult(candidates, {"bm25": (time.perf_counter() - start) * 1000})


class DenseLeg:
    """Semantic candidates: the nearest passages to the embedded expanded question."""

    def __init__(self, dense, embedder: Embedder, size: int) -> None:
        self.dense = dense  # the faiss index of the passages' vectors
        self.embedder = embedder
        self.size = size
        self.fusion_weight = embedder.fusion_weight

    def rank(self, query: Query, want: int) -> LegResult:
        if not self.size:
            return LegResult()
        start = time.perf_counter()
        vector = self.embedder.embed_queries([query.expanded])
        embedded = time.perf_counter()
        sims, rows = self.dense.search(vector, min(want, self.size))
        candidates = [Candidate(int(row), float(sim)) for row, sim in zip(rows[0], sims[0]) if row >= 0]
        timings = {"embed": (embedded - start) * 1000, "dense": (time.perf_counter() - embedded) * 1000}
        return LegResult(candidates, timings, vector[0])
