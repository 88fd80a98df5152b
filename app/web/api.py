"""The server's endpoints: `/chat` (the browser's streamed chat, callable but undocumented), and
`/ask` and `/search`, which return exactly the JSON of `gongyou ask --json` / `gongyou search --json`.

Each is made by a factory over the session-independent `Answerer`, so that Gradio reads the
parameters (and the API docs) from the inner function's signature and docstring.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from app.errors import GongyouError
from app.present import ask_json, search_json
from app.search.question import QuestionError
from app.web.answerer import Answerer, Turn, previous_questions
from app.web.i18n import LANGS, t
from app.web.render import (
    formal_text,
    in_script,
    mode_markdown,
    passages_markdown,
    render_chat,
    render_turn,
    stream_pieces,
)

STREAM_DELAY_S = 0.04  # between streamed pieces of an answer
CHAT_OUTPUTS = 6  # chatbot, question box, turns (session state), passages, formal citation, mode
SEARCH_MODES = {"hybrid", "bm25", "dense"}


def chat_endpoint(answerer: Answerer) -> Callable[..., Iterator[tuple[Any, ...]]]:
    """The chat's submit handler; it yields the CHAT_OUTPUTS values in that order."""

    def respond(message: str, lang_value: str, hotline_on: bool, only_search: bool, turn_list: list[Turn]):
        """Stream the answer in pieces, then show its cited passages (and the hotline panel)."""
        if not isinstance(message, str) or not message.strip():
            yield (gr.skip(),) * CHAT_OUTPUTS
            return
        lang_value = lang_value if lang_value in LANGS else "zh-Hans"
        search_mode = bool(hotline_on and only_search)
        turn = answerer.turn(message, previous_questions(turn_list), search_mode, hotline=True)
        turn_list = [*turn_list, turn]
        earlier = render_chat(turn_list[:-1], lang_value)
        number = len(turn_list)
        if turn.kind == "ask" and turn.result is not None and not turn.result.answer.refused:
            text = in_script(turn.result.answer.text, lang_value)
            for i, prefix in enumerate(stream_pieces(text)):
                if i:
                    time.sleep(STREAM_DELAY_S)
                chat = earlier + render_turn(turn, number, lang_value, partial=prefix)
                yield chat, "", gr.skip(), gr.skip(), gr.skip(), gr.skip()
        yield (
            earlier + render_turn(turn, number, lang_value),
            "",
            turn_list,
            passages_markdown(turn, lang_value),
            formal_text(turn.result, lang_value) if turn.result else "",
            mode_markdown(answerer.mode(), lang_value) if turn.kind != "message" else gr.skip(),
        )

    return respond


def _index_missing() -> gr.Error:
    return gr.Error(f"{t('en', 'index_missing')} {t('zh-Hans', 'index_missing')}")


def ask_endpoint(answerer: Answerer) -> Callable[..., dict]:
    def ask(question: str, history: list[str] | None = None, k: int = 5) -> dict:
        """The object of `gongyou ask --json`; `history` lists earlier questions for follow-ups."""
        try:
            pipeline = answerer.pipeline()
            result = pipeline.ask(question, list(history or []), k=int(k))
            return ask_json(result, pipeline.mode)
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc
        except GongyouError as exc:
            raise _index_missing() from exc

    return ask


def search_endpoint(answerer: Answerer) -> Callable[..., dict]:
    def search(question: str, k: int = 5, mode: str = "hybrid") -> dict:
        """The object of `gongyou search --json`; mode is hybrid, bm25 or dense."""
        if mode not in SEARCH_MODES:
            raise gr.Error("mode must be hybrid, bm25 or dense")
        try:
            return search_json(answerer.pipeline().search(question, k=int(k), mode=mode))
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc
        except GongyouError as exc:
            raise _index_missing() from exc

    return search
