"""File readers, one module per format, and the one table that maps file suffixes to them.

Adding a format = a module with a `read(data, warnings) -> ReadText` function (readers/base.py)
+ one line in READERS.
Heavy libraries (pypdf, python-docx, trafilatura) are imported inside the functions that use them.
"""

from __future__ import annotations

from app.ingest.readers.base import Reader
from app.ingest.readers.docx_file import read_docx
from app.ingest.readers.html_page import read_html
from app.ingest.readers.jsonl_passages import read_passages
from app.ingest.readers.pdf_file import read_pdf
from app.ingest.readers.text_file import read_markdown, read_text_file
from app.limits import MAX_PASSAGES_FILE_BYTES

READERS: dict[str, Reader] = {
    ".txt": Reader(read=read_text_file, empty_reason="empty file"),
    ".md": Reader(read=read_markdown, empty_reason="empty file"),
    ".html": Reader(read=read_html),
    ".htm": Reader(read=read_html),
    ".pdf": Reader(read=read_pdf),
    ".docx": Reader(read=read_docx),
    # A .jsonl holds many ready passages (a whole benchmark corpus), not one document: it has its
    # own file size limit, and each passage one of its own (app/limits.py).
    ".jsonl": Reader(read_passages=read_passages, max_bytes=MAX_PASSAGES_FILE_BYTES),
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(READERS)
