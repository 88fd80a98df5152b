"""Refusals on the shipped corpus name the rule that refused (app/answer/evidence/registry.py),
in `ask --json` and in `gongyou explain`, which shows hotline staff what the answerer saw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.answer.evidence.registry import RULES
from app.cli import main
from app.settings import override

# Real questions (the development set's unanswerable ones and hotline-style questions the shipped
# documents do not answer), each with the rule that refuses it.
REFUSED = [
    ("什么?", "coverage.no_content_words"),
    ("年终奖公司可以不发吗?", "coverage.unknown_labour_topic"),
    ("火星探测器什么时候发射?", "coverage.passage"),
    ("厂里的技术工人工资待遇会提高吗?人社部有什么要求?", "coverage.sentence"),
    ("“云岭工匠日”是每年的哪一天?", "figures.not_stated"),
    ("參加雲南職工醫療互助,每人每年要交多少錢?", "figures.about_something_else"),
    (
        "湖北省到2025年高技能人才总量的目标是多少?",
        "news.entity_not_in_passage",
    ),  # identity.other_year before the laws
    ("全国产业工人队伍建设改革的牵头单位是谁?", "news.attribute_not_named"),  # news.names_nobody before
    ("世界技能大赛中国队的成绩", "news.no_result"),
    ("云岭工匠评选结果公布时间", "news.no_day"),
    ("中国参加世界技能大赛的选手是谁?", "news.role_not_named"),
]


# Since the laws and sentence vectors joined the shipped index this one is answered with the
# ministry's "自觉增强...责任感和使命感", which states no requirement: a wrong answer, kept (strict)
# until the answerer refuses it again.
NOW_ANSWERED = "厂里的技术工人工资待遇会提高吗?人社部有什么要求?"
CASES = [
    pytest.param(
        q, r, marks=pytest.mark.xfail(strict=True, reason="answered with a sentence stating nothing")
    )
    if q == NOW_ANSWERED
    else (q, r)
    for q, r in REFUSED
]


@pytest.mark.parametrize(("question", "rule"), CASES)
def test_each_refusal_names_its_rule(pipeline, question: str, rule: str) -> None:
    with override(refusal_profile="news"):  # every rule runs
        answer = pipeline.ask(question).answer
    assert answer.refused and answer.refusal is not None
    assert answer.refusal.rule == rule, answer.refusal
    assert answer.reason == answer.refusal.detail


def test_an_answer_has_no_refusal_and_the_general_profile_skips_news_rules(pipeline) -> None:
    answered = pipeline.ask("湖北省有多少个技能大师工作室?").answer
    assert not answered.refused and answered.refusal is None
    news = [question for question, rule in REFUSED if rule.startswith("news.")]
    with override(refusal_profile="general"):
        for question in news:
            refusal = pipeline.ask(question).answer.refusal
            assert refusal is None or not refusal.rule.startswith("news."), refusal


def test_ask_json_gives_the_refusal_rule(shipped_index: Path, capsys) -> None:
    assert main(["ask", "年终奖公司可以不发吗?", "--index", str(shipped_index), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["refused"] is True and data["refusal_rule"] == "coverage.unknown_labour_topic"
    assert main(["ask", "湖北省有多少个技能大师工作室?", "--index", str(shipped_index), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["refused"] is False and data["refusal_rule"] is None


def test_explain_shows_terms_type_and_the_rule_that_refused_before_the_sentences(shipped_index, capsys):
    assert main(["explain", "年终奖公司可以不发吗?", "--index", str(shipped_index)]) == 0
    out = capsys.readouterr().out
    assert "  年终奖  2.50  unknown" in out
    assert "Answer type 答案类型: none" in out
    assert "  pass    coverage.no_passage" in out
    assert "  refuse  coverage.unknown_labour_topic: the documents never mention 年终奖" in out
    assert "Sentence tried" not in out  # refused before any sentence was weighed
    assert out.rstrip().splitlines()[-2].startswith("Decision: refused by coverage.unknown_labour_topic")


def test_explain_gives_every_rule_verdict_on_the_sentence_tried(shipped_index, capsys):
    assert main(["explain", "“云岭工匠日”是每年的哪一天?", "--index", str(shipped_index)]) == 0
    out = capsys.readouterr().out
    assert "Answer type 答案类型: date" in out and "Candidate sentences 候选句" in out
    tried = out.split("Sentence tried 1")[1].split("\n\n")[0].splitlines()
    verdicts = [line.split()[:2] for line in tried if line.startswith(("  pass", "  refuse", "  off"))]
    answer_stage = [rule.id for rule in RULES if rule.stage == "answer"]
    assert [v[1].rstrip(":") for v in verdicts] == answer_stage  # every rule of the stage, in order
    assert ["refuse", "figures.not_stated:"] in verdicts
    assert "Decision: refused by figures.not_stated: no sentence states the date asked for" in out

    assert main(["explain", "湖北省有多少个技能大师工作室?", "--index", str(shipped_index)]) == 0
    out = capsys.readouterr().out
    assert "技能大師工作室172個" in out and "Decision: answered with candidate sentences 1" in out
    assert "  refuse  " not in out


def test_explain_refuses_an_empty_question(shipped_index, capsys):
    assert main(["explain", "  ", "--index", str(shipped_index)]) == 2
    assert "empty" in capsys.readouterr().err
