"""Records passed between generation, verification and presentation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Limits:
    """What one generation may use: tokens, and the moment (time.monotonic()) it must be done by."""

    max_tokens: int
    deadline: float
    temperature: float = 0.0


@dataclass
class Generated:
    """What a back-end wrote."""

    text: str
    elapsed_ms: float
    first_token_ms: float | None = None  # streaming back-ends: time to the first piece
    finish_reason: str | None = None


@dataclass(frozen=True)
class RemovedSentence:
    text: str
    check: str  # the check that removed it, e.g. "figure.unsupported" (app/generate/verify.py)
    detail: str


@dataclass
class AnswerReport:
    """Which answerer produced an answer, and what happened on the way (the JSON `mode` fields)."""

    answerer: str = "extractive"  # the answerer that produced the answer shown
    requested: str = "extractive"  # the answerer configured
    writes_text: bool = False  # the answer's sentences were written by a model (then checked)
    removed_sentences: int = 0  # generated sentences removed by verification
    generated_sentences: int = 0
    fallback: str | None = None  # why the configured answerer's answer was not used
    backend: dict[str, Any] | None = None  # {"kind", "model", ...} of the model back-end
    removed: list[RemovedSentence] = field(default_factory=list)
    raw: str | None = None  # what the model wrote, before verification
    timings_ms: dict[str, float] = field(default_factory=dict)  # "generate", "verify"

    def mode(self) -> dict[str, Any]:
        """The per-answer part of the JSON `mode` object."""
        return {
            "answerer": self.answerer,
            "answerer_requested": self.requested,
            "written_by_model": self.writes_text,
            "removed_sentences": self.removed_sentences,
            "generated_sentences": self.generated_sentences,
            "fallback": self.fallback,
            "llm": self.backend,
        }

    def generation(self) -> dict[str, Any] | None:
        """The JSON `generation` object: what the model wrote and what verification removed."""
        if self.raw is None and self.requested == "extractive":
            return None
        return {
            "raw": self.raw,
            "removed": [{"text": r.text, "check": r.check, "detail": r.detail} for r in self.removed],
            "timings_ms": self.timings_ms,
        }
