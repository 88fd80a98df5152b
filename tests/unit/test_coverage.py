"""Word coverage of a generated sentence by its cited passage (app/generate/coverage.py), on the
labour law's overtime article."""

from __future__ import annotations

from app.generate.coverage import coverage

OVERTIME = (
    "有下列情形之一的，用人单位应当按照下列标准支付高于劳动者正常工作时间工资的工资报酬：（一）安排劳动者"
    "延长工作时间的，支付不低于工资的百分之一百五十的工资报酬；（二）休息日安排劳动者工作又不能安排补休的，"
    "支付不低于工资的百分之二百的工资报酬；（三）法定休假日安排劳动者工作的，支付不低于工资的百分之三百的工资报酬。"
)


def test_a_sentence_in_the_passages_words_is_covered() -> None:
    assert coverage("安排劳动者延长工作时间的，应支付不低于工资的百分之一百五十的工资报酬", OVERTIME) == 1.0


def test_traditional_script_and_full_width_are_read_as_the_passage() -> None:
    assert coverage("延長工作時間的，支付不低於工資１５０％的工資報酬", OVERTIME) == 1.0


def test_a_workers_word_counts_through_the_glossary() -> None:
    # 加班 is not in the article; its policy term 延长工作时间 is (app/data/glossary/lay_to_policy.tsv).
    assert coverage("加班的工资报酬", OVERTIME) == 1.0


def test_a_sentence_about_something_else_is_barely_covered() -> None:
    assert coverage("工会应当组织职工参加文化体育活动，丰富职工的业余生活", OVERTIME) < 0.2
    assert coverage("用人单位应当为劳动者缴纳社会保险费", OVERTIME) <= 0.5


def test_english_is_looked_up_through_the_english_glossary() -> None:
    on_topic = coverage("Overtime pay is at least 150 percent of wages", OVERTIME)
    assert on_topic >= 0.5
    assert coverage("Employers must pay social insurance", OVERTIME) < on_topic
    assert coverage("The union organises sports for workers", OVERTIME) < 0.5


def test_nothing_to_look_up_is_no_coverage() -> None:
    assert coverage("150%", OVERTIME) is None
    assert coverage("It is so.", OVERTIME) is None
