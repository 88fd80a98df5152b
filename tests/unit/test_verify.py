"""The verifier on hand-written adversarial answers, with the real bundled model for meaning."""

from __future__ import annotations

import pytest

from app.generate.prompt import decline_phrases
from app.generate.support import default_scorer
from app.generate.verify import Shown, verify
from app.models import Chunk, DocMeta, Hit

OVERTIME = (
    "有下列情形之一的，用人单位应当按照下列标准支付高于劳动者正常工作时间工资的工资报酬：（一）安排劳动者"
    "延长工作时间的，支付不低于工资的百分之一百五十的工资报酬；（二）休息日安排劳动者工作又不能安排补休的，"
    "支付不低于工资的百分之二百的工资报酬；（三）法定休假日安排劳动者工作的，支付不低于工资的百分之三百的工资报酬。"
)
PROBATION = (
    "劳动合同期限三个月以上不满一年的，试用期不得超过一个月；劳动合同期限一年以上不满三年的，试用期不得超过"
    "二个月；三年以上固定期限和无固定期限的劳动合同，试用期不得超过六个月。"
)


def shown(n: int, law: str, article: str, text: str) -> Shown:
    chunk = Chunk(f"{law}#{n}", law, text, 0, len(text), article=article)
    return Shown(n, Hit(chunk, DocMeta(title=law), score=1.0), f"《{law}》{article}")


PASSAGES = [shown(1, "劳动法", "第四十四条", OVERTIME), shown(2, "劳动合同法", "第十九条", PROBATION)]


def checks(answer: str, language: str = "zh-Hans") -> list[str | None]:
    result = verify(answer, PASSAGES, language, default_scorer(), decline_phrases())
    return [c.check for c in result.checked]


def test_a_supported_sentence_is_kept() -> None:
    assert checks("安排劳动者延长工作时间的，应支付不低于工资的百分之一百五十的工资报酬[1]。") == [None]


def test_the_same_figure_in_arabic_numerals_is_supported() -> None:
    assert checks("延长工作时间的，支付不低于工资150%的工资报酬[1]。") == [None]


def test_a_wrong_figure_is_removed() -> None:
    assert checks("安排劳动者延长工作时间的，支付不低于工资的百分之二百五十的工资报酬[1]。") == [
        "figure.unsupported"
    ]


def test_a_citation_to_a_passage_not_shown_is_removed() -> None:
    assert checks("延长工作时间的，支付不低于工资的百分之一百五十的工资报酬[3]。") == ["citation.not_shown"]


def test_a_true_sentence_without_a_citation_is_removed() -> None:
    assert checks("延长工作时间的，支付不低于工资的百分之一百五十的工资报酬。") == ["citation.missing"]


def test_a_right_figure_in_the_wrong_unit_is_removed() -> None:
    assert checks("延长工作时间的，支付150元的工资报酬[1]。") == ["figure.unsupported"]
    assert checks("Overtime is paid 150 yuan [1].", "en") == ["figure.unsupported"]


def test_a_figure_from_another_passage_than_the_one_cited_is_removed() -> None:
    assert checks("三年以上固定期限的劳动合同，试用期不得超过六个月[1]。") == ["figure.unsupported"]
    assert checks("三年以上固定期限的劳动合同，试用期不得超过六个月[2]。") == [None]


def test_an_article_number_must_be_the_cited_passages() -> None:
    assert checks("根据劳动法第四十四条，延长工作时间的，支付不低于工资的百分之一百五十的工资报酬[1]。") == [
        None
    ]
    assert checks("根据劳动法第四十五条，延长工作时间的，支付不低于工资的百分之一百五十的工资报酬[1]。") == [
        "figure.unsupported"
    ]


def test_a_sentence_about_something_else_is_removed() -> None:
    assert checks("工会应当组织职工参加文化体育活动，丰富职工的业余生活[1]。") == ["meaning.far"]


def test_a_sentence_on_another_matter_of_the_same_law_is_removed() -> None:
    # Close in meaning to every labour-law article (cosine 0.90 against the overtime one), but
    # about social insurance: the article holds half its words.
    assert checks("用人单位应当为劳动者缴纳社会保险费[1]。") == ["meaning.far"]
    assert checks("劳动者有权拒绝加班[1]。") == ["meaning.far"]


def test_a_paraphrase_in_a_workers_words_is_kept() -> None:
    assert checks("加班的，用人单位应支付不低于工资百分之一百五十的工资报酬[1]。") == [None]


def test_an_english_sentence_is_checked_against_the_chinese_passage() -> None:
    assert checks(
        "Overtime on a working day must be paid at no less than 150 percent of wages [1].", "en"
    ) == [None]
    assert checks(
        "Overtime on a working day must be paid at no less than 250 percent of wages [1].", "en"
    ) == ["figure.unsupported"]


def test_a_sentence_in_another_language_than_the_question_is_removed() -> None:
    assert checks("延长工作时间的，支付不低于工资的百分之一百五十的工资报酬[1]。", "en") == ["language.other"]


def test_a_decline_is_not_a_sentence() -> None:
    result = verify("资料中没有答案。", PASSAGES, "zh-Hans", default_scorer(), decline_phrases())
    assert result.declined and result.checked == []


@pytest.mark.parametrize("answer", ["", "   ", "[1]"])
def test_nothing_to_check(answer: str) -> None:
    assert verify(answer, PASSAGES, "zh-Hans", default_scorer(), decline_phrases()).checked == []
