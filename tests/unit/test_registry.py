"""The registry of refusal rules: ids, docstrings, stages and profiles, and the profile setting."""

from __future__ import annotations

import re

import pytest
from evidence_helpers import case, rule

from app.answer.evidence.registry import (
    BY_ID,
    PROFILES,
    RULES,
    STAGES,
    UnknownProfile,
    first_refusal,
    verdicts,
)
from app.settings import override


def test_ids_are_unique_and_each_rule_has_a_one_line_docstring_a_stage_and_known_profiles():
    ids = [r.id for r in RULES]
    assert (
        len(ids) == len(set(ids)) == len(BY_ID) == 30
    )  # 26 + local.rule_decides + meaning.far + reader.unanswerable + parties.other_party
    for r in RULES:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", r.id), r.id
        assert r.stage in STAGES, r.id
        assert r.profiles and r.profiles <= set(PROFILES), r.id
        assert r.summary and len(r.summary) <= 100 and r.summary.endswith("."), r.id
        assert r.check.__module__.endswith("." + r.id.split(".")[0]), r.id  # family = module
    # Stages run in order: the registry lists them in that order too.
    assert [r.stage for r in RULES] == sorted((r.stage for r in RULES), key=STAGES.index)


def test_news_profile_holds_every_rule_and_general_leaves_out_the_news_rules():
    assert all("news" in r.profiles for r in RULES)
    general = {r.id for r in RULES if "general" in r.profiles}
    assert general == {r.id for r in RULES if not r.id.startswith("news.")}
    assert {"coverage.passage", "figures.not_stated", "identity.other_year"} <= general


def test_the_profile_setting_decides_which_rules_refuse():
    question, sentence = "温网男单冠军", "莱巴金娜夺得温网女单冠军"
    with override(refusal_profile="news"):
        assert rule(question, sentence) == "news.other_category"
    with override(refusal_profile="general"):
        assert rule(question, sentence) is None
        # An inactive rule still gives its verdict (for `gongyou explain`), but refuses nothing.
        found = {v.rule.id: v for v in verdicts("answer", case(question, sentence))}
        assert found["news.other_category"].detail == "the answer is about 女单"
        assert not found["news.other_category"].active and not found["news.other_category"].refuses
    with override(refusal_profile="sports"), pytest.raises(UnknownProfile, match="sports"):
        first_refusal("answer", case(question, sentence))


def test_verdicts_give_every_rule_of_the_stage_in_order():
    found = verdicts("answer", case("德余高速乌江特大桥主桥多长", "德余高速乌江特大桥正在建设中"))
    assert [v.rule.id for v in found] == [r.id for r in RULES if r.stage == "answer"]
    refusing = [v.rule.id for v in found if v.refuses]
    assert refusing[0] == "figures.not_stated"
    with pytest.raises(ValueError, match="stage"):
        verdicts("judgement", case("x", "y"))
