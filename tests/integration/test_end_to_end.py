"""The shipped corpus, built offline, answers development questions with cited evidence and
refuses what it does not cover."""

from __future__ import annotations

import pytest

from app.text.normalize import match_form

# (question, a string the answer must hold, a string the cited passage must hold)
ANSWERABLE = [
    ("到2035年要培养多少名大国工匠?", "2000名", "2000名左右大国工匠"),
    ("2035年前要培养多少名省级工匠?", "10000名", "10000名左右省级工匠"),
    ("湖北省高技能人才总量有多少?", "270.5万人", "高技能人才总量达270.5万人"),
    ("湖北省有多少个技能大师工作室?", "172个", "技能大师工作室172个"),
    ("云南到2025年技工院校新增招生多少人?", "25万人", "技工院校新增招生25万人以上"),
    ("雲南省到2025年要新培育多少名雲嶺工匠?", "100名", "新培育100名云岭工匠"),
    ("全国技工院校9月底前招生多少人?", "128.6万人", "全国技工院校招生128.6万人"),
    ("中国参加世界技能大赛累计取得了多少枚金牌?", "36金", "累计取得36金"),
    ("人社部取消了多少项职业资格许可认定事项?", "434项", "取消434项职业资格许可认定事项"),
    ("每年政府补贴性培训大概多少人次?", "1500万人次", "政府补贴性培训1500万人次"),
    ("稳岗返还政策今年1到9月支出了多少失业保险金?", "274.7亿元", "支出失业保险金274.7亿元"),
    ("云南省高技能人才总量到2025年要达到多少?", "155万人", "高技能人才总量达到155万人以上"),
    ("How many great craftsmen should be trained by 2035?", "2000名", "2000名左右大国工匠"),
]

# Workers' questions the shipped laws answer (corpus/laws/; these were refused before they shipped):
# (question, a string the answer must hold, the law its first citation is from)
ANSWERED_BY_LAW = [
    ("加班费怎么算?", "百分之一百五十", None),
    ("年假有几天?", "年休假", "职工带薪年休假条例"),
    ("试用期最长可以约定多久?", "六个月", None),
    ("被公司辞退有没有经济补偿?", "经济补偿", None),
    ("產假有幾天?", "98天", "女職工勞動保護特別規定"),
    ("How is overtime pay calculated?", "延长工作时间", None),
    ("我怀孕了公司能辞退我吗?", "不得", None),
]

UNCOVERED = [
    "北京最低工资是多少?",  # local rules set it (rule local.rule_decides)
    "高温补贴每月多少钱?",
    "婚假有几天?",
    "年终奖怎么发?",
]


@pytest.mark.parametrize(("question", "figure", "evidence"), ANSWERABLE)
def test_answer_holds_the_figure_and_its_citation_holds_the_evidence(
    pipeline, question: str, figure: str, evidence: str
) -> None:
    result = pipeline.ask(question)
    answer = result.answer
    assert not answer.refused, answer.reason
    assert match_form(figure) in match_form(answer.text)
    assert any(match_form(evidence) in match_form(c.hit.chunk.text) for c in answer.citations)
    # Every [n] in the answer points at a citation that is shown.
    numbers = {c.n for c in answer.citations}
    assert numbers and all(f"[{n}]" in answer.text for n in numbers)


@pytest.mark.parametrize(("question", "words", "law"), ANSWERED_BY_LAW)
def test_workers_questions_are_answered_from_the_laws(pipeline, question: str, words: str, law) -> None:
    answer = pipeline.ask(question).answer
    assert not answer.refused, answer.reason
    assert match_form(words) in match_form(answer.text), answer.text
    assert answer.citations and all(c.hit.chunk.article for c in answer.citations)  # cited by article
    if law:
        assert match_form(law) in match_form(answer.citations[0].hit.meta.title)


@pytest.mark.parametrize("question", UNCOVERED)
def test_questions_the_corpus_does_not_cover_are_refused_with_the_hotline(pipeline, question: str) -> None:
    answer = pipeline.ask(question).answer
    assert answer.refused, answer.text
    assert "12351" in answer.text and not answer.citations


def test_answer_is_in_the_script_of_the_question(pipeline) -> None:
    traditional = pipeline.ask("湖北省高技能人才總量有多少?")
    assert traditional.language == "zh-Hant"
    assert "高技能人才總量達270.5萬人" in traditional.answer.text
    simplified = pipeline.ask("湖北省高技能人才总量有多少?")
    assert "高技能人才总量达270.5万人" in simplified.answer.text
    refused = pipeline.ask("婚假有幾天?").answer.text
    assert "沒有找到" in refused


def test_traditional_and_simplified_questions_retrieve_the_same_passages(pipeline) -> None:
    a = [h.chunk.chunk_id for h in pipeline.search("技能人才評價制度改革", k=5).hits]
    b = [h.chunk.chunk_id for h in pipeline.search("技能人才评价制度改革", k=5).hits]
    assert a == b


def test_follow_up_question_uses_the_conversation(pipeline) -> None:
    first = pipeline.ask("湖北省高技能人才总量有多少?")
    follow = pipeline.ask("那云南呢?", history=[first.question])
    assert follow.standalone == "云南省高技能人才总量有多少?"
    assert "155万人" in follow.answer.text
    assert all("云南" in c.hit.meta.title for c in follow.answer.citations)
