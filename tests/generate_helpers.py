"""Checks shared by the generation tests: what a shown answer must satisfy, whatever the model wrote."""

from __future__ import annotations

import re

from app.generate.claims import split_claims
from app.generate.numerals import normalize_numerals
from app.generate.prompt import shown_passages
from app.generate.support import default_scorer
from app.settings import current


def digits(text: str) -> set[str]:
    return set(
        re.findall(r"\d+(?:\.\d+)?", normalize_numerals(re.sub(r"\[\d+\]", " ", text)).replace(",", ""))
    )


def assert_supported(result) -> None:
    """Every sentence of a model-written answer cites shown passages, states only their numbers and
    is close in meaning to one of them; an answer the model did not write is the extractive one."""
    report, answer = result.report, result.answer
    assert report.removed_sentences == len(report.removed)
    if not report.writes_text:
        assert report.fallback, "an answer not written by the model says why"
        return
    assert report.answerer == "llm" and not answer.refused
    citations = {c.n: c for c in answer.citations}
    claims = split_claims(answer.text)
    assert claims and report.generated_sentences == len(claims) + report.removed_sentences
    shown = {s.hit.chunk.chunk_id: s for s in shown_passages(result.hits, result.language)}
    for claim in claims:
        assert claim.cited and all(n in citations for n in claim.cited), claim.text
        cited = [citations[n].hit for n in claim.cited]
        assert all(hit.chunk.chunk_id in shown for hit in cited), "cites only passages shown to the model"
        source = " ".join(shown[hit.chunk.chunk_id].source for hit in cited)
        # Numbers read independently of the figure parser: every digit run is in the cited passage
        # (a 4-digit year written "2025" is also "2025年" there; article numbers come from the label).
        assert digits(claim.body) <= digits(source) | {"1"}, (claim.body, digits(claim.body) - digits(source))
        support = default_scorer().support(claim.body, [hit.chunk.text for hit in cited])
        settings = current()
        least = settings.support_min_english if result.language == "en" else settings.support_min
        assert support is not None and support.score >= least, claim.body
