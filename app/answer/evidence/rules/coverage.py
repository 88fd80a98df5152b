"""Rules before any sentence is weighed: retrieval found something, and it covers the key terms.

Each rule takes the `Case` and returns why the documents do not answer, or None.
"""

from __future__ import annotations

from app.answer.evidence.case import Case
from app.answer.evidence.terms import coverage, labour_topics
from app.settings import current
from app.text.normalize import match_form


def no_passage(case: Case) -> str | None:
    """Retrieval found no passage at all."""
    return None if case.hits else "no passage matched"


def no_content_words(case: Case) -> str | None:
    """The question has no content word to look for (only question words, filler and numbers).

    A number alone ("1", "[1, 2, 3]", "2035") says nothing about what is asked: a question needs
    at least one term with a letter or a character in it.
    """
    if any(any(ch.isalpha() for ch in group.word) for group in case.groups):
        return None
    return "the question has no content words to look for"


def unknown_labour_topic(case: Case) -> str | None:
    """The question names a labour topic (加班费, 工伤, 年假) that the documents never mention."""
    missing = [g.word for g in case.groups if g.unknown and g.word in labour_topics()]
    return f"the documents never mention {', '.join(missing)}" if missing else None


def passage_coverage(case: Case) -> str | None:
    """The best of the first three passages (with title and section) covers too few key terms."""
    if not case.hits:
        return None
    best = max(
        coverage(case.groups, match_form(f"{h.meta.title}{h.chunk.heading}{h.chunk.text}"))
        for h in case.hits[:3]
    )
    minimum = current().coverage_min
    return f"key terms covered {best:.2f} < {minimum}" if best < minimum else None


def no_sentence(case: Case) -> str | None:
    """The passages hold no whole sentence (a question or a fragment states nothing)."""
    return None if case.candidates else "the passages hold no whole sentence"


def sentence_coverage(case: Case) -> str | None:
    """The best-scored sentence (with its title and section) covers too few key terms."""
    if not case.candidates:
        return None
    cover, minimum = case.candidates[0].cover, current().coverage_min
    return f"best sentence covers {cover:.2f} < {minimum}" if cover < minimum else None
