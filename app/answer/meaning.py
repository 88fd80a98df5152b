"""How close in meaning a passage and its sentences are to the question (the model's cosines).

The dense leg already embedded the question; passage vectors are in the FAISS index and, with a
real model, every sentence's vector is in the index too (app/index/sentence_vectors.py). So these
similarities cost a few dot products at question time and no model call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from app.index.store import Index
    from app.models import Hit


@dataclass(frozen=True)
class Meaning:
    question: np.ndarray  # the question's vector, L2-normalised
    index: Index

    @classmethod
    def of(cls, question: np.ndarray | None, index: Index) -> Meaning | None:
        """None when there is no question vector or the index holds no sentence vectors."""
        if question is None or index.sentences is None:
            return None
        return cls(np.asarray(question, dtype=np.float32).reshape(-1), index)

    def passage(self, hit: Hit) -> float:
        return float(self.index.dense.reconstruct(hit.row) @ self.question)

    def sentences(self, hit: Hit, count: int) -> np.ndarray | None:
        """The cosine of each sentence of the hit's passage, or None if the index split it into
        another number of sentences than `count` (then the vectors do not line up)."""
        vectors = self.index.sentences.of_passage(hit.row)
        if len(vectors) != count:
            return None
        return vectors.astype(np.float32) @ self.question
