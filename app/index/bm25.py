"""The lexical index: BM25 scores with bm25s over the tokens of app.text.segment."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from app.settings import current


def _bm25_matrix(parts: list[np.ndarray], n_vocab: int, k1: float, b: float, dtype, int_dtype) -> dict:
    """bm25s's "lucene" scores as its CSC matrix (token columns, passage rows), vectorised.

    Term frequencies are counted a block of passages at a time, so memory stays near that of
    the (passage, token) pairs themselves, as in bm25s.
    """
    n_docs = len(parts)
    lengths = np.fromiter((p.size for p in parts), dtype=np.int64, count=n_docs)
    docs, toks, tfs = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for start in range(0, n_docs, 4096):
        block = parts[start : start + 4096]
        keys = np.concatenate(block).astype(np.int64)  # passage * n_vocab + token, sorted
        keys += np.repeat(
            np.arange(start, start + len(block), dtype=np.int64) * n_vocab,
            lengths[start : start + len(block)],
        )
        keys.sort()
        first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        pairs = keys[first]
        docs.append(pairs // n_vocab)
        toks.append(pairs % n_vocab)
        tfs.append(np.diff(np.append(first, keys.size)))
    pair_doc, pair_tok, tf = np.concatenate(docs), np.concatenate(toks), np.concatenate(tfs).astype(dtype)
    df = np.bincount(pair_tok, minlength=n_vocab)
    idf = np.zeros(n_vocab, dtype=dtype)
    seen = df > 0
    idf[seen] = np.log(1 + (n_docs - df[seen] + 0.5) / (df[seen] + 0.5))
    tfc = tf / (k1 * ((1 - b) + b * lengths[pair_doc] / lengths.mean()) + tf) if n_docs else tf
    data = (idf[pair_tok] * tfc).astype(dtype)
    order = np.argsort(pair_tok, kind="stable")
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    indices = pair_doc[order].astype(int_dtype)
    return {"data": data[order], "indices": indices, "indptr": indptr, "num_docs": n_docs}


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
        cls, ids: list[np.ndarray], vocab: dict[str, int], k1: float | None = None, b: float | None = None
    ) -> BM25Index:
        """Index passages given as arrays of ids into vocab (ids 0..len(vocab)-1; an empty
        passage counts as the one token ""). Used by incremental builds that keep token ids."""
        import bm25s

        empty = vocab.setdefault("", len(vocab))
        ids = [p if p.size else np.array([empty], dtype=np.int32) for p in ids]
        k1 = current().bm25_k1 if k1 is None else k1
        b = current().bm25_b if b is None else b
        model = bm25s.BM25(k1=k1, b=b)
        # bm25s's own index() loops in Python per passage (~1 s at 12k passages, most of a
        # `gongyou add`); _bm25_matrix computes the same matrix, bit for bit, with numpy.
        model.scores = _bm25_matrix(ids, len(vocab), k1, b, model.dtype, model.int_dtype)
        model.vocab_dict = vocab
        model.unique_token_ids_set = set(vocab.values())
        model.nonoccurrence_array = None
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
        import bm25s

        return cls(bm25s.BM25.load(str(folder), show_progress=False, verbosity=0))
