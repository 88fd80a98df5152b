"""What a question asks for (app/data/answer_types.yaml) and what a sentence must state: the data
file's schema, its examples, and the cases where a cue looks like a figure but is none."""

from __future__ import annotations

import re

import pytest
import yaml

from app.answer.evidence.answer_types import (
    ANSWER_TYPES,
    NO_TYPE_EXAMPLES,
    TYPES_FILE,
    AnswerType,
    AnswerTypeError,
    answer_type,
    expand,
    read_types,
)
from app.answer.evidence.patterns import PIECES


def kind(question: str) -> str | None:
    found = answer_type(question)
    return found.name if found else None


def states(name: str) -> re.Pattern[str]:
    return next(t.states for t in ANSWER_TYPES if t.name == name)


def test_the_data_file_holds_every_type_with_known_keys_and_regex_pieces():
    data = yaml.safe_load(TYPES_FILE.read_text(encoding="utf-8"))
    names = [entry["name"] for entry in data["types"]]
    assert len(names) == len(set(names)) == len(ANSWER_TYPES) >= 10
    keys = set(AnswerType.__dataclass_fields__)
    for entry in data["types"]:
        assert set(entry) <= keys and {"name", "asks", "states", "examples"} <= set(entry), entry["name"]
        for part in ("asks", "states"):
            assert all(isinstance(p, str) for p in entry[part]), (entry["name"], part)
            pieces = re.findall(r"\{([a-z_]+)\}", "".join(entry[part]))
            assert set(pieces) <= set(PIECES), (entry["name"], pieces)
        assert entry["examples"], f"{entry['name']} has no example question"
    # Amounts are the types whose figure must be the thing asked about.
    amounts = {t.name for t in ANSWER_TYPES if t.amount}
    assert amounts == {"pay", "money", "share", "count", "figure"}


@pytest.mark.parametrize("answer", ANSWER_TYPES, ids=lambda t: t.name)
def test_each_example_question_is_classified_as_its_type(answer: AnswerType):
    for question in answer.examples:
        assert kind(question) == answer.name, question
    for sentence in answer.stated_by:
        assert answer.states.search(sentence), sentence


@pytest.mark.parametrize("question", NO_TYPE_EXAMPLES)
def test_legal_words_that_look_like_cues_ask_no_figure(question: str):
    assert kind(question) is None


def test_a_bad_regex_or_an_unknown_piece_names_the_file_and_the_type(tmp_path):
    with pytest.raises(AnswerTypeError, match="unknown piece"):
        expand(["{salary}"], "type pay asks")
    with pytest.raises(AnswerTypeError, match="type broken states"):
        bad = tmp_path / "types.yaml"
        bad.write_text("types:\n  - name: broken\n    asks: ['x']\n    states: ['(']\n", encoding="utf-8")
        read_types(bad)


def test_figures_need_a_unit_or_a_scale():
    assert not states("figure").search("国家统计局关于2022年棉花产量的公告")
    # A lone 一 is an article, not a count.
    assert not states("count").search("一条湍急的河流横在救援人员与受困群众之间")
    assert not states("count").search("成为一个中等发达国家")
    # An article number is an ordinal, not a count.
    assert not states("count").search("第四十一条 用人单位经与工会协商后可以延长工作时间")
    # A statute's list of clauses states no time; pay in wages states no time either.
    assert not states("year").search("劳动合同应当具备以下条款")
    assert not states("year").search("每月支付二倍的工资")
    assert not states("pay").search("用人单位应当按时足额支付劳动报酬")
