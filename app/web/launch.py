"""Serving the UI: concurrency and queue, the launch settings (privacy, limits, theme, page assets
from app/web/static), and `serve` for `gongyou serve`."""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import sys
from importlib.resources import files
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from app.web.admin import AdminArea
from app.web.guard import Guard
from app.web.i18n import browser_i18n, busy_messages
from app.web.uploads import MAX_UPLOAD

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
    admin: AdminArea | None = None,
    *,
    quiet: bool = True,
) -> str:
    """Launch without blocking; returns the local URL. Analytics off, no share link, no history.

    Anyone may ask; guard.py serves /admin and lets only administrators signed in there store files
    (`admin` None: nobody may). Gradio's own `auth=` is not used: it would close the whole app."""
    _no_proxy_for_loopback()
    configure_queue(demo)
    _, url, _ = demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        app_kwargs={"middleware": [Middleware(Guard, area=admin or AdminArea())]},
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


def port_problem(host: str, port: int) -> str | None:
    """Why `serve` cannot listen on host:port (in words that name our flags), or None."""
    if not 1 <= port <= 65535:
        return f"--port must be between 1 and 65535, not {port}."
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except socket.gaierror:
        return f"cannot find the address {host!r}: give --host an address of this machine (e.g. 127.0.0.1)."
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return (
                f"port {port} on {host} is already in use (is Gongyou already running?). "
                f"Choose another port: gongyou serve --port {port + 1 if port < 65535 else 8080}"
            )
        if exc.errno == errno.EACCES:
            return f"not allowed to listen on port {port}: choose one above 1023 with --port."
        return f"cannot listen on {host}:{port} ({exc.strerror or exc}): check --host and --port."
    return None


def read_admins(path: Path) -> AdminArea:
    """The administrators of `--auth FILE` (raises OSError or ValueError); warns about plain passwords."""
    from app.web.accounts import file_warnings, load_accounts

    accounts = load_accounts(path)
    for note in file_warnings(path, accounts):
        print(f"warning: {note}", file=sys.stderr)
    return AdminArea(accounts)


def serve(args) -> int:
    """`gongyou serve`: build the index if it is missing or was built by an older Gongyou (progress
    in the terminal), then serve."""
    from app.index.store import current_build, out_of_date, read_manifest

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    index_dir = Path(args.index)
    data_dir = Path(getattr(args, "data", "data"))
    embed_model = getattr(args, "embed_model", None)
    host, port = getattr(args, "host", "127.0.0.1"), getattr(args, "port", None)
    if port is not None and (problem := port_problem(host, port)):
        print(f"error: {problem}", file=sys.stderr)
        return 2 if "--port must" in problem else 1
    admin = None
    if getattr(args, "auth", None):
        try:
            admin = read_admins(Path(args.auth))
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
    days = getattr(args, "feedback_days", None)
    demo = build_ui(
        index_dir,
        data_dir,
        embed_model=embed_model,
        admin=admin,
        feedback_days=days,
        answerer_config=answerer,
        reader=getattr(args, "reader", None),
    )
    try:
        url = launch(demo, host, port if port is not None else 7860, admin)
    except OSError as exc:
        problem = port_problem(host, port if port is not None else 7860) or str(exc)
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(f"Gongyou 工友 is running at {url}  (Ctrl+C to stop)", flush=True)
    if admin is not None:
        print(f"Administrators sign in at {url}admin to upload documents.", flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    finally:
        demo.close()
    return 0
