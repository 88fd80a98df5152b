"""The extractive answerer: cited sentences from retrieved passages, or a plain refusal.

Every sentence of an answer is copied from a passage and marked [n] with that passage's number;
the only words added are short connecting phrases. Whether to answer at all is decided by the
named rules of app/answer/evidence/registry.py, not by "did retrieval return something" (BM25
always does): the best passage and the best sentence must cover the question's key terms, and
the sentence picked must pass every rule of the "answer" stage: state the figure asked for, about
the year, the identifiers and the role asked. A refused answer records which rule refused, and shows that
rule's message (what the documents hold; for amounts local rules set, where to ask locally). A
quoted law article is named in the answer (《劳动合同法》第四十八条：…), and the articles it points
at are added (app/answer/crossrefs.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.answer.crossrefs import ArticleIndex, follow_references
from app.answer.enumeration import is_item, with_lists, with_tiers
from app.answer.evidence.answer_types import answer_type, question_form
from app.answer.evidence.case import Candidate, Case
from app.answer.evidence.registry import BY_ID, Verdict, first_refusal, verdicts
from app.answer.evidence.rules.local import local_question
from app.answer.evidence.rules.parties import other_party
from app.answer.evidence.terms import TermGroup, coverage, key_terms
from app.answer.holdings import Holdings
from app.answer.labels import citation_label, law_article, without_article_number
from app.answer.lead import direct_answer
from app.answer.meaning import Meaning
from app.answer.messages import EN_LEAD, local_refusal_text, refusal_text
from app.answer.steps import asks_for_route, route_lines
from app.answer.trim import trim
from app.index.bm25 import BM25Index
from app.models import Answer, Citation, Hit, Refusal
from app.reader.model import Reading
from app.settings import current
from app.text.normalize import match_form, to_script
from app.text.sentences import sentences

_LIST_QUESTION = re.compile(r"哪些|哪几|有什么|有何|包括|措施|which|what measures|what are")


@dataclass
class Trial:
    """A candidate sentence tried as the answer, and the first rule that objects to it (or None)."""

    candidate: Candidate
    refusal: Refusal | None


@dataclass
class Weighing:
    """Everything the answerer weighed for one question, and its decision."""

    case: Case  # as far as it was filled in
    checks: list[Verdict]  # the rules of the stages before "answer", as far as they were reached
    trials: list[Trial]  # the sentences tried, best first, up to the first that passes
    chosen: list[Candidate]  # the sentences of the answer (none when refused)
    refusal: Refusal | None


def _stage(stage: str, case: Case, checks: list[Verdict]) -> Refusal | None:
    found = verdicts(stage, case)
    checks += found
    first = next((v for v in found if v.refuses), None)
    return Refusal(first.rule.id, first.detail or "") if first else None


def _candidates(case: Case) -> list[Candidate]:
    """Every sentence of the hits, scored as an answer to the question, best first."""
    settings = current()
    groups, states = case.groups, case.wanted.states if case.wanted else None
    lists = _LIST_QUESTION.search(question_form(case.question))
    candidates: list[Candidate] = []
    for i, hit in enumerate(case.hits):
        context = match_form(f"{hit.meta.title}{hit.chunk.heading}")
        found = sentences(hit.chunk.text)
        similarities = case.semantics.sentences(hit, len(found)) if case.semantics else None
        for j, sentence in enumerate(found):
            form = match_form(sentence)
            meaning = float(similarities[j]) if similarities is not None else None
            cover = coverage(groups, form)
            context_cover = coverage(groups, form + context)
            # What a sentence says includes its document's title and section (云南省…规划 › 专栏三).
            score = context_cover + settings.own_cover_share * cover + settings.rank_prior / (1 + i)
            if states is not None and states.search(form):
                score += settings.states_bonus
            if lists and sentence.count("、") + sentence.count("；") >= 2:
                score += settings.list_bonus
            candidates.append(Candidate(i, sentence, score, context_cover, meaning))
    meanings = sorted(c.meaning for c in candidates if c.meaning is not None)
    if meanings and settings.meaning_weight:
        # Meaning counts relative to the typical sentence retrieved for this question: the model's
        # cosines are compressed (0.85-0.92 for most pairs) and run lower across languages, so the
        # median is the zero point and the shares below keep their sense.
        typical = meanings[len(meanings) // 2]
        for c in candidates:
            if c.meaning is not None:
                c.score += settings.meaning_weight * (c.meaning - typical)
    candidates.sort(key=lambda c: -c.score)
    return candidates


def weigh(
    question: str,
    hits: list[Hit],
    bm25: BM25Index,
    occurs: Callable[[str], bool] | None = None,
    semantics: Meaning | None = None,
    reading: Reading | None = None,
) -> Weighing:
    """Run the rules stage by stage and pick the answering sentences, or the rule that refuses.

    `occurs(term)` tells whether a term (matching form) appears anywhere in the corpus.
    """
    checks: list[Verdict] = []
    case = Case(question, hits, semantics=semantics, reading=reading)
    if refusal := _stage("retrieval", case, checks):
        return Weighing(case, checks, [], [], refusal)
    case = replace(case, groups=key_terms(question, bm25, occurs), wanted=answer_type(question))
    for stage in ("terms", "passages"):
        if refusal := _stage(stage, case, checks):
            return Weighing(case, checks, [], [], refusal)
    case = replace(case, candidates=_candidates(case))
    if refusal := _stage("sentences", case, checks):
        return Weighing(case, checks, [], [], refusal)
    # 劳动者可以解除 does not answer 用人单位可以解除吗 (rule parties.other_party)
    kept = [c for c in case.candidates if other_party(question, c.sentence) is None]
    case = replace(case, candidates=kept)

    settings = current()
    candidates = case.candidates
    tried = [
        c
        for c in candidates[: settings.sentences_tried]
        if c.cover >= settings.coverage_min and c.score >= settings.tried_score_share * candidates[0].score
    ]
    if case.wanted is not None:
        # A figure question also tries the best sentences that state such a figure (时效期间为一年
        # for 拖欠工资多久可以申请仲裁, below a sentence that shares more words and states none).
        stating = [
            c
            for c in candidates[: settings.stating_considered]
            if c.cover >= settings.coverage_min and case.wanted.states.search(match_form(c.sentence))
        ]
        tried += [c for c in stating[: settings.sentences_tried] if c not in tried]
    trials: list[Trial] = []
    for best in tried:
        trials.append(Trial(best, first_refusal("answer", case.trying(best))))
        if trials[-1].refusal is None:
            break
    else:  # the best sentence's refusal is reported
        return Weighing(case, checks, trials, [], trials[0].refusal)

    chosen = [best]
    states = case.wanted.states if case.wanted else None
    for cand in candidates[1:]:
        if len(chosen) >= settings.max_sentences or cand.score < settings.second_sentence_share * best.score:
            break
        # A second sentence must be as much about the question as the first (same region, same topic)
        # and as close in meaning (a sentence of another document that shares the words is not).
        close = (
            cand.meaning is None
            or best.meaning is None
            or cand.meaning >= best.meaning - settings.second_sentence_meaning_gap
        )
        # For a figure question it must state such a figure too (辞退 → 第八十七条's 二倍, not 第五十三条's
        # 判决予以撤销, which shares the words but states no amount).
        stated = states is None or states.search(match_form(cand.sentence)) is not None
        if (
            cand.cover >= best.cover - 1e-9
            and close
            and stated
            and all(cand.sentence != c.sentence for c in chosen)
        ):
            chosen.append(cand)
    return Weighing(case, checks, trials, chosen, None)


def compose_answer(
    question: str,
    hits: list[Hit],
    bm25: BM25Index,
    language: str,
    occurs: Callable[[str], bool] | None = None,
    semantics: Meaning | None = None,
    holdings: Holdings | None = None,
    articles: ArticleIndex | None = None,
    reading: Reading | None = None,
) -> Answer:
    """Pick the answering sentences of the hits, or refuse; see the module docstring.

    `holdings` (what the index holds) goes into a refusal; `articles` resolves cross-references;
    `reading` is the trained reader's (app/reader/), whose judgement is the rule reader.unanswerable.
    """
    weighing = weigh(question, hits, bm25, occurs, semantics, reading)
    route = articles is not None and asks_for_route(question)
    if weighing.refusal is not None:
        # 公司拖欠工资怎么办 may find no sentence that answers it, but the law's route does.
        answer = _route_only(question, language, articles) if route else None
        return answer or _refusal(question, language, weighing.refusal, holdings)
    wanted = weighing.case.wanted
    states = wanted.states if wanted else None
    groups = weighing.case.groups
    quoted = with_lists(with_tiers(weighing.chosen, hits), hits)
    answer = _cite(question, hits, quoted, groups, states, language, articles)
    best = weighing.chosen[0]
    n = next(c.n for c in answer.citations if c.hit is hits[best.hit_index])
    answer.lead = direct_answer(question, best, n, groups, wanted, language)
    if route:
        lines = route_lines(question, answer.citations, articles, language)
        answer.text += "".join(f"\n{line}" for line in lines)
    return answer


def _route_only(question: str, language: str, articles: ArticleIndex) -> Answer | None:
    """The dispute route alone (app/answer/steps.py), when no sentence answered the question."""
    citations: list[Citation] = []
    lines = route_lines(question, citations, articles, language)
    if not lines:
        return None
    text = "\n".join(lines)
    return Answer(question, EN_LEAD + text if language == "en" else text, False, citations, "dispute route")


def _cite(
    question: str,
    hits: list[Hit],
    chosen: list[Candidate],
    groups: list[TermGroup],
    states: re.Pattern[str] | None,
    language: str,
    articles: ArticleIndex | None = None,
) -> Answer:
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    quoted: list[tuple[Citation, str]] = []
    script = "traditional" if language == "zh-Hant" else "simplified"
    previous_item = False
    for cand in sorted(chosen, key=lambda c: (c.hit_index, hits[c.hit_index].chunk.text.find(c.sentence))):
        first = cand.hit_index not in numbers
        if first:
            numbers[cand.hit_index] = len(numbers) + 1
            citations.append(Citation(numbers[cand.hit_index], hits[cand.hit_index]))
        citation = citations[numbers[cand.hit_index] - 1]
        citation.sentences.append(cand.sentence)
        shown = trim(cand.sentence, groups, states)
        quoted.append((citation, shown))
        # A law article is named where it is quoted: 《劳动合同法》第四十八条：…
        lead = f"{citation_label(citation.hit, language)}：" if first and law_article(citation.hit) else ""
        shown = without_article_number(shown) if lead else shown
        # A numbered item starts its own line, and so does what follows a list.
        item = is_item(shown)
        newline = "\n" if parts and (item or previous_item) else ""
        previous_item = item
        parts.append(f"{newline}{lead}{to_script(shown, script)}[{numbers[cand.hit_index]}]")
    if articles is not None:
        for ref in follow_references(quoted, citations, articles, groups, states, language):
            newline = "\n" if previous_item else ""
            previous_item = False
            parts.append(f"{newline}{ref.label}：{to_script(ref.sentence, script)}[{ref.citation.n}]")
    text = "".join(parts)
    if language == "en":
        text = EN_LEAD + text
    return Answer(question, text, refused=False, citations=citations, reason="extractive")


def _refusal(question: str, language: str, refusal: Refusal, holdings: Holdings | None = None) -> Answer:
    asked = local_question(question) if BY_ID[refusal.rule].message == "local" else None
    if asked is not None:
        topic = asked.topic
        text = local_refusal_text(language, topic.topic, topic.english, asked.place, holdings)
    else:
        text = refusal_text(language, holdings)
    return Answer(question, text, refused=True, citations=[], reason=refusal.detail, refusal=refusal)
