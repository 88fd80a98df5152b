"""Administrators' uploads: safe file names, the --auth file, and adding accepted files to the index."""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from app.web.i18n import t
from app.web.render import escape_md

log = logging.getLogger("gongyou.ui")

UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl"]
MAX_UPLOAD = "20mb"  # Gradio refuses larger files in the browser and on the server
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def safe_upload_name(name: str) -> str | None:
    """The bare file name of an upload, or None when it must be refused (hidden, empty, traversal)."""
    base = Path(name.replace("\\", "/")).name.strip()
    if not base or base.startswith(".") or any(ord(ch) < 32 for ch in base):
        return None  # hidden, empty or all spaces, or a control character (NUL breaks copying)
    return base


def read_auth_file(path: Path) -> list[tuple[str, str]]:
    """'user:password' lines; blank lines and # comments are ignored. Raises ValueError."""
    pairs = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user.strip() or not password:
            raise ValueError(f"{path}:{number}: expected 'user:password'")
        pairs.append((user.strip(), password))
    if not pairs:
        raise ValueError(f"{path}: no 'user:password' lines")
    return pairs


def add_uploads(
    files: Sequence[str], index_dir: Path, data_dir: Path, lang: str, lock: threading.Lock | None = None
) -> str:
    """Copy accepted uploads under data_dir/uploads/<stamp>/ and add them to the index."""
    from app.index.build import add

    rejected: list[str] = []
    accepted: list[tuple[Path, str]] = []
    for item in files:
        source = Path(item if isinstance(item, str) else getattr(item, "name", str(item)))
        name = safe_upload_name(source.name)
        if name is None:
            rejected.append(
                t(lang, "upload_rejected", name=escape_md(source.name), why=t(lang, "upload_bad_name"))
            )
        elif Path(name).suffix.lower() not in UPLOAD_TYPES:
            rejected.append(t(lang, "upload_rejected", name=escape_md(name), why=t(lang, "upload_bad_type")))
        elif not source.is_file() or source.stat().st_size > MAX_UPLOAD_BYTES:
            rejected.append(t(lang, "upload_rejected", name=escape_md(name), why=t(lang, "upload_too_big")))
        else:
            accepted.append((source, name))
    lines = [f"- {r}" for r in rejected]
    if accepted:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]
        folder = Path(data_dir) / "uploads" / stamp
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for source, name in accepted:
            target = folder / name
            shutil.copyfile(source, target)
            paths.append(target)
        try:
            with lock or threading.Lock():
                summary = add(paths, Path(index_dir)).summary()
            lines.insert(0, t(lang, "upload_done"))
            lines.append("")
            lines.append("```\n" + summary.replace("```", "'''") + "\n```")
        except Exception as exc:
            log.exception("adding uploads failed")
            lines.insert(0, f"{t(lang, 'upload_failed')} {escape_md(str(exc))}")
    return "\n".join(lines)
