"""The extractive answerer: cited sentences from retrieved passages, or a plain refusal.

Every sentence of an answer is copied from a passage and marked [n] with that passage's number;
the only words added are short connecting phrases. Whether to answer at all is an evidence test
(app/evidence.py), not "did retrieval return something" (BM25 always does): the best passage and
the best sentence must cover the question's key terms, and the best sentence must pass
`objection()`: state the figure asked for, about the year, the identifiers and the role asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.answer.evidence.rules import (
    CLAUSE,
    TermGroup,
    answer_type,
    coverage,
    key_terms,
    labour_topics,
    objection,
)
from app.index.bm25 import BM25Index
from app.models import Answer, Citation, Hit, Refusal
from app.settings import current
from app.text.normalize import match_form, to_script

HOTLINE = "12351"

REFUSAL = {
    "zh-Hans": (
        "抱歉，现有文件中没有找到能回答这个问题的内容，我不能凭空作答。"
        "本系统收录的文件主要涉及产业工人队伍建设改革：职业技能培训、技工教育、技能评价、工资待遇与权益保障等。"
        f"具体问题请拨打全国总工会职工服务热线 {HOTLINE} 咨询。"
    ),
    "zh-Hant": (
        "抱歉，現有文件中沒有找到能回答這個問題的內容，我不能憑空作答。"
        "本系統收錄的文件主要涉及產業工人隊伍建設改革：職業技能培訓、技工教育、技能評價、工資待遇與權益保障等。"
        f"具體問題請撥打全國總工會職工服務熱線 {HOTLINE} 諮詢。"
    ),
    "en": (
        "Sorry, the documents I have do not answer this question, and I will not guess. "
        "They cover the reform of the industrial workforce: vocational skills training, technical schools, "
        "skills evaluation, pay and benefits, and workers' rights. "
        f"Please call the national trade union hotline {HOTLINE} for advice."
    ),
}
EN_LEAD = "The documents say (quoted in Chinese): "

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")

_LIST_QUESTION = re.compile(r"哪些|哪几|有什么|有何|包括|措施|which|what measures|what are")


def _sentences(text: str) -> list[str]:
    """The statements of a text: a question ("今年春运什么时候开始？") answers nothing."""
    found = (s.strip() for s in _SENTENCE.findall(text))
    return [s for s in found if len(s) >= 4 and not re.search(r"[？?]$|吗$", s)]


def _trim(sentence: str, groups: list[TermGroup], states: re.Pattern[str] | None) -> str:
    """A long sentence cut to its best run of clauses, keeping a leading "到2025年," clause."""
    limit = current().max_sentence_chars
    if len(sentence) <= limit:
        return sentence
    clauses = CLAUSE.findall(sentence)
    best, best_score = sentence[:limit], -1.0
    for i in range(len(clauses)):
        window = ""
        for j in range(i, len(clauses)):
            if len(window) + len(clauses[j]) > limit and window:
                break
            window += clauses[j]
            form = match_form(window)
            stated = states is not None and states.search(form)
            score = coverage(groups, form) + (current().trim_states_bonus if stated else 0)
            if score > best_score:
                best, best_score = window, score
    lead = clauses[0] if clauses else ""
    if (
        not sentence.startswith(best)
        and re.match(r"^(?:力争)?(?:到|至|截至)?\d{4}年", lead)
        and len(lead) < 20
    ):
        best = lead + "……" + best
    best = best.rstrip("，,：:")
    if not re.search(r"[。！？；!?;]$", best):
        best += "……"
    return best


@dataclass
class _Candidate:
    hit_index: int
    sentence: str
    score: float
    cover: float


def compose_answer(
    question: str,
    hits: list[Hit],
    bm25: BM25Index,
    language: str,
    occurs: Callable[[str], bool] | None = None,
) -> Answer:
    """Pick the answering sentences of the hits, or refuse; see the module docstring.

    `occurs(term)` tells whether a term (matching form) appears anywhere in the corpus.
    """
    if not hits:
        return _refusal(question, language, "no passage matched")
    groups = key_terms(question, bm25, occurs)
    if not groups:
        return _refusal(question, language, "the question has no content words to look for")
    # A labour topic the question names (加班费, 工伤, 年假) that the documents never mention.
    missing_topics = [g.word for g in groups if g.unknown and g.word in labour_topics()]
    if missing_topics:
        return _refusal(question, language, f"the documents never mention {', '.join(missing_topics)}")
    question_form = match_form(question) + " " + question.lower()
    wanted = answer_type(question_form)
    states = wanted[1] if wanted else None

    best_passage_cover = max(
        coverage(groups, match_form(f"{h.meta.title}{h.chunk.heading}{h.chunk.text}")) for h in hits[:3]
    )
    settings = current()
    if best_passage_cover < settings.coverage_min:
        minimum = settings.coverage_min
        return _refusal(question, language, f"key terms covered {best_passage_cover:.2f} < {minimum}")

    candidates: list[_Candidate] = []
    for i, hit in enumerate(hits):
        context = match_form(f"{hit.meta.title}{hit.chunk.heading}")
        for sentence in _sentences(hit.chunk.text):
            form = match_form(sentence)
            cover = coverage(groups, form)
            context_cover = coverage(groups, form + context)
            # What a sentence says includes its document's title and section (云南省…规划 › 专栏三).
            score = context_cover + settings.own_cover_share * cover + settings.rank_prior / (1 + i)
            if states is not None and states.search(form):
                score += settings.states_bonus
            if _LIST_QUESTION.search(question_form) and sentence.count("、") + sentence.count("；") >= 2:
                score += settings.list_bonus
            candidates.append(_Candidate(i, sentence, score, context_cover))
    if not candidates:
        return _refusal(question, language, "the passages hold no whole sentence")
    candidates.sort(key=lambda c: -c.score)
    if candidates[0].cover < settings.coverage_min:
        cover = candidates[0].cover
        return _refusal(question, language, f"best sentence covers {cover:.2f} < {settings.coverage_min}")
    tried = [
        c
        for c in candidates[: settings.sentences_tried]
        if c.cover >= settings.coverage_min and c.score >= settings.tried_score_share * candidates[0].score
    ]
    reasons: list[str] = []  # why each tried sentence fails; the best one's reason is reported
    for best in tried:
        if (reason := objection(question, best.sentence, hits[best.hit_index], groups, wanted)) is None:
            break
        reasons.append(reason)
    else:
        return _refusal(question, language, reasons[0])

    chosen = [best]
    for cand in candidates[1:]:
        if len(chosen) >= settings.max_sentences or cand.score < settings.second_sentence_share * best.score:
            break
        # A second sentence must be as much about the question as the first (same region, same topic).
        if cand.cover >= best.cover - 1e-9 and all(cand.sentence != c.sentence for c in chosen):
            chosen.append(cand)
    return _cite(question, hits, chosen, groups, states, language)


def _cite(
    question: str,
    hits: list[Hit],
    chosen: list[_Candidate],
    groups: list[TermGroup],
    states: re.Pattern[str] | None,
    language: str,
) -> Answer:
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for cand in sorted(chosen, key=lambda c: (c.hit_index, hits[c.hit_index].chunk.text.find(c.sentence))):
        if cand.hit_index not in numbers:
            numbers[cand.hit_index] = len(numbers) + 1
            citations.append(Citation(numbers[cand.hit_index], hits[cand.hit_index]))
        citation = citations[numbers[cand.hit_index] - 1]
        citation.sentences.append(cand.sentence)
        shown = _trim(cand.sentence, groups, states)
        script = "traditional" if language == "zh-Hant" else "simplified"
        parts.append(f"{to_script(shown, script)}[{numbers[cand.hit_index]}]")
    text = "".join(parts)
    if language == "en":
        text = EN_LEAD + text
    return Answer(question, text, refused=False, citations=citations, reason="extractive")


def _refusal(question: str, language: str, reason: str) -> Answer:
    return Answer(
        question,
        REFUSAL.get(language, REFUSAL["zh-Hans"]),
        refused=True,
        citations=[],
        reason=reason,
        refusal=Refusal("unnamed", reason),  # the rules get their ids in app/answer/evidence
    )
