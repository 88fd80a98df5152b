"""Rules for a question asking for a figure, a date or a place (see answer_types): the sentence
must state one, in the clause that is about the question, for the year and the places asked.

Each rule takes the `Case` (with the sentence tried) and returns why the sentence does not
answer, or None. A question of no answer type passes them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.answer.evidence.case import Case
from app.answer.evidence.patterns import CLAUSE, DATING_YEAR, FIGURE, YEAR
from app.answer.evidence.terms import TermGroup, coverage
from app.settings import current
from app.text.glossary import PROVINCES
from app.text.normalize import match_form
from app.text.segment import pos_tags

# Times that lead into a clause's subject with the figure: "当地时间2022年12月9日下午，".
_CLOCK = re.compile(r"当地时间|北京时间|[上下中]午|晚上|晚间|凌晨|早上|\d+\s*[年时分]")
_REGION = re.compile(rf"(?:{'|'.join(PROVINCES)})(?:省|市|自治区)?")
# "死亡人数", "招录多少人", "运动员数量": a count of people, stated as "10人", "3.71万名", "44位"
# (or "10.51亿"), not "四届" or "一条".
_COUNTS_PEOPLE = re.compile(
    r"人数|多少人|几人|多少名|几名|多少位|几位|(?:员|者|手|生|民|工|师|客|人)的?(?:数量|总数|规模)"
)
_PEOPLE_FIGURE = re.compile(r"(?:人次|人|名|位|万|亿)$")


def figure_clauses(sentence: str, states: re.Pattern[str]) -> Iterator[tuple[list[str], int]]:
    """The sentence's clauses (matching form) with the index of each clause that states a figure."""
    clauses = [match_form(c) for c in CLAUSE.findall(sentence)]
    for i, clause in enumerate(clauses):
        if states.search(clause):
            yield clauses, i


def contradicted_years(sentence: str, question: str, states: re.Pattern[str] | None) -> list[str]:
    """Years the question names that the figure's clause contradicts ("2020年吞吐量" for 2021)."""
    asked = set(re.findall(YEAR, question))
    if not asked or states is None:
        return []
    for clauses, i in figure_clauses(sentence, states):
        years = set(DATING_YEAR.findall("".join(clauses[max(0, i - 1) : i + 1])))
        if years and not years & asked:
            return sorted(asked)
    return []


def figure_relevance(sentence: str, groups: list[TermGroup], states: re.Pattern[str]) -> float:
    """Coverage of the clause that states the figure (with its neighbours): 2.5亿元 next to
    送温暖资金 does not answer a question about 医疗互助 fees, though both are in one sentence."""
    best = 0.0
    for clauses, i in figure_clauses(sentence, states):
        # A clause that is little more than the figure ("当地时间9月8日，") leads into its subject.
        rest = _CLOCK.sub("", states.sub("", clauses[i]))
        lead_in = len(re.findall(r"[\u4e00-\u9fff]", rest)) <= current().lead_in_chars
        window = clauses[max(0, i - 1) : i + (2 if lead_in else 1)]
        best = max(best, coverage(groups, "".join(window)))
    return best


def narrower_places(sentence: str, question: str, states: re.Pattern[str]) -> list[str]:
    """Provinces that narrow a figure the question asks for nationwide: "2022年高考报名
    人数" is not answered by 四川省's count. Only when the question names no place of its own."""
    asked = match_form(question)
    if _REGION.search(asked) or any(tag.startswith("ns") for _, tag in pos_tags(asked)):
        return []
    for clauses, i in figure_clauses(sentence, states):
        if places := _REGION.findall("".join(clauses[max(0, i - 1) : i + 1])):
            return sorted(set(places))
    return []


def figure_not_stated(case: Case) -> str | None:
    """The sentence states nothing of the type asked for (an amount, a date, a length, a place...)."""
    if case.wanted is None or case.wanted.states.search(case.form):
        return None
    return f"no sentence states the {case.wanted.name} asked for"


def figure_of_another_year(case: Case) -> str | None:
    """The clause stating the figure is dated to another year than the question's."""
    if case.wanted is None or not contradicted_years(case.sentence, case.question, case.wanted.states):
        return None
    return "the figure found is for another year"


def figure_about_something_else(case: Case) -> str | None:
    """The clause stating the figure (with its neighbours) covers too few key terms."""
    if case.wanted is None:
        return None
    if figure_relevance(case.sentence, case.groups, case.wanted.states) >= current().figure_clause_min:
        return None
    return f"the {case.wanted.name} stated is about something else"


def figure_for_a_narrower_place(case: Case) -> str | None:
    """An amount asked for nationwide is stated for a province only (四川省's 高考报名人数)."""
    wanted = case.wanted
    if wanted is None or not wanted.amount or not case.chinese:
        return None
    narrower = narrower_places(case.sentence, case.question, wanted.states)
    return f"the {wanted.name} stated is for {', '.join(narrower)} only" if narrower else None


def figure_not_of_people(case: Case) -> str | None:
    """A count of people is asked for (人数, 运动员数量) and the figure counts something else."""
    wanted = case.wanted
    if wanted is None or not wanted.counts_people or not _COUNTS_PEOPLE.search(case.question):
        return None
    if any(_PEOPLE_FIGURE.search(m.group()) for m in re.finditer(FIGURE, case.form)):
        return None
    return f"the {wanted.name} stated does not count people"
