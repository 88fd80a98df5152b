"""One writer at a time per index folder, and what to say when the folder cannot be written.

An upload in the UI and a `gongyou add` in a terminal cannot lose each other's documents: writers
take an advisory lock file in the index folder (readers never wait). A folder that cannot be
written (read-only, a full disk) is an IndexProblem naming the folder and the system's reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.index.store import IndexProblem

LOCK_FILE = ".lock"


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[bool]:
    """One writer at a time per index folder (POSIX advisory lock; readers never wait).

    Yields whether the lock is exclusive (False on Windows, which has no advisory locks): then
    no other build can be writing, and any temporary build folder was left by a killed one.

    A folder that cannot be written (read-only, full disk) is an IndexProblem naming the folder
    and the system's reason; the index is left as it was (a build is swapped in only when whole).
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; concurrent writers are the user's care
        fcntl = None
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / LOCK_FILE, "a+")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise unwritable(index_dir, exc) from exc
    with handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield fcntl is not None
        except OSError as exc:
            raise unwritable(index_dir, exc) from exc
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def unwritable(index_dir: Path, exc: OSError) -> IndexProblem:
    where = f" ({exc.filename})" if exc.filename else ""
    return IndexProblem(
        f"Cannot write to the index folder {index_dir}: {exc.strerror or exc}{where}. The index is "
        "unchanged. Check that the folder is writable and the disk has room, or pass another --index."
    )
