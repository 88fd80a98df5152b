"""The word lists and messages of the answerer are data files: their schema and their use."""

from __future__ import annotations

import json
import re

import pytest

from app.answer import messages
from app.answer.evidence import words
from app.answer.evidence.rules import local
from app.datafiles import DATA_DIR, read_list
from app.text.normalize import to_simplified

LIST_NAMES = [
    "question_filler",
    "answer_kind_nouns",
    "measure_nouns",
    "surnames",
    "generic_places",
    "time_words",
]


@pytest.mark.parametrize("name", LIST_NAMES)
def test_each_word_list_is_one_entry_a_line_in_simplified_script(name: str):
    entries = read_list(f"evidence/{name}.txt")
    assert entries and len(entries) == len(set(entries))
    for entry in entries:
        assert re.fullmatch(r"[\u4e00-\u9fffa-z]+", entry), (name, entry)
    assert {p.stem for p in (DATA_DIR / "evidence").glob("*.txt")} == set(LIST_NAMES)


def test_surnames_are_single_characters_and_lists_hold_what_the_rules_rely_on():
    assert all(len(s) == 1 for s in words.SURNAMES) and len(words.SURNAMES) >= 200
    assert {"吴", "王", "徐"} <= words.SURNAMES
    assert {"成绩", "条件", "时间"} <= words.ANSWER_KIND_NOUNS
    assert {"人数", "比例"} <= words.MEASURE_NOUNS
    assert {"中国", "全国"} <= words.GENERIC_PLACES
    assert {"办法", "政策", "tell"} <= words.QUESTION_FILLER
    assert "今天" in words.TIME_WORDS


def test_refusal_messages_cover_every_language_and_give_the_hotlines():
    data = json.loads(messages.MESSAGES_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"_about", "hotline", "local_hotline", "refusal", "local", "holdings", "english_lead"}
    assert re.fullmatch(r"\d{5}", data["hotline"]) and re.fullmatch(r"\d{5}", data["local_hotline"])
    for variant in messages.VARIANTS:
        assert set(data[variant]) == set(messages.LANGUAGES), variant
        for language, text in data[variant].items():
            assert text.count("{hotline}") == 1 and text.count("{holdings_sentence}") == 1, (
                variant,
                language,
            )
            assert text.count("{local_hotline}") == (variant == "local"), (variant, language)
            assert ("{topic}" in text) == ("{where}" in text) == (variant == "local"), (variant, language)
    assert set(data["holdings"]) == {"zh-Hans", "en"}
    assert set(data["holdings"]["zh-Hans"]) == set(data["holdings"]["en"])
    plain = messages.refusal_text("zh-Hans")  # no holdings: no sentence about them
    assert "没有找到" in plain and "12351" in plain and "{" not in plain and "收录" not in plain
    assert "沒有找到" in messages.refusal_text("zh-Hant")
    assert messages.refusal_text("fr") == plain
    local = messages.local_refusal_text("zh-Hans", "最低工资标准", "the minimum wage", "云南")
    assert (
        local.startswith("最低工资标准由各省") and "云南" in local and "12333" in local and "12351" in local
    )
    english = messages.local_refusal_text("en", "最低工资标准", "the minimum wage", None)
    assert "the minimum wage" in english and "your area" in english and "12333" in english
    assert messages.EN_LEAD.startswith("The documents say")


def test_local_rule_topics_file_has_its_columns_and_simplified_terms():
    topics = local.local_topics()
    assert len(topics) >= 5 and len({t.topic for t in topics}) == len(topics)
    for topic in topics:
        assert re.fullmatch(r"[\u4e00-\u9fff]+", topic.topic)
        assert topic.english.startswith("the ") and topic.terms
        for term in topic.terms:
            assert re.fullmatch(r"[\u4e00-\u9fffa-z ]+", term) and term == to_simplified(term), term
    every = [term for t in topics for term in t.terms]
    assert len(every) == len(set(every)), "a term names two topics"
    by_topic = {t.topic: t for t in topics}
    assert not by_topic["最低工资标准"].needs_place  # 劳动法第四十八条 leaves it to provinces
    assert by_topic["住房公积金缴存比例"].needs_place  # the national floor (5%) answers the general question
