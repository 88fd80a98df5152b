"""How much of a generated sentence's wording its cited passage holds: the share of its content words.

The bundled model's cosine alone cannot tell a sentence about the passage from one about
something else in the same field: every labour-law sentence is close to every labour-law article
(on the calibration pairs, a sentence about social insurance scores 0.90 against the overtime
article, as high as many true paraphrases). A sentence a model wrote from a passage mostly reuses
the passage's words; one about something else does not. So a Chinese sentence's content words
(jieba, stopwords dropped, matching form: simplified, half-width, lower case) are looked up in the
passage, a worker's word counting as found when the passage holds one of its policy terms
(app/data/glossary/lay_to_policy.tsv: 加班 → 延长工作时间). A word the passage lacks still counts
for the share of its character pairs the passage holds (百分之一百 in 百分之一百五十).

An English sentence is looked up through the English glossary (app/data/glossary/
english_to_chinese.tsv): the share of its glossary words with a term in the passage; a sentence
with no glossary word has no coverage (None) and is judged by meaning alone.
"""

from __future__ import annotations

import re

from app.text.glossary import ENGLISH_TO_CHINESE, LAY_TO_POLICY
from app.text.normalize import match_form
from app.text.segment import content_words

_HAN = re.compile(r"[\u3400-\u9fff]")
_ENGLISH_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _pairs(word: str) -> list[str]:
    return [word[i : i + 2] for i in range(len(word) - 1)]


def _found(word: str, passage: str) -> float:
    """1 when the passage holds the word or one of its policy terms, else its share of pairs."""
    if word in passage or any(term in passage for term in LAY_TO_POLICY.get(word, ())):
        return 1.0
    pairs = _pairs(word)
    return sum(p in passage for p in pairs) / len(pairs) if pairs else 0.0


def chinese_coverage(sentence: str, passage: str) -> float | None:
    """Share of the sentence's Chinese content words the passage holds (None: it has none)."""
    words = [w for w in content_words(sentence) if _HAN.search(w)]
    if not words:
        return None
    form = match_form(passage)
    return sum(_found(w, form) for w in words) / len(words)


def english_coverage(sentence: str, passage: str) -> float | None:
    """Share of the sentence's glossary words with a Chinese term in the passage (None: none)."""
    words = [w for w in dict.fromkeys(_ENGLISH_WORD.findall(sentence.lower())) if ENGLISH_TO_CHINESE.get(w)]
    if not words:
        return None
    form = match_form(passage)
    return sum(any(t in form for t in ENGLISH_TO_CHINESE[w]) for w in words) / len(words)


def coverage(sentence: str, passage: str) -> float | None:
    """The sentence's coverage by the passage, by the sentence's language (see the module doc)."""
    if len(_HAN.findall(sentence)) * 3 > len(re.findall(r"[A-Za-z]", sentence)):
        return chinese_coverage(sentence, passage)
    return english_coverage(sentence, passage)
