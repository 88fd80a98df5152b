"""Errors of `gongyou eval`: GongyouErrors, so the CLI reports them and exits with their code."""

from __future__ import annotations

from app.errors import BAD_INPUT, GongyouError


class EvalError(GongyouError, RuntimeError):
    """A problem with the question set, the benchmark or the index; the message says the fix."""


class FlagError(EvalError):
    """A flag value that cannot work (exit code 2)."""

    exit_code = BAD_INPUT
