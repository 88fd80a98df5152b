"""Judging one question: which chunks are relevant, how well a ranking did, whether an answer is right."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from app.evaluation import metrics as m
from app.evaluation.datasets import Item, norm

KS = (1, 5, 10, 20)
RANK_METRICS = ("mrr@10", "mrr@20", "ndcg@10")


def chunk_forms(index) -> dict[str, tuple[str, str]]:
    """Matching forms (text, heading) of every chunk, computed in one batch (OpenCC per call is slow)."""
    from app.ingest.clean import remove_glosses
    from app.text.normalize import match_form

    sep = "\u0001"
    texts = [remove_glosses(c.text).replace(sep, " ") for c in index.chunks]
    heads = [remove_glosses(c.heading).replace(sep, " ") for c in index.chunks]
    text_forms = match_form(sep.join(texts)).split(sep)
    head_forms = match_form(sep.join(heads)).split(sep)
    return {c.chunk_id: (t, h) for c, t, h in zip(index.chunks, text_forms, head_forms, strict=True)}


def evidence_in(form: tuple[str, str], evidence: Sequence[str]) -> list[int]:
    """Indexes of the evidence strings that a chunk (text, heading forms) contains."""
    return [i for i, e in enumerate(evidence) if e in form[0] or e in form[1]]


def attach_text_relevance(items: list[Item], forms: dict[str, tuple[str, str]]) -> list[str]:
    """Dev set: gold = every chunk of the index holding an evidence string. Returns data warnings."""
    warnings = []
    for item in items:
        found: set[int] = set()
        for chunk_id, form in forms.items():
            hits = evidence_in(form, item.evidence)
            if hits:
                item.gold.add(chunk_id)
                found.update(hits)
        missing = [e for i, e in enumerate(item.evidence) if i not in found]
        if item.answerable and not item.evidence:
            warnings.append(f"{item.id}: answerable but no evidence strings (retrieval not scored)")
        elif missing:
            shown = ", ".join(f"'{e}'" for e in missing[:3])
            warnings.append(f"{item.id}: evidence not found in any chunk: {shown}")
    return warnings


def evidence_recall(top_forms: Sequence[tuple[str, str]], evidence: Sequence[str], k: int) -> float:
    """Share of the evidence strings found in the first k chunks."""
    found: set[int] = set()
    for form in top_forms[:k]:
        found.update(evidence_in(form, evidence))
    return len(found) / len(evidence)


def score_ranking(
    retrieved: Sequence[str],
    relevant: set[str],
    recall: Callable[[int], float] | None = None,
) -> dict[str, float] | None:
    """Hit@k, Recall@k (k in KS), MRR@10/@20 and nDCG@10 of one ranking; None when nothing is relevant.

    `recall(k)` overrides the id-based recall (the dev set counts evidence strings, not chunks).
    """
    if not relevant:
        return None
    scores: dict[str, float] = {}
    for k in KS:
        scores[f"hit@{k}"] = m.hit_at_k(retrieved, relevant, k)
        scores[f"recall@{k}"] = recall(k) if recall else m.recall_at_k(retrieved, relevant, k)
    scores["mrr@10"] = m.reciprocal_rank_at_k(retrieved, relevant, 10)
    scores["mrr@20"] = m.reciprocal_rank_at_k(retrieved, relevant, 20)
    scores["ndcg@10"] = m.ndcg_at_k(retrieved, relevant, 10)
    return scores


def relevant_ranks(retrieved: Sequence[str], relevant: set[str]) -> list[int]:
    return [rank for rank, unit in enumerate(retrieved, 1) if unit in relevant]


def _show(part: Sequence[str]) -> str:
    return " / ".join(f"'{alt}'" for alt in part)


def judge_answer(item: Item, text: str, refused: bool, cited: Sequence[str]) -> tuple[bool | None, bool, str]:
    """(accuracy or None when not scorable, overall pass, why it failed).

    Accuracy: answerable, not refused, and every required part present (one of its alternatives).
    Without required parts (LeCoQA), an answer passes when it cites a relevant passage.
    """
    if not item.answerable:
        return None, refused, "" if refused else "answered an unanswerable question"
    if refused:
        return (False if item.parts else None), False, "refused an answerable question"
    if item.parts:
        form = norm(re.sub(r"\[\d+\]", "", text))
        missing = [p for p in item.parts if not any(alt in form for alt in p)]
        why = "; ".join(f"missing answer string {_show(p)}" for p in missing)
        return not missing, not missing, why
    if not item.gold:
        return None, True, ""
    if any(c in item.gold for c in cited):
        return None, True, ""
    return None, False, "no cited passage is relevant"
