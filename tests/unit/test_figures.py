"""Figures as (value, unit) across notations and languages, and what a source supports."""

from __future__ import annotations

import pytest

from app.generate.claims import split_claims
from app.generate.figures import figures, unsupported

OVERTIME = "安排劳动者延长工作时间的，支付不低于工资的百分之一百五十的工资报酬"


def pairs(text: str) -> set[tuple[float, str | None]]:
    return {(f.value, f.unit) for f in figures(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (OVERTIME, {(150, "%")}),
        ("Overtime is paid at no less than 150 percent of wages [1].", {(150, "%")}),
        ("one hundred and fifty per cent", {(150, "%")}),
        ("到2025年新培育100名云岭工匠", {(2025, "calendar_year"), (100, "person")}),
        ("高技能人才总量达155万人", {(1_550_000, "person")}),
        ("1.55 million people", {(1_550_000, "person")}),
        ("第八十二条", {(82, "article")}),
        ("Under Article 82 the employer pays double wages.", {(82, "article"), (2, "times")}),
        ("试用期不得超过六个月", {(6, "month")}),
        ("The probation may not exceed six months.", {(6, "month")}),
        ("5月30日开幕", {(530, "date")}),
        ("It opens on May 30.", {(530, "date")}),
        ("RMB 2,000", {(2000, "yuan")}),
        ("within fifteen days", {(15, "day")}),
        ("一个中等发达国家", set()),
        ("one of the workers", set()),
        ("第二，加强技能培训", set()),
        ("“十四五”期间", set()),
    ],
)
def test_figures(text: str, expected: set) -> None:
    assert pairs(text) == expected


def test_citation_markers_are_not_figures() -> None:
    assert pairs("加班要付加班费[1][2]。") == set()


def test_the_same_figure_in_another_notation_is_supported() -> None:
    assert unsupported("加班工资不低于工资的150%[1]。", [OVERTIME]) == []
    assert unsupported("Overtime pays at least 150 percent of wages.", [OVERTIME]) == []


def test_a_wrong_figure_or_a_right_figure_in_the_wrong_unit_is_not() -> None:
    assert [f.value for f in unsupported("Overtime pays 200% of wages.", [OVERTIME])] == [200]
    assert [f.unit for f in unsupported("Overtime pays 150 yuan.", [OVERTIME])] == ["yuan"]
    assert [f.unit for f in unsupported("加班工资为150元。", [OVERTIME])] == ["yuan"]


def test_a_bare_number_needs_the_value_in_any_unit() -> None:
    assert unsupported("The figure is 150.", [OVERTIME]) == []
    assert unsupported("The figure is 151.", [OVERTIME]) != []


def test_claims_carry_their_markers() -> None:
    claims = split_claims(
        "加班支付百分之一百五十[1]。休息日支付百分之二百[1][2]。\n- Holidays pay 300%. [3]\n无依据的一句。"
    )
    assert [(c.body, c.cited) for c in claims] == [
        ("加班支付百分之一百五十。", (1,)),
        ("休息日支付百分之二百。", (1, 2)),
        ("Holidays pay 300%.", (3,)),
        ("无依据的一句。", ()),
    ]


def test_decimals_and_abbreviations_do_not_end_a_sentence() -> None:
    claims = split_claims("Under Art. 44 the rate is 1.5 times [1]. It applies on workdays [1].")
    assert [c.body for c in claims] == ["Under Art. 44 the rate is 1.5 times.", "It applies on workdays."]


def test_a_traditional_passage_states_the_same_figures() -> None:
    # The shipped Yunnan plan is in traditional script: 155萬人 there supports 155万人 here.
    assert not unsupported("高技能人才总量达到155万人以上[1]。", ["其中高技能人才總量達到155萬人以上。"])
    assert not unsupported("雲南省高職在校學生人數增加28.4萬人[1]。", ["高職在校學生人數增加28.4萬人以上"])
    assert unsupported("高技能人才总量达到255万人以上[1]。", ["其中高技能人才總量達到155萬人以上。"])
