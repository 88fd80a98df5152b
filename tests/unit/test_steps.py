"""The dispute route (app/answer/steps.py, app/data/answer/dispute_route.yaml) on the shipped laws."""

from __future__ import annotations

import re

import pytest
from laws_fixtures import law_articles

from app.answer.steps import ROUTE_FILE, asks_for_route, route, route_lines
from app.models import Citation
from app.text.sentences import sentences

NUMBER = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="module")
def articles():
    return law_articles()


def test_every_step_quotes_an_article_of_the_shipped_laws(articles) -> None:
    assert [s.step for s in route().steps] == ["协商", "投诉", "调解", "仲裁", "诉讼"]
    for step in route().steps:
        for quote in step.quotes:
            parts = articles.parts(step.law, quote.article)
            assert parts, f"{ROUTE_FILE}: {step.law}{quote.article} is not in corpus/laws/"
            text = "".join(p.chunk.text for p in parts)
            assert all(phrase in text for phrase in quote.phrases), (step.step, quote)


@pytest.mark.parametrize(
    "question",
    [
        "公司拖欠工资怎么办？",
        "老闆拖欠工資怎麼辦？",
        "我被公司辞退了，去哪里告？",
        "公司不给我交社保怎么办",
        "发生劳动争议怎么办？",
        "My employer won't pay my wages. What can I do?",
    ],
)
def test_what_to_do_about_the_employer_asks_for_the_route(question: str) -> None:
    assert asks_for_route(question)


@pytest.mark.parametrize(
    "question",
    [
        "失业了怎么办？",
        "加班费怎么算？",
        "公司拖欠工资违法吗？",
        "怎么申请技能补贴？",
        "How is overtime pay calculated?",
    ],
)
def test_other_questions_do_not(question: str) -> None:
    assert not asks_for_route(question)


def test_the_route_is_in_order_with_its_time_limits_each_cited(articles) -> None:
    citations: list[Citation] = []
    header, *steps = route_lines("公司拖欠工资怎么办？", citations, articles, "zh-Hans")
    assert header == "维权途径："
    assert [s.split("：")[0] for s in steps] == ["1. 协商", "2. 投诉", "3. 调解", "4. 仲裁", "5. 诉讼"]
    arbitration, court = steps[3], steps[4]
    assert "时效期间为一年" in arbitration and "不受本条第一款规定的仲裁时效期间的限制" in arbitration
    assert "十五日内向人民法院提起诉讼" in court
    cited = {c.n: c for c in citations}
    for line in steps:
        numbers = [int(n) for n in NUMBER.findall(line)]
        assert numbers and all(n in cited for n in numbers), line
    assert {c.hit.chunk.article for c in citations} == {
        "第四条",
        "第九条",
        "第五条",
        "第二十七条",
        "第五十条",
    }
    assert all(c.via == "维权途径" and c.sentences for c in citations)


def test_complaints_and_the_wage_limit_only_for_pay(articles) -> None:
    _, *steps = route_lines("我被公司辞退了，去哪里告？", [], articles, "zh-Hans")
    assert [s.split("：")[0] for s in steps] == ["1. 协商", "2. 调解", "3. 仲裁", "4. 诉讼"]
    assert "不受本条第一款" not in "".join(steps)


def test_a_sentence_the_answer_already_quotes_is_pointed_at(articles) -> None:
    (fifth,) = articles.parts("劳动争议调解仲裁法", "第五条")
    shown = Citation(1, fifth, sentences=[sentences(fifth.chunk.text)[0]])  # as an answer quotes it
    citations = [shown]
    _, *steps = route_lines("发生劳动争议怎么办？", citations, articles, "zh-Hans")
    assert "（见[1]）" in steps[1] and "申请调解" not in steps[1]
    # the other two clauses of 第五条 join the same citation; the one quoted is not quoted again
    assert len(shown.sentences) == 3 and sum("申请调解" in x for x in shown.sentences) == 1
    assert "申请仲裁[1]" in steps[2] and len(citations) == 4  # + 第四、二十七、五十条


def test_traditional_and_english(articles) -> None:
    header, first, *_ = route_lines("老闆拖欠工資怎麼辦？", [], articles, "zh-Hant")
    assert header == "維權途徑：" and first.startswith("1. 協商：《勞動爭議調解仲裁法》第四條：")
    header, first, *_ = route_lines("My boss won't pay my wages, what can I do?", [], articles, "en")
    assert header == "Steps under national law:" and first.startswith("1. Negotiate: 《劳动争议调解仲裁法》")


def test_an_index_without_the_law_gets_no_route() -> None:
    from app.answer.crossrefs import ArticleIndex

    assert route_lines("公司拖欠工资怎么办？", [], ArticleIndex([], {}), "zh-Hans") == []
