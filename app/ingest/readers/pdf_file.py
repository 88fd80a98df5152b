"""PDF (.pdf) through pypdf: the text layer of each page, pages joined with PAGE_BREAK.

Reading stops at app/limits.py's limits: a PDF of more than MAX_PDF_PAGES pages is refused before
any page is read, one whose text passes MAX_DOCUMENT_CHARS as soon as it does.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from app.ingest.readers.base import ReadText
from app.ingest.report import LoadError, over_limit
from app.limits import MAX_DOCUMENT_CHARS, MAX_PDF_PAGES
from app.models import PAGE_BREAK

SCANNED_PDF_REASON = "no text layer (scanned PDF?): OCR is not supported"


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    old = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(old)


def read_pdf(data: bytes, warnings: list[str]) -> ReadText:
    """Pages joined with PAGE_BREAK; a PDF without any text layer is refused (no OCR)."""
    import pypdf

    with _quiet("pypdf"):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise LoadError("corrupt or unreadable PDF: encrypted, a password is required")
            if len(reader.pages) > MAX_PDF_PAGES:
                raise over_limit("too many pages", len(reader.pages), MAX_PDF_PAGES, "pages per PDF")
            pages = list(reader.pages)
        except LoadError:
            raise
        except pypdf.errors.DependencyError as exc:  # AES needs the optional 'cryptography' package
            raise LoadError(f"corrupt or unreadable PDF: encrypted, cannot decrypt: {exc}") from exc
        except Exception as exc:
            raise LoadError(f"corrupt or unreadable PDF: {type(exc).__name__}: {exc}") from exc
        if not pages:
            raise LoadError("corrupt or unreadable PDF: no pages found")
        texts: list[str] = []
        failed: list[int] = []
        chars = 0
        for number, page in enumerate(pages, 1):
            if chars > MAX_DOCUMENT_CHARS:
                raise over_limit("too much text", chars, MAX_DOCUMENT_CHARS, "characters per document")
            try:
                texts.append((page.extract_text() or "").strip("\n"))
                chars += len(texts[-1])
            except pypdf.errors.DependencyError as exc:
                raise LoadError(f"corrupt or unreadable PDF: encrypted, cannot decrypt: {exc}") from exc
            except Exception:
                failed.append(number)
                texts.append("")
    if not any(t.strip() for t in texts):
        if failed:
            raise LoadError("corrupt or unreadable PDF: no page could be read")
        raise LoadError(SCANNED_PDF_REASON)
    if failed:
        warnings.append(f"text of page(s) {_ranges(failed)} could not be extracted")
    blank = [n for n, t in enumerate(texts, 1) if not t.strip() and n not in failed]
    if blank:
        warnings.append(f"page(s) {_ranges(blank)} have no text layer (scanned?): OCR is not supported")
    return ReadText(PAGE_BREAK.join(texts))


def _ranges(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10]))
    return shown + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
