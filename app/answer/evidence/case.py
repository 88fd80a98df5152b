"""What the refusal rules look at: one record, filled in stage by stage as the answerer goes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from app.answer.evidence.answer_types import AnswerType
from app.answer.evidence.patterns import is_chinese
from app.answer.evidence.questions import asks_who, is_factoid, question_focus
from app.answer.evidence.terms import TermGroup
from app.models import Hit
from app.text.normalize import match_form

if TYPE_CHECKING:
    from app.answer.meaning import Meaning
    from app.reader.model import Reading


@dataclass
class Candidate:
    """A sentence of a retrieved passage, scored as the answer."""

    hit_index: int  # which retrieved passage it comes from (0 = the first)
    sentence: str
    score: float
    cover: float  # key-term coverage of the sentence with its document's title and section
    meaning: float | None = None  # cosine of the sentence and the question (real models only)


@dataclass
class Case:
    """The question and the passages retrieved; then (stage "terms" on) its key terms and answer
    type; then (stage "sentences") the candidate sentences, best first; and for the rules of
    stage "answer", the sentence tried. Each stage gets a new record (`dataclasses.replace`),
    so the cached properties below never go stale."""

    question: str
    hits: list[Hit]
    groups: list[TermGroup] = field(default_factory=list)
    wanted: AnswerType | None = None
    candidates: list[Candidate] = field(default_factory=list)
    sentence: str = ""  # the sentence tried
    hit_index: int = -1  # its passage
    meaning: float | None = None  # its cosine with the question (None without sentence vectors)
    semantics: Meaning | None = None  # the model's similarities, when the index has sentence vectors
    reading: Reading | None = None  # the trained reader's scores, when a reader is in force

    def trying(self, candidate: Candidate) -> Case:
        return replace(
            self, sentence=candidate.sentence, hit_index=candidate.hit_index, meaning=candidate.meaning
        )

    @property
    def hit(self) -> Hit:
        """The passage of the sentence tried."""
        return self.hits[self.hit_index]

    @cached_property
    def form(self) -> str:
        """The sentence tried, in the matching form."""
        return match_form(self.sentence)

    @cached_property
    def chinese(self) -> bool:
        return is_chinese(self.question)

    @cached_property
    def factoid(self) -> bool:
        return is_factoid(self.question)

    @cached_property
    def asks_who(self) -> bool:
        return asks_who(self.question)

    @cached_property
    def focus(self) -> str | None:
        """The noun a factoid question asks about (`question_focus`)."""
        return question_focus(self.question)

    def mentions_focus(self, text: str) -> bool:
        """Whether a text (matching form) names the focus, or a synonym of it."""
        focus = self.focus
        if focus and len(focus) > 2 and focus.endswith("率") and match_form(focus[:-1]) in text:
            return True  # "同比增长2.6%" states the 增长率
        group = next((g for g in self.groups if g.word == focus), None)
        return bool(group.credit(text)) if group else match_form(focus or "") in text
