"""The word lists the evidence rules read, from plain lists under app/data/evidence/.

One entry a line; blank lines and lines starting with "#" are ignored. A malformed list stops the
program with the file and line, rather than silently dropping a word.
"""

from __future__ import annotations

from pathlib import Path

from app.errors import GongyouError

LISTS = Path(__file__).resolve().parents[2] / "data" / "evidence"


class WordListError(GongyouError, ValueError):
    """A word list under app/data/evidence/ that is not one entry a line."""


def read_list(name: str) -> list[str]:
    """The entries of app/data/evidence/NAME.txt, in file order; spaces and repeats are errors."""
    path = LISTS / f"{name}.txt"
    entries: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if any(ch.isspace() for ch in line) or line in entries:
            raise WordListError(f"{path} line {number}: one entry a line, each once: {line!r}")
        entries.append(line)
    return entries


# Words that shape a question but are no evidence of an answer ("有没有帮我们...的办法").
QUESTION_FILLER = frozenset(read_list("question_filler"))
# Nouns that name the kind of answer, not something the answer states: "成绩" is answered by "亚军".
ANSWER_KIND_NOUNS = frozenset(read_list("answer_kind_nouns"))
# Nouns a figure states by itself: "10人死亡" gives the 人数 without the word.
MEASURE_NOUNS = frozenset(read_list("measure_nouns"))
# Common surnames (one character each): jieba tags some people as places ("吴京/ns").
SURNAMES = frozenset(read_list("surnames"))
# Places too general to pin a news question down: the answer need not repeat them.
GENERIC_PLACES = frozenset(read_list("generic_places"))
# Time words jieba tags as names ("今天上午").
TIME_WORDS = tuple(read_list("time_words"))
