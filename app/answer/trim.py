"""A long sentence cut to the run of clauses that answers."""

from __future__ import annotations

import re

from app.answer.evidence.patterns import CLAUSE
from app.answer.evidence.terms import TermGroup, coverage
from app.settings import current
from app.text.normalize import match_form


def trim(sentence: str, groups: list[TermGroup], states: re.Pattern[str] | None) -> str:
    """A long sentence cut to its best run of clauses, keeping a leading "到2025年," clause."""
    limit = current().max_sentence_chars
    if len(sentence) <= limit:
        return sentence
    clauses = CLAUSE.findall(sentence)
    best, best_score = sentence[:limit], -1.0
    for i in range(len(clauses)):
        window = ""
        for j in range(i, len(clauses)):
            if len(window) + len(clauses[j]) > limit and window:
                break
            window += clauses[j]
            form = match_form(window)
            stated = states is not None and states.search(form)
            score = coverage(groups, form) + (current().trim_states_bonus if stated else 0)
            if score > best_score:
                best, best_score = window, score
    lead = clauses[0] if clauses else ""
    if (
        not sentence.startswith(best)
        and re.match(r"^(?:力争)?(?:到|至|截至)?\d{4}年", lead)
        and len(lead) < 20
    ):
        best = lead + "……" + best
    best = best.rstrip("，,：:")
    if not re.search(r"[。！？；!?;]$", best):
        best += "……"
    return best
