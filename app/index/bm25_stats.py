"""BM25 statistics shared by the vectorised build and the shards, with no bm25s import."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CollectionStats:
    """What a shard's scores take from the whole collection: the idf of each of the shard's
    tokens (in the shard's vocabulary order) and the average passage length."""

    idf: np.ndarray
    avgdl: float


def lucene_idf(df: np.ndarray, n_docs: int, dtype) -> np.ndarray:
    """bm25s's "lucene" idf of each token from its document frequency (0 where df is 0)."""
    idf = np.zeros(df.size, dtype=dtype)
    seen = df > 0
    idf[seen] = np.log(1 + (n_docs - df[seen] + 0.5) / (df[seen] + 0.5))
    return idf
