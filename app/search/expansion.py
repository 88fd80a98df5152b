"""Query expansion: the documents' wording for a question's everyday and English words.

The offline embedder cannot bridge 老板 → 用人单位, so retrieval also searches for the documents'
terms, at a lower weight than the question's own words. Two sources:

- the hand-written glossary (app/text/glossary.py: lay → policy, English → Chinese);
- `data/lay_legal.json`, associations learned from LeCoQA's training questions by
  scripts/learn_lay_legal.py (ranked at query time by how rare the legal word is in the index).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from app.datafiles import DATA_DIR
from app.settings import current
from app.text.glossary import ENGLISH_TO_CHINESE, LAY_TO_POLICY
from app.text.normalize import match_form

_ENGLISH_WORD = re.compile(r"[a-z]+|\d{4}")


@lru_cache(maxsize=1)
def learned_table() -> dict[str, list[tuple[str, float]]]:
    path = DATA_DIR / "lay_legal.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        word: [(t, float(p)) for t, p in terms] for word, terms in raw.items() if not word.startswith("_")
    }


def glossary_terms(question: str) -> list[str]:
    """The hand-written tables' terms for the lay or English words of the question."""
    form = match_form(question)
    extra: list[str] = []
    for lay, terms in LAY_TO_POLICY.items():
        if lay in form:
            extra.extend(t for t in terms if t not in form)
    for word in _ENGLISH_WORD.findall(question.lower()):
        extra.extend(ENGLISH_TO_CHINESE.get(word, ()))
    return list(dict.fromkeys(extra))


def expansion_terms(question: str, words: list[str], idf: Callable[[str], float]) -> list[str]:
    """Glossary terms, then the learned legal terms most strongly and rarely tied to the words."""
    terms = glossary_terms(question)
    scores: Counter[str] = Counter()
    table = learned_table()
    own = set(words)
    for word in dict.fromkeys(words):  # in question order: a set's order changes with the hash seed
        for term, share in table.get(word, ()):
            if term not in own:
                scores[term] += share * idf(term)
    learned = [t for t, score in scores.most_common(current().learned_terms) if score > 0]
    return list(dict.fromkeys(terms + learned))


def expand_query(question: str) -> str:
    """The question followed by the glossary's terms (used for the dense leg)."""
    extra = glossary_terms(question)
    return question + " " + " ".join(extra) if extra else question
