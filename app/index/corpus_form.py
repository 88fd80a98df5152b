"""Every passage's text (with its title and section) in the matching form, written at build time.

"Does any document use this word?" (Pipeline.occurs, which marks a question's key terms unknown)
is one substring test on it. Built at the first question it cost 60-80 ms of a 1.6 s cold start
(NFKC and OpenCC over the whole corpus); read from the build it costs about 2 ms.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.models import Chunk, DocMeta
from app.text.normalize import match_form

FILE = "corpus_form.txt"


def corpus_form(chunks: Iterable[Chunk], docs: dict[str, DocMeta]) -> str:
    """The passages in the matching form, separated by U+0001 (no word spans two passages)."""
    return match_form("\u0001".join(f"{docs[c.doc_id].title}{c.heading}{c.text}" for c in chunks))


def write_corpus_form(folder: Path, chunks: Iterable[Chunk], docs: dict[str, DocMeta]) -> None:
    (folder / FILE).write_text(corpus_form(chunks, docs), encoding="utf-8")


def read_corpus_form(folder: Path) -> str | None:
    """The stored form, or None for a build made before it was stored."""
    try:
        return (folder / FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
