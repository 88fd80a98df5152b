"""The one family of errors a person is meant to read.

Every problem Gongyou reports to a user (a bad question, a missing corpus, an index that needs a
rebuild, a model that cannot load, a bad evaluation flag) is a `GongyouError`: its message says
what went wrong and the command that fixes it, and `exit_code` is what the CLI returns. Each
shell (the CLI, the web UI, `gongyou eval`) catches this class once; anything else is a bug.
"""

from __future__ import annotations

PROBLEM = 1  # the corpus, the index, a model or a data file: the message gives the fix
BAD_INPUT = 2  # a question, a flag or an input file that cannot work


class GongyouError(Exception):
    """A problem for the person at the keyboard; `str(error)` is the whole message."""

    exit_code = PROBLEM


class BadInput(GongyouError):
    """Input that cannot work as given: an empty question, a wrong flag value, a missing file."""

    exit_code = BAD_INPUT


class CorpusProblem(GongyouError, FileNotFoundError):
    """No corpus where one was named, or nothing readable in it."""


class MissingDependency(GongyouError):
    """Gongyou was started by a Python without its packages (say, the system's `python3 -m app`)."""

    @classmethod
    def of(cls, exc: ImportError) -> MissingDependency:
        import sys

        missing = f"no module {exc.name!r}" if exc.name else str(exc)
        return cls(
            f"This Python ({sys.executable}) does not have Gongyou's packages installed ({missing}). "
            "Run Gongyou with the Python that has them (.venv/bin/gongyou, or .venv/bin/python -m app), "
            "or install them: bash scripts/setup.sh"
        )
