"""What the CLI writes to a terminal or a pipe, made safe for whatever is on the other end.

- A stream that cannot encode Chinese (PYTHONIOENCODING=ascii, a C locale) gets backslash escapes
  instead of a UnicodeEncodeError, and JSON output is then written with \\uXXXX escapes, which any
  JSON reader decodes back to the same text.
- Text from the file system or from documents (file names, titles) is printed with control
  characters escaped: a file named "a\\x1b[2J.txt" must not clear the screen of `gongyou list`.
- A reader that goes away (`gongyou list | head`) ends the command quietly.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from typing import Any, TextIO

# Invisible characters that reorder the text around them (bidi overrides and isolates): a file
# name could show as another name. Shown escaped, like control characters.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def can_show_chinese(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "工友".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def tolerant_streams() -> None:
    """stdout and stderr escape what their encoding cannot show, instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not can_show_chinese(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def emit_json(obj: Any) -> None:
    """One JSON line on stdout, flushed (ASCII escapes when stdout cannot show Chinese)."""
    print(json.dumps(obj, ensure_ascii=not can_show_chinese(sys.stdout)), flush=True)


def printable(text: Any, keep: str = "") -> str:
    """Text with control and bidi characters escaped (\\x1b, \\u202e); those in `keep` are kept."""
    if text is None:
        return ""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(
        ch if ch in keep or not _unsafe(ch) else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS


def quiet_broken_pipe() -> None:
    """After the reader of stdout went away: point stdout at /dev/null, so Python's final flush
    does not print a second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
