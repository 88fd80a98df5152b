"""The short direct answer above the quotes (app/answer/lead.py), on sentences of the shipped laws."""

from __future__ import annotations

import pytest

from app.answer.evidence.answer_types import answer_type
from app.answer.evidence.case import Candidate
from app.answer.evidence.terms import TermGroup
from app.answer.lead import direct_answer
from app.answer.lead_english import english_figure
from app.text.normalize import match_form


def groups(*words: str) -> list[TermGroup]:
    return [TermGroup(w, (match_form(w),), 1.0) for w in words]


def lead(question: str, sentence: str, *words: str, language: str = "zh-Hans", n: int = 1) -> str:
    best = Candidate(0, sentence, 1.0, 1.0)
    return direct_answer(question, best, n, groups(*words), answer_type(question), language)


@pytest.mark.parametrize(
    "question, sentence, words, expected",
    [
        # the figure with the words that bound it, when the clause is the whole sentence
        ("试用期最长多久？", "第二十一条 试用期最长不得超过六个月。", ("试用期",), "最长不得超过六个月。[1]"),
        ("劳动争议仲裁的时效期间是多少？", "第二十七条 劳动争议申请仲裁的时效期间为一年。",
         ("劳动争议", "时效"), "一年。[1]"),
        # the clause that states it, when the sentence says more
        ("产假有多少天？", "女职工生育享受98天产假，其中产前可以休假15天；", ("产假",),
         "女职工生育享受98天产假。[1]"),
        # the condition stays with its figure
        ("年休假有几天？", "职工累计工作已满1年不满10年的，年休假5天，由单位统筹安排。",
         ("年休假",), "职工累计工作已满1年不满10年的，年休假5天。[1]"),
    ],
)  # fmt: skip
def test_a_figure_question_leads_with_the_cited_figure(question, sentence, words, expected) -> None:
    assert lead(question, sentence, *words) == expected
    assert expected.removesuffix("。[1]").split("，")[-1] in sentence  # the cited words, nothing added


def test_a_figure_and_its_condition_that_make_the_whole_sentence_get_no_short_line() -> None:
    assert lead("工作满十年年休假有几天？", "已满10年不满20年的，年休假10天；", "年休假") == ""


def test_a_figure_question_whose_sentence_states_no_figure_gets_no_short_line() -> None:
    assert lead("产假有多少天？", "女职工在孕期、产期、哺乳期受特殊保护。", "产假") == ""


ID_CARD = "第九条 用人单位招用劳动者，不得扣押劳动者的居民身份证和其他证件，"
PREGNANT = "用人单位不得因女职工怀孕、生育、哺乳降低其工资、予以辞退。"


@pytest.mark.parametrize(
    "question, sentence, language, expected",
    [
        ("用人单位可以扣押劳动者的身份证吗？", ID_CARD, "zh-Hans", "不可以。[2]"),
        ("公司能不能辞退怀孕的女职工？", PREGNANT, "zh-Hans", "不可以。[2]"),
        ("公司可以辭退懷孕的女職工嗎？", PREGNANT, "zh-Hant", "不可以。[2]"),
        ("我可以要求订立无固定期限劳动合同吗？", "劳动者可以与用人单位订立无固定期限劳动合同。",
         "zh-Hans", "可以。[2]"),
        ("Can my employer keep my ID card?", ID_CARD, "en", "No.[2]"),
    ],
)  # fmt: skip
def test_a_yes_no_question_leads_with_what_the_clause_says(question, sentence, language, expected) -> None:
    words = ("身份证", "辞退", "辭退", "无固定期限劳动合同", "ID card")
    assert lead(question, sentence, *words, language=language, n=2) == expected


@pytest.mark.parametrize(
    "question, sentence",
    [
        # the question's own negation: polarity is easy to get wrong, so no yes or no
        ("公司可以不给我交社保吗？", "用人单位应当依法为职工缴纳社会保险费，不得拖欠。"),
        # the permission holds only under a condition: the quote says which
        ("公司可以解除劳动合同吗？", "劳动者在试用期间被证明不符合录用条件的，用人单位可以解除劳动合同。"),
        # a lead-in to a list: the items decide
        ("公司可以解除劳动合同吗？", "有下列情形之一的，用人单位可以解除劳动合同："),
        # neither allowed nor forbidden in as many words
        ("我可以申请仲裁吗？", "劳动争议申请仲裁的时效期间为一年。"),
        # not a yes/no question
        ("加班费怎么算？", "用人单位不得违反本法规定延长劳动者的工作时间。"),
    ],
)
def test_no_short_line_where_yes_or_no_would_be_a_guess(question: str, sentence: str) -> None:
    assert lead(question, sentence, "社保", "社会保险费", "解除劳动合同", "仲裁", "加班") == ""


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("最长不得超过六个月", "At most 6 months"),
        ("女职工生育享受98天产假", "98 days"),
        ("一年", "1 year"),
        ("1小时", "1 hour"),
        ("不少于九十天", "At least 90 days"),
        ("百分之二百", "200%"),
        ("已满1年不满10年的，年休假5天", ""),  # a condition: the quote says it
        ("试用期不得超过一个月或者二个月", ""),  # two figures
        ("每月支付二倍的工资", ""),  # no unit it knows
    ],
)
def test_an_english_figure_line_is_the_cited_figure_word_for_word(chinese: str, english: str) -> None:
    assert english_figure(chinese) == english
