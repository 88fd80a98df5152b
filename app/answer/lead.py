"""The direct answer a worker reads first: a short line made of the cited words.

试用期最长多久？ → "最长不得超过六个月。[1]" above the quoted article; 用人单位可以扣押身份证吗？ →
"不可以。[1]". Nothing is added that the cited sentence does not say:
- a figure question (one with an answer type, app/data/answer_types.yaml) gets the clause of the
  best sentence that states the figure, with the condition clause before it (已满10年不满20年的，),
  or, when that is the whole sentence already, the figure with the words that bound it
  (最长不得超过六个月);
- a yes/no question about what may be done (可以…吗, 能不能, can…?) gets 可以 / 不可以 when the best
  clause says so in as many words (可以, 有权 / 不得, 禁止) and holds without a condition; a
  question with a negation of its own (可以不…吗) gets no short line: its polarity is easy to
  get wrong, and a wrong yes costs a worker more than a missing one.
Otherwise there is no short line and the quotes speak for themselves.
"""

from __future__ import annotations

import re

from app.answer.enumeration import is_lead_in
from app.answer.evidence.answer_types import AnswerType
from app.answer.evidence.case import Candidate
from app.answer.evidence.patterns import CLAUSE
from app.answer.evidence.terms import TermGroup, coverage
from app.answer.labels import without_article_number
from app.answer.lead_english import english_figure
from app.settings import current
from app.text.normalize import match_form, to_script

_CONDITION_END = re.compile(r"(?:的|时|后|期间|以前|之前)[，,]$")
_BOUND = re.compile(
    r"(?:最长|最短|最多|最少|最低|最高|至少|不得超过|不超过|不得低于|不低于|不少于|不足|满|以上|以下)+$"
)
_YES_NO = re.compile(r"(?:可以|能|能够|有权|允许|可否)[\u4e00-\u9fff]*[吗嘛][？?]?\s*$|能不能|可不可以|可否")
_YES_NO_EN = re.compile(r"^\s*(?:can|may|is it legal|is it allowed|is my employer allowed)\b", re.I)
_NEGATED = re.compile(r"不(?!可以|能|行)|没|未|无|别|免")
_NEGATED_EN = re.compile(r"\bnot\b|n't\b|\bwithout\b|\bno\b", re.I)
_FORBIDS = re.compile(r"不得|禁止|不能|不可以|不允许|严禁|无权")
_ALLOWS = re.compile(r"可以|有权|能够|允许")


def _clauses(sentence: str) -> list[str]:
    return CLAUSE.findall(without_article_number(sentence).strip())


def _best_clause(clauses: list[str], groups: list[TermGroup], pattern: re.Pattern[str] | None) -> int | None:
    """The clause covering most key terms (the first on a tie), among those `pattern` matches; a
    condition (已满10年不满20年的，) only when no other clause matches."""
    matching = [i for i, c in enumerate(clauses) if pattern is None or pattern.search(match_form(c))]
    stating = [i for i in matching if not _CONDITION_END.search(clauses[i])] or matching
    scored = [(coverage(groups, match_form(clauses[i])), -i) for i in stating]
    return -max(scored)[1] if scored else None


def _bare(text: str) -> str:
    return text.strip().rstrip("，,；;：:。.！!？?、 ")


def _figure_lead(sentence: str, groups: list[TermGroup], states: re.Pattern[str]) -> str:
    clauses = _clauses(sentence)
    best = _best_clause(clauses, groups, states)
    if best is None:
        return ""
    start = best
    while start > 0 and _CONDITION_END.search(clauses[start - 1]):
        start -= 1  # the condition the figure holds under stays with it
    run = _bare("".join(clauses[start : best + 1]))
    if run != _bare("".join(clauses)):
        return run if len(run) <= current().lead_max_chars else ""
    if start < best:
        return ""  # the figure and its condition are the whole sentence: the quote says it
    clause = _bare(clauses[best])
    form = match_form(clause)
    match = states.search(form)
    if match is None or len(form) != len(clause):
        return ""
    bound = _BOUND.search(clause[: match.start()])
    short = clause[bound.start() if bound else match.start() : match.end()]
    return short if short != clause else ""


def _yes_no_lead(question: str, sentence: str, groups: list[TermGroup], language: str) -> str:
    if language == "en":
        if not _YES_NO_EN.search(question) or _NEGATED_EN.search(question):
            return ""
    else:
        form = match_form(question)
        if not _YES_NO.search(form) or _NEGATED.search(_YES_NO.sub("", form)):
            return ""
    clauses = _clauses(sentence)
    best = _best_clause(clauses, groups, None)
    if best is None or (best > 0 and _CONDITION_END.search(clauses[best - 1])) or is_lead_in(sentence):
        return ""
    said = match_form(clauses[best])
    if _FORBIDS.search(said):
        return "No" if language == "en" else "不可以"
    if _ALLOWS.search(said):
        return "Yes" if language == "en" else "可以"
    return ""


def direct_answer(
    question: str,
    best: Candidate,
    n: int,
    groups: list[TermGroup],
    wanted: AnswerType | None,
    language: str,
) -> str:
    """The short first line for the answer whose best sentence is `best`, cited [n]; or ""."""
    if wanted is not None:
        lead = _figure_lead(best.sentence, groups, wanted.states)
        if language == "en":  # the figure alone, rendered from the cited words (or none)
            english = english_figure(to_script(lead, "simplified")) if lead else ""
            return f"{english}.[{n}]" if english else ""
    else:
        lead = _yes_no_lead(question, best.sentence, groups, language)
    if not lead:
        return ""
    if language == "en":
        return f"{lead}.[{n}]"
    script = "traditional" if language == "zh-Hant" else "simplified"
    return f"{to_script(lead, script)}。[{n}]"
