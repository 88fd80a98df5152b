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
from app.web.answerer import Answerer, Turn, log_failure, previous_questions
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
MAX_K = 50  # passages a caller may ask for (the hotline panel shows 10)
MAX_HISTORY = 20  # earlier questions a follow-up is resolved against
TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off", ""}


def flag(value: object, name: str) -> bool:
    """A checkbox value from the browser (a bool) or an API caller ("no" is False, not a non-empty
    string that Python would take as True)."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise gr.Error(f"{name} must be true or false, not {value!r:.40}")


def history_list(history: object) -> list[str]:
    """`/ask`'s history: a list of earlier questions. A bare string is refused rather than read as
    one question per character."""
    if history is None:
        return []
    if isinstance(history, str):
        raise gr.Error(
            'history must be a list of earlier questions, e.g. ["湖北省高技能人才总量有多少?"], not a string'
        )
    if not isinstance(history, (list, tuple)) or not all(isinstance(q, str) for q in history):
        raise gr.Error("history must be a list of earlier questions (strings)")
    return list(history)[-MAX_HISTORY:]


def passages_wanted(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, float, str)):
        raise gr.Error(f"k must be a whole number from 1 to {MAX_K}")
    try:
        number = float(k)
    except ValueError:
        number = float("nan")
    if not number.is_integer() or not 1 <= number <= MAX_K:
        raise gr.Error(f"k must be a whole number from 1 to {MAX_K}, not {k!r:.20}")
    return int(number)


def chat_endpoint(answerer: Answerer) -> Callable[..., Iterator[tuple[Any, ...]]]:
    """The chat's submit handler; it yields the CHAT_OUTPUTS values in that order."""

    def respond(message: str, lang_value: str, hotline_on: bool, only_search: bool, turn_list: list[Turn]):
        """Stream the answer in pieces, then show its cited passages (and the hotline panel)."""
        if not isinstance(message, str) or not message.strip():
            yield (gr.skip(),) * CHAT_OUTPUTS
            return
        lang_value = lang_value if lang_value in LANGS else "zh-Hans"
        hotline_on, only_search = flag(hotline_on, "hotline"), flag(only_search, "search_only")
        search_mode = hotline_on and only_search
        turn_list = turn_list if isinstance(turn_list, list) else []
        turn = answerer.turn(message, previous_questions(turn_list), search_mode, hotline=True)
        turn_list = [*turn_list, turn]
        earlier = render_chat(turn_list[:-1], lang_value)
        number = len(turn_list)
        if turn.kind == "ask" and turn.result is not None and not turn.result.answer.refused:
            text = in_script(turn.result.answer.shown, lang_value)
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


def _internal_error() -> gr.Error:
    return gr.Error(f"{t('en', 'error')} {t('zh-Hans', 'error')}")


def ask_endpoint(answerer: Answerer) -> Callable[..., dict]:
    def ask(question: str, history: list[str] | None = None, k: int | None = None) -> dict:
        """The object of `gongyou ask --json`; `history` lists earlier questions for follow-ups;
        `k` passages (default: settings.answer_passages, as the chat uses)."""
        earlier = history_list(history)
        wanted = None if k is None else passages_wanted(k)
        try:
            pipeline = answerer.pipeline()
            result = pipeline.ask(question, earlier, k=wanted)
            return ask_json(result, pipeline.mode)
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc
        except GongyouError as exc:
            raise _index_missing() from exc
        except Exception as exc:
            log_failure("/ask", question, exc)
            raise _internal_error() from None

    return ask


def search_endpoint(answerer: Answerer) -> Callable[..., dict]:
    def search(question: str, k: int = 5, mode: str = "hybrid") -> dict:
        """The object of `gongyou search --json`; mode is hybrid, bm25 or dense."""
        if mode not in SEARCH_MODES:
            raise gr.Error("mode must be hybrid, bm25 or dense")
        wanted = passages_wanted(k)
        try:
            return search_json(answerer.pipeline().search(question, k=wanted, mode=mode))
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc
        except GongyouError as exc:
            raise _index_missing() from exc
        except Exception as exc:
            log_failure("/search", question, exc)
            raise _internal_error() from None

    return search
