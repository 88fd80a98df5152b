"""Building and updating an index: load → clean → chunk → embed + BM25 → write.

`build` indexes a whole corpus (a folder of documents or a .jsonl of passages); `add` and
`remove` change some documents of an existing index. All three reuse the vectors of unchanged
chunks and swap the new build in atomically (see app.index).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.chunk import CHUNK_OVERLAP, CHUNK_SIZE, chunk_documents
from app.clean import clean_document
from app.embed import Embedder, load_embedder
from app.index import Index, IndexProblem, current_build, load_index, write_index
from app.loaders import LoadReport, load_corpus
from app.models import Chunk, DocMeta, Document


@dataclass
class BuildResult:
    manifest: dict
    report: LoadReport
    seconds: float
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        m = self.manifest
        lines = [
            f"Indexed {m['doc_count']} documents as {m['chunk_count']} passages in {self.seconds:.1f} s "
            f"(embedded {m['embedded_chunks']}, reused {m['chunk_count'] - m['embedded_chunks']}).",
            f"Embedder: {m['embedder']['name']} ({m['embedder']['dim']} dimensions), "
            f"dense index: {m['dense_index']}.",
        ]
        lines += self.notes
        report = self.report.summary()
        return "\n".join([*lines, report] if report else lines)


def _previous(index_dir: Path) -> Index | None:
    """The current build, if readable: its vectors can be reused."""
    if current_build(index_dir) is None:
        return None
    try:
        return load_index(index_dir)
    except IndexProblem:
        return None


def _chunks_for(docs: Iterable[Document], chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    return chunk_documents((clean_document(d) for d in docs), chunk_size, chunk_overlap)


def build(
    corpus: Path,
    index_dir: Path,
    embed_model: str | None = None,
    *,
    chunk_size: int = CHUNK_SIZE,
    chunk_overlap: int = CHUNK_OVERLAP,
    progress: bool = True,
    warn: Callable[[str], None] | None = None,
    embedder: Embedder | None = None,
) -> BuildResult:
    """Index a whole corpus into index_dir; raises FileNotFoundError for a missing corpus."""
    started = time.perf_counter()
    if not corpus.exists():
        raise FileNotFoundError(
            f"No corpus at {corpus}. Pass --corpus with a folder of documents or a .jsonl of passages."
        )
    docs, report = load_corpus(corpus)
    if not docs:
        raise FileNotFoundError(f"No readable documents in {corpus}.\n{report.summary()}")
    previous = _previous(index_dir)
    embedder = embedder or load_embedder(embed_model, **({"warn": warn} if warn else {}))
    chunks = _chunks_for(docs, chunk_size, chunk_overlap)
    metas = {d.doc_id: d.meta for d in docs}
    hashes = {d.doc_id: d.content_hash for d in docs}
    manifest = write_index(
        index_dir,
        chunks,
        metas,
        hashes,
        embedder,
        requested_embedder=embed_model,
        settings={"chunk_size": chunk_size, "chunk_overlap": chunk_overlap, "corpus": str(corpus)},
        previous=previous,
        progress=progress,
    )
    return BuildResult(manifest, report, time.perf_counter() - started)


def _existing(index: Index) -> tuple[list[Chunk], dict[str, DocMeta], dict[str, str]]:
    return list(index.chunks), dict(index.docs), dict(index.doc_hashes)


def add(paths: list[Path], index_dir: Path, *, progress: bool = False) -> BuildResult:
    """Add or replace documents in an existing index; unchanged chunks keep their vectors."""
    started = time.perf_counter()
    index = load_index(index_dir)
    embedder = load_embedder(index.embedder_name, fallback=False)
    chunks, metas, hashes = _existing(index)
    report = LoadReport([], [], [])
    new_docs: list[Document] = []
    for path in paths:
        docs, part = load_corpus(path)
        report.loaded += part.loaded
        report.skipped += part.skipped
        report.warnings += part.warnings
        report.documents += part.documents
        new_docs += docs
    notes = []
    by_hash = {h: d for d, h in hashes.items()}
    fresh = []
    for doc in new_docs:
        twin = by_hash.get(doc.content_hash)
        if twin is not None:
            report.skipped.append(
                (doc.meta.source_path or doc.doc_id, f"duplicate of indexed document {twin}")
            )
            continue
        if doc.doc_id in metas:
            notes.append(f"Replaced {doc.doc_id} (its content changed).")
        fresh.append(doc)
    replaced = {d.doc_id for d in fresh}
    chunks = [c for c in chunks if c.doc_id not in replaced] + _chunks_for(fresh, **_chunk_settings(index))
    for doc in fresh:
        metas[doc.doc_id] = doc.meta
        hashes[doc.doc_id] = doc.content_hash
    manifest = _rewrite(index, index_dir, chunks, metas, hashes, embedder, progress)
    return BuildResult(manifest, report, time.perf_counter() - started, notes)


def remove(doc_ids: list[str], index_dir: Path) -> BuildResult:
    """Remove documents by id; raises KeyError naming ids that are not in the index."""
    started = time.perf_counter()
    index = load_index(index_dir)
    missing = [d for d in doc_ids if d not in index.docs]
    if missing:
        raise KeyError(f"Not in the index: {', '.join(missing)}. `gongyou list` shows the document ids.")
    embedder = load_embedder(index.embedder_name, fallback=False)
    chunks, metas, hashes = _existing(index)
    gone = set(doc_ids)
    chunks = [c for c in chunks if c.doc_id not in gone]
    for doc_id in gone:
        metas.pop(doc_id)
        hashes.pop(doc_id, None)
    manifest = _rewrite(index, index_dir, chunks, metas, hashes, embedder, False)
    notes = [f"Removed {', '.join(sorted(gone))}."]
    return BuildResult(manifest, LoadReport([], [], []), time.perf_counter() - started, notes)


def _chunk_settings(index: Index) -> dict[str, int]:
    settings = index.manifest.get("settings", {})
    return {
        "chunk_size": int(settings.get("chunk_size", CHUNK_SIZE)),
        "chunk_overlap": int(settings.get("chunk_overlap", CHUNK_OVERLAP)),
    }


def _rewrite(index, index_dir, chunks, metas, hashes, embedder, progress) -> dict:
    # Chunk ids stay unique per document; renumbering is not needed because ids carry the doc id.
    return write_index(
        index_dir,
        chunks,
        metas,
        hashes,
        embedder,
        requested_embedder=index.manifest["embedder"].get("requested"),
        settings=index.manifest.get("settings", {}),
        previous=index,
        progress=progress,
    )


def print_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)
