"""Evaluation metrics: retrieval ranks, answer checks, rates with bootstrap intervals, latencies.

Pure functions over plain Python data; numpy is the only import.

Returned structures (all JSON-serialisable: plain floats, ints, lists, None):

* A **rate** (from `rate`) is ``{"value": float, "ci95": [lo, hi], "n": int}`` -- the mean of
  per-item values (booleans count as 0/1), its 95% percentile-bootstrap interval, and the
  number of items.  An empty sample gives ``{"value": None, "ci95": None, "n": 0}`` so that a
  report can show "no data" instead of crashing.
* `retrieval_summary` returns one rate per metric and cut-off, keyed ``"<metric>@<k>"`` with
  metric in ``hit``, ``recall``, ``mrr``, ``ndcg``, plus the query counts::

      {"n": 120, "skipped": 3,
       "hit@1": {"value": 0.71, "ci95": [0.63, 0.79], "n": 120},
       "recall@1": {...}, "mrr@1": {...}, "ndcg@1": {...},
       "hit@5": {...}, ..., "ndcg@20": {...}}

  ``n`` counts the queries scored; ``skipped`` those without relevant ids (they cannot be
  scored and are left out).
* `percentiles` returns ``{"p50", "p95", "mean", "max", "n"}`` (milliseconds in, milliseconds out).
* `by_tag` returns ``{tag: rate, ...}`` sorted by tag.

Retrieval metrics use binary relevance.  A retrieved id listed more than once counts only at its
first rank.  ``k`` larger than the list simply scores the whole list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np

DEFAULT_KS: tuple[int, ...] = (1, 5, 10, 20)
_RETRIEVAL_METRICS = ("hit", "recall", "mrr", "ndcg")
_BOOTSTRAP_CHUNK = 4_000_000  # resampled indices held in memory at once


# --- retrieval, per query ----------------------------------------------------------------------


def _check(relevant: set[str], k: int) -> None:
    if not relevant:
        raise ValueError("relevant is empty: the query cannot be scored")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")


def _relevant_ranks(retrieved: Sequence[str], relevant: set[str], k: int) -> list[int]:
    """1-based ranks, within the top k, of the first occurrence of each relevant id."""
    seen: set[str] = set()
    ranks = []
    for rank, doc_id in enumerate(retrieved[:k], start=1):
        if doc_id in relevant and doc_id not in seen:
            seen.add(doc_id)
            ranks.append(rank)
    return ranks


def hit_at_k(retrieved: Sequence[str], relevant: set[str], k: int) -> float:
    """1.0 if any relevant id is in the top k, else 0.0."""
    _check(relevant, k)
    return 1.0 if _relevant_ranks(retrieved, relevant, k) else 0.0


def recall_at_k(retrieved: Sequence[str], relevant: set[str], k: int) -> float:
    """|relevant ∩ top k| / |relevant|."""
    _check(relevant, k)
    return len(_relevant_ranks(retrieved, relevant, k)) / len(relevant)


def reciprocal_rank_at_k(retrieved: Sequence[str], relevant: set[str], k: int) -> float:
    """1 / rank of the first relevant id within the top k, else 0.0 (averaged, this is MRR@k)."""
    _check(relevant, k)
    ranks = _relevant_ranks(retrieved, relevant, k)
    return 1.0 / ranks[0] if ranks else 0.0


def ndcg_at_k(retrieved: Sequence[str], relevant: set[str], k: int) -> float:
    """Binary-gain nDCG@k: sum of 1/log2(rank+1) over relevant hits, over the ideal DCG.

    The ideal ranking puts min(|relevant|, k) relevant ids at ranks 1, 2, ...
    """
    _check(relevant, k)
    dcg = sum(1.0 / math.log2(rank + 1) for rank in _relevant_ranks(retrieved, relevant, k))
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


_PER_QUERY: dict[str, Callable[[Sequence[str], set[str], int], float]] = {
    "hit": hit_at_k,
    "recall": recall_at_k,
    "mrr": reciprocal_rank_at_k,
    "ndcg": ndcg_at_k,
}


def retrieval_summary(
    runs: Iterable[tuple[Sequence[str], set[str]]],
    ks: Sequence[int] = DEFAULT_KS,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
) -> dict:
    """Mean hit/recall/MRR/nDCG at every k over (retrieved, relevant) pairs, each with a 95% CI.

    Queries whose relevant set is empty are skipped and counted under "skipped"; see the module
    docstring for the structure.  Raises ValueError if no query can be scored.
    """
    scored = [(list(retrieved), set(relevant)) for retrieved, relevant in runs]
    skipped = sum(1 for _, relevant in scored if not relevant)
    scored = [(retrieved, relevant) for retrieved, relevant in scored if relevant]
    if not scored:
        raise ValueError("no query with relevant ids to score")
    summary: dict = {"n": len(scored), "skipped": skipped}
    for k in ks:
        for name in _RETRIEVAL_METRICS:
            per_query = [_PER_QUERY[name](retrieved, relevant, k) for retrieved, relevant in scored]
            summary[f"{name}@{k}"] = rate(per_query, n_resamples=n_resamples, seed=seed)
    return summary


# --- rates and intervals -----------------------------------------------------------------------


def bootstrap_ci(
    values: Sequence[float],
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile-bootstrap confidence interval of the mean; the same seed gives the same interval.

    A single value or all-equal values give a zero-width interval.  Empty or non-finite input
    raises ValueError.
    """
    data = np.asarray(values, dtype=float).ravel()
    if data.size == 0:
        raise ValueError("cannot bootstrap an empty sample")
    if not np.all(np.isfinite(data)):
        raise ValueError("values must be finite")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be at least 1, got {n_resamples}")
    if np.all(data == data[0]):
        return float(data[0]), float(data[0])

    rng = np.random.default_rng(seed)
    rows_per_chunk = max(1, _BOOTSTRAP_CHUNK // data.size)
    means = []
    for start in range(0, n_resamples, rows_per_chunk):
        rows = min(rows_per_chunk, n_resamples - start)
        indices = rng.integers(0, data.size, size=(rows, data.size))  # one resample per row
        means.append(data[indices].mean(axis=1))
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(np.concatenate(means), [tail, 100.0 - tail])
    return float(low), float(high)


def rate(values: Sequence[bool | float], *, n_resamples: int = 1000, seed: int = 0) -> dict:
    """{"value": mean, "ci95": [lo, hi], "n": count}; empty input gives None, None, 0."""
    data = [float(v) for v in values]
    if not data:
        return {"value": None, "ci95": None, "n": 0}
    low, high = bootstrap_ci(data, n_resamples=n_resamples, confidence=0.95, seed=seed)
    return {"value": float(np.mean(data)), "ci95": [low, high], "n": len(data)}


def percentiles(values_ms: Sequence[float]) -> dict:
    """{"p50", "p95", "mean", "max", "n"} of latencies (linear interpolation); empty gives None, n 0."""
    data = np.asarray(values_ms, dtype=float).ravel()
    if data.size == 0:
        return {"p50": None, "p95": None, "mean": None, "max": None, "n": 0}
    p50, p95 = np.percentile(data, [50.0, 95.0], method="linear")
    return {
        "p50": float(p50),
        "p95": float(p95),
        "mean": float(data.mean()),
        "max": float(data.max()),
        "n": int(data.size),
    }


def by_tag(
    rows: Iterable[dict],
    tag_key: str = "tags",
    *,
    metric: Callable[[dict], bool | float | None],
    n_resamples: int = 1000,
    seed: int = 0,
) -> dict[str, dict]:
    """Per-tag rate of metric(row) over the rows carrying that tag, sorted by tag.

    row[tag_key] may be a list of tags or one tag string; rows without it are ignored, as are
    rows for which metric returns None (not applicable).  A tag repeated in a row counts once.
    """
    per_tag: dict[str, list[float]] = {}
    for row in rows:
        tags = row.get(tag_key) or []
        if isinstance(tags, str):
            tags = [tags]
        value = metric(row)
        if value is None:
            continue
        for tag in dict.fromkeys(tags):
            per_tag.setdefault(tag, []).append(float(value))
    return {tag: rate(per_tag[tag], n_resamples=n_resamples, seed=seed) for tag in sorted(per_tag)}


# --- answer checks (text already normalised by the caller) ---------------------------------------


def contains_all(answer: str, required: Sequence[str]) -> bool:
    """Dev-set rule: every required string occurs in the answer.

    Empty strings are ignored; nothing left to require gives False (no evidence is no pass).
    """
    needles = [needle for needle in required if needle]
    return bool(needles) and all(needle in answer for needle in needles)


def contains_all_parts(answer: str, parts: Sequence[Sequence[str] | str]) -> bool:
    """RGB rule: every part occurs, a part being satisfied by any one of its alternatives.

    A bare string is a part with one alternative.  Empty alternatives are ignored; an empty part
    list, or a part with no non-empty alternative, gives False.
    """
    if not parts:
        return False
    for part in parts:
        alternatives = [part] if isinstance(part, str) else list(part)
        if not any(alt and alt in answer for alt in alternatives):
            return False
    return True
