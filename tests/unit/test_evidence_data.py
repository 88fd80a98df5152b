"""The word lists and messages of the answerer are data files: their schema and their use."""

from __future__ import annotations

import json
import re

import pytest

from app.answer import messages
from app.answer.evidence import words
from app.datafiles import DATA_DIR, read_list

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


def test_refusal_messages_cover_every_language_and_give_the_hotline():
    data = json.loads(messages.MESSAGES_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"_about", "hotline", "refusal", "english_lead"}
    assert re.fullmatch(r"\d{5}", data["hotline"])
    assert set(data["refusal"]) == {"zh-Hans", "zh-Hant", "en"}
    for language, text in data["refusal"].items():
        assert text.count("{hotline}") == 1, language
        assert messages.refusal_text(language) == text.replace("{hotline}", "12351")
    assert "没有找到" in messages.refusal_text("zh-Hans") and "沒有找到" in messages.refusal_text("zh-Hant")
    assert messages.refusal_text("fr") == messages.refusal_text("zh-Hans")
    assert messages.EN_LEAD.startswith("The documents say")
