"""Rule parties.other_party on the shipped laws' own sentences (app/answer/evidence/rules/parties.py)."""

from __future__ import annotations

import pytest
from laws_fixtures import article, law_articles

from app.answer.evidence.rules.parties import asked_action, other_party, parties_given
from app.datafiles import read_table
from app.text.normalize import match_form
from app.text.sentences import sentences


@pytest.fixture(scope="module")
def articles():
    return law_articles()


def first_sentence(articles, law: str, number: str) -> str:
    return sentences(article(articles, law, number).chunk.text)[0]


def test_the_parties_file_names_two_parties_and_no_word_twice() -> None:
    table = read_table("evidence/parties.tsv")
    assert set(table) == {"employer", "worker"}
    words = [w for found in table.values() for w in found]
    assert len(words) == len(set(words)) and all(w == match_form(w) for w in words)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("用人单位在什么情况下可以解除劳动合同？", ("employer", "解除劳动合同")),
        ("我可以随时辞职吗", ("worker", "辞职")),
        ("公司能不能扣我工资", ("employer", "扣")),
        ("老板有权扣押我的身份证吗", ("employer", "扣押")),
        ("加班费怎么算？", None),
        ("我想考职业技能等级证书,由谁来给我们认定?", None),  # 能 of 技能 is no modal
    ],
)
def test_the_party_and_verb_a_question_asks_about(question: str, expected) -> None:
    assert asked_action(question) == expected


def test_each_partys_dismissal_article_gives_the_verb_to_that_party(articles) -> None:
    worker = first_sentence(articles, "劳动合同法", "第三十八条")  # 用人单位有下列情形之一的，劳动者可以解除
    employer = first_sentence(
        articles, "劳动合同法", "第三十九条"
    )  # 劳动者有下列情形之一的，用人单位可以解除
    notice = first_sentence(articles, "劳动合同法", "第三十七条")  # 劳动者提前三十日…通知用人单位，可以解除
    assert parties_given(worker, "解除劳动合同") == {"worker"}
    assert parties_given(employer, "解除劳动合同") == {"employer"}
    assert parties_given(notice, "解除劳动合同") == {"worker"}  # the subject of a clause without a party


def test_the_other_partys_right_does_not_answer(articles) -> None:
    question = "用人单位在什么情况下可以解除劳动合同？"
    assert other_party(question, first_sentence(articles, "劳动合同法", "第三十八条"))
    assert other_party(question, first_sentence(articles, "劳动合同法", "第三十九条")) is None
    assert other_party(
        "劳动者在什么情况下可以解除劳动合同？", first_sentence(articles, "劳动合同法", "第三十九条")
    )
    # a sentence that gives the verb to no party, or a question about no party, is left alone
    assert other_party(question, "劳动合同的解除应当采用书面形式。") is None
    assert (
        other_party("解除劳动合同要提前多久通知？", first_sentence(articles, "劳动合同法", "第三十八条"))
        is None
    )
