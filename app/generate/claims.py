"""A generated answer split into sentences, each with the passage numbers its [n] markers cite.

A sentence ends at 。！？!? or at a full stop that is not inside a number or an abbreviation
("1.5", "Art. 82", "e.g."); markers just after its end ("…报酬。[1][2]", "… wages. [1]") belong
to it. List bullets and numbering at the start of a line ("- ", "1. ", "（一）") are not sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"\[\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*\]")
_BULLET = re.compile(
    r"^\s*(?:[-*•·]+|\d{1,2}[.)、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*"
)
_ABBREVIATIONS = re.compile(r"(?:\b(?:art|arts|no|nos|para|e\.g|i\.e|etc|vs|mr|ms|dr|st)|\d)$", re.IGNORECASE)
_CLOSERS = "”’\"')）」』】"


@dataclass(frozen=True)
class Claim:
    """One sentence of a generated answer."""

    text: str  # as written, markers included
    body: str  # without its markers, stripped
    cited: tuple[int, ...]  # passage numbers, in the order written, without repeats


def _ends_here(text: str, i: int) -> bool:
    char = text[i]
    if char in "。！？!?":
        return True
    if char != ".":
        return False
    following = text[i + 1 : i + 2]
    if following.isdigit() or following.isalpha():
        return False  # 1.5, e.g, a URL
    return not _ABBREVIATIONS.search(text[max(0, i - 5) : i])


def _take_markers(text: str, i: int) -> int:
    """The index after any closing quotes and [n] markers that follow position i."""
    while True:
        j = i
        while j < len(text) and text[j] in _CLOSERS:
            j += 1
        match = _MARKER.match(text, j) or (
            re.match(r"\s+(?=\[\s*\d)", text[j:])
            and _MARKER.match(text, j + len(re.match(r"\s+", text[j:]).group()))
        )
        if not match:
            return j
        i = match.end()


def split_claims(answer: str) -> list[Claim]:
    """The sentences of a generated answer, in order; blank lines and bare bullets are dropped."""
    claims: list[Claim] = []
    for line in answer.splitlines():
        line = _BULLET.sub("", line).strip()
        start = 0
        i = 0
        while i < len(line):
            if _ends_here(line, i):
                end = _take_markers(line, i + 1)
                claims.append(_claim(line[start:end]))
                start = i = end
                continue
            i += 1
        if line[start:].strip():
            claims.append(_claim(line[start:]))
    return [c for c in claims if c.body]


def _claim(text: str) -> Claim:
    text = text.strip()
    cited: list[int] = []
    for match in _MARKER.finditer(text):
        for number in re.split(r"\s*[,，、]\s*", match.group(1)):
            if int(number) not in cited:
                cited.append(int(number))
    body = re.sub(r"\s+", " ", _MARKER.sub("", text)).strip()
    body = re.sub(r"\s+([.。,，;；!?！？])", r"\1", body)
    return Claim(text, body if re.search(r"\w", body) else "", tuple(cited))
