"""Plain text (.txt) and Markdown (.md): encoding detected; a Markdown file's first line is its title."""

from __future__ import annotations

from app.ingest.encoding import decode_text
from app.ingest.readers.base import ReadText


def read_text_file(data: bytes, warnings: list[str]) -> ReadText:
    text, encoding = decode_text(data)
    hints: dict[str, str] = {}
    if encoding not in ("utf-8", "ascii"):
        hints["encoding"] = encoding
    if "\ufffd" in text and encoding != "utf-8":
        warnings.append(f"decoded as {encoding} with {text.count(chr(0xFFFD))} undecodable characters")
    return ReadText(text, hints=hints)


def read_markdown(data: bytes, warnings: list[str]) -> ReadText:
    page = read_text_file(data, warnings)
    page.title = _markdown_title(page.text)
    return page


def _markdown_title(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip() or None
    return None
