"""Rules on what the answer is about: the numbers that name it (1500米, U14, 第七届) and its year.

Each rule takes the `Case` (with the sentence tried) and returns why the sentence does not
answer, or None.
"""

from __future__ import annotations

import re

from app.answer.evidence.case import Case
from app.answer.evidence.patterns import DASHES, DATING_YEAR, NUMERAL, YEAR
from app.models import Hit
from app.text.normalize import match_form, to_script

_ID_UNIT = re.compile(rf"^(第?){NUMERAL}(米|公里|号线|号|届|期|强|岁|级|次|任|批|轮)$")
_COMPARED_YEAR = re.compile(
    rf"(?:比|较|相比|同比|对比|比起)\s*({YEAR})|({YEAR})\s*年?\s*[{DASHES}]\s*({YEAR})"
)


def identifiers(question: str) -> list[str]:
    """Numbers that name what is asked about: 1500米 (not 500米), U14, MU5735, 19号线, 第28届."""
    found = re.findall(
        r"(?<![A-Za-z\d])[A-Za-z]*\d+(?:\.\d+)?(?:[A-Za-z]+\d*|米|公里|号线|号|届|期|强|岁|级)?",
        to_script(question, "simplified").lower(),
    )
    found = [f for f in found if not re.fullmatch(YEAR, f) and not f.isdigit()]
    # Periods and ordinals: 8月, 上半年, 一季度, 第七届, 十三届五次, 首届.
    found += re.findall(
        r"(?<!\d)\d{1,2}月(?!\d{1,2}[日号])|[上下]半年|前?[一二三四]季度|首届|第[一二三四五六七八九十百]+[届任次期批艘轮]"
        r"|[一二三四五六七八九十百]+届|[一二三四五六七八九十]+次(?=会议|全会|全体会议)",
        to_script(question, "simplified"),
    )
    return found


def other_identifier(question: str, form: str) -> str | None:
    """Another number of the same kind in the sentence (form), and not the question's: 1000米 for
    500米, 十三届一次 for 十三届五次."""
    for asked in identifiers(question):
        if not (kind := _ID_UNIT.match(asked)):
            continue
        prefix, unit = kind.groups()
        stated = re.findall(rf"(?<![\d一二三四五六七八九十百]){prefix}{NUMERAL}{unit}", form)
        if stated and asked not in stated:
            return stated[0]
    return None


def _compared_years(text: str) -> list[str]:
    """Years a text compares with or spans ("比2021年", "2013—2021年") rather than dates, once per mention."""
    return [y for match in _COMPARED_YEAR.finditer(text) for y in match.groups() if y]


def years_not_concerned(question: str, sentence: str, hit: Hit) -> list[str]:
    """Years the question names that the answer is not about.

    A year must be in the passage, its section, its title or the document's date; and a
    sentence dated to other years only ("2022年粮食产量..." for 2021) is about another year.
    """
    asked = re.findall(YEAR, question)
    if not asked:
        return []
    dated = set(DATING_YEAR.findall(sentence))
    if dated and not dated & set(asked):
        return asked
    # "比2021年下降", "2013—2021年年均增长": the year is mentioned, but the figure is for another period.
    compared = _compared_years(sentence)
    spanned_by_question = _compared_years(question)
    mentioned = [y for y in asked if y in sentence and y not in spanned_by_question]
    if mentioned and all(sentence.count(y) == compared.count(y) for y in mentioned):
        return mentioned
    context = match_form(
        hit.chunk.text
        + hit.meta.title
        + hit.chunk.heading
        + (hit.meta.date or "")
        + str(hit.meta.extra.get("published") or "")
    )
    return [y for y in asked if y not in context]


def identifier_missing(case: Case) -> str | None:
    """The passage lacks a number that names what is asked about (1500米, U14, 第七届, 上半年)."""
    passage = match_form(case.hit.chunk.text)
    missing = [
        i for i in identifiers(case.question) if not re.search(rf"(?<![\dA-Za-z]){re.escape(i)}", passage)
    ]
    return f"the answer is not about {', '.join(missing)}" if missing else None


def another_identifier(case: Case) -> str | None:
    """The sentence states another number of the same kind than the question's (1000米 for 500米)."""
    other = other_identifier(case.question, case.form)
    return f"the answer is about {other}" if other else None


def another_year(case: Case) -> str | None:
    """The sentence is dated to another year than the question's, or its passage never names it."""
    missing = years_not_concerned(case.question, case.sentence, case.hit)
    return f"the answer does not concern {', '.join(missing)}" if missing else None
