"""Helpers for the refusal-rule tests: a one-sentence passage, and the rule that refuses a sentence."""

from __future__ import annotations

from app.answer.evidence.answer_types import answer_type
from app.answer.evidence.case import Candidate, Case
from app.answer.evidence.registry import first_refusal
from app.answer.evidence.terms import TermGroup
from app.models import Chunk, DocMeta, Hit, Refusal
from app.text.normalize import match_form
from app.text.segment import content_words


def hit(text: str) -> Hit:
    return Hit(Chunk("d#0", "d", text, 0, len(text)), DocMeta("新闻"), 1.0)


def terms(question: str) -> list[TermGroup]:
    """Every content word of the question as a key term of weight 1."""
    return [TermGroup(w, (match_form(w),), 1.0) for w in content_words(question)]


def case(question: str, sentence: str) -> Case:
    """`sentence`, alone in its passage, tried as the answer to `question`."""
    base = Case(question, [hit(sentence)], terms(question), answer_type(question))
    return base.trying(Candidate(0, sentence, 1.0, 1.0))


def why(question: str, sentence: str) -> Refusal | None:
    """The first rule of the "answer" stage (profile in force) that refuses the sentence."""
    return first_refusal("answer", case(question, sentence))


def rule(question: str, sentence: str) -> str | None:
    refusal = why(question, sentence)
    return refusal.rule if refusal else None
