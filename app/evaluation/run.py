"""Running a question set: each question searched in every mode and asked once, one row per question."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from app.evaluation.datasets import Dataset, Item
from app.evaluation.judge import KS, evidence_recall, judge_answer, relevant_ranks, score_ranking
from app.settings import current

TOP = max(KS)  # retrieved per question and mode
ANSWER_MODE = "hybrid"  # what Pipeline.ask retrieves with


@dataclass
class Context:
    """What scoring one question needs besides the question itself."""

    pipeline: Any
    modes: list[str]
    unit: str  # "chunk", "doc" or "article"
    forms: dict[str, tuple[str, str]] | None = None  # dev set: chunk matching forms
    answerers: dict[str, Any] | None = None  # `--answerer a,b`: name → answerer, the first is primary


def unit_of(hit, unit: str) -> str:
    """What a hit counts as: its chunk, its document, or (statute sets) its law + article."""
    if unit == "article":
        return article_unit(hit)
    return hit.chunk.chunk_id if unit == "chunk" else hit.chunk.doc_id


def article_unit(hit) -> str:
    """劳动合同法第四十七条 for a law's article (as LeCoQA's ids name it), else the chunk id."""
    from app.answer.labels import law_article

    found = law_article(hit)
    return found[0] + found[1].replace("條", "条") if found else hit.chunk.chunk_id


def retrieval_row(item: Item, ctx: Context, mode: str) -> dict:
    result = ctx.pipeline.search(item.question, k=TOP, mode=mode)
    retrieved = [unit_of(h, ctx.unit) for h in result.hits]
    recall = None
    if ctx.forms is not None and item.evidence:
        top_forms = [ctx.forms[h.chunk.chunk_id] for h in result.hits]
        recall = lambda k: evidence_recall(top_forms, item.evidence, k)  # noqa: E731
    row = {
        "retrieved": retrieved,
        "relevant_ranks": relevant_ranks(retrieved, item.gold),
        "scores": score_ranking(retrieved, item.gold, recall),
        "total_ms": result.timings_ms.get("total"),
    }
    if item.lenient is not None:
        row["lenient_ranks"] = relevant_ranks(retrieved, item.lenient)
        row["lenient_scores"] = score_ranking(retrieved, item.lenient)
    return row


def answer_row(item: Item, ctx: Context, answerer: Any = None) -> dict:
    result = ctx.pipeline.ask(item.question, answerer=answerer)  # k: settings.answer_passages
    answer = result.answer
    cited = [unit_of(c.hit, ctx.unit) for c in answer.citations]
    accuracy, passed, why = judge_answer(item, answer.text, answer.refused, cited)
    top = [unit_of(h, ctx.unit) for h in result.hits]
    if not passed and item.gold and not any(u in item.gold for u in top):
        why += f"; no relevant passage in the top {current().answer_passages} retrieved"
    row = {
        "answer": answer.text,
        "refused": answer.refused,
        "refusal_rule": answer.refusal.rule if answer.refusal else None,
        "cited": cited,
        "cited_relevant": [c in item.gold for c in cited] if item.answerable and item.gold else None,
        "accuracy": accuracy,
        "pass": passed,
        "why": why.strip("; "),
        "timings_ms": result.timings_ms,
    }
    if answerer is not None:
        from app.evaluation.answerers import mode_fields

        row["mode"] = mode_fields(result.report)
    if item.lenient and item.answerable:
        row["cited_relevant_lenient"] = [c in item.lenient for c in cited]
    return row


def evaluate_item(item: Item, ctx: Context) -> dict:
    """One per_question.jsonl row: retrieval for every mode, then the answer.

    The answer is computed first, so its latency is not flattered by the searches before it.
    """
    from app.search.question import QuestionError

    row: dict[str, Any] = {
        "id": item.id,
        "question": item.question,
        "tags": item.tags,
        "answerable": item.answerable,
    }
    try:
        if ctx.answerers:
            by_name = {name: answer_row(item, ctx, a) for name, a in ctx.answerers.items()}
            answer = {**next(iter(by_name.values())), "answerers": by_name}
        else:
            answer = answer_row(item, ctx)
        row["retrieval"] = {mode: retrieval_row(item, ctx, mode) for mode in ctx.modes}
    except QuestionError as exc:
        return {**row, "error": str(exc), "pass": False, "why": f"error: {exc}"}
    return {**row, **answer}


def run_questions(dataset: Dataset, ctx: Context, progress: bool) -> list[dict]:
    from tqdm import tqdm

    if dataset.items:  # warm-up: the first query loads dictionaries and models, keep it out of latency
        ctx.pipeline.ask(dataset.items[0].question)
    bar = tqdm(dataset.items, desc=f"eval {dataset.label}", unit="q", file=sys.stderr, disable=not progress)
    return [evaluate_item(item, ctx) for item in bar]
