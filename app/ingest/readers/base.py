"""What a reader is: a record of what one file format can do, and the text it reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.models import Document


@dataclass
class ReadText:
    """The text of one file, with what its format says about the document."""

    text: str
    title: str | None = None  # from the format: HTML <title> or first <h1>, Markdown heading
    site: str | None = None  # the web site, from an HTML page
    hints: dict[str, str] = field(default_factory=dict)  # encoding, meta_date, meta_publisher, page_text


ReadDocument = Callable[[bytes, list[str]], ReadText]
"""(file bytes, warnings to append to) → its text; raises LoadError when unreadable."""

ReadPassages = Callable[[bytes, str, dict, list[str]], list[Document]]
"""(file bytes, relative path, its metadata.json entry, warnings) → ready passages; raises LoadError."""


@dataclass(frozen=True)
class Reader:
    """One file format. It reads either one document per file (`read`) or many ready passages."""

    read: ReadDocument | None = None
    read_passages: ReadPassages | None = None
    empty_reason: str = "no text found"  # the skip reason when the file holds no text
    max_bytes: int | None = None  # the file size limit, when not that of a document (app/limits.py)
