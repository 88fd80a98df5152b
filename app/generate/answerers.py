"""The registry of answerers: `extractive` (quotes, the default and the fallback) and `llm` (a
model writes, Gongyou checks every sentence). Each declares what it does; callers never compare
names. `auto` is `llm` when a model is configured (`--llm`), else `extractive`.

Every answerer gets the extractive answer already made (it is cheap, and it is the fallback) and
returns the answer to show with an `AnswerReport` saying which answerer produced it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.errors import BadInput
from app.generate.records import AnswerReport
from app.models import Answer, Hit


@dataclass(frozen=True)
class AnswererConfig:
    """What the user chose (`--answerer`, `--llm`, `--llm-model`, `--llm-key-env`, `--llm-timeout`)."""

    answerer: str = "auto"
    llm: str | None = None  # a URL, a .gguf file, a transformers folder, or KIND:SPEC
    llm_model: str | None = None
    key_env: str = "GONGYOU_LLM_API_KEY"
    deadline_s: float | None = None  # None: settings.llm_deadline_s


@dataclass
class AnswerJob:
    question: str  # standalone form
    hits: list[Hit]
    language: str
    extractive: Answer  # the extractive answer or refusal, already made
    started: float = field(
        default_factory=time.monotonic
    )  # when the request began (its deadline counts from here)


@dataclass
class Answered:
    answer: Answer
    report: AnswerReport


class Answerer(Protocol):
    kind: AnswererKind

    def describe(self) -> dict[str, Any]: ...

    def answer(self, job: AnswerJob) -> Answered: ...


@dataclass(frozen=True)
class AnswererKind:
    name: str
    label: str
    writes_text: bool  # writes its own sentences (checked before they are shown) instead of quoting
    needs_model: bool  # needs `--llm`
    make: Callable[[AnswererConfig], Answerer]


class ExtractiveAnswerer:
    """Quotes the passages (app/answer/compose.py): what the pipeline made already."""

    def __init__(self, config: AnswererConfig) -> None:
        self.kind = EXTRACTIVE

    def describe(self) -> dict[str, Any]:
        return {"answerer": self.kind.name}

    def answer(self, job: AnswerJob) -> Answered:
        return Answered(job.extractive, AnswerReport())


def _make_llm(config: AnswererConfig) -> Answerer:
    from app.generate.llm_answerer import LLMAnswerer

    return LLMAnswerer(config)


EXTRACTIVE = AnswererKind(
    name="extractive",
    label="sentences quoted from the passages",
    writes_text=False,
    needs_model=False,
    make=ExtractiveAnswerer,
)
LLM = AnswererKind(
    name="llm",
    label="a language model writes from the passages; every sentence is checked against them",
    writes_text=True,
    needs_model=True,
    make=_make_llm,
)
ANSWERERS: dict[str, AnswererKind] = {kind.name: kind for kind in (EXTRACTIVE, LLM)}
CHOICES = ("auto", *ANSWERERS)


def resolve(config: AnswererConfig) -> AnswererKind:
    """The kind a configuration asks for; `auto` takes the model when one is configured."""
    if config.answerer == "auto":
        return LLM if config.llm else EXTRACTIVE
    kind = ANSWERERS.get(config.answerer)
    if kind is None:
        raise BadInput(f"--answerer takes {', '.join(CHOICES)}; got {config.answerer!r}.")
    if kind.needs_model and not config.llm:
        raise BadInput(
            f"--answerer {kind.name} needs a model: --llm URL (an OpenAI-compatible server), "
            "--llm FILE.gguf or --llm FOLDER (GONGYOU_LLM)."
        )
    return kind


def make_answerer(config: AnswererConfig | None = None) -> Answerer:
    config = config or AnswererConfig()
    return resolve(config).make(config)
