"""Plain text (.txt) and Markdown (.md): encoding detected; a Markdown file's first line is its title."""

from __future__ import annotations

from app.ingest.encoding import decode_text
from app.ingest.readers.base import ReadText


def read_text_file(data: bytes, warnings: list[str]) -> ReadText:
    text, encoding = decode_text(data)
    hints: dict[str, str] = {}
    if encoding not in ("utf-8", "ascii"):
        hints["encoding"] = encoding
    if encoding.startswith("utf-8+"):
        legacy = encoding.split("+", 1)[1]
        warnings.append(f"mixed encodings: lines in UTF-8 and in {legacy}, each line decoded in its own")
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
