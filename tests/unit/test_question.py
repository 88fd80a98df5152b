from __future__ import annotations

import pytest

from app.search.question import QuestionError, clean_question, language_of, standalone_question


def test_control_characters_stripped_and_limits_enforced() -> None:
    assert clean_question(" 年假\x00有几天\x1b? ") == "年假 有几天 ?"
    with pytest.raises(QuestionError, match="empty"):
        clean_question(" \t\n ")
    with pytest.raises(QuestionError, match="too long"):
        clean_question("问" * 1001)


def test_language_of_question() -> None:
    assert language_of("技工院校招生多少人?") == "zh-Hans"
    assert language_of("湖北省高技能人才總量是多少?") == "zh-Hant"
    assert language_of("How many craftsmen by 2035?") == "en"


def test_follow_up_takes_the_previous_topic() -> None:
    assert standalone_question("那云南呢?", ["湖北省高技能人才总量是多少?"]) == "云南省高技能人才总量是多少?"
    assert standalone_question("那2025年呢?", ["到2035年培养多少大国工匠?"]) == "到2025年培养多少大国工匠?"
    full = "技工院校今年招生多少人?"
    assert standalone_question(full, ["湖北省高技能人才总量是多少?"]) == full
    assert standalone_question("那云南呢?", []) == "那云南呢?"
