"""A question's key terms and how much of them a text covers.

Key terms are the question's content words with their glossary synonyms, weighted by rarity
(IDF); `coverage` is the weighted share of them a text holds. A term the corpus never uses
weighs a fixed amount: a noun like 加班费 is strong evidence that the documents do not answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from app.answer.evidence.patterns import YEAR, is_chinese
from app.answer.evidence.words import QUESTION_FILLER
from app.index.bm25 import BM25Index
from app.settings import current
from app.text.glossary import ENGLISH_TO_CHINESE, LAY_TO_POLICY, domain_words
from app.text.normalize import match_form
from app.text.segment import STOPWORDS, content_words, pos_tags, tokenize

NOUN_POS = ("n", "j", "vn", "eng", "x")  # nouns, abbreviations (社保), verbal nouns, foreign words


@dataclass
class TermGroup:
    word: str
    alternatives: tuple[str, ...]  # the word (first) and its synonyms, in the matching form
    weight: float
    unknown: bool = False  # neither the word nor a synonym occurs anywhere in the corpus

    def credit(self, form: str) -> float:
        if self.alternatives[0] in form:
            return 1.0
        return current().synonym_credit if any(a in form for a in self.alternatives[1:]) else 0.0


def key_terms(question: str, bm25: BM25Index, occurs: Callable[[str], bool] | None = None) -> list[TermGroup]:
    """The question's content words with synonyms, weighted by how rare they are in the corpus."""
    settings = current()
    words = content_words(question)
    groups: list[TermGroup] = []
    english = re.findall(r"[a-z]+|\d{4}", question.lower())
    seen: set[str] = set()
    for word in words:
        if word in seen or word in STOPWORDS or word in QUESTION_FILLER:
            continue
        seen.add(word)
        alternatives = (word, *LAY_TO_POLICY.get(word, ()))
        if re.fullmatch(YEAR, word):
            # A year is a term like any other ("2022春运"), not an English word we cannot map.
            unknown = occurs is not None and not occurs(word)
            groups.append(
                TermGroup(
                    word, (word,), settings.unknown_weight if unknown else settings.year_weight, unknown
                )
            )
            continue
        # A Latin name the corpus uses (GDP, RCEP, ChatGPT in a Chinese question) is a term like any other.
        if word in english and not (occurs is not None and is_chinese(question) and occurs(word)):
            translated = ENGLISH_TO_CHINESE.get(word)
            if translated == ():
                continue  # "how", "many": question words
            if translated is None:
                # An English word we cannot map: weak evidence that the question is off-topic.
                if len(word) >= 4:
                    groups.append(
                        TermGroup(
                            word,
                            (word,),
                            settings.unknown_weight * settings.unknown_english_share,
                            unknown=True,
                        )
                    )
                continue
            alternatives = tuple(match_form(t) for t in translated)
        forms = [match_form(a) for a in alternatives]
        weights = [bm25.idf(t) for a in alternatives for t in (match_form(a), *tokenize(a))]
        unknown = not any(map(occurs, forms)) if occurs else max(weights) == 0
        # A noun the corpus never uses (加班费, 试用期) is strong evidence against an answer;
        # an everyday verb it never uses (上班, 打算) is weak evidence.
        weight = settings.unknown_weight * _unknown_factor(word) if unknown else max(weights)
        groups.append(TermGroup(word, tuple(match_form(a) for a in alternatives), weight, unknown))
    return groups


@lru_cache(maxsize=1)
def labour_topics() -> frozenset[str]:
    """Words of the labour domain (加班费, 工伤, 年假): one the documents never use means no answer."""
    return frozenset(domain_words()) | frozenset(ENGLISH_TO_CHINESE)


def _unknown_factor(word: str) -> float:
    """How much a word the corpus never uses counts: nouns fully, verbs a little, the rest barely."""
    if word.isascii():
        return 1.0
    if len(word) < 2:
        return 0.1
    tags = [tag for _, tag in pos_tags(word)]
    if tags and tags[-1].startswith(NOUN_POS):
        return 1.0
    return 0.3 if any(t.startswith("v") for t in tags) else 0.1


def coverage(groups: list[TermGroup], form: str) -> float:
    """The weighted share of the key terms that a text (matching form) holds."""
    total = sum(g.weight for g in groups)
    if total == 0:
        return 0.0
    return sum(g.weight * g.credit(form) for g in groups) / total
