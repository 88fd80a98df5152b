"""Serving the UI: concurrency and queue, the launch settings (privacy, limits, theme, page assets
from app/web/static), and `serve` for `gongyou serve`."""

from __future__ import annotations

import json
import logging
import os
import sys
from importlib.resources import files
from pathlib import Path

import gradio as gr

from app.web.i18n import browser_i18n, busy_messages
from app.web.uploads import MAX_UPLOAD, read_auth_file

log = logging.getLogger("gongyou.ui")

QUEUE_MAX_SIZE = 64
STATIC = files("app.web") / "static"
BUSY_PLACEHOLDER = "__BUSY_MESSAGES__"  # in page.js


def cores() -> int:
    return max(2, os.cpu_count() or 2)


def chat_streams() -> int:
    """Concurrent chat streams. A stream mostly sleeps between pieces (the answer itself takes about
    a millisecond), so many more streams than cores can run; each holds one of Gradio's 40 worker
    threads while it sleeps, hence the cap."""
    return min(32, 16 * cores())


def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def page_css() -> str:
    """Layout for phones and the look of citations (launch(css=) scopes it to the app)."""
    return _static("style.css")


def page_head() -> str:
    """Rules that must sit outside Gradio's CSS scope."""
    return _static("head.html")


def page_js() -> str:
    """[n] links that jump to their passage, copy buttons that copy what is shown, and a kind
    full-queue message in the page's language."""
    busy = json.dumps(busy_messages(), ensure_ascii=False)
    return _static("page.js").replace(BUSY_PLACEHOLDER, busy)


def theme() -> gr.themes.Base:
    # System fonts only: no request leaves the machine for a web font.
    return gr.themes.Default(
        primary_hue="orange",
        font=["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"],
        font_mono=["Menlo", "Consolas", "Noto Sans Mono CJK SC", "monospace"],
    )


def _no_proxy_for_loopback() -> None:
    """Launch probes its own URL through httpx, which would follow HTTP(S)_PROXY."""
    for key in ("NO_PROXY", "no_proxy"):
        current = [p for p in os.environ.get(key, "").split(",") if p]
        for host in ("127.0.0.1", "localhost"):
            if host not in current:
                current.append(host)
        os.environ[key] = ",".join(current)


def configure_queue(demo: gr.Blocks) -> gr.Blocks:
    # Gradio rebuilds a pandas summary of all recent events after *every* event, for its monitoring
    # page (which we switch off). That cost grows with traffic; recompute rarely and keep few events.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
    limit = int(os.environ.get("GONGYOU_CONCURRENCY", cores()))
    return demo.queue(default_concurrency_limit=limit, max_size=QUEUE_MAX_SIZE)


def launch(
    demo: gr.Blocks,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: list[tuple[str, str]] | None = None,
    *,
    quiet: bool = True,
) -> str:
    """Launch without blocking; returns the local URL. Analytics off, no share link, no history."""
    _no_proxy_for_loopback()
    configure_queue(demo)
    _, url, _ = demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=auth or None,
        auth_message="工友 · 请登录 Please sign in",
        prevent_thread_lock=True,
        quiet=quiet,
        max_file_size=MAX_UPLOAD,
        run_history=False,
        footer_links=["settings"],
        enable_monitoring=False,
        i18n=browser_i18n(),
        theme=theme(),
        css=page_css(),
        js=page_js(),
        head=page_head(),
    )
    return url


def serve(args) -> int:
    """`gongyou serve`: build the index if it is missing or was built by an older Gongyou (progress
    in the terminal), then serve."""
    from app.index.store import current_build, out_of_date, read_manifest

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    index_dir = Path(args.index)
    data_dir = Path(getattr(args, "data", "data"))
    embed_model = getattr(args, "embed_model", None)
    auth = None
    if getattr(args, "auth", None):
        try:
            auth = read_auth_file(Path(args.auth))
        except (OSError, ValueError) as exc:
            print(f"error: cannot read --auth file: {exc}", file=sys.stderr)
            return 1
    corpus = Path(getattr(args, "corpus", "corpus"))
    if current_build(index_dir) is None:
        why = f"No index at {index_dir}."
    else:
        why = out_of_date(read_manifest(index_dir), index_dir)
    if why:
        from app.index.build import build

        print(f"{why} Building it from {corpus} first…", file=sys.stderr)
        result = build(corpus, index_dir, embed_model, progress=True)
        print(result.summary(), file=sys.stderr)
    from app.cli import answerer_config
    from app.errors import GongyouError
    from app.generate.answerers import make_answerer
    from app.web.app import build_ui  # here: app.py imports this module's concurrency figures

    answerer = answerer_config(args)
    try:
        make_answerer(answerer)  # a model that cannot be used is reported now, not at the first question
    except GongyouError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    demo = build_ui(
        index_dir, data_dir, embed_model=embed_model, auth=auth is not None, answerer_config=answerer
    )
    try:
        url = launch(demo, args.host, args.port, auth)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"Gongyou 工友 is running at {url}  (Ctrl+C to stop)", flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    finally:
        demo.close()
    return 0
