"""build_ui: the page's layout and the wiring of its events (the handlers live in api.py and
handlers.py). Importable without launching, for tests; launch.py serves it.

Document text reaches the page only through Chatbot and Markdown components, escaped by render.py;
no component here is a `gr.HTML`.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import gradio as gr

from app.generate.answerers import AnswererConfig
from app.web import handlers, launch
from app.web.admin import AdminArea
from app.web.answerer import Answerer
from app.web.api import ask_endpoint, chat_endpoint, search_endpoint
from app.web.feedback import FeedbackStore
from app.web.i18n import LANG_CHOICES, browser_i18n, examples_for, t
from app.web.uploads import UPLOAD_TYPES


def build_ui(
    index_dir: Path,
    data_dir: Path,
    *,
    embed_model: str | None = None,
    admin: AdminArea | None = None,
    warm: bool = True,
    store_user: bool | None = None,
    feedback_days: int | None = None,
    answerer_config: AnswererConfig | None = None,
    reader: str | None = None,
) -> gr.Blocks:
    """The Blocks app (not launched). With administrators' accounts (`admin`), an upload panel shows
    to whoever has signed in at /admin; asking never needs a sign-in. `answerer_config` chooses the
    answerer (app/generate/answerers.py: extractive unless --llm)."""
    answerer = Answerer(index_dir, embed_model, answerer_config, reader)
    if store_user is None:
        store_user = os.environ.get("GONGYOU_FEEDBACK_USER", "") in {"1", "true", "yes"}
    feedback = FeedbackStore(Path(data_dir), store_user=store_user, retention_days=feedback_days)
    feedback.keep_purging()
    admin = admin if admin is not None and admin.enabled else None
    if warm:
        threading.Thread(target=answerer.warm, name="gongyou-warm", daemon=True).start()
    i18n = browser_i18n()

    with gr.Blocks(title="工友 Gongyou", delete_cache=(3600, 86400)) as demo:
        turns = gr.State([])
        with gr.Row(elem_id="gy-header", equal_height=False):
            title = gr.Markdown(i18n("title"), elem_id="gy-title", min_width=280)
            hotline = gr.Checkbox(
                False,
                label=i18n("hotline_label"),
                elem_id="gy-hotline",
                container=False,
                scale=0,
                min_width=130,
            )
            lang = gr.Radio(
                LANG_CHOICES,
                value="zh-Hans",
                label=i18n("lang_label"),
                show_label=False,
                elem_id="gy-lang",
                container=False,
                scale=0,
                min_width=200,
            )
        subtitle = gr.Markdown(i18n("subtitle"), elem_id="gy-subtitle")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    label=t("zh-Hans", "chat_label"),
                    show_label=False,
                    height=560,
                    buttons=["copy"],
                    placeholder=t("zh-Hans", "welcome"),
                    examples=[{"text": q} for q in examples_for("zh-Hans")],
                    feedback_options=["Like", "Dislike", t("zh-Hans", "wrong_citation")],
                    latex_delimiters=[],
                    sanitize_html=True,
                    autoscroll=True,
                )
                question = gr.Textbox(
                    elem_id="q",
                    show_label=False,
                    label=i18n("input_label"),
                    placeholder=t("zh-Hans", "input_placeholder"),
                    submit_btn=True,
                    lines=1,
                    max_lines=4,
                    autofocus=False,
                )
                notice = gr.Markdown(i18n("notice"), elem_id="gy-notice")
                if admin:
                    admin_link = gr.Markdown("", visible=False, elem_id="gy-admin-link")
            with gr.Column(scale=2, min_width=300, visible=False, elem_id="gy-hotline-panel") as panel:
                panel_title = gr.Markdown(t("zh-Hans", "hotline_title"))
                search_only = gr.Checkbox(False, label=i18n("search_only"), elem_id="gy-search-only")
                formal = gr.Textbox(
                    label=t("zh-Hans", "formal_label"),
                    elem_id="gy-formal",
                    lines=6,
                    max_lines=14,
                    interactive=False,
                    buttons=["copy"],
                )
                passages = gr.Markdown(t("zh-Hans", "passages_empty"), elem_id="gy-passages", max_height=640)
                mode = gr.Markdown("", elem_id="gy-mode")
        upload_parts: list[gr.components.Component] = []
        admin_parts: list[gr.components.Component] = []
        if admin:
            with gr.Column(visible=False, elem_id="gy-upload") as upload_box:
                upload_title = gr.Markdown(t("zh-Hans", "upload_title"))
                upload_user = gr.Markdown("", elem_id="gy-upload-user")
                upload = gr.File(
                    label=t("zh-Hans", "upload_label"),
                    file_count="multiple",
                    file_types=UPLOAD_TYPES,
                    elem_id="gy-upload-file",
                )
                upload_status = gr.Markdown("", elem_id="gy-upload-status")
            upload_parts = [upload_title, upload]
            admin_parts = [upload_box, upload_user, admin_link]  # handlers.admin_updates

        # ---- language: the order of handlers.relabel's updates, then handlers.admin_updates'
        label_outputs = [title, subtitle, lang, hotline, chatbot, question, notice]
        label_outputs += [panel_title, search_only, formal, passages, *upload_parts, *admin_parts]
        demo.load(handlers.load_handler(admin), [turns], label_outputs, api_visibility="private", queue=False)
        lang.input(
            handlers.language_handler(admin),
            [lang, turns],
            label_outputs,
            api_visibility="private",
            queue=False,
        )
        hotline.change(
            lambda on: gr.update(visible=on), [hotline], [panel], api_visibility="private", queue=False
        )

        # ---- asking: the order of api.chat_endpoint's outputs
        chat_inputs = [question, lang, hotline, search_only, turns]
        chat_outputs = [chatbot, question, turns, passages, formal, mode]
        respond = chat_endpoint(answerer)
        streams = launch.chat_streams()
        question.submit(
            respond,
            chat_inputs,
            chat_outputs,
            api_name="chat",
            api_visibility="undocumented",
            concurrency_limit=streams,
            concurrency_id="chat",
        )
        # An example on the empty page, or a suggestion after a refusal: asked as if typed.
        for clicked in (chatbot.example_select, chatbot.option_select):
            clicked(handlers.pick_example, None, question, api_visibility="private", queue=False).then(
                respond,
                chat_inputs,
                chat_outputs,
                api_visibility="private",
                concurrency_limit=streams,
                concurrency_id="chat",
            )
        chatbot.clear(
            handlers.clear, None, [chatbot, turns, formal, passages], api_visibility="private", queue=False
        )

        # ---- feedback and uploads
        user_of = admin.user_of if admin else None
        chatbot.like(handlers.like_handler(feedback, user_of), [lang, turns], None, api_visibility="private")
        if admin:
            upload.upload(
                handlers.upload_handler(Path(index_dir), Path(data_dir), admin),
                [upload, lang],
                [upload_status],
                api_name="upload",
                concurrency_limit=1,
            )

        # ---- API: exactly the CLI's JSON
        gr.api(ask_endpoint(answerer), api_name="ask")
        gr.api(search_endpoint(answerer), api_name="search")

    return demo
