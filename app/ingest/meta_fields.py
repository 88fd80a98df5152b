"""The types of citation fields: what metadata.json and .jsonl lines may give, checked on the way in.

A citation shows a document's title, publisher, date, region and script as text. A value of the
wrong type (a number, a list, an object) used to be accepted and then crashed every answer that
cited the document; now each field is checked when the metadata is read:

- title, publisher, region, source_site: text or null; anything else is dropped with a warning
  (the loader's own reading of the document then fills the field);
- date: text or null; a date-like number is read as a date (20201209 → "2020-12-09",
  2020 → "2020"), anything else is dropped with a warning;
- script: "simplified", "traditional" or null; anything else is dropped (it is then detected);
- extra: an object, or dropped.

Keys outside these (published, law_no, ...) are kept as they are, in `DocMeta.extra`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

TEXT_FIELDS = ("title", "publisher", "region", "source_site")
SCRIPTS = ("simplified", "traditional")
_SHOWN_CHARS = 40  # of a rejected value, in the warning


def checked_fields(entry: dict[str, Any], warn: Callable[[str], None]) -> dict[str, Any]:
    """The entry with every citation field of the right type; `warn` is told what was dropped or read."""
    out: dict[str, Any] = {}
    for key, value in entry.items():
        if key in TEXT_FIELDS:
            if value is None or isinstance(value, str):
                out[key] = value.strip() if isinstance(value, str) else None
            else:
                warn(f"{key} {_shown(value)} is {_kind(value)}, not text: ignored")
        elif key == "date":
            date = coerce_date(value)
            if date is not None or value is None or value == "":
                if isinstance(value, (int, float)):
                    warn(f"date {_shown(value)} is a number: read as {date}")
                out[key] = date
            else:
                warn(f"date {_shown(value)} is {_kind(value)}, not a date: ignored")
        elif key == "script":
            if value is None or value in SCRIPTS:
                out[key] = value
            else:
                warn(f"script {_shown(value)} is not one of {', '.join(SCRIPTS)}: ignored (detected instead)")
        elif key == "extra":
            if isinstance(value, dict):
                out[key] = value
            else:
                warn(f"extra {_shown(value)} is {_kind(value)}, not an object: ignored")
        else:
            out[key] = value
    return out


def coerce_date(value: Any) -> str | None:
    """A date as citations show it: text as given (stripped); a date-like number as a date; else None.

    20201209 → "2020-12-09"; 2020 (or 2020.0) → "2020"; a number that is neither → None.
    """
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if 1000 <= value <= 9999:
        return str(value)
    if 10_000_000 <= value <= 99_999_999:
        try:
            return dt.date(value // 10_000, value // 100 % 100, value % 100).isoformat()
        except ValueError:
            return None
    return None


def as_text(value: Any) -> str:
    """Any stored field value as text for display (indexes built before these checks may hold others)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "、".join(as_text(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"
