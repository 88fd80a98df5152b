"""What the answerer saw for a question, laid out for people (`gongyou explain`).

Hotline staff use it to see why a question was refused: the key terms with their weights, the
answer type, the passages and candidate sentences with their scores, and each rule's verdict on
the sentences tried. It runs the answerer itself (`weigh`), so it cannot tell another story.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.answer.compose import Weighing, weigh
from app.answer.evidence.case import Candidate
from app.answer.evidence.registry import BY_ID, Verdict, profile, verdicts
from app.answer.evidence.terms import coverage
from app.answer.meaning import Meaning
from app.index.bm25 import BM25Index
from app.models import Hit
from app.reader.model import Reading
from app.text.normalize import match_form


@dataclass
class SentenceVerdicts:
    """A sentence tried as the answer, with every "answer" rule's verdict on it."""

    candidate: Candidate
    verdicts: list[Verdict]


@dataclass
class Explanation:
    question: str
    profile: str  # the refusal profile in force
    weighing: Weighing
    tried: list[SentenceVerdicts]


def explain(
    question: str,
    hits: list[Hit],
    bm25: BM25Index,
    occurs: Callable[[str], bool] | None = None,
    semantics: Meaning | None = None,
    reading: Reading | None = None,
) -> Explanation:
    """Weigh the question as the answerer does, and give every rule's verdict on each sentence tried."""
    weighing = weigh(question, hits, bm25, occurs, semantics, reading)
    tried = [
        SentenceVerdicts(t.candidate, verdicts("answer", weighing.case.trying(t.candidate)))
        for t in weighing.trials
    ]
    return Explanation(question, profile(), weighing, tried)


def _clip(text: str, limit: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _verdict_line(verdict: Verdict, in_force: str) -> str:
    rule = verdict.rule.id
    if not verdict.active:
        found = f"would refuse: {verdict.detail}" if verdict.detail else "would pass"
        return f"  off     {rule}  (not in profile {in_force}; {found})"
    if verdict.detail is None:
        return f"  pass    {rule}"
    return f"  refuse  {rule}: {verdict.detail}"


def explanation_text(explanation: Explanation, shown: int = 8) -> str:
    """The explanation as plain text, one section per step of the answerer."""
    weighing = explanation.weighing
    case = weighing.case
    lines = [f"Question 问题: {explanation.question}", f"Refusal profile: {explanation.profile}", ""]

    if case.groups:
        lines.append("Key terms 关键词 (weight; unknown = no document uses it):")
        for group in case.groups:
            others = group.alternatives[1:]
            synonyms = f"  synonyms: {', '.join(others)}" if others else ""
            unknown = "  unknown" if group.unknown else ""
            lines.append(f"  {group.word}  {group.weight:.2f}{unknown}{synonyms}")
        lines.append(f"Answer type 答案类型: {case.wanted.name if case.wanted else 'none'}")
        lines.append("")
        reading = case.reading
        if reading is None:
            lines.append("Passages 段落 (key-term coverage with title and section):")
        else:
            lines.append("Passages 段落 (key-term coverage; reader: probability that it answers):")
        for i, hit in enumerate(case.hits, start=1):
            form = match_form(f"{hit.meta.title}{hit.chunk.heading}{hit.chunk.text}")
            read = f"  reader {reading.probability(i - 1):.3f}" if reading is not None else ""
            lines.append(f"  [{i}] {coverage(case.groups, form):.2f}{read}  {_clip(hit.meta.title, 40)}")
        if reading is not None:
            lines.append(
                f"Reader 阅读器: answerable {reading.answerable:.3f} (threshold {reading.threshold:.3f}; "
                f"{'refuses' if reading.refuses else 'passes'})"
            )
        lines.append("")

    lines.append("Checks before the sentences:")
    lines += [_verdict_line(v, explanation.profile) for v in weighing.checks]
    lines.append("")

    if case.candidates:
        lines.append(
            f"Candidate sentences 候选句 (best {min(shown, len(case.candidates))} of "
            f"{len(case.candidates)}: score, coverage, meaning, passage):"
        )
        for n, cand in enumerate(case.candidates[:shown], start=1):
            passage = f"[{cand.hit_index + 1}]"
            meaning = f"{cand.meaning:.3f}" if cand.meaning is not None else "  –  "
            lines.append(
                f"  {n}. {cand.score:.3f}  {cand.cover:.2f}  {meaning}  {passage}  {_clip(cand.sentence)}"
            )
        lines.append("")

    for n, tried in enumerate(explanation.tried, start=1):
        cand = tried.candidate
        lines.append(f"Sentence tried {n} (passage [{cand.hit_index + 1}], score {cand.score:.3f}):")
        lines.append(f"  {cand.sentence}")
        lines += [_verdict_line(v, explanation.profile) for v in tried.verdicts]
        lines.append("")

    if weighing.refusal is not None:
        rule = BY_ID[weighing.refusal.rule]
        lines.append(f"Decision: refused by {rule.id}: {weighing.refusal.detail}")
        lines.append(f"  ({rule.summary})")
    else:
        numbers = [case.candidates.index(c) + 1 for c in weighing.chosen]
        lines.append(f"Decision: answered with candidate sentences {', '.join(map(str, numbers))}")
    return "\n".join(lines)
