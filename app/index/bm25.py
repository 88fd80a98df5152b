"""The lexical index: BM25 scores with bm25s over the tokens of app.text.segment.

bm25s (with scipy) is imported only when an index is built (app.index.bm25_vectorised); a built
index is read for querying by app.index.bm25_saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.settings import current

if TYPE_CHECKING:
    from app.index.bm25_stats import CollectionStats


class BM25Index:
    """bm25s over our own tokens; scores every passage for a query (sparse, milliseconds at 100k)."""

    def __init__(self, model) -> None:
        self.model = model
        self.vocab: dict[str, int] = model.vocab_dict

    @classmethod
    def build(
        cls, token_lists: Iterable[list[str]], k1: float | None = None, b: float | None = None
    ) -> BM25Index:
        """Index token lists; ids replace strings as they come, so 100k passages need no
        20 million string objects at once (that was 1.5 GB of the build's peak memory)."""
        vocab: dict[str, int] = {"": 0}
        ids = [
            np.array([vocab.setdefault(t, len(vocab)) for t in tokens or [""]], np.int32)
            for tokens in token_lists
        ]
        return cls.from_ids(ids, vocab, k1, b)

    @classmethod
    def from_ids(
        cls,
        ids: list[np.ndarray],
        vocab: dict[str, int],
        k1: float | None = None,
        b: float | None = None,
        collection: CollectionStats | None = None,
    ) -> BM25Index:
        """Index passages given as arrays of ids into vocab (ids 0..len(vocab)-1; an empty
        passage counts as the one token ""). Used by incremental builds that keep token ids.

        `collection` gives a shard the whole index's idf and average length (app/index/shards.py).
        """
        from app.index.bm25_vectorised import VectorisedBM25

        empty = vocab.setdefault("", len(vocab))
        ids = [p if p.size else np.array([empty], dtype=np.int32) for p in ids]
        k1 = current().bm25_k1 if k1 is None else k1
        b = current().bm25_b if b is None else b
        model = VectorisedBM25(k1=k1, b=b)
        model.collection = collection
        model.index((ids, vocab), show_progress=False)  # bm25s's entry point for ids + vocabulary
        return cls(model)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        known = [t for t in query_tokens if t in self.vocab]
        if not known:
            return np.zeros(self.model.scores["num_docs"], dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)

    def idf(self, token: str) -> float:
        """Inverse document frequency of a token (0 for unknown tokens), for evidence weighting."""
        tid = self.vocab.get(token)
        if tid is None:
            return 0.0
        df = self._doc_freq()[tid]
        n = self.model.scores["num_docs"]
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    @lru_cache(maxsize=1)  # noqa: B019 - one index object lives as long as its pipeline
    def _doc_freq(self) -> np.ndarray:
        indptr = self.model.scores["indptr"]
        return np.diff(indptr)

    def save(self, folder: Path) -> None:
        self.model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        """For querying: read with app.index.bm25_saved (no bm25s import) when it can be."""
        from app.index.bm25_saved import SavedBM25

        saved = SavedBM25.read(folder)
        if saved is not None:
            return cls(saved)
        from app.index.bm25_vectorised import VectorisedBM25

        return cls(VectorisedBM25.load(str(folder), show_progress=False, verbosity=0))
