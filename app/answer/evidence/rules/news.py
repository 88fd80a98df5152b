"""Rules written for news questions (RGB): names, roles, characters, results, the instance asked
about (北京冬奥会, not 平昌's), facts not known yet, and what a factoid question is about.

Each rule takes the `Case` (with the sentence tried) and returns why the sentence does not
answer, or None.
"""

from __future__ import annotations

import re

from app.answer.evidence.case import Case
from app.answer.evidence.names import ROLE, names, names_the_role
from app.answer.evidence.patterns import NOT_YET_KNOWN, STATES_DAY
from app.answer.evidence.questions import ASKS_CHARACTER, ASKS_RESULT, asked_attribute, asks_day, entity_terms
from app.answer.evidence.rules.figures import figure_clauses, figure_relevance
from app.answer.evidence.rules.instances import other_category, other_instance
from app.answer.evidence.words import MEASURE_NOUNS
from app.settings import current
from app.text.normalize import match_form

_STATES_CHARACTER = re.compile(r"饰|扮演|角色|演的是|出演|化身|一角")
# "中国女篮成绩" is answered by a place, a round, a score or a mark ("夺得亚军", "无缘四强",
# "61:83", "9秒83").
_STATES_RESULT = re.compile(
    r"冠军|亚军|季军|殿军|第[\d一二三四五六七八九十]+(?:名|位)|[\d一二三四五六七八九十]+强|[金银铜]牌|夺冠|夺金"
    r"|出局|淘汰|止步|晋级|无缘|战胜|击败|负于|不敌|输给|赢|获胜|\d+\s*[:：比\-]\s*\d+|排名第|纪录"
    r"|\d+(?:\.\d+)?\s*(?:秒|分|米|环|公斤|千克|厘米|点)"
)


def attribute_not_named(case: Case) -> str | None:
    """A who-question names a role (导演 in "《X》的导演是谁") that the sentence never mentions."""
    attribute = asked_attribute(case.question) if case.wanted is None and case.chinese else None
    if attribute and attribute not in case.form:
        return f"the best sentence does not name the {attribute} asked about"
    return None


def names_nobody(case: Case) -> str | None:
    """A who-question ("X是谁", "谁枪击了X") gets a sentence that names no one new."""
    if case.asks_who and not names(case.sentence, case.question):
        return "the best sentence names nobody"
    return None


def no_character(case: Case) -> str | None:
    """A question about the character someone plays gets a sentence that names no role."""
    if ASKS_CHARACTER.search(case.question) and not _STATES_CHARACTER.search(case.form):
        return "the best sentence names no character played"
    return None


def another_category(case: Case) -> str | None:
    """The sentence is about the opposite category (女单 for a question about 男单)."""
    other = other_category(case.question, case.sentence)
    return f"the answer is about {other}" if other else None


def another_instance(case: Case) -> str | None:
    """The sentence is about another instance of what is named (平昌冬奥会 for 北京冬奥会)."""
    other = other_instance(case.question, case.sentence, case.groups)
    return f"the answer is about {other}" if other else None


def not_yet_known(case: Case) -> str | None:
    """A factoid question gets a sentence saying the fact is not known yet (尚未确定, 待定)."""
    if case.factoid and (uncertain := NOT_YET_KNOWN.search(case.form)):
        return f"the best sentence says it is not known yet ({uncertain.group()})"
    return None


def focus_not_mentioned(case: Case) -> str | None:
    """The sentence does not mention the noun a factoid question asks about (主演, 主题)."""
    if case.wanted is None and case.focus and not case.mentions_focus(case.form):
        return f"the best sentence does not mention the {case.focus} asked about"
    return None


def figure_not_the_focus(case: Case) -> str | None:
    """The figure's clause is not about the noun asked (二战赔偿 is not the 损失 asked about).

    A measure noun (人数, 比例) is stated by the figure itself.
    """
    wanted, focus = case.wanted, case.focus
    if wanted is None or not focus or not wanted.amount or focus in MEASURE_NOUNS:
        return None
    windows = ("".join(c[max(0, i - 1) : i + 1]) for c, i in figure_clauses(case.sentence, wanted.states))
    if any(map(case.mentions_focus, windows)):
        return None
    return f"the figure stated is not the {focus} asked about"


def no_result(case: Case) -> str | None:
    """A factoid question about a result (成绩, 名次) gets no place, round, score or mark."""
    if case.factoid and ASKS_RESULT.search(case.question) and not _STATES_RESULT.search(case.form):
        return "the best sentence states no result"
    return None


def no_day(case: Case) -> str | None:
    """A question asking for a day (发射时间, 上映日期) gets none, or one about something else."""
    if asks_day(case.question) and (
        not STATES_DAY.search(case.form)
        or figure_relevance(case.sentence, case.groups, STATES_DAY) < current().figure_clause_min
    ):
        return "no sentence states the day asked for"
    return None


def role_not_named(case: Case) -> str | None:
    """The sentence mentions the role asked about (主演, 冠军) but names no one in it."""
    focus = case.focus
    role = (asked_attribute(case.question) or focus) if case.asks_who else focus
    asks_for_name = role and (case.asks_who or ROLE.search(role)) and match_form(role) in case.form
    if asks_for_name and not names_the_role(case.sentence, match_form(role), case.question):
        return f"the best sentence names no {role}"
    return None


def entity_not_in_passage(case: Case) -> str | None:
    """The passage is not about a name the factoid question holds (全英, 《炽道》, C919)."""
    hit = case.hit
    passage = match_form(hit.meta.title + hit.chunk.heading + hit.chunk.text)
    missing = [g.word for g in entity_terms(case.question, case.groups) if not g.credit(passage)]
    return f"the passage is not about {', '.join(missing)}" if missing else None
