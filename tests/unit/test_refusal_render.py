"""After a refusal the chat offers questions to try, as buttons in the user's language (issue 16),
and a click on one asks it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.models import Answer
from app.pipeline import AskResult
from app.web.answerer import Turn
from app.web.handlers import pick_example
from app.web.i18n import examples_for, t
from app.web.render import REFUSAL_SUGGESTIONS, render_turn

REFUSAL = "文档中没有找到这个问题的答案。请拨打12351。"


def refused_turn(question: str) -> Turn:
    answer = Answer(question, REFUSAL, True, [])
    return Turn(question, "ask", result=AskResult(question, question, "zh-Hans", answer, [], {}))


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_a_refusal_offers_clickable_questions_in_the_users_language(lang: str) -> None:
    _question, refusal = render_turn(refused_turn("火星探测器什么时候发射?"), 1, lang)
    assert "12351" in refusal["content"] and t(lang, "refusal_tip") in refusal["content"]
    offered = [option["value"] for option in refusal["options"]]
    assert offered == examples_for(lang)[:REFUSAL_SUGGESTIONS]
    assert all(option["label"] == option["value"] for option in refusal["options"])
    assert offered[0] not in refusal["content"]  # buttons, not a list of text to retype


def test_the_languages_offer_different_text() -> None:
    assert examples_for("zh-Hant") != examples_for("zh-Hans") != examples_for("en")


def test_a_clicked_suggestion_or_example_is_the_question_asked() -> None:
    assert (
        pick_example(SimpleNamespace(value={"value": "加班费怎么算？", "label": "加班费怎么算？"}))
        == "加班费怎么算？"
    )
    assert (
        pick_example(SimpleNamespace(value={"text": "湖北省高技能人才总量有多少？"}))
        == "湖北省高技能人才总量有多少？"
    )
    assert (
        pick_example(SimpleNamespace(value="产业工人的权益保障有哪些措施？"))
        == "产业工人的权益保障有哪些措施？"
    )
