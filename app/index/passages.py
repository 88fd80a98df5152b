"""A build's passages: the documents cleaned and chunked, within app/limits.py's limits.

The chunk size and overlap a build is asked for are checked first (BadInput, exit 2); a document
cut into more than MAX_PASSAGES_PER_DOCUMENT passages is skipped and named in the load report.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.errors import BadInput
from app.ingest.chunk import chunks_by_document
from app.ingest.clean import clean_document
from app.ingest.report import LoadReport, over_limit
from app.limits import MAX_CHUNK_SIZE, MAX_PASSAGES_PER_DOCUMENT, MIN_CHUNK_SIZE
from app.models import Chunk, Document
from app.settings import current


def check_chunking(chunk_size: int, chunk_overlap: int) -> None:
    """Refuse passage sizes that cannot work (BadInput names the limits in app/limits.py)."""
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise BadInput(
            f"--chunk-size {chunk_size} is outside {MIN_CHUNK_SIZE}..{MAX_CHUNK_SIZE} characters "
            f"(default {current().chunk_size})."
        )
    if not 0 <= chunk_overlap < chunk_size:
        raise BadInput(
            f"--chunk-overlap {chunk_overlap} must be at least 0 and smaller than --chunk-size {chunk_size} "
            f"(default {current().chunk_overlap})."
        )


def passages_of(
    docs: Iterable[Document], chunk_size: int, chunk_overlap: int, report: LoadReport
) -> tuple[list[Chunk], list[Document]]:
    """The chunks of the documents, and the documents kept: one cut into more passages than
    MAX_PASSAGES_PER_DOCUMENT (app/limits.py) is skipped and named in the report."""
    docs = list(docs)
    chunked = chunks_by_document((clean_document(d) for d in docs), chunk_size, chunk_overlap)
    chunks: list[Chunk] = []
    kept: list[Document] = []
    for doc, (_, own) in zip(docs, chunked):  # in order: one document cleaned and chunked at a time
        if len(own) > MAX_PASSAGES_PER_DOCUMENT:
            source = doc.meta.source_path or doc.doc_id
            where = source if not doc.is_passage else f"{source} (passage {doc.doc_id})"
            reason = over_limit("too many passages", len(own), MAX_PASSAGES_PER_DOCUMENT, "per document")
            report.skipped.append((where, reason.reason))
            if source in report.loaded and not doc.is_passage:
                report.loaded.remove(source)
            report.documents -= 1
            continue
        chunks += own
        kept.append(doc)
    return chunks, kept
