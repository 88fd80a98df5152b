from __future__ import annotations

import re

from app.text.normalize import detect_script, match_form, to_script
from app.text.patterns import ARTICLE_NUMBER, NUMBER, YEAR


def test_match_form_unifies_script_width_case_and_space() -> None:
    assert match_form("高技能人才總量 達２７０.５萬人") == match_form("高技能人才总量达270.5万人")
    assert match_form("Ｗｏｒｌｄ Skills") == "worldskills"


def test_detect_script() -> None:
    assert detect_script("湖北省對於工人建設隊伍的改革計劃") == "traditional"
    assert detect_script("湖北省对于工人建设队伍的改革计划") == "simplified"
    assert detect_script("How many craftsmen by 2035?") == "latin"


def test_to_script_round_trip() -> None:
    assert to_script("技能人才队伍建设", "traditional") == "技能人才隊伍建設"
    assert to_script("技能人才隊伍建設", "simplified") == "技能人才队伍建设"


def test_article_numbers_in_chinese_or_arabic_numerals_and_either_script() -> None:
    article = re.compile(rf"^{ARTICLE_NUMBER}$")
    for text in ("第八十二条", "第12條", "第十条之一", "第一百零二条", "第两千条"):
        assert article.match(text), text
    for text in ("第条", "第八十二章", "第X条", "八十二条"):
        assert not article.match(text), text
    assert re.fullmatch(NUMBER, "二十三") and re.fullmatch(NUMBER, "2035") and not re.fullmatch(NUMBER, "三a")


def test_year_with_or_without_its_character() -> None:
    assert [m.group() for m in re.finditer(YEAR, "2025年到2035的目标,共123人")] == ["2025年", "2035"]
