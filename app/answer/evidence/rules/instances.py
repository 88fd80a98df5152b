"""Another instance or category than the one a question names: 平昌冬奥会 or 2018年冬奥会 for
北京冬奥会, 越南GDP for 中国GDP, 女单 for 男单."""

from __future__ import annotations

import re

from app.answer.evidence.patterns import DASHES, YEAR
from app.answer.evidence.terms import TermGroup
from app.text.normalize import match_form, to_script
from app.text.segment import STOPWORDS, pos_tags

_CATEGORY = r"(?:子|单|双|篮|足|排|团|主角|配角|演员|歌手)"
_YEAR_BEFORE = re.compile(rf"({YEAR})(?:\s*[{DASHES}/]\s*({YEAR}))?\s*(?:年度|年|赛季)?\s*的?\s*[“\"《]?$")


def other_category(question: str, sentence: str) -> str | None:
    """The opposite category a sentence is about: 女单 for a question about 男单."""
    asked = re.search(rf"([男女]){_CATEGORY}", to_script(question, "simplified"))
    if not asked:
        return None
    other = "女" if asked.group(1) == "男" else "男"
    found = re.search(rf"{other}{_CATEGORY}", sentence)
    if found and not re.search(rf"{asked.group(1)}{_CATEGORY}", sentence):
        return found.group()
    return None


def _qualified(text: str) -> list[tuple[str, str, set[str]]]:
    """(noun, kind, qualifiers) for each noun of a text led directly by a year or a place:
    冬奥会 led by 北京 in "北京冬奥会", 世界杯 by 1966 in "1966年世界杯"."""
    found = []
    offset = 0
    previous = ""
    for word, tag in pos_tags(text):
        if len(word) >= 2 and word not in STOPWORDS and tag.startswith(("n", "j", "vn", "eng")):
            if year := _YEAR_BEFORE.search(text[:offset]):
                found.append((word, "year", {y for y in year.groups() if y}))
            elif previous:
                found.append((word, "place", {previous}))
        named = tag.startswith(("ns", "nr")) and len(word) >= 2
        previous = word if named else ""
        offset += len(word)
    return found


def other_instance(question: str, sentence: str, groups: list[TermGroup]) -> str | None:
    """Another instance of what the question names: 平昌冬奥会 or 2018年冬奥会 for 北京冬奥会,
    越南GDP for 中国GDP, 2021“中国旅游文化周” for the 2022 one. Only when the sentence never
    mentions the question's own year or place."""
    terms = {g.alternatives[0] for g in groups}
    form = match_form(sentence)
    asked = [
        (word, kind, qualifiers)
        for word, kind, qualifiers in _qualified(match_form(question))
        if word in terms and not any(q in form for q in qualifiers)
    ]
    if not asked:
        return None
    stated = _qualified(form)
    for word, kind, qualifiers in asked:
        others = [q for w, k, q in stated if w == word and k == kind]
        same = any(a in b or b in a for q in others for a in q for b in qualifiers)
        if others and not same:
            return "".join(sorted(others[0])) + word
    return None
