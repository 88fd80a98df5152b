"""Answers a worker can act on (issue 16), on the shipped corpus with the default model: a short
direct answer first, a law's numbered items with their lead-in, one per line, each cited."""

from __future__ import annotations

import re

from app.present import ask_json, ask_text
from app.web.answerer import Turn
from app.web.render import render_turn

MARKER = re.compile(r"\[(\d+)\]$")


def test_a_period_question_leads_with_the_period_in_the_cli_and_the_json(pipeline) -> None:
    result = pipeline.ask("试用期最长多久？")
    assert result.answer.lead == "最长不得超过六个月。[1]"
    assert "试用期最长不得超过六个月" in result.answer.citations[0].hit.chunk.text  # its words are cited
    assert ask_text(result, pipeline.mode).splitlines()[0] == result.answer.lead
    data = ask_json(result, pipeline.mode)
    assert data["lead"] == result.answer.lead and data["answer"] == result.answer.text  # the contract grows


def test_a_traditional_question_gets_a_traditional_short_line(pipeline) -> None:
    assert pipeline.ask("試用期最長多久？").answer.lead == "最長不得超過六個月。[1]"


def test_a_yes_no_question_leads_with_no_in_bold_in_the_browser(pipeline) -> None:
    result = pipeline.ask("用人单位可以扣押劳动者的身份证吗？")
    assert result.answer.lead == "不可以。[1]" and "不得扣押" in result.answer.text
    _question, answer, *_passages = render_turn(Turn(result.question, "ask", result=result), 1, "zh-Hans")
    assert answer["content"].startswith("<strong>不可以。")


def test_a_question_the_documents_answer_only_under_conditions_gets_no_yes(pipeline) -> None:
    result = pipeline.ask("公司可以不给我交社保吗？")
    assert not result.answer.lead.startswith(("可以", "不可以"))


def test_which_cases_are_work_injuries_lists_every_item_cited(pipeline) -> None:
    answer = pipeline.ask("哪些情形应当认定为工伤？").answer
    lines = answer.text.splitlines()
    items = [line for line in lines if re.match(r"^[（(][一二三四五六七][)）]", line)]
    assert len(items) >= 7 and all(MARKER.search(line) for line in items)
    assert "应当认定为工伤" in lines[0]  # the lead-in comes first, with the law's name
    assert "患职业病" in answer.text


def test_overtime_pay_shows_all_three_rates(pipeline) -> None:
    text = pipeline.ask("加班费怎么算？").answer.text
    for rate in ("百分之一百五十", "百分之二百", "百分之三百"):
        assert rate in text


def test_the_arbitration_time_limit_is_answered_with_its_period(pipeline) -> None:
    answer = pipeline.ask("劳动争议仲裁的时效期间是多少？").answer
    assert not answer.refused and "一年" in answer.text and answer.lead == "一年。[1]"


def test_what_to_do_about_unpaid_wages_gives_the_route_in_order_each_cited(pipeline) -> None:
    answer = pipeline.ask("公司拖欠工资怎么办？").answer
    assert not answer.refused
    route = answer.text[answer.text.index("维权途径：") :]
    steps = [line.split("：")[0] for line in route.splitlines()[1:]]
    assert steps == ["1. 协商", "2. 投诉", "3. 调解", "4. 仲裁", "5. 诉讼"]
    assert "时效期间为一年" in route and "十五日内向人民法院提起诉讼" in route
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", route)}
    cited = {c.n: c for c in answer.citations}
    assert numbers <= set(cited)
    assert {cited[n].hit.meta.title for n in numbers} == {"中华人民共和国劳动争议调解仲裁法"}


def test_what_to_do_without_a_dispute_gets_no_route(pipeline) -> None:
    assert "维权途径" not in pipeline.ask("失业了怎么办？").answer.text


def test_a_period_question_tries_the_sentence_that_states_a_period(pipeline) -> None:
    # The best-covered sentence (农民工 may apply for arbitration) states no period; the one that does
    # is tried too.
    answer = pipeline.ask("单位拖欠工资多久可以申请仲裁？").answer
    assert answer.lead == "一年。[1]"
    assert answer.citations[0].hit.chunk.article == "第二十七条"


def test_how_much_time_asks_for_a_length_not_a_day(pipeline) -> None:
    answer = pipeline.ask("哺乳期每天有多少哺乳时间？").answer
    assert not answer.refused and answer.lead == "1小时。[1]"


def test_annual_leave_quotes_every_tier(pipeline) -> None:
    text = pipeline.ask("年假有几天？").answer.text
    assert all(t in text for t in ("年休假5天", "年休假10天", "年休假15天"))


def test_how_long_a_probation_may_be_is_a_period(pipeline) -> None:
    answer = pipeline.ask("劳动合同期限三年的试用期多长？").answer
    assert not answer.refused and "试用期不得超过六个月" in answer.text
