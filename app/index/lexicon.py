"""The whole collection's BM25 statistics, kept with a sharded index: document frequencies, the
number of passages and their average length.

A sharded build computes them once over every passage's token ids (app/index/tokens.py) and bakes
them into every shard's scores (app/index/shards.py), so BM25 over N shards scores each passage
exactly as one index does. The answering front end asks them for idf (query expansion, answer
evidence) as an unsharded index asks `BM25Index.idf`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DF_FILE = "token_df.npy"  # beside token_vocab.txt, aligned with its words
BLOCK = 4096  # passages whose distinct tokens are counted at once


def document_frequencies(parts: Sequence[np.ndarray], n_vocab: int) -> np.ndarray:
    """In how many passages each token id occurs (a block of passages at a time)."""
    df = np.zeros(n_vocab, dtype=np.int64)
    for start in range(0, len(parts), BLOCK):
        block = parts[start : start + BLOCK]
        lengths = np.fromiter((p.size for p in block), dtype=np.int64, count=len(block))
        keys = np.concatenate(block).astype(np.int64) if block else np.zeros(0, np.int64)
        keys += np.repeat(np.arange(len(block), dtype=np.int64) * n_vocab, lengths)
        df += np.bincount(np.unique(keys) % n_vocab, minlength=n_vocab)
    return df


def average_length(parts: Sequence[np.ndarray]) -> float:
    """Mean passage length in tokens, computed as the unsharded BM25 build computes it."""
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    return float(lengths.mean()) if len(parts) else 1.0


@dataclass
class Lexicon:
    """Global statistics: word → id (token_vocab.txt order), document frequency per id, N, avgdl."""

    vocab: dict[str, int]
    df: np.ndarray
    n_docs: int
    avgdl: float

    @classmethod
    def from_ids(cls, parts: Sequence[np.ndarray], words: list[str]) -> Lexicon:
        return cls(
            {w: i for i, w in enumerate(words)},
            document_frequencies(parts, len(words)),
            len(parts),
            average_length(parts),
        )

    def idf(self, token: str) -> float:
        """Inverse document frequency of a token (0 for unknown tokens), as BM25Index.idf."""
        tid = self.vocab.get(token)
        if tid is None:
            return 0.0
        df = self.df[tid]
        return float(np.log(1 + (self.n_docs - df + 0.5) / (df + 0.5)))

    def save(self, folder: Path) -> None:
        np.save(folder / DF_FILE, self.df)

    @classmethod
    def load(cls, folder: Path, n_docs: int, avgdl: float) -> Lexicon:
        words = (folder / "token_vocab.txt").read_text(encoding="utf-8").split("\n")
        df = np.load(folder / DF_FILE)
        if df.size != len(words):
            raise ValueError(f"{DF_FILE} has {df.size} entries for {len(words)} words")
        return cls({w: i for i, w in enumerate(words)}, df, n_docs, avgdl)
