"""Reading `gongyou ask/search --input FILE`: one question per line, every bad line named.

A line is a question as plain text, or a JSON object with a "question" field (other fields are
ignored), or a JSON string. Blank lines are passed over. Every other line becomes an `InputLine`
with an `error` instead of a question: not UTF-8, longer than MAX_INPUT_LINE_BYTES, broken JSON,
no "question" field, a question that is not text. The caller answers the good lines and writes
one error object per bad one, so a bad line never stops the batch or hides the lines around it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from app.errors import BadInput
from app.limits import MAX_INPUT_LINE_BYTES

_SHOWN_CHARS = 200  # of a bad line, in its error object


@dataclass
class InputLine:
    """One non-blank line: the question to ask, or why it cannot be asked."""

    number: int  # 1-based line number in the file
    question: str | None = None
    error: str | None = None
    text: str = ""  # the line as read (cut, undecodable bytes replaced), for the error object

    def error_object(self) -> dict[str, Any]:
        return {"line": self.number, "question": self.text, "error": self.error}


def open_input(path: str) -> BinaryIO:
    """The --input stream ('-' is stdin); BadInput (exit 2) for a missing file, a folder, no access."""
    if path == "-":
        return sys.stdin.buffer
    file = Path(path)
    if file.is_dir():
        raise BadInput(f"The --input path {path} is a folder: give a file with one question per line.")
    try:
        return open(file, "rb")
    except OSError as exc:
        raise BadInput(f"Cannot read the --input file {path}: {exc.strerror or exc}.") from exc


def read_questions(stream: BinaryIO, max_line_bytes: int = MAX_INPUT_LINE_BYTES) -> Iterator[InputLine]:
    """Every non-blank line of the stream, in order, read one at a time (stdin can be a pipe)."""
    number = 0
    while True:
        raw = stream.readline(max_line_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream, max_line_bytes)
            yield InputLine(
                number,
                error=f"line longer than {max_line_bytes:,} bytes (limit in app/limits.py): not read",
                text=_shown(raw.decode("utf-8", errors="replace")),
            )
            continue
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
        line = parse_line(raw, number)
        if line is not None:
            yield line


def parse_line(raw: bytes, number: int) -> InputLine | None:
    """One line's bytes → its question or error; None for a blank line."""
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        return InputLine(
            number,
            error=f"not UTF-8 (byte 0x{raw[exc.start]:02x} at position {exc.start}): save the file as UTF-8",
            text=_shown(raw.decode("utf-8", errors="replace").strip()),
        )
    if not text:
        return None
    if not text.startswith(("{", '"')):
        return InputLine(number, question=text, text=_shown(text))
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        if text.startswith('"'):  # a question that starts with a quotation mark
            return InputLine(number, question=text, text=_shown(text))
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deep"
        return InputLine(number, error=f"not valid JSON ({detail})", text=_shown(text))
    if isinstance(value, dict):
        if "question" not in value:
            return InputLine(number, error='a JSON line needs a "question" field', text=_shown(text))
        value = value["question"]
    if not isinstance(value, str):
        return InputLine(number, error=f'"question" must be text, not {_kind(value)}', text=_shown(text))
    return InputLine(number, question=value, text=_shown(value))


def _skip_rest_of_line(stream: BinaryIO, block: int) -> None:
    while True:
        rest = stream.readline(block)
        if not rest or rest.endswith(b"\n"):
            return


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"
