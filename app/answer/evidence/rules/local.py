"""Questions that local rules answer: a province's minimum wage, a city's summer heat allowance.

National law leaves these amounts to provinces and cities (劳动法第四十八条: 最低工资的具体标准由
省、自治区、直辖市人民政府规定). Asked how much one is, Gongyou says that local rules decide and
where to ask (the local 12333 and the union hotline 12351) rather than quote a national article
that names no figure. The topics are data: app/data/evidence/local_rule_topics.tsv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from app.answer.evidence.case import Case
from app.datafiles import DataFileError, read_rows
from app.text.glossary import PROVINCES
from app.text.normalize import match_form
from app.text.segment import pos_tags

TOPICS_FILE = "evidence/local_rule_topics.tsv"
WHEN = ("always", "place")
NATIONAL = "全国"  # a document of unknown region (a company's own notice) may state a local amount
# Words that put a question in one place without naming it.
# The answer types (app/data/answer_types.yaml) that ask for a sum or a rate; a count or a period
# (失业金能领多少个月) is set nationally.
SUM_TYPES = frozenset({"pay", "money", "share"})
# A question asking what an amount is, beyond those types: 标准是什么, what is the.
_ASKS_AMOUNT = re.compile(
    r"多少钱|多少元|几元|是多少|为多少|有多少|多少[?？]?$|百分之几|标准(?:是|为)?(?:什么)?[?？]?$"
    r"|what is|what's|how much|how high"
)
_HERE = re.compile(r"当地|本地|我市|本市|我省|本省|我们市|我们省|我们这里|我们这边|我这里|我所在")


@dataclass(frozen=True)
class LocalTopic:
    topic: str  # 最低工资标准
    terms: tuple[str, ...]  # matching forms that name it in a question
    english: str  # the minimum wage
    needs_place: bool  # asked only of a place (national law sets a floor that answers the rest)


@dataclass(frozen=True)
class LocalQuestion:
    topic: LocalTopic
    place: str | None  # the place named (云南, 北京), if any


@cache
def local_topics() -> tuple[LocalTopic, ...]:
    topics = []
    for number, row in enumerate(read_rows(TOPICS_FILE), start=2):
        terms = tuple(match_form(t.strip()) for t in row["terms"].split("|") if t.strip())
        if not row["topic"] or not terms or not row["english"] or row["when"] not in WHEN:
            raise DataFileError(f"app/data/{TOPICS_FILE}: row {number} needs topic, terms, english, {WHEN}")
        topics.append(LocalTopic(row["topic"], terms, row["english"], row["when"] == "place"))
    return tuple(topics)


def place_named(question: str) -> str | None:
    """The province, city or county a question names (云南, 北京), if any."""
    form = match_form(question)
    province = next((p for p in PROVINCES if p in form), None)
    return province or next((word for word, tag in pos_tags(form) if tag.startswith("ns")), None)


def local_question(question: str) -> LocalQuestion | None:
    """The local-rule topic a question names, with the place it names; None for other questions."""
    form = match_form(question) + " " + question.lower()
    place = place_named(question)
    somewhere = place is not None or _HERE.search(form) is not None  # 当地, 我们这里
    for topic in local_topics():
        if any(term in form for term in topic.terms) and (somewhere or not topic.needs_place):
            return LocalQuestion(topic, place)
    return None


def local_rule_decides(case: Case) -> str | None:
    """The question asks an amount that local rules set, and no local document retrieved states it.

    Such amounts (最低工资标准, 高温补贴) are set by each province or city; a national law's
    passage is not the answer, so the refusal points to the local rules and the hotline. Local
    means not national: a province's rules or a company's notice that speaks of the thing asked.
    """
    asks_amount = case.wanted is not None and case.wanted.name in SUM_TYPES
    if not (asks_amount or _ASKS_AMOUNT.search(match_form(case.question) + " " + case.question.lower())):
        return None
    asked = local_question(case.question)
    if asked is None:
        return None
    for hit in case.hits:  # a local document in the corpus may state it: let the other rules judge
        local = hit.meta.region != NATIONAL
        if local and any(t in match_form(hit.chunk.text) for t in asked.topic.terms):
            return None
    return f"{asked.topic.topic} is set by local rules, which the documents do not hold"
