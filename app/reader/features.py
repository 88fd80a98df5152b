"""The features the reader's heads read: per passage, and per question (the list as a whole).

All come from what retrieval already holds: no model call. Cosines use the index's stored passage
and sentence vectors; "adapted" is the cosine with the question vector after the reader's
query-side adapter. A "gap" feature is the value minus the best value in the list, so a head can
tell the best passage from one that is merely good.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from app.answer.evidence.terms import TermGroup, coverage
from app.models import Hit
from app.text.normalize import match_form

PASSAGE_FEATURES = (
    "inv_rank",  # 1 / fused rank
    "fused_share",  # fused score / the best fused score
    "bm25_share",  # BM25 score / the best BM25 score in the list (0 when BM25 did not find it)
    "dense",  # cosine of the passage and the question
    "dense_gap",
    "sentence",  # the best cosine of one of its sentences with the question
    "sentence_gap",
    "cover",  # key-term coverage of passage, title and section
    "cover_gap",
    "adapted",  # cosine of the passage with the adapted question vector
    "adapted_gap",
    "log_chars",
)
QUESTION_FEATURES = (
    "top_prob",  # the passage head's best probability (logit)
    "prob_margin",  # best minus second logit
    "top_dense",
    "top_sentence",
    "top_cover",
    "top_adapted",
    "bm25_per_term",  # the best BM25 score over the number of key terms
)


@dataclass(frozen=True)
class Signals:
    """What the features are computed from, for one question and its retrieved list."""

    question: np.ndarray  # the question's vector (L2-normalised)
    adapted: np.ndarray  # after the adapter (L2-normalised)
    groups: list[TermGroup]


def _gap(values: np.ndarray) -> np.ndarray:
    return values - values.max() if values.size else values


def passage_matrix(hits: list[Hit], signals: Signals, index) -> np.ndarray:
    """One row of PASSAGE_FEATURES per hit, in the hits' order."""
    n = len(hits)
    if n == 0:
        return np.zeros((0, len(PASSAGE_FEATURES)), dtype=np.float64)
    rows = [h.row for h in hits]
    vectors = np.stack([index.dense.reconstruct(int(r)) for r in rows]).astype(np.float32)
    dense = vectors @ signals.question
    adapted = vectors @ signals.adapted
    sentence = np.array([_best_sentence(index, r, signals.question, d) for r, d in zip(rows, dense)])
    cover = np.array([coverage(signals.groups, f) for f in _forms(hits)]) if signals.groups else np.zeros(n)
    fused = np.array([h.score for h in hits], dtype=np.float64)
    bm25 = np.array([h.bm25_score or 0.0 for h in hits], dtype=np.float64)
    columns = [
        1.0 / np.arange(1, n + 1),
        fused / max(fused.max(), 1e-9),
        bm25 / max(bm25.max(), 1e-9),
        dense,
        _gap(dense),
        sentence,
        _gap(sentence),
        cover,
        _gap(cover),
        adapted,
        _gap(adapted),
        np.array([math.log1p(len(h.chunk.text)) for h in hits]),
    ]
    return np.stack(columns, axis=1).astype(np.float64)


def question_vector(
    logits: np.ndarray, matrix: np.ndarray, hits: list[Hit], groups: list[TermGroup]
) -> np.ndarray:
    """QUESTION_FEATURES for a list whose passages the head scored `logits`."""
    if len(logits) == 0:
        return np.zeros(len(QUESTION_FEATURES))
    column = {name: matrix[:, i] for i, name in enumerate(PASSAGE_FEATURES)}
    ordered = np.sort(logits)[::-1]
    margin = ordered[0] - ordered[1] if len(ordered) > 1 else 0.0
    bm25 = max((h.bm25_score or 0.0) for h in hits)
    return np.array(
        [
            ordered[0],
            margin,
            column["dense"].max(),
            column["sentence"].max(),
            column["cover"].max(),
            column["adapted"].max(),
            bm25 / max(len(groups), 1),
        ]
    )


def _best_sentence(index, row: int, question: np.ndarray, fallback: float) -> float:
    if index.sentences is None:
        return float(fallback)
    vectors = index.sentences.of_passage(row)
    return float((vectors.astype(np.float32) @ question).max()) if len(vectors) else float(fallback)


def _forms(hits: list[Hit]) -> list[str]:
    """Matching forms of passage, title and section, in one conversion (OpenCC per call is slow)."""
    sep = "\u0001"
    texts = [f"{h.meta.title}{h.chunk.heading}{h.chunk.text}".replace(sep, " ") for h in hits]
    return match_form(sep.join(texts)).split(sep)
