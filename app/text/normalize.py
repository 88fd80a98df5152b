"""Script and width normalisation: one matching form for every text and question.

Display text keeps the document's own script; matching (BM25, embeddings, evidence tests) uses
`match_form`: simplified script, half-width ASCII, lower case, no whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_FULLWIDTH_ALNUM = {
    code: code - 0xFEE0
    for code in range(0xFF01, 0xFF5F)
    if chr(code - 0xFEE0).isalnum() or chr(code - 0xFEE0) in "%.+-/:"
}
_WHITESPACE = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc  # C++ OpenCC: about 50 MB/s, so it stays out of start-up only by laziness

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def to_script(text: str, script: str) -> str:
    """Convert text to "traditional" or "simplified"; anything else leaves it as it is."""
    if script == "traditional":
        return to_traditional(text)
    if script == "simplified":
        return to_simplified(text)
    return text


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def detect_script(text: str) -> str:
    """ "traditional", "simplified", or "latin" when the text has (almost) no Chinese characters."""
    if han_count(text) < max(1, len(text.strip()) // 10):
        return "latin"
    simplified = to_simplified(text)
    changed = sum(1 for a, b in zip(text, simplified) if a != b)
    traditional = to_traditional(text)
    changed_other_way = sum(1 for a, b in zip(text, traditional) if a != b)
    return "traditional" if changed > changed_other_way else "simplified"


def fold_width(text: str) -> str:
    """Full-width letters, digits and a few symbols to half-width; Chinese punctuation stays."""
    return text.translate(_FULLWIDTH_ALNUM).replace("\u3000", " ")


def match_form(text: str) -> str:
    """The form every comparison uses: simplified, NFKC, lower case, whitespace removed."""
    text = unicodedata.normalize("NFKC", text)
    return _WHITESPACE.sub("", to_simplified(text)).lower()


def model_forms(texts: Sequence[str]) -> list[str]:
    """What an embedding model reads: simplified script, NFKC widths, single spaces, case kept.

    A traditional question and its simplified twin then get the same vector, and a traditional
    document the vector of its simplified text. One OpenCC call for the whole batch.
    """
    joined = unicodedata.normalize("NFKC", "\u0001".join(t.replace("\u0001", " ") for t in texts))
    return [_WHITESPACE.sub(" ", t).strip() for t in to_simplified(joined).split("\u0001")]


def match_form_spaced(text: str) -> str:
    """Like match_form but keeps single spaces, for tokenizers that need word boundaries."""
    text = unicodedata.normalize("NFKC", text)
    return _WHITESPACE.sub(" ", to_simplified(text)).lower().strip()


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def detect_document_script(text: str, sample_chars: int = 20000) -> str | None:
    """A document's script from its first `sample_chars` characters; None when they hold no Chinese.

    "traditional" when OpenCC t2s would change more characters than s2t. Unlike `detect_script`
    (for questions), a few Chinese characters among Latin text are enough to decide.
    """
    sample = text[:sample_chars]
    if not _CJK.search(sample):
        return None
    simplified = to_simplified(sample)
    if simplified == sample:  # the common case, and cheap: nothing traditional in it
        return "simplified"
    return (
        "traditional"
        if _changed(sample, simplified) > _changed(sample, to_traditional(sample))
        else "simplified"
    )


def _changed(a: str, b: str) -> int:
    """Characters that differ; by multiset when a conversion changed the length."""
    from collections import Counter

    if len(a) == len(b):
        return sum(map(str.__ne__, a, b))
    return sum((Counter(a) - Counter(b)).values())
