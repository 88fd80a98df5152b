"""The page's own event handlers: the language switch (and first load), feedback verdicts, example
questions, clearing the chat, and administrators' uploads. The endpoints are in api.py."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from app.pipeline import AskResult
from app.present import ask_json
from app.web.admin import AdminArea
from app.web.answerer import Turn
from app.web.feedback import FeedbackStore
from app.web.i18n import WRONG_CITATION_LABELS, examples_for, pick_language, t
from app.web.render import escape_md, formal_text, passages_markdown, render_chat, turn_at
from app.web.uploads import add_uploads, discard_temporary

log = logging.getLogger("gongyou.ui")


def relabel(lang_value: str, turn_list: list[Turn], with_upload: bool) -> list[Any]:
    """Every label and the whole conversation in another language, in `app.label_outputs` order."""
    last = turn_list[-1] if turn_list else None
    updates = [
        gr.update(value=t(lang_value, "title")),
        gr.update(value=t(lang_value, "subtitle")),
        gr.update(label=t(lang_value, "lang_label")),
        gr.update(label=t(lang_value, "hotline_label")),
        gr.update(
            value=render_chat(turn_list, lang_value),
            placeholder=t(lang_value, "welcome"),
            examples=[{"text": q} for q in examples_for(lang_value)],
            label=t(lang_value, "chat_label"),
            feedback_options=["Like", "Dislike", t(lang_value, "wrong_citation")],
        ),
        gr.update(label=t(lang_value, "input_label"), placeholder=t(lang_value, "input_placeholder")),
        gr.update(value=t(lang_value, "notice")),
        gr.update(value=t(lang_value, "hotline_title")),
        gr.update(label=t(lang_value, "search_only")),
        gr.update(
            label=t(lang_value, "formal_label"),
            value=formal_text(last.result, lang_value) if last and last.result else "",
        ),
        gr.update(value=passages_markdown(last, lang_value)),
    ]
    if with_upload:
        updates += [
            gr.update(value=t(lang_value, "upload_title")),
            gr.update(label=t(lang_value, "upload_label")),
        ]
    return updates


def admin_updates(lang_value: str, user: str | None) -> list[Any]:
    """The upload panel (shown to a signed-in administrator), who is signed in, the sign-in link."""
    signed_in = t(lang_value, "upload_signed_in", user=escape_md(user)) if user else ""
    return [
        gr.update(visible=bool(user)),
        gr.update(value=signed_in),
        gr.update(value=t(lang_value, "admin_link"), visible=not user),
    ]


def language_handler(admin: AdminArea | None) -> Callable[..., list[Any]]:
    def labels(lang_value: str, turn_list: list[Turn], request: gr.Request) -> list[Any]:
        updates = relabel(lang_value, turn_list, admin is not None)
        if admin is not None:
            updates += admin_updates(lang_value, admin.user_of(request))
        return updates

    return labels


def load_handler(admin: AdminArea | None) -> Callable[..., list[Any]]:
    """First load: the browser's language, and the upload panel for a signed-in administrator."""

    def on_load(turn_list: list[Turn], request: gr.Request) -> list[Any]:
        chosen = pick_language(request.headers.get("accept-language") if request else None)
        updates = relabel(chosen, turn_list, admin is not None)
        updates[2] = gr.update(value=chosen, label=t(chosen, "lang_label"))
        if admin is not None:
            updates += admin_updates(chosen, admin.user_of(request))
        return updates

    return on_load


def citations_for_feedback(result: AskResult) -> list[dict[str, Any]]:
    keep = ("n", "doc_id", "chunk_id", "title", "label", "publisher", "date", "heading", "text", "sentences")
    return [{k: c[k] for k in keep if k in c} for c in ask_json(result, {})["citations"]]


def like_handler(
    feedback: FeedbackStore, user_of: Callable[[Any], str | None] | None = None
) -> Callable[..., None]:
    def on_like(data: gr.LikeData, lang_value: str, turn_list: list[Turn], request: gr.Request) -> None:
        if data.liked is True:
            verdict = "like"
        elif data.liked is False:
            verdict = "dislike"
        elif isinstance(data.liked, str) and data.liked in WRONG_CITATION_LABELS:
            verdict = "wrong_citation"
        elif isinstance(data.liked, str) and data.liked.lower() in {"like", "dislike"}:
            verdict = data.liked.lower()
        else:
            return  # an undo, or an option we do not know
        index = data.index if isinstance(data.index, int) else data.index[0]
        turn = turn_at(turn_list, index, lang_value)
        if turn is None or turn.result is None or verdict in turn.verdicts:
            return  # not an answer, or the same verdict again (the flag menu fires twice)
        turn.verdicts.add(verdict)  # before storing: the flag menu's second event must see it
        result = turn.result
        try:
            feedback.record(
                question=result.question,
                standalone_question=result.standalone,
                answer=result.answer.text,
                citations=citations_for_feedback(result),
                verdict=verdict,
                build=turn.build,
                user=user_of(request) if user_of else None,
            )
        except Exception as exc:  # a full disk, a read-only folder: the worker is told, nothing else
            log.error("storing feedback failed: %s: %s", type(exc).__name__, exc)
            turn.verdicts.discard(verdict)  # so a later click can try again
            gr.Warning(t(lang_value, "feedback_failed"), duration=4)
            return
        gr.Info(t(lang_value, "thanks"), duration=2)

    return on_like


def pick_example(data: gr.SelectData) -> str:
    """The question of a clicked example ({"text"}) or suggestion after a refusal ({"value"})."""
    if isinstance(data.value, dict):
        return str(data.value.get("text") or data.value.get("value") or "")
    return str(data.value)


def clear() -> tuple[list, list, str, str]:
    return [], [], "", ""


def upload_handler(index_dir: Path, data_dir: Path, admin: AdminArea) -> Callable[..., str]:
    """Signed-in administrators only (guard.py already refuses others' files); one upload at a time."""
    lock = threading.Lock()

    def on_upload(files: list[str] | None, lang_value: str, request: gr.Request) -> str:
        user = admin.user_of(request)
        if not user:
            discard_temporary([Path(f) for f in files or [] if isinstance(f, str)])
            return t(lang_value, "upload_denied")
        log.info("administrator %s uploads %d file(s)", user, len(files or []))
        return add_uploads(files or [], Path(index_dir), Path(data_dir), lang_value, lock)

    return on_upload
