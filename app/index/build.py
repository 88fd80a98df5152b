"""Building and updating an index: load → clean → chunk → embed + BM25 → write.

`build` indexes a whole corpus (a folder of documents or a .jsonl of passages); `add` and
`remove` change some documents of an existing index. All three reuse the vectors (and BM25
tokens) of unchanged chunks, so only new or edited text is embedded, and swap the new build in
atomically (see app.index.store): a running server picks it up on its next question.

Writers of one index folder take turns (an advisory lock file, app/index/lock.py), so an upload
in the UI and a `gongyou add` in a terminal cannot lose each other's documents.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from app.errors import BadInput, CorpusProblem
from app.index.embedders.base import Embedder
from app.index.embedders.registry import load_embedder
from app.index.lock import writer_lock
from app.index.passages import check_chunking, passages_of
from app.index.results import BuildResult
from app.index.store import (
    Index,
    IndexProblem,
    current_build,
    index_embedder,
    load_index,
    read_manifest,
    rebuild_hint,
    write_index,
)
from app.index.workers import BuildWorkers
from app.ingest.report import LoadReport
from app.ingest.walk import load_corpus
from app.limits import MAX_FILE_BYTES
from app.models import DocMeta, Document
from app.settings import current
from app.text.sentences import SPLIT_VERSION


class UnknownDocuments(BadInput, KeyError):
    """Document ids that are not in the index."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class EmptyIndex(BadInput, ValueError):
    """A change that would leave the index without documents."""


# --------------------------------------------------------------------------- helpers


def _previous(index_dir: Path) -> Index | None:
    """The current build, if readable: its vectors can be reused."""
    if current_build(index_dir) is None:
        return None
    try:
        return load_index(index_dir)
    except IndexProblem:
        return None


class _ReuseOnly:
    """Stands in for the index's embedder when every vector is copied from the previous build."""

    def __init__(self, manifest: dict) -> None:
        record = manifest["embedder"]
        self.name, self.dim = record["name"], int(record["dim"])
        self.identity = {k: v for k, v in record.items() if k not in ("name", "dim", "requested")}
        # Sentence vectors are kept only when the previous build has them in the current split
        # (all then reused); "offline" here means: write none, never embed.
        self.offline = (manifest.get("sentences") or {}).get("split") != SPLIT_VERSION

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("no passage should need embedding when documents are only removed")

    embed_queries = embed_passages


def _chunk_settings(index: Index) -> dict[str, int]:
    settings = index.manifest.get("settings", {})
    return {
        "chunk_size": int(settings.get("chunk_size", current().chunk_size)),
        "chunk_overlap": int(settings.get("chunk_overlap", current().chunk_overlap)),
    }


def _rewrite(index: Index, index_dir: Path, chunks, metas, hashes, embedder, progress, exclusive) -> dict:
    # Chunk ids stay unique: they carry the doc id, and a replaced document's chunks all go.
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
        exclusive=exclusive,
        shards=index.shard_count,  # an update keeps the index's sharding
    )


def _stamp(metas: dict[str, DocMeta], hashes: dict[str, str], previous: Index | None) -> None:
    """Record when each document was indexed (kept while its content is unchanged), for `list`."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for doc_id, meta in metas.items():
        old = previous.docs.get(doc_id) if previous is not None else None
        same = old is not None and previous.doc_hashes.get(doc_id) == hashes.get(doc_id)
        meta.extra["indexed_at"] = (
            (same and old.extra.get("indexed_at")) or meta.extra.get("indexed_at") or now
        )


def _corpus_prefix(path: Path, index: Index) -> str:
    """ "sub/" when path lies in the folder the index was built from, so doc ids match the build's.

    `gongyou add corpus/sub/notice.txt` then replaces the document `sub/notice` that
    `gongyou build --corpus corpus/` indexed, instead of adding a second copy named `notice`.
    """
    settings = index.manifest.get("settings", {})
    corpus = settings.get("corpus_root") or settings.get("corpus")
    if not corpus or not Path(corpus).is_dir():
        return ""
    root = path if path.is_dir() else path.parent
    try:
        rel = root.resolve().relative_to(Path(corpus).resolve())
    except ValueError:
        return ""
    return "" if str(rel) == "." else rel.as_posix() + "/"


def _load(
    paths: Sequence[Path], index: Index, max_file_bytes: int, follow_links: bool
) -> tuple[list[Document], LoadReport]:
    """Load every path; merge the reports; doc ids made relative to the index's corpus folder."""
    report = LoadReport()
    docs: list[Document] = []
    for path in paths:
        loaded, part = load_corpus(path, max_file_bytes=max_file_bytes, follow_links=follow_links)
        prefix = _corpus_prefix(Path(path), index) if Path(path).exists() else ""
        for doc in loaded:
            if prefix and not doc.is_passage:
                doc.doc_id = prefix + doc.doc_id
                doc.meta.source_path = prefix + (doc.meta.source_path or "")
        report.loaded += [prefix + p for p in part.loaded]
        report.skipped += part.skipped
        report.warnings += part.warnings
        docs += loaded
    report.documents = len(docs)
    return docs, report


# --------------------------------------------------------------------------- build, add, remove


def build(
    corpus: Path,
    index_dir: Path,
    embed_model: str | None = None,
    *,
    chunk_size: int | None = None,
    chunk_overlap: int | None = None,
    progress: bool = True,
    warn: Callable[[str], None] | None = None,
    embedder: Embedder | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    follow_links: bool = False,
    shards: int = 1,
    workers: BuildWorkers | None = None,
) -> BuildResult:
    """Index a whole corpus into index_dir; raises CorpusProblem for a missing or unreadable corpus.

    Chunks whose text is unchanged since the current build keep their vectors and tokens. Symbolic
    links out of the corpus folder are followed only with `follow_links` (app/ingest/tree.py).
    `shards` > 1 writes that many shards by document (app/index/shards.py); `workers` (default:
    this process, else e.g. a Ray cluster's, app/cluster/build.py) embed and tokenize.
    """
    if shards < 1:
        raise BadInput(f"--shards must be at least 1 (got {shards}).")
    started = time.perf_counter()
    chunk_size = current().chunk_size if chunk_size is None else chunk_size
    chunk_overlap = current().chunk_overlap if chunk_overlap is None else chunk_overlap
    check_chunking(chunk_size, chunk_overlap)
    corpus, index_dir = Path(corpus), Path(index_dir)
    if not corpus.exists():
        raise CorpusProblem(
            f"No corpus at {corpus}. Pass --corpus with a folder of documents or a .jsonl of passages."
        )
    docs, report = load_corpus(corpus, max_file_bytes=max_file_bytes, follow_links=follow_links)
    chunks, docs = passages_of(docs, chunk_size, chunk_overlap, report)
    if not docs:
        raise CorpusProblem(f"No readable documents in {corpus}.\n{report.summary()}")
    embedder = embedder or load_embedder(embed_model, **({"warn": warn} if warn else {}))
    metas = {d.doc_id: d.meta for d in docs}
    hashes = {d.doc_id: d.content_hash for d in docs}
    with writer_lock(index_dir) as exclusive:
        previous = _previous(index_dir)
        _stamp(metas, hashes, previous)
        manifest = write_index(
            index_dir,
            chunks,
            metas,
            hashes,
            embedder,
            requested_embedder=embed_model,
            settings={
                "chunk_size": chunk_size,
                "chunk_overlap": chunk_overlap,
                "corpus": str(corpus),
                "corpus_root": str(corpus.resolve()),  # `add` of a file in it keeps its doc id
            },
            previous=previous,
            progress=progress,
            exclusive=exclusive,
            shards=shards,
            workers=workers,
        )
    result = BuildResult(manifest, report, time.perf_counter() - started)
    if previous is not None:
        old = previous.doc_hashes
        result.added = sorted(d for d in hashes if d not in old)
        result.replaced = sorted(d for d in hashes if d in old and old[d] != hashes[d])
        result.removed = sorted(d for d in old if d not in hashes)
    return result


def add(
    paths: Sequence[Path],
    index_dir: Path,
    *,
    progress: bool = False,
    max_file_bytes: int = MAX_FILE_BYTES,
    follow_links: bool = False,
) -> BuildResult:
    """Add or replace documents (files or folders) in an existing index.

    A file whose content is already indexed is skipped as a duplicate; a file whose doc id is
    indexed with other content replaces that document. Bad files are skipped and named in the
    report; the rest are still added. Nothing is written when nothing changes.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    read_manifest(index_dir)  # no index there: say so before the lock creates the folder
    with writer_lock(index_dir) as exclusive:
        index = load_index(index_dir)
        new_docs, report = _load(paths, index, max_file_bytes, follow_links)
        chunks, metas, hashes = list(index.chunks), dict(index.docs), dict(index.doc_hashes)
        by_hash = {h: d for d, h in hashes.items() if h}
        taken: dict[str, str] = {}  # doc_id → source, within this batch
        fresh: list[Document] = []
        for doc in new_docs:
            source = doc.meta.source_path or doc.doc_id
            twin = by_hash.get(doc.content_hash)
            if twin is not None:
                what = "already indexed, unchanged" if twin == doc.doc_id else f"same content as {twin}"
                report.skipped.append((source, f"duplicate of indexed document {twin} ({what})"))
                continue
            if doc.doc_id in taken:
                report.skipped.append(
                    (source, f"doc_id {doc.doc_id!r} already taken by {taken[doc.doc_id]} in this batch")
                )
                continue
            taken[doc.doc_id] = source
            by_hash[doc.content_hash] = doc.doc_id
            fresh.append(doc)
        new_chunks, fresh = passages_of(fresh, **_chunk_settings(index), report=report)
        if not fresh:
            return BuildResult(index.manifest, report, time.perf_counter() - started, changed=False)
        replaced = sorted(d.doc_id for d in fresh if d.doc_id in metas)
        added = sorted(d.doc_id for d in fresh if d.doc_id not in metas)
        gone = set(replaced)
        chunks = [c for c in chunks if c.doc_id not in gone] + new_chunks
        for doc in fresh:
            doc.meta.extra.pop("indexed_at", None)
            metas[doc.doc_id] = doc.meta
            hashes[doc.doc_id] = doc.content_hash
        _stamp(metas, hashes, index)
        embedder = index_embedder(index, index_dir)
        manifest = _rewrite(index, index_dir, chunks, metas, hashes, embedder, progress, exclusive)
    return BuildResult(manifest, report, time.perf_counter() - started, added=added, replaced=replaced)


def remove(doc_ids: Sequence[str], index_dir: Path) -> BuildResult:
    """Remove documents by id (as `gongyou list` shows them); embeds nothing.

    Raises UnknownDocuments naming ids that are not in the index, EmptyIndex if nothing would remain.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    read_manifest(index_dir)  # no index there: say so before the lock creates the folder
    with writer_lock(index_dir) as exclusive:
        index = load_index(index_dir)
        missing = [d for d in doc_ids if d not in index.docs]
        if missing:
            raise UnknownDocuments(
                f"Not in the index: {', '.join(missing)}. `gongyou list --index {index_dir}` shows the "
                "document ids."
            )
        gone = set(doc_ids)
        if gone >= set(index.docs):
            raise EmptyIndex(
                "Removing every document would leave an empty index; build another corpus instead: "
                f"{rebuild_hint(index_dir)}"
            )
        chunks = [c for c in index.chunks if c.doc_id not in gone]
        metas = {d: m for d, m in index.docs.items() if d not in gone}
        hashes = {d: h for d, h in index.doc_hashes.items() if d not in gone}
        embedder = _ReuseOnly(index.manifest)
        manifest = _rewrite(index, index_dir, chunks, metas, hashes, embedder, False, exclusive)
    return BuildResult(manifest, LoadReport(), time.perf_counter() - started, removed=sorted(gone))


def document_rows(index: Index) -> list[dict]:
    """One row per indexed document, for `gongyou list`.

    `date` is the document's own date (None when it states none), `indexed_at` when its current
    content entered the index (UTC).
    """
    counts: dict[str, int] = {}
    for chunk in index.chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    return [
        {
            "doc_id": doc_id,
            "title": meta.title,
            "date": meta.date,
            "chunks": counts.get(doc_id, 0),
            "indexed_at": meta.extra.get("indexed_at"),
            "source": meta.source_path,
            "script": meta.script,
        }
        for doc_id, meta in sorted(index.docs.items())
    ]
