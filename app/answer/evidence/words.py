"""The word lists the evidence rules read, from plain lists under app/data/evidence/."""

from __future__ import annotations

from app.datafiles import read_list

# Words that shape a question but are no evidence of an answer ("有没有帮我们...的办法").
QUESTION_FILLER = frozenset(read_list("evidence/question_filler.txt"))
# Nouns that name the kind of answer, not something the answer states: "成绩" is answered by "亚军".
ANSWER_KIND_NOUNS = frozenset(read_list("evidence/answer_kind_nouns.txt"))
# Nouns a figure states by itself: "10人死亡" gives the 人数 without the word.
MEASURE_NOUNS = frozenset(read_list("evidence/measure_nouns.txt"))
# Common surnames (one character each): jieba tags some people as places ("吴京/ns").
SURNAMES = frozenset(read_list("evidence/surnames.txt"))
# Places too general to pin a news question down: the answer need not repeat them.
GENERIC_PLACES = frozenset(read_list("evidence/generic_places.txt"))
# Time words jieba tags as names ("今天上午").
TIME_WORDS = read_list("evidence/time_words.txt")
