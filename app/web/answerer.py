"""The UI's handle on the pipeline: a question becomes a `Turn`, never an exception at the user."""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import GongyouError
from app.generate.answerers import AnswererConfig
from app.models import Hit
from app.pipeline import AskResult, SearchResult, get_pipeline
from app.search.question import MAX_QUESTION_CHARS, QuestionError

log = logging.getLogger("gongyou.ui")

HOTLINE_TOP_K = 10  # passages in the hotline panel and in a search-only turn


@dataclass
class Turn:
    """One question and what the UI shows for it; the session's conversation is a list of these."""

    question: str
    kind: str  # "ask" | "search" | "message"
    result: AskResult | None = None
    search: SearchResult | None = None
    top: list[Hit] = field(default_factory=list)  # hotline panel
    message_key: str = ""
    message_args: dict[str, Any] = field(default_factory=dict)
    build: str | None = None
    verdicts: set[str] = field(default_factory=set)  # feedback already stored for this answer


class Answerer:
    """Turns questions into Turns over the cached pipeline of one index folder."""

    def __init__(
        self,
        index_dir: Path,
        embed_model: str | None = None,
        answerer: AnswererConfig | None = None,
        reader: str | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.embed_model = embed_model
        self.answerer = answerer  # extractive, or a model whose sentences are checked (app/generate)
        self.reader = reader  # `--reader` (app/reader/registry.py); None: the setting

    def pipeline(self):
        return get_pipeline(self.index_dir, self.embed_model, self.answerer, self.reader)

    def turn(self, question: str, history: Sequence[str], search_only: bool, hotline: bool) -> Turn:
        try:
            pipeline = self.pipeline()
            build = pipeline.index.build_id
            if search_only:
                result = pipeline.search(question, k=HOTLINE_TOP_K)
                return Turn(question, "search", search=result, top=result.hits, build=build)
            asked = pipeline.ask(question, history)
            top = pipeline.search(asked.standalone, k=HOTLINE_TOP_K).hits if hotline else []
            return Turn(question, "ask", result=asked, top=top, build=build)
        except QuestionError:
            text = " ".join(question.split())
            if len(text) > MAX_QUESTION_CHARS:
                args = {"n": len(text), "limit": MAX_QUESTION_CHARS}
                return Turn(question, "message", message_key="too_long", message_args=args)
            return Turn(question, "message", message_key="bad_question")
        except GongyouError as exc:
            log.warning("index not available: %s", exc)
            return Turn(question, "message", message_key="index_missing")
        except Exception as exc:
            log_failure("answering", question, exc)
            return Turn(question, "message", message_key="error")

    def mode(self) -> dict[str, Any] | None:
        try:
            return self.pipeline().mode
        except Exception:
            return None

    def warm(self) -> None:
        """Load the index and the tokenizer before the first visitor asks (jieba takes ~0.4 s)."""
        try:
            self.pipeline().ask("职业技能培训补贴")
        except Exception as exc:  # a missing index is reported when someone asks
            log.info("warm-up skipped: %s", exc)


def question_ref(question: object) -> str:
    """How logs name a question: a hash and a length, never its words (questions can be personal)."""
    text = question if isinstance(question, str) else repr(question)
    digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12]
    return f"sha256:{digest} ({len(text)} chars)"


def log_failure(what: str, question: object, exc: BaseException) -> None:
    """An internal error, logged with the question's hash and length and the code's stack, but not
    the exception's message, which may quote the question."""
    stack = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s question %s failed: %s\n%s", what, question_ref(question), type(exc).__name__, stack)


def previous_questions(turns: Sequence[Turn]) -> list[str]:
    """The conversation so far, for follow-ups: the standalone form of each answered question."""
    out = []
    for turn in turns:
        if turn.kind == "ask" and turn.result is not None:
            out.append(turn.result.standalone)
        elif turn.kind == "search":
            out.append(turn.question)
    return out
