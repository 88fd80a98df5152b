"""The chat UI (Gradio 6): a worker's phone and a hotline agent's desk, over the one pipeline.

    app.build_ui(index_dir, data_dir) -> gr.Blocks   layout and event wiring (importable, not launched)
    launch.launch(demo, host, port, admin)           the settings every launch uses
    launch.serve(args) -> int                        `gongyou serve`: build if missing, then serve

Who may do what: anyone may ask (the chat, `/ask`, `/search`, feedback); only administrators, who
sign in at `/admin` (admin.py: accounts.py, sessions.py, throttle.py), may upload documents.
guard.py sits in front of Gradio's routes and refuses every way of storing a file or making the
server fetch a URL to anyone else, since Gradio's own `auth=` could only close the whole app.

The UI holds no answering logic: every answer comes from `Pipeline.ask`, every search from
`Pipeline.search` (answerer.py), and the `/ask` and `/search` API endpoints (api.py) return exactly
the objects of `gongyou ask --json` / `gongyou search --json` (app.present).

Safety: every document string (passages, titles, headings, answers quoted from documents) goes
through `render.escape_md` before it reaches the Chatbot or a Markdown component. Gradio's sanitizer
strips scripts but keeps remote images and inline styles, so escaping is what stops a document from
fetching tracking pixels or restyling the page. Nothing from a document is ever given to `gr.HTML`.
"""

import os

# Before any module of this package imports gradio: no telemetry, no version check.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
