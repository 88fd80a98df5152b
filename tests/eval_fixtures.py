"""Helpers for the `gongyou eval` tests (tests/integration/test_evaluate.py, tests/benchmark)."""

from __future__ import annotations

import json

from app.cli import main as cli_main


def run_eval(capsys, *argv: str) -> tuple[int, dict | None, str]:
    """Run `gongyou eval ... --json`; returns the exit code, the printed metrics and stderr."""
    code = cli_main(["eval", "--json", *argv])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out.strip() else None), captured.err
