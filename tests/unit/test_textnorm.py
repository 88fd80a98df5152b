from __future__ import annotations

from app.text.normalize import detect_script, match_form, to_script


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
