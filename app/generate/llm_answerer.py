"""The `llm` answerer: a model writes from the top passages; only checked sentences are shown.

1. When the evidence rules refused (app/answer/evidence), the refusal stands and the model is not
   asked (`settings.llm_after_refusal`): verification checks that a sentence is supported, not
   that the question is answered, so the rules keep deciding whether to answer.
2. The model gets the question and the top passages numbered [1]…[k] (app/generate/prompt.py),
   within the request's deadline (`--llm-timeout`, settings.llm_deadline_s).
3. Every sentence is verified (app/generate/verify.py); the unsupported ones are removed and
   counted. The kept ones are the answer, their passages renumbered as citations, each with the
   passage sentence closest in meaning as its quote.
4. A timeout, a refused connection, a server error, an empty reply, a decline or nothing
   supported: the extractive answer (or refusal) is shown, and `mode.fallback` says why.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from app.generate.answerers import LLM, Answered, AnswererConfig, AnswerJob
from app.generate.backends.base import BackendConfig, BackendFailed, BackendUnavailable
from app.generate.backends.registry import make_backend
from app.generate.prompt import build_messages, decline_phrases, shown_passages
from app.generate.records import AnswerReport, Limits, RemovedSentence
from app.generate.support import SupportScorer, default_scorer
from app.generate.verify import Checked, Verification, verify
from app.index.embedders import bundled
from app.models import Answer, Citation
from app.settings import current
from app.text.normalize import to_script

log = logging.getLogger("gongyou.generate")


class LLMAnswerer:
    def __init__(self, config: AnswererConfig, scorer: SupportScorer | None = None) -> None:
        self.kind = LLM
        assert config.llm, "resolve() requires --llm for this answerer"
        self.config = config
        if scorer is None and (problem := bundled.unavailable()) is not None:
            raise BackendUnavailable(f"Generated answers cannot be checked here: {problem}")
        self.backend = make_backend(BackendConfig(config.llm, config.llm_model, config.key_env))
        if self.backend.in_process:
            self.backend.load()  # before the first question: a load would eat its deadline
        self._scorer = scorer

    @property
    def scorer(self) -> SupportScorer:
        if self._scorer is None:
            self._scorer = default_scorer()
        return self._scorer

    @property
    def deadline_s(self) -> float:
        return self.config.deadline_s if self.config.deadline_s is not None else current().llm_deadline_s

    def describe(self) -> dict[str, Any]:
        return {"answerer": self.kind.name, "llm": self.backend.describe()}

    def answer(self, job: AnswerJob) -> Answered:
        report = AnswerReport(requested=self.kind.name, backend=self.backend.describe())
        try:
            return self._answer(job, report)
        except Exception as exc:  # a bug must cost the worker the fluent answer, never the answer
            # The question stays out of the log (workers' questions are private: README, privacy).
            log.exception("generating an answer failed; the extractive answer is shown")
            report.fallback = f"error: {type(exc).__name__}: {exc}"
            return Answered(job.extractive, report)

    def _answer(self, job: AnswerJob, report: AnswerReport) -> Answered:
        fallback = Answered(job.extractive, report)
        if job.extractive.refused and not current().llm_after_refusal:
            rule = job.extractive.refusal.rule if job.extractive.refusal else "?"
            report.fallback = f"refused: evidence rule {rule} refused, the model was not asked"
            return fallback
        shown = shown_passages(job.hits, job.language)
        if not shown:
            report.fallback = "no passages: nothing to write from"
            return fallback
        settings = current()
        limits = Limits(settings.llm_max_tokens, job.started + self.deadline_s, settings.llm_temperature)
        try:
            generated = self.backend.generate(build_messages(job.question, shown, job.language), limits)
        except BackendFailed as failure:
            report.fallback = str(failure)
            report.timings_ms["generate"] = round((time.monotonic() - job.started) * 1000, 3)
            return fallback
        report.raw = generated.text
        report.timings_ms["generate"] = round(generated.elapsed_ms, 3)
        verification = verify(generated.text, shown, job.language, self.scorer, decline_phrases())
        report.timings_ms["verify"] = round(verification.elapsed_ms, 3)
        report.generated_sentences = len(verification.checked)
        report.removed_sentences = len(verification.removed)
        report.removed = [
            RemovedSentence(c.claim.text, c.check or "", c.detail) for c in verification.removed
        ]
        if not verification.kept:
            report.fallback = (
                "declined: the model said the passages do not answer"
                if verification.declined
                else "unsupported: no generated sentence passed verification"
            )
            return fallback
        report.answerer, report.writes_text = self.kind.name, True
        return Answered(compose(job, verification), report)


def compose(job: AnswerJob, verification: Verification) -> Answer:
    """The kept sentences, their passages renumbered [1], [2]… in order of first citation."""
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    english = job.language == "en"
    for checked in verification.kept:
        for shown in checked.cited:
            if shown.n not in numbers:
                numbers[shown.n] = len(numbers) + 1
                citations.append(Citation(numbers[shown.n], shown.hit))
        _quote(checked, citations, numbers)
        body = checked.claim.body
        if not body.endswith(("。", "！", "？", ".", "!", "?", "”", '"')):
            body += "." if english else "。"
        if not english:
            body = to_script(body, "traditional" if job.language == "zh-Hant" else "simplified")
        markers = "".join(f"[{numbers[s.n]}]" for s in checked.cited)
        parts.append(f"{body} {markers}" if english else f"{body}{markers}")
    text = (" " if english else "").join(parts)
    return Answer(job.extractive.question, text, refused=False, citations=citations, reason="generated")


def _quote(checked: Checked, citations: list[Citation], numbers: dict[int, int]) -> None:
    """The passage sentence closest in meaning is the quote shown (highlighted) for the sentence."""
    support = checked.support
    if support is None or not support.quote:
        return
    citation = citations[numbers[checked.cited[support.passage].n] - 1]
    if support.quote not in citation.sentences:
        citation.sentences.append(support.quote)
