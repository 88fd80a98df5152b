"""What the chat shows a worker (issue 16): after a refusal, questions to try as buttons in their language
and a click on one asks it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.models import Answer
from app.pipeline import AskResult
from app.web.answerer import Turn
from app.web.handlers import pick_example
from app.web.i18n import examples_for, t
from app.web.render import REFUSAL_SUGGESTIONS, answer_markdown, render_turn

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


@pytest.mark.parametrize(
    ("answer", "figure"),
    [
        ("《女职工劳动保护特别规定》第七条：女职工生育享受98天产假[1]", "98天"),
        ("《劳动法》第二十一条：试用期最长不得超过六个月。[1]", "六个月"),
        (
            "《劳动法》第四十四条：（二）休息日安排劳动者工作又不能安排补休的，支付不低于工资的百分之二百的工资报酬；[1]",
            "百分之二百",
        ),
        ("全省高技能人才总量达270.5万人。[1]", "270\\.5万人"),
    ],
)
def test_the_key_figure_of_the_direct_answer_is_emphasised(answer: str, figure: str) -> None:
    shown = answer_markdown(answer, 1, {1})
    assert f"<strong>{figure}</strong>" in shown
    assert shown.count("<strong>") == 1  # not the article number (第七条, 第二十一条)


def test_only_the_first_sentence_is_emphasised_and_documents_cannot_inject_tags() -> None:
    shown = answer_markdown("每年培训1500万人次。[1]另有300万人次。[2]", 1, {1, 2})
    assert "<strong>1500万人次</strong>" in shown and "<strong>300" not in shown
    hostile = answer_markdown("共<script>x</script><strong>5个人</strong>[1]", 1, {1})
    assert "<script>" not in hostile and hostile.count("<strong>") == 1
