"""The legs of retrieval: each ranks the index's passages for a query its own way.

BM25 scores the question's tokens plus, at a lower weight, the tokens of its expansion terms;
the dense leg searches the vector index with the embedded expanded question. Each leg returns its
best candidates (row, its own score) and the time it took; app/search/fusion.py merges them.
Candidates are ordered by score, ties by the lower row, so the best `want` of a whole index are
exactly the best `want` of the best `want` of each of its shards (app/search/scatter.py).
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
    vector: np.ndarray | None = None  # `expanded` embedded once (1 × dim), sent to every shard


@dataclass(frozen=True)
class Candidate:
    row: int  # the passage's row in the index
    score: float  # the leg's own score: BM25 score or cosine similarity


@dataclass
class LegResult:
    candidates: list[Candidate] = field(default_factory=list)  # best first
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> list[int]:
        return [c.row for c in self.candidates]

    def score_of(self, row: int) -> float | None:
        """The leg's score for a row, None when the row is not among its candidates."""
        return next((c.score for c in self.candidates if c.row == row), None)


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """The rows of the n highest scores, best first; equal scores in row order (also at the
    cut-off, so the choice among tied rows never depends on the partition's whims)."""
    n = min(n, scores.size)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    threshold = scores[np.argpartition(-scores, n - 1)[n - 1]]
    above = np.flatnonzero(scores > threshold)
    tied = np.flatnonzero(scores == threshold)[: n - above.size]
    chosen = np.concatenate([above, tied])
    return chosen[np.lexsort((chosen, -scores[chosen]))]


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
    """Semantic candidates: the nearest passages to the embedded expanded question.

    The question is embedded here unless the query already carries its vector (a sharded
    search embeds it once for all shards; a shard then needs no embedder).
    """

    def __init__(self, dense, embedder: Embedder | None, size: int) -> None:
        self.dense = dense  # the faiss index of the passages' vectors
        self.embedder = embedder
        self.size = size

    @property
    def fusion_weight(self) -> float:
        assert self.embedder is not None, "the fusion weight is the embedder's"
        return self.embedder.fusion_weight

    def rank(self, query: Query, want: int) -> LegResult:
        if not self.size:
            return LegResult()
        start = time.perf_counter()
        vector = query.vector
        if vector is None:
            assert self.embedder is not None, "a query without its vector needs the embedder"
            vector = self.embedder.embed_queries([query.expanded])
        embedded = time.perf_counter()
        sims, rows = self.dense.search(np.asarray(vector, dtype=np.float32), min(want, self.size))
        pairs = sorted(((float(s), int(r)) for r, s in zip(rows[0], sims[0]) if r >= 0), key=_best_first)
        timings = {"dense": (time.perf_counter() - embedded) * 1000}
        if query.vector is None:
            timings = {"embed": (embedded - start) * 1000, **timings}
        return LegResult([Candidate(row, sim) for sim, row in pairs], timings)


def _best_first(pair: tuple[float, int]) -> tuple[float, int]:
    """Sort key of (score, row): higher score first, then the lower row."""
    return (-pair[0], pair[1])
