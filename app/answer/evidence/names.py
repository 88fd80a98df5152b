"""Proper names in a sentence, and whether a role (主演, 导演, 冠军) has a name beside it."""

from __future__ import annotations

import re

from app.answer.evidence.patterns import CLAUSE
from app.answer.evidence.words import SURNAMES, TIME_WORDS
from app.text.normalize import match_form
from app.text.segment import pos_tags

# jieba tags some time words as names ("今天上午").
_TIME_WORD = re.compile("|".join(TIME_WORDS))
# A place name rarely starts with a surname and ends without a place suffix (唐山 and 徐州 do).
_PLACE_SUFFIX = re.compile(r"[市省县区州山江河湖岛港城镇村乡路街海]$")
# Nouns for a person or a team in a role: 主演, 导演, 冠军, 得主, 总理, 火炬手, 记者...
ROLE = re.compile(r"(?:手|员|长|者|人|主|军|演|师|家|星|后|理|统|席|角|将)$")
# Roles only a person fills (a 冠军 or 得主 may be a team or a country).
PERSON_ROLE = re.compile(r"(?:手|员|者|演|师|家|星|理|统|席|角)$")


def _person_like(word: str) -> bool:
    return 2 <= len(word) <= 3 and word[0] in SURNAMES and not _PLACE_SUFFIX.search(word)


def names(sentence: str, question: str, people_only: bool = False) -> list[str]:
    """Proper names (people, or also places and organisations) in a sentence that the question
    does not hold. A word inside a 《title》 or “quotes” is part of a title or a nickname:
    "全宇宙" in 《瞬息全宇宙》 and "铁三角" name nobody; "吴京/ns" is a person."""
    form = match_form(sentence)
    asked = match_form(question)
    quoted = re.findall(r"《[^》]*》|“[^”]*”", form)
    kinds = ("nr",) if people_only else ("nr", "ns", "nt", "nz")
    return [
        word
        for word, tag in pos_tags(form)
        if (tag.startswith(kinds) or "·" in word or (tag.startswith("ns") and _person_like(word)))
        and word not in asked
        and not _TIME_WORD.search(word)
        and not any(word in q for q in quoted)
    ]


def names_the_role(sentence: str, role: str, question: str) -> bool:
    """Whether a clause naming the role (主演, 导演, 冠军) or its neighbour names someone (or a
    《work》) the question does not: "…云集了香港七位大导演" names no director."""
    clauses = [match_form(c) for c in CLAUSE.findall(sentence)]
    asked = match_form(question)
    for i, clause in enumerate(clauses):
        if role in clause:
            window = "".join(clauses[max(0, i - 1) : i + 2])
            found = names(window, question, people_only=bool(PERSON_ROLE.search(role)))
            new_titles = any(t not in asked for t in re.findall(r"《[^》]+》", window))
            if found or (new_titles and not PERSON_ROLE.search(role)):
                return True
    return False
