"""Numbered items stay with their lead-in, on the shipped laws (app/answer/enumeration.py)."""

from __future__ import annotations

import pytest
from laws_fixtures import article, law_articles

from app.answer.crossrefs import ArticleIndex
from app.answer.enumeration import is_item, lists_of, tiers_of, with_lists, with_tiers
from app.answer.evidence.case import Candidate
from app.settings import current, override


@pytest.fixture(scope="module")
def articles() -> ArticleIndex:
    return law_articles()


@pytest.mark.parametrize(
    "sentence, item",
    [("（一）安排劳动者延长工作时间的，", True), ("(四)患职业病的；", True), ("三、职工代表大会", True),
     ("1. 申请仲裁", True), ("1.5倍工资", False), ("第十四条 职工有下列情形之一的", False),
     ("一年内", False)],
)  # fmt: skip
def test_items_are_recognised_by_their_number(sentence: str, item: bool) -> None:
    assert is_item(sentence) is item


def test_the_overtime_article_is_one_lead_in_and_three_items(articles: ArticleIndex) -> None:
    hit = article(articles, "劳动法", "第四十四条")
    (found,) = lists_of(hit.chunk.text)
    assert found.lead_in.endswith("支付高于劳动者正常工作时间工资的工资报酬:")
    assert [item[:3] for item in found.items] == ["（一）", "（二）", "（三）"]
    assert "百分之三百" in found.items[2]


def test_a_chosen_item_brings_its_lead_in_and_its_siblings(articles: ArticleIndex) -> None:
    hit = article(articles, "劳动法", "第四十四条")
    (found,) = lists_of(hit.chunk.text)
    chosen = [Candidate(0, found.items[0], 1.0, 1.0)]
    shown = [c.sentence for c in with_lists(chosen, [hit])]
    assert shown[0] == found.items[0]  # the chosen one stays first: the answerer orders by position
    assert set(shown) == {found.lead_in, *found.items} and len(shown) == 4  # each once


def test_a_chosen_lead_in_brings_its_items(articles: ArticleIndex) -> None:
    hit = article(articles, "工伤保险条例", "第十四条")
    (found,) = lists_of(hit.chunk.text)
    assert len(found.items) == 7
    shown = with_lists([Candidate(0, found.lead_in, 1.0, 1.0)], [hit])
    assert [c.sentence for c in shown] == [found.lead_in, *found.items]


def test_a_long_list_shows_the_lead_in_and_the_chosen_item_only(articles: ArticleIndex) -> None:
    hit = article(articles, "工伤保险条例", "第十四条")
    (found,) = lists_of(hit.chunk.text)
    with override(list_items_max=3):
        assert current().list_items_max == 3
        by_item = [c.sentence for c in with_lists([Candidate(0, found.items[4], 1.0, 1.0)], [hit])]
        by_lead_in = [c.sentence for c in with_lists([Candidate(0, found.lead_in, 1.0, 1.0)], [hit])]
    assert by_item == [found.items[4], found.lead_in]
    assert by_lead_in == [found.lead_in, *found.items[:3]]  # a lead-in alone says nothing


def test_a_sentence_outside_any_list_brings_nothing(articles: ArticleIndex) -> None:
    hit = article(articles, "劳动法", "第二十一条")
    chosen = [Candidate(0, hit.chunk.text.split(" ", 1)[-1], 1.0, 1.0)]
    assert lists_of(hit.chunk.text) == [] and with_lists(chosen, [hit]) == chosen


def test_an_annual_leave_tier_brings_its_sibling_tiers(articles: ArticleIndex) -> None:
    hit = article(articles, "职工带薪年休假条例", "第三条")
    chosen = [Candidate(0, "已满20年的，年休假15天。", 1.0, 1.0)]
    quoted = [c.sentence for c in with_tiers(chosen, [hit])]
    assert len(quoted) == 3 and any("已满1年不满10年的，年休假5天" in s for s in quoted)
    assert any("已满10年不满20年的，年休假10天" in s for s in quoted)


def test_a_long_sentence_of_clauses_is_not_quoted_whole(articles: ArticleIndex) -> None:
    hit = article(articles, "职工带薪年休假条例", "第三条")
    with override(tier_sentence_chars=20):
        assert tiers_of(hit.chunk.text, "已满20年的，年休假15天。") == []
    assert tiers_of("试用期最长不得超过六个月。", "试用期最长不得超过六个月。") == []  # one clause
