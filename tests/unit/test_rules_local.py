"""Rule local.rule_decides: an amount that local rules set (a province's minimum wage, a city's heat
allowance) is refused with the local message, unless a local document retrieved speaks of it.
Questions are the development set's and plain variants; passages are the shipped laws' words."""

from __future__ import annotations

from evidence_helpers import case

from app.answer.evidence.registry import BY_ID, first_refusal
from app.answer.evidence.rules.local import local_question, local_rule_decides, place_named
from app.models import Chunk, DocMeta, Hit

NATIONAL_ARTICLE = "最低工资的具体标准由省、自治区、直辖市人民政府规定，报国务院备案。"


def refuses(question: str, passage: str = NATIONAL_ARTICLE, region: str | None = "全国") -> bool:
    found = case(question, passage)
    found.hits[0].meta.region = region
    return local_rule_decides(found) is not None


def test_amounts_local_rules_set_are_refused_with_the_local_message() -> None:
    assert refuses("云南省现在的最低工资标准是多少?")  # dev-101
    assert refuses("北京夏天的高温补贴每个月发多少钱?")  # dev-102
    assert refuses("最低工资是多少钱一个月？")  # no place: still set locally
    assert refuses("What is the minimum wage in Shanghai?")
    assert refuses("社保缴费基数是多少？")
    rule = BY_ID["local.rule_decides"]
    assert rule.message == "local" and rule.stage == "terms"
    national = case("北京的最低工资标准是多少?", NATIONAL_ARTICLE)
    national.hits[0].meta.region = "全国"
    assert first_refusal("terms", national).rule == rule.id


def test_questions_the_national_law_answers_pass() -> None:
    assert not refuses("试用期工资可以低于最低工资标准吗？")  # asks no amount: 劳动合同法第二十条 answers
    assert not refuses("失业金最长能领多久？")  # a period the national rules set, not an amount
    assert not refuses("失业金能领多少个月？")
    assert not refuses("公积金单位最少要交工资的百分之几？")  # no place: the national floor (5%) answers
    assert refuses("深圳的住房公积金缴存比例是多少?")  # a city's rate: set locally
    assert refuses("我们这里公积金缴存比例是多少？")


def test_a_local_document_that_speaks_of_it_lets_the_other_rules_judge() -> None:
    local = "本市最低工资标准调整为每月2420元。"
    assert not refuses("上海的最低工资标准是多少?", local, region="上海市")
    assert not refuses("上海的最低工资标准是多少?", local, region=None)  # a notice of unknown origin
    assert refuses("上海的最低工资标准是多少?", local, region="全国")


def test_places_and_topics_are_read_from_the_question() -> None:
    assert place_named("云南省现在的最低工资标准是多少?") == "云南"
    assert place_named("北京夏天的高温补贴每个月发多少钱?") == "北京"
    assert place_named("最低工资是多少钱一个月？") is None
    asked = local_question("北京夏天的高温补贴每个月发多少钱?")
    assert asked is not None and asked.topic.topic == "高温补贴" and asked.place == "北京"
    assert local_question("年假有几天？") is None


def test_the_rule_reads_the_hits_it_is_given() -> None:
    hit = Hit(
        Chunk("d#0", "d", "本省高温津贴每月300元。", 0, 12), DocMeta("高温津贴通知", region="广东省"), 1.0
    )
    found = case("广东高温津贴每月多少钱？", hit.chunk.text)
    found.hits[0] = hit
    assert local_rule_decides(found) is None
