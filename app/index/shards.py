"""Sharded indexes: N shards by document inside one build folder, under one manifest.

    builds/<id>/manifest.json   "shards": {"count", "passages", "documents", "dense_index", ...}
                chunks.jsonl, docs.json, vector_keys.txt, token_ids.npy, token_offsets.npy,
                token_vocab.txt as an unsharded build, and token_df.npy (app.index.lexicon)
                shards/<k>/rows.npy      the passages (global rows, ascending) shard k holds
                shards/<k>/dense.faiss   their vectors (app.index.dense)
                shards/<k>/bm25/         their BM25 scores, computed with the whole collection's
                                         idf and average length

Global rows are the chunk order of the whole index, the same as an unsharded build's, so
candidates merged from the shards carry the rows (and the tie-breaks) one index would give.
A document never spans shards: documents are dealt largest first to the emptiest shard, which
balances shards to within one document. Every build rewrites every shard (a new document
changes the global statistics and so every shard's scores); vectors and tokens of unchanged
passages are reused as for an unsharded index, so only new text is embedded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.index.bm25 import BM25Index
from app.index.bm25_stats import CollectionStats, lucene_idf
from app.index.dense import dense_index, dense_kind, read_dense, write_dense
from app.index.lexicon import Lexicon
from app.settings import current

SHARDS_DIR = "shards"


def shard_folder(build: Path, number: int) -> Path:
    return build / SHARDS_DIR / f"{number:03d}"


def assign_shards(doc_of_row: Sequence[str], count: int) -> list[np.ndarray]:
    """The rows of each shard: whole documents, largest first to the shard with fewest rows
    (ties: the lower shard; documents of equal size in order of first appearance)."""
    if count < 1:
        raise ValueError("a sharded index needs at least one shard")
    rows_of: dict[str, list[int]] = {}
    for row, doc_id in enumerate(doc_of_row):
        rows_of.setdefault(doc_id, []).append(row)
    sizes = [0] * count
    members: list[list[int]] = [[] for _ in range(count)]
    for doc_rows in sorted(rows_of.values(), key=len, reverse=True):  # stable: first appearance
        target = min(range(count), key=lambda s: (sizes[s], s))
        members[target].extend(doc_rows)
        sizes[target] += len(doc_rows)
    return [np.array(sorted(rows), dtype=np.int64) for rows in members]


def _shard_bm25(
    parts: Sequence[np.ndarray], rows: np.ndarray, words: list[str], global_idf: np.ndarray, avgdl: float
) -> BM25Index:
    """BM25 over the shard's passages, in the shard's own vocabulary, with the global statistics."""
    empty = words.index("")
    used = np.unique(np.concatenate([parts[r] for r in rows] + [np.array([empty], np.int64)]))
    local = np.full(len(words), -1, dtype=np.int32)
    local[used] = np.arange(used.size, dtype=np.int32)
    ids = [local[parts[r]] for r in rows]
    vocab = {words[g]: i for i, g in enumerate(used)}
    collection = CollectionStats(idf=global_idf[used], avgdl=avgdl)
    return BM25Index.from_ids(ids, vocab, collection=collection)


def write_shards(
    folder: Path,
    count: int,
    doc_of_row: Sequence[str],
    vectors: np.ndarray,
    parts: Sequence[np.ndarray],
    words: list[str],
) -> dict[str, Any]:
    """Write the shards and the global statistics into a build folder; returns the manifest's
    "shards" record."""
    lexicon = Lexicon.from_ids(parts, words)
    lexicon.save(folder)
    global_idf = lucene_idf(lexicon.df, lexicon.n_docs, np.float32)
    layout = assign_shards(doc_of_row, count)
    kinds = []
    for number, rows in enumerate(layout):
        target = shard_folder(folder, number)
        target.mkdir(parents=True)
        np.save(target / "rows.npy", rows)
        write_dense(dense_index(vectors[rows]), target / "dense.faiss")
        _shard_bm25(parts, rows, words, global_idf, lexicon.avgdl).save(target / "bm25")
        kinds.append(dense_kind(rows.size))
    return {
        "count": count,
        "passages": [int(rows.size) for rows in layout],
        "documents": [len({doc_of_row[r] for r in rows}) for rows in layout],
        "dense_index": kinds,
        "n_docs": lexicon.n_docs,
        "avgdl": lexicon.avgdl,
        "bm25": {"k1": current().bm25_k1, "b": current().bm25_b},
    }


@dataclass
class Shard:
    """What one shard searches: its BM25 and vectors, and the global row of each local row
    (None: the shard is a whole unsharded index, local rows are global)."""

    number: int
    bm25: BM25Index
    dense: Any  # faiss.Index
    rows: np.ndarray | None = None

    @property
    def size(self) -> int:
        return int(self.dense.ntotal)

    def global_rows(self, local: np.ndarray) -> np.ndarray:
        return local if self.rows is None else self.rows[local]


def load_shard(build: Path, number: int) -> Shard:
    """One shard of a build; shard 0 of an unsharded build is the whole build. Raises
    OSError/ValueError when its files are missing or disagree."""
    folder = shard_folder(build, number)
    if number == 0 and not (build / SHARDS_DIR).is_dir():
        return Shard(0, BM25Index.load(build / "bm25"), read_dense(build / "dense.faiss"))
    rows = np.load(folder / "rows.npy")
    dense = read_dense(folder / "dense.faiss")
    bm25 = BM25Index.load(folder / "bm25")
    if not (rows.size == dense.ntotal == bm25.model.scores["num_docs"]):
        raise ValueError(
            f"shard {number} is inconsistent ({rows.size} rows, {dense.ntotal} vectors, "
            f"{bm25.model.scores['num_docs']} BM25 passages)"
        )
    return Shard(number, bm25, dense, rows)


def sharded_vectors(build: Path, count: int, total: int, dim: int) -> np.ndarray:
    """Every passage's vector in global row order, gathered from the shards (for reuse)."""
    vectors = np.zeros((total, dim), dtype=np.float32)
    for number in range(count):
        folder = shard_folder(build, number)
        dense = read_dense(folder / "dense.faiss")
        vectors[np.load(folder / "rows.npy")] = dense.reconstruct_n(0, dense.ntotal)
    return vectors
