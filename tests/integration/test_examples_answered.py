"""The example questions the chat offers on its empty page and after a refusal (app/data/ui/*.json)
are answered on the shipped corpus, each with a citation: a worker who clicks one is never refused.
The first ones are workers' rights questions the shipped laws answer (issue 16)."""

from __future__ import annotations

import pytest

from app.web.i18n import LANGS, examples_for

EXAMPLES = sorted({question for lang in LANGS for question in examples_for(lang)})


@pytest.mark.parametrize("question", EXAMPLES)
def test_every_example_question_is_answered_with_a_citation(pipeline, question: str) -> None:
    answer = pipeline.ask(question).answer
    assert not answer.refused, (question, answer.reason)
    assert answer.citations


def test_the_first_examples_are_answered_from_the_laws() -> None:
    """Rights questions lead: the suggestions after a refusal are the first three examples."""
    assert examples_for("zh-Hans")[:2] == ["试用期最长可以约定多久？", "周末加班工资是多少？"]
