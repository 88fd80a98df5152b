"""Chinese numerals, full-width digits and percentages as one notation (app/generate/numerals.py)."""

from __future__ import annotations

import pytest

from app.generate.numerals import chinese_number, english_number, normalize_numerals


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一百五十", 150), ("十五", 15), ("二十三", 23), ("一百零五", 105), ("两", 2), ("十", 10),
        ("一万二千", 12000), ("三千五百万", 35_000_000), ("二〇二五", 2025), ("三点五", 3.5),
        ("一亿二千万", 120_000_000), ("八十二", 82),
    ],
)  # fmt: skip
def test_chinese_numbers(text: str, value: float) -> None:
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "万", "工资", "一x", "十四五"])
def test_not_chinese_numbers(text: str) -> None:
    assert chinese_number(text) is None


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("支付不低于工资的百分之一百五十的工资报酬", "支付不低于工资的150%的工资报酬"),
        ("百分之八十", "80%"),
        ("千分之五", "5‰"),
        ("１５０％", "150%"),
        ("第八十二条", "第82条"),
        ("试用期不得超过六个月", "试用期不得超过6个月"),
        ("十五日内", "15日内"),
        ("工资的二倍", "工资的2倍"),
        ("三十五万人", "35万人"),
        ("三千万元", "3000万元"),
        ("二〇二五年", "2025年"),
        ("五十分钟", "50分钟"),
    ],
)
def test_normalize_numerals(text: str, normal: str) -> None:
    assert normalize_numerals(text) == normal


@pytest.mark.parametrize(
    "text", ["统一规定", "一般情况下", "千万不要", "万一发生", "十分重要", "进一步加强", "之一"]
)
def test_words_with_numeral_characters_are_left_alone(text: str) -> None:
    assert normalize_numerals(text) == text


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("one hundred and fifty", 150),
        ("twenty-one", 21),
        ("two thousand", 2000),
        ("six", 6),
        ("ninety nine", 99),
    ],
)
def test_english_numbers(words: str, value: float) -> None:
    assert english_number(words) == value
