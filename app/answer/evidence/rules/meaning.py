"""Rules on meaning: a sentence whose meaning is far from the question does not answer it, whatever
words it shares (公司不给交社保怎么办？ is not answered by a sentence about 职工董事、职工监事).

Each rule takes the `Case` and returns why the documents do not answer, or None.
"""

from __future__ import annotations

from app.answer.evidence.case import Case
from app.settings import current


def far_in_meaning(case: Case) -> str | None:
    """The sentence tried is far in meaning from the question (the model's cosine)."""
    similarity, minimum = case.meaning, current().meaning_min
    if similarity is None or similarity >= minimum:
        return None
    return f"the best sentence is far in meaning from the question (similarity {similarity:.3f} < {minimum})"
