"""bm25s's BM25 with its index built by numpy: the same score matrix, bit for bit, much faster.

bm25s documents `BM25.build_index_from_ids` as the function to override "if you want to build
the index in a different way"; everything else (index(), save, load, get_scores) stays bm25s's.
Its own build loops in Python per passage: about 1 s of a 12k-passage `gongyou add`, most of it.
Importing this module imports bm25s (and scipy, about 0.25 s): only builds do; queries read the
saved index with app.index.bm25_saved.
"""

from __future__ import annotations

from collections.abc import Sequence

import bm25s
import numpy as np

from app.index.bm25_stats import CollectionStats, lucene_idf

BLOCK = 4096  # passages whose (passage, token) pairs are sorted at once: bounds the extra memory


def lucene_score_matrix(
    parts: Sequence[np.ndarray],
    n_vocab: int,
    k1: float,
    b: float,
    dtype,
    int_dtype,
    collection: CollectionStats | None = None,
) -> dict:
    """bm25s's "lucene" scores as its CSC matrix (token columns, passage rows), vectorised.

    Term frequencies are counted a block of passages at a time, so memory stays near that of
    the (passage, token) pairs themselves, as in bm25s. With `collection` (a shard of a larger
    index), idf and the average length are the whole collection's, so every score equals the
    one the unsharded index gives the same passage.
    """
    n_docs = len(parts)
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=n_docs)
    docs, toks, tfs = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for start in range(0, n_docs, BLOCK):
        block = parts[start : start + BLOCK]
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
    if collection is None:
        idf, avgdl = lucene_idf(df, n_docs, dtype), lengths.mean() if n_docs else 1.0
    else:
        idf, avgdl = collection.idf.astype(dtype, copy=False), collection.avgdl
    tfc = tf / (k1 * ((1 - b) + b * lengths[pair_doc] / avgdl) + tf) if n_docs else tf
    data = (idf[pair_tok] * tfc).astype(dtype)
    order = np.argsort(pair_tok, kind="stable")
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    indices = pair_doc[order].astype(int_dtype)
    return {"data": data[order], "indices": indices, "indptr": indptr, "num_docs": n_docs}


class VectorisedBM25(bm25s.BM25):
    """bm25s.BM25 whose "lucene" index is computed by `lucene_score_matrix`.

    Token ids must be 0..len(unique_token_ids)-1, as bm25s's own build also assumes. Other
    scoring methods are left to bm25s. `collection` (set before `index()`) makes a shard score
    with the whole collection's statistics.
    """

    collection: CollectionStats | None = None

    def build_index_from_ids(
        self,
        unique_token_ids: list[int],
        corpus_token_ids: Sequence[Sequence[int]],
        show_progress: bool = True,
        leave_progress: bool = False,
    ) -> dict:
        if self.method != "lucene" or self.idf_method != "lucene":
            return super().build_index_from_ids(
                unique_token_ids, corpus_token_ids, show_progress, leave_progress
            )
        self.nonoccurrence_array = None  # only bm25l and bm25+ use one, as in bm25s
        return lucene_score_matrix(
            corpus_token_ids,
            len(unique_token_ids),
            self.k1,
            self.b,
            self.dtype,
            self.int_dtype,
            self.collection,
        )
