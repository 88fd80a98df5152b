"""Fusing the legs' ranked candidates into one order: two pure, weighted functions.

- reciprocal rank fusion: a row at rank r (from 1) of a list with weight w earns w / (rrf_k + r);
  only ranks count, so BM25 scores and cosine similarities never need a common scale;
- score fusion: each list's scores are min-max normalised over its own candidates, then summed
  with the weights; a row a list does not hold counts that list's lowest score.
A row's fused score is the sum over the lists. Ties go to the lower row number, so the order is
reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Fused:
    row: int
    score: float


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], weights: Sequence[float], rrf_k: float
) -> list[Fused]:
    """Every row of the rankings (each best first, rows unique within one), best fused score first."""
    if len(rankings) != len(weights):
        raise ValueError(f"{len(rankings)} rankings but {len(weights)} weights")
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for r, row in enumerate(ranking):
            fused[row] = fused.get(row, 0.0) + weight / (rrf_k + r + 1)
    order = sorted(fused, key=lambda row: (-fused[row], row))
    return [Fused(row, fused[row]) for row in order]


def score_fusion(rankings: Sequence[Sequence[tuple[int, float]]], weights: Sequence[float]) -> list[Fused]:
    """Every row of the rankings ((row, score) pairs, best first), best weighted sum of min-max
    normalised scores first."""
    if len(rankings) != len(weights):
        raise ValueError(f"{len(rankings)} rankings but {len(weights)} weights")
    rows = {row for ranking in rankings for row, _ in ranking}
    fused = dict.fromkeys(rows, 0.0)
    for ranking, weight in zip(rankings, weights):
        if not ranking:
            continue
        scores = dict(ranking)
        low, high = min(scores.values()), max(scores.values())
        span = (high - low) or 1.0
        for row in rows:
            fused[row] += weight * (scores.get(row, low) - low) / span
    order = sorted(fused, key=lambda row: (-fused[row], row))
    return [Fused(row, fused[row]) for row in order]
