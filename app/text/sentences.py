"""The statements of a text: what an answer quotes, and what the index embeds one by one."""

from __future__ import annotations

import re

SPLIT_VERSION = "statements-v1"  # recorded in index manifests: sentence vectors follow this split
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_QUESTION = re.compile(r"[？?]$|吗$")
# Whole sentences, cut at 。！？ only (`sentences` also cuts at ；): what tiers and quoted clauses
# belong to (app/answer/enumeration.py, app/answer/steps.py).
WHOLE_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def sentences(text: str) -> list[str]:
    """The statements of a text: a question ("今年春运什么时候开始？") answers nothing."""
    found = (s.strip() for s in _SENTENCE.findall(text))
    return [s for s in found if len(s) >= 4 and not _QUESTION.search(s)]
