"""What a question asks beyond its answer type: a name, a role, a day, the noun it is about.

Most of this concerns factoid questions (short, asking for one fact: "2023年温网男单冠军",
"《炽道》的主演"), the kind news questions are; a worker's description of their situation is none.
"""

from __future__ import annotations

import re

from app.answer.evidence.patterns import bare, is_chinese
from app.answer.evidence.terms import NOUN_POS, TermGroup
from app.answer.evidence.words import ANSWER_KIND_NOUNS, GENERIC_PLACES, QUESTION_FILLER
from app.settings import current
from app.text.normalize import match_form
from app.text.segment import STOPWORDS, content_words, pos_tags

_ASKED = re.compile(r"(?:是谁|谁是|有谁|叫什么)$")
# A yes/no, how or why question is no factoid.
_NOT_FACTOID = re.compile(
    r"吗$|(?<![什怎那这])么$|是否|能否|可否|可以|能不能|有没有|会不会|是不是|算不算|要不要|还能|怎么|如何|为什么|为何"
)
_QUESTION_WORD = re.compile(r"百分之(?:几|多少)|什么|哪些|哪个|哪支|哪位|哪家|哪种|哪类|哪一|哪|谁|多少|几")
# "梁冠华在《相逢时节》中演的谁" asks for the character played, not for an actor (导演是谁 does).
ASKS_CHARACTER = re.compile(
    r"(?:饰演|扮演|(?<![导主表出])演)的?是?(?:谁|哪个角色|什么角色|哪个人物)[\s？?。呢]*$"
    r"|(?<![导主表出])演的?(?:哪个|什么)角色"
)
# "中国女篮成绩" is answered by a place, a round, a score or a mark.
ASKS_RESULT = re.compile(r"(?:成绩|名次|战绩|排名)(?:是|如何|怎样|怎么样)?[\s？?。呢]*$")
# "首播时间", "上映日期": the day, not just the year.
_ASKS_DAY = re.compile(r"(?:时间|日期|哪天|哪一天)[？?\s]*$")


def is_factoid(question: str) -> bool:
    """A short Chinese question asking for one fact, not a yes/no, how or why question."""
    text = bare(question)
    return (
        is_chinese(text)
        and len(re.findall(r"[\u4e00-\u9fff]", text)) <= current().factoid_max_chars
        and not _NOT_FACTOID.search(text)
    )


def asked_attribute(question: str) -> str | None:
    """The role a who-question asks about: 导演 in "《重生之门》的导演是谁", 火炬手 in "谁是…火炬手".

    A passage about the film that never names its director does not say who directed it.
    "X的Y是什么" is left alone: legal questions ask "…的条件是什么" of articles that state the
    conditions without the word.
    """
    text = bare(question)
    if match := _ASKED.search(text):
        text = text[: match.start()]
    elif text.startswith("谁是"):
        text = text[2:]
    else:
        return None
    words = [
        w
        for w in content_words(text)
        if w not in STOPWORDS and w not in QUESTION_FILLER and not re.fullmatch(r"[\d年月日]+", w)
    ]
    return match_form(words[-1]) if words else None


def asks_who(question: str) -> bool:
    """Whether the question asks for a name ("X是谁", "谁是X", "谁枪击了X", "X谁演的"), not a role
    ("由谁认定", "谁承担责任")."""
    text = question.strip()
    if re.search(
        r"(?:是谁|有谁)[\s？?。呢]*$|^谁是|谁(?:演|导|唱|写|拍|执导|主演|饰演)的[\s？?。呢]*$", text
    ):
        return True
    return (
        text.startswith("谁") and is_factoid(text) and not re.search(r"责任|负责|承担|认定|审批|批准", text)
    )


def asks_day(question: str) -> bool:
    """Whether a question asks for the day of something (发射时间, 上映日期), not a length."""
    # 多少哺乳时间, 多长时间: an amount of time, not a day
    return bool(_ASKS_DAY.search(question)) and not re.search(r"多长|多久|多少|几年|哪一?年", question)


def _nouns(tags: list[tuple[str, str]]) -> list[str]:
    return [
        word
        for word, tag in tags
        if len(word) >= 2
        and word not in STOPWORDS
        and word not in QUESTION_FILLER
        and not re.fullmatch(r"[\d年月日]+", word)
        and tag.startswith((*NOUN_POS, "nr", "ns", "nt", "nz"))
    ]


def question_focus(question: str) -> str | None:
    """The noun a factoid question asks about: 主演 in "《炽道》的主演" and "…的主演是谁", 冠军 in
    "2023年温网男单冠军". None when the question word is followed by its own noun ("有哪些义务",
    "哪支球队"): that noun names the kind of answer, which the answer need not repeat."""
    if not is_factoid(question):
        return None
    text = bare(question)
    if text.startswith("谁是"):
        text = text[2:]
    elif asked := list(_QUESTION_WORD.finditer(text)):
        if _nouns(pos_tags(text[asked[-1].end() :])):
            return None
        text = re.sub(r"(?:的|是|为|有|叫|叫做|都有|都是|包括|在)+$", "", text[: asked[-1].start()])
    tags = pos_tags(text)
    nouns = _nouns(tags)
    # A word after a final 的 is a noun whatever jieba tags it ("《重生之门》的导演": 导演/v).
    if len(tags) >= 2 and tags[-2][0] == "的" and len(tags[-1][0]) >= 2 and tags[-1][0] not in STOPWORDS:
        nouns.append(tags[-1][0])
    if not nouns or not text.endswith(nouns[-1]) or nouns[-1] in ANSWER_KIND_NOUNS:
        return None
    return nouns[-1]


def entity_terms(question: str, groups: list[TermGroup]) -> list[TermGroup]:
    """Key terms that name what a factoid question is about: a person, place or organisation, a
    《title》, a Latin name (C919, MATH). A passage about 台北公开赛 does not answer one about 全英."""
    if not is_factoid(question):
        return []

    def named(word: str) -> bool:
        if word in GENERIC_PLACES or word.isdigit():
            return False
        if re.search(r"[A-Za-z]", word) or f"《{word}" in question or f"{word}》" in question:
            return True
        tags = [tag for _, tag in pos_tags(word)]
        return len(word) >= 2 and bool(tags) and all(t.startswith(("nr", "ns", "nt")) for t in tags)

    return [g for g in groups if not g.unknown and named(g.word)]
