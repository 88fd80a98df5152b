"""Helpers for the UI tests: start the Gradio app on a free port, and find Debian's chromium.

Imported by tests/test_ui_api.py and tests/test_ui_browser.py (not a conftest: the lead owns that).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = (
    f"Debian chromium not found at {CHROMIUM}: the browser tests need it "
    "(`.ci/run` installs it with apt-get install chromium fonts-noto-cjk)."
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(
    index_dir: Path, data_dir: Path, auth: list[tuple[str, str]] | None = None, admin=None
) -> Iterator[tuple[str, object]]:
    """The Gongyou UI on 127.0.0.1:<free port>; yields (url, demo) and closes it afterwards.

    `auth` lists administrators as (user, password or hash), who sign in at /admin; `admin` is an
    `AdminArea` to use instead (a test that reaches into its sessions or throttle)."""
    from app.web.accounts import Accounts
    from app.web.admin import AdminArea
    from app.web.answerer import Answerer
    from app.web.app import build_ui
    from app.web.launch import launch

    if admin is None and auth is not None:
        admin = AdminArea(Accounts.from_pairs(auth))
    Answerer(index_dir).warm()  # load the index and jieba now, not inside the first timed request
    demo = build_ui(index_dir, data_dir, admin=admin, warm=False)
    url = launch(demo, "127.0.0.1", free_port(), admin)
    try:
        yield url, demo
    finally:
        demo.close()
