"""Administrators' uploads: safe file names, and adding accepted files to the index.

Accepted files are copied under `<data>/uploads/<UTC time>-<id>/` and added to the index; a file
the index did not take (empty, unreadable, a duplicate) is deleted from there again, and Gradio's
temporary copy of every upload is deleted once handled. Who may upload is checked before this
runs (guard.py, handlers.upload_handler).
"""

from __future__ import annotations

import json
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


def add_uploads(
    files: Sequence[str], index_dir: Path, data_dir: Path, lang: str, lock: threading.Lock | None = None
) -> str:
    """Copy accepted uploads under data_dir/uploads/<stamp>/, add them to the index, and say what happened."""
    rejected: list[str] = []
    accepted: list[tuple[Path, str]] = []
    sources = [Path(item if isinstance(item, str) else getattr(item, "name", str(item))) for item in files]
    for source in sources:
        name = safe_upload_name(source.name)
        if name is None:
            rejected.append(
                t(lang, "upload_rejected", name=escape_md(source.name), why=t(lang, "upload_bad_name"))
            )
        elif Path(name).suffix.lower() not in UPLOAD_TYPES:
            rejected.append(t(lang, "upload_rejected", name=escape_md(name), why=t(lang, "upload_bad_type")))
        elif not source.is_file() or source.stat().st_size > MAX_UPLOAD_BYTES:
            rejected.append(t(lang, "upload_rejected", name=escape_md(name), why=t(lang, "upload_too_big")))
        elif name in {n for _, n in accepted}:
            rejected.append(t(lang, "upload_rejected", name=escape_md(name), why=t(lang, "upload_same_name")))
        else:
            accepted.append((source, name))
    lines = [f"- {r}" for r in rejected]
    try:
        if accepted:
            lines = _index(accepted, index_dir, data_dir, lang, lock) + lines
        elif not lines:
            lines = [t(lang, "upload_nothing")]
    finally:
        discard_temporary(sources)
    return "\n".join(lines)


def _index(
    accepted: list[tuple[Path, str]], index_dir: Path, data_dir: Path, lang: str, lock: threading.Lock | None
) -> list[str]:
    from app.index.build import add

    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]
    folder = Path(data_dir) / "uploads" / stamp
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for source, name in accepted:
        shutil.copyfile(source, folder / name)
        paths.append(folder / name)
    try:
        with lock or threading.Lock():
            result = add(paths, Path(index_dir))
            kept = indexed_sources(Path(index_dir), [*result.added, *result.replaced])
    except Exception as exc:
        log.exception("adding uploads failed")
        shutil.rmtree(folder, ignore_errors=True)
        return [f"{t(lang, 'upload_failed')} {escape_md(str(exc))}"]
    for path in paths:
        if path.name not in kept:
            path.unlink(missing_ok=True)  # skipped by the index: nothing refers to it
    if not any(folder.iterdir()):
        folder.rmdir()
    summary = "```\n" + result.summary().replace("```", "'''") + "\n```"
    head = t(lang, "upload_done") if kept else t(lang, "upload_nothing")
    return [head, "", summary, ""]


def indexed_sources(index_dir: Path, doc_ids: Sequence[str]) -> set[str]:
    """The file names the given documents of the current build were read from."""
    from app.index.store import current_build

    build = current_build(index_dir)
    if build is None or not doc_ids:
        return set()
    docs = json.loads((build / "docs.json").read_text(encoding="utf-8"))
    return {str(docs[d]["meta"].get("source_path") or "") for d in doc_ids if d in docs}


def discard_temporary(paths: Sequence[Path]) -> None:
    """Delete Gradio's temporary copies of uploads (its cache would keep them for a day)."""
    from gradio.utils import get_upload_folder

    cache = Path(get_upload_folder()).resolve()
    for path in paths:
        try:
            resolved = path.resolve()
            if resolved.is_relative_to(cache) and resolved.is_file():
                resolved.unlink()
                if resolved.parent != cache and not any(resolved.parent.iterdir()):
                    resolved.parent.rmdir()
        except OSError:
            continue
