"""Questions: validation, language, and turning a follow-up into a standalone question."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from app.errors import BadInput
from app.limits import MAX_QUESTION_CHARS
from app.text.glossary import PROVINCES
from app.text.normalize import detect_script, to_simplified
from app.text.patterns import YEAR

__all__ = ["MAX_QUESTION_CHARS", "QuestionError", "clean_question", "language_of", "standalone_question"]


class QuestionError(BadInput, ValueError):
    """A question that cannot be asked; the message is for the person who asked it."""


def clean_question(raw: object) -> str:
    """Strip control characters and outer whitespace; refuse empty or over-long questions."""
    if not isinstance(raw, str):
        raise QuestionError("The question must be text. 问题必须是文字。")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QuestionError("The question is empty: please type a question. 问题为空，请输入您的问题。")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is too long ({len(text)} characters; the limit is {MAX_QUESTION_CHARS}). "
            "Please ask it in fewer words. "
            f"问题过长（{len(text)}字，上限{MAX_QUESTION_CHARS}字），请精简后再问。"
        )
    return text


def language_of(question: str) -> str:
    """ "zh-Hans", "zh-Hant" or "en" (anything without Chinese characters is answered as English)."""
    script = detect_script(question)
    if script == "latin":
        return "en"
    return "zh-Hant" if script == "traditional" else "zh-Hans"


_REGIONS = [*PROVINCES, "全国", "国家"]
_FOLLOW_UP = re.compile(
    r"^(?:那么?|还有|另外|那个|and|what about|how about)\s*|\s*(?:呢|怎么样|如何)?\s*[?？。!！]*$"
)
_YEAR = re.compile(YEAR)


def standalone_question(question: str, history: Sequence[str] = ()) -> str:
    """A short follow-up ("那云南呢?") rewritten with the previous question's topic.

    The entity the follow-up names (a region or a year) replaces the same kind of entity in the
    previous question; otherwise the follow-up is appended to it. Full questions pass unchanged.
    """
    if not history:
        return question
    simplified = to_simplified(question)
    looks_elliptic = len(simplified) <= 14 and (
        simplified.startswith(("那", "还有", "另外"))
        or simplified.rstrip("?？ ").endswith("呢")
        or question.lower().startswith(("and ", "what about", "how about"))
    )
    if not looks_elliptic:
        return question
    previous = history[-1]
    fragment = _FOLLOW_UP.sub("", question).strip()
    if not fragment:
        return previous
    prev_simplified = to_simplified(previous)
    fragment_s = to_simplified(fragment)
    new = next((r for r in _REGIONS if r in fragment_s), None)
    old = next((r for r in _REGIONS if r in prev_simplified), None)
    if new and old and new != old:
        start = prev_simplified.index(old)
        return previous[:start] + new + previous[start + len(old) :]
    new_year, old_year = _YEAR.search(fragment_s), _YEAR.search(prev_simplified)
    if new_year and old_year:
        return previous[: old_year.start()] + new_year.group() + previous[old_year.end() :]
    return f"{previous} {fragment}"
