"""A saved bm25s index, read for querying without importing bm25s.

bm25s saves its "lucene" scores as a sparse CSC matrix (data/indices/indptr.csc.index.npy, one
column per token) with params.index.json and vocab.index.json; `BM25.get_scores` sums the query
tokens' columns. Importing bm25s imports scipy, tqdm and its BEIR helpers, 0.25 s of the 1.7 s
`gongyou ask` took from process start, and a query needs none of it. `SavedBM25` reads the same
files and sums the same columns in the same order with the same numpy call, so its scores equal
bm25s's bit for bit (tests/unit/test_bm25_saved.py). Builds still use bm25s (bm25_vectorised).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

SCORE_FILES = ("data", "indices", "indptr")


def _params(folder: Path) -> dict:
    return json.loads((folder / "params.index.json").read_text(encoding="utf-8"))


class SavedBM25:
    """What BM25Index uses of a loaded bm25s.BM25: `scores`, `vocab_dict` and `get_scores`."""

    def __init__(self, folder: Path, params: dict | None = None) -> None:
        params = params if params is not None else _params(folder)
        self.dtype = np.dtype(params.get("dtype", "float32"))
        self.int_dtype = np.dtype(params.get("int_dtype", "int32"))
        self.vocab_dict: dict[str, int] = json.loads(
            (folder / "vocab.index.json").read_text(encoding="utf-8")
        )
        self.scores: dict = {name: np.load(folder / f"{name}.csc.index.npy") for name in SCORE_FILES}
        self.scores["num_docs"] = params["num_docs"]

    @classmethod
    def read(cls, folder: Path) -> SavedBM25 | None:
        """The index, when it holds bm25s's "lucene" scores (what Gongyou builds); None for other
        methods, left to bm25s itself (BM25L and BM25+ add a non-occurrence term)."""
        params = _params(folder)
        return cls(folder, params) if params.get("method") == "lucene" else None

    def get_scores(self, query_tokens: list[str]) -> np.ndarray:
        """Each passage's score: the sum, token by token, of the tokens' columns (as bm25s)."""
        ids = np.asarray(
            [self.vocab_dict[t] for t in query_tokens if t in self.vocab_dict], dtype=self.int_dtype
        )
        data, indices, indptr = (self.scores[name] for name in SCORE_FILES)
        scores = np.zeros(self.scores["num_docs"], dtype=self.dtype)
        for start, end in zip(indptr[ids], indptr[ids + 1]):
            np.add.at(scores, indices[start:end], data[start:end])
        return scores
