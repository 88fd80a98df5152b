"""Weighted reciprocal rank fusion: several ranked lists of rows → one order.

A row at rank r (from 1) of a list with weight w earns w / (rrf_k + r); a row's fused score is
the sum over the lists that hold it. Only ranks count, so BM25 scores and cosine similarities
never need a common scale. Ties go to the lower row number, so the order is reproducible.
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
