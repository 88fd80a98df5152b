"""Which files of a corpus folder to read, and why any other path was passed over.

Hidden files and folders (".git", "~$" Word lock files) and metadata.json are not documents and
are ignored. Everything else is either read or named with a reason: a sub-folder that cannot be
listed, a symbolic link out of the corpus folder (a link to /etc/passwd must not end up quoted
in answers), a broken link, a device or pipe. Links out of the folder are followed only when
asked (`--follow-links`); links to folders are then walked once each, so a loop ends.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

METADATA_FILE = "metadata.json"
FOLLOW_HINT = "pass --follow-links to index it"


@dataclass
class Tree:
    """The files to read (sorted by relative path) and the paths passed over, with the reason."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path relative to the root, reason)
    metadata: list[Path] = field(default_factory=list)  # every metadata.json found


def hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _inside(target: Path, root: Path) -> bool:
    try:
        target.relative_to(root)
    except ValueError:
        return False
    return True


def walk_corpus(root: Path, follow_links: bool = False) -> Tree:
    """Every document file under root, and every path passed over with the reason."""
    root = Path(root)
    real_root = root.resolve()
    tree = Tree()
    seen_folders = {real_root}

    def unreadable(error: OSError) -> None:
        where = relative(Path(error.filename), root) if error.filename else "?"
        tree.skipped.append((where, f"cannot read this folder: {error.strerror or error}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=follow_links):
        folder = Path(dirpath)
        kept_dirs = []
        for name in sorted(dirnames):
            if hidden(name):
                continue
            path = folder / name
            if path.is_symlink():
                reason = _folder_link_problem(path, real_root, follow_links, seen_folders)
                if reason:
                    tree.skipped.append((relative(path, root), reason))
                    continue
            kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in filenames:
            if hidden(name):
                continue
            path = folder / name
            if name == METADATA_FILE:
                tree.metadata.append(path)
                continue
            reason = _file_problem(path, real_root, follow_links)
            if reason:
                tree.skipped.append((relative(path, root), reason))
            else:
                tree.files.append(path)
    tree.files.sort(key=lambda p: relative(p, root))
    tree.metadata.sort(key=lambda p: relative(p, root))
    return tree


def _folder_link_problem(path: Path, real_root: Path, follow_links: bool, seen: set[Path]) -> str | None:
    """Why a link to a folder is not walked, or None (then it is walked, once)."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python < 3.13)
        return "broken symbolic link"
    if not follow_links:
        where = "inside" if _inside(target, real_root) else "outside"
        return f"symbolic link to a folder {where} the corpus ({target}): not followed; {FOLLOW_HINT}"
    if target in seen or _inside(real_root, target):
        return f"symbolic link to a folder already walked ({target}): not walked again"
    seen.add(target)
    return None


def _file_problem(path: Path, real_root: Path, follow_links: bool) -> str | None:
    """Why a file is not read, or None."""
    try:
        info = path.stat()  # follows a link
    except OSError as exc:
        if path.is_symlink():
            return "broken symbolic link"
        return f"cannot read: {exc.strerror or exc}"
    if path.is_symlink() and not follow_links:
        target = path.resolve()
        if not _inside(target, real_root):
            return f"symbolic link to a file outside the corpus ({target}): not followed; {FOLLOW_HINT}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a device, pipe or socket)"
    return None
