"""The index on disk: chunks, document metadata, FAISS vectors, BM25, and a manifest.

Layout of an index folder (`--index`, default `index/`):

    CURRENT                  the id of the build in use (replaced atomically)
    builds/<id>/manifest.json, chunks.jsonl, docs.json, vector_keys.txt,
                dense.faiss (app.index.dense), bm25/ (app.index.bm25),
                token_ids.npy, token_offsets.npy, token_vocab.txt (app.index.tokens)

A sharded build (`gongyou build --shards N`) keeps the same catalogue and one manifest, with
shards/<k>/ in place of dense.faiss and bm25/ (app.index.shards).

A build is written into a temporary folder, renamed into `builds/`, and only then does CURRENT
point at it, so an interrupted build never leaves a broken index: readers keep the previous one.
Vectors and BM25 tokens of chunks whose text is unchanged (same vector key) are copied from the
previous build, so a rebuild after editing one document embeds only that document's chunks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from app.errors import GongyouError
from app.index.bm25 import BM25Index
from app.index.corpus_form import write_corpus_form
from app.index.dense import dense_index, dense_kind, embed_with_reuse, read_dense, write_dense
from app.index.embedders.base import Embedder
from app.index.integrity import (
    QUERY_PARTS,
    Damage,
    build_checksums,
    check_agreement,
    check_manifest,
    verify_checksums,
)
from app.index.lexicon import Lexicon
from app.index.parts import doc_meta, read_chunks, read_part
from app.index.sentence_vectors import SentenceVectors, read_sentence_vectors, write_sentence_vectors
from app.index.shards import sharded_vectors, write_shards
from app.index.tokens import TOKENIZER, save_token_ids, token_ids_with_reuse, tokens_fingerprint
from app.index.workers import BuildWorkers, LocalWorkers
from app.models import Chunk, DocMeta
from app.settings import current

FORMAT_VERSION = 1


class IndexProblem(GongyouError, RuntimeError):
    """The index is missing, damaged or does not fit the request; the message says what to run."""


def rebuild_hint(index_dir: Path, embedder: str | None = None) -> str:
    model = f" --embed-model {embedder}" if embedder else ""
    return f"gongyou build --corpus corpus/ --index {index_dir}{model}"


def damaged(index_dir: Path, what: str) -> IndexProblem:
    return IndexProblem(f"The index at {index_dir} is damaged: {what}. Rebuild it: {rebuild_hint(index_dir)}")


@dataclass
class Index:
    """A loaded build. An unsharded one holds its vectors (`dense`) and BM25 (`bm25`); a sharded
    one holds neither (each shard is loaded by whoever searches it, app/search/scatter.py) but the
    whole collection's statistics (`lexicon`). Both hold every passage and document."""

    folder: Path  # the build folder
    manifest: dict[str, Any]
    chunks: list[Chunk]
    docs: dict[str, DocMeta]
    dense: Any  # faiss.Index, None when sharded
    bm25: BM25Index | None  # None when sharded
    doc_hashes: dict[str, str] = field(default_factory=dict)
    sentences: SentenceVectors | None = None  # a vector per sentence (real models only)
    lexicon: Lexicon | None = None  # the global statistics of a sharded index

    @property
    def build_id(self) -> str:
        return self.manifest["build_id"]

    @property
    def shard_count(self) -> int:
        """How many shards the build has (an unsharded build: 1)."""
        return int((self.manifest.get("shards") or {}).get("count", 1))

    @property
    def sharded(self) -> bool:
        return "shards" in self.manifest

    @property
    def term_stats(self) -> BM25Index | Lexicon:
        """What answers idf(token) for the whole collection, sharded or not."""
        stats = self.lexicon if self.sharded else self.bm25
        assert stats is not None
        return stats

    def vectors(self) -> np.ndarray:
        """Every passage's vector, in row order."""
        if not self.sharded:
            return self.dense.reconstruct_n(0, self.dense.ntotal)
        dim = int(self.manifest["embedder"]["dim"])
        return sharded_vectors(self.folder, self.shard_count, len(self.chunks), dim)

    @property
    def embedder_name(self) -> str:
        return self.manifest["embedder"]["name"]

    def vector_keys(self) -> list[str]:
        """The vector key of each chunk, in row order (empty when the file is unreadable or damaged)."""
        if not self.intact("vector_keys.txt"):
            return []
        try:
            return (self.folder / "vector_keys.txt").read_text(encoding="utf-8").split("\n")
        except (OSError, ValueError):
            return []

    def intact(self, *parts: str) -> bool:
        """Whether these files of the build match their checksums (a rebuild reuses only those)."""
        try:
            verify_checksums(self.folder, self.manifest, parts)
        except (Damage, OSError):
            return False
        return True


def index_text(chunk: Chunk, meta: DocMeta) -> str:
    """What is embedded and BM25-indexed: title and heading give a passage its context."""
    return "\n".join(part for part in (meta.title, chunk.heading, chunk.text) if part)


def vector_key(chunk: Chunk, meta: DocMeta) -> str:
    return hashlib.sha256(index_text(chunk, meta).encode("utf-8")).hexdigest()[:24]


def corpus_fingerprint(doc_hashes: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for doc_id in sorted(doc_hashes):
        digest.update(f"{doc_id}\x1f{doc_hashes[doc_id]}\n".encode())
    return digest.hexdigest()[:16]


def current_build(index_dir: Path) -> Path | None:
    """The folder of the build in use; None when there is none (or CURRENT names no build)."""
    pointer = index_dir / "CURRENT"
    try:
        build_id = pointer.read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        return None
    if not build_id or build_id.startswith(".") or "/" in build_id or "\\" in build_id:
        return None
    build = index_dir / "builds" / build_id
    return build if build.is_dir() else None


def write_index(
    index_dir: Path,
    chunks: list[Chunk],
    docs: dict[str, DocMeta],
    doc_hashes: dict[str, str],
    embedder: Embedder,
    *,
    requested_embedder: str | None = None,
    settings: dict[str, Any] | None = None,
    previous: Index | None = None,
    progress: bool = True,
    on_stage: Callable[[str], None] | None = None,
    exclusive: bool = False,
    shards: int = 1,
    workers: BuildWorkers | None = None,
) -> dict[str, Any]:
    """Write a new build from chunks and make it current. Returns its manifest.

    `exclusive`: the caller holds the index's writer lock, so no other build is being written.
    `shards` > 1 writes a sharded build (app/index/shards.py); `workers` (default: this process)
    embed and tokenize the passages that need it.
    """
    started = time.perf_counter()
    workers = workers or LocalWorkers()
    index_dir.mkdir(parents=True, exist_ok=True)
    builds = index_dir / "builds"
    builds.mkdir(exist_ok=True)
    build_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    tmp = builds / f".tmp-{build_id}"
    tmp.mkdir()
    try:
        texts = [index_text(c, docs[c.doc_id]) for c in chunks]
        keys = [vector_key(c, docs[c.doc_id]) for c in chunks]
        on_stage and on_stage("embedding")
        vectors, embedded = embed_with_reuse(texts, keys, embedder, previous, progress, workers)
        on_stage and on_stage("indexing")
        sentence_record = write_sentence_vectors(
            tmp, chunks, embedder, previous.folder if previous else None, progress
        )
        fingerprint = tokens_fingerprint()
        token_ids, words = token_ids_with_reuse(texts, keys, previous, fingerprint, workers)
        sharding: dict[str, Any] = {}
        shards = min(shards, len(docs))  # a shard holds whole documents: none may stay empty
        if shards > 1:
            doc_of_row = [c.doc_id for c in chunks]
            sharding = {"shards": write_shards(tmp, shards, doc_of_row, vectors, token_ids, words)}
            dense_kinds = sorted(set(sharding["shards"]["dense_index"]))
        else:
            write_dense(dense_index(vectors), tmp / "dense.faiss")
            BM25Index.from_ids(token_ids, {w: i for i, w in enumerate(words)}).save(tmp / "bm25")
            dense_kinds = [dense_kind(len(chunks))]
        save_token_ids(tmp, token_ids, words)
        # vars(), not dataclasses.asdict: no deep copy (asdict was ~0.5 s of a 12k-passage add).
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as out:
            for chunk in chunks:
                out.write(json.dumps(vars(chunk), ensure_ascii=False) + "\n")
        (tmp / "docs.json").write_text(
            json.dumps(
                {d: {"meta": vars(m), "content_hash": doc_hashes.get(d, "")} for d, m in docs.items()},
                ensure_ascii=False,  # no indent: only the C encoder is fast (indent made 12k docs 0.4 s)
            ),
            encoding="utf-8",
        )
        manifest = {
            "format_version": FORMAT_VERSION,
            "build_id": build_id,
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "embedder": {
                "name": embedder.name,
                "dim": embedder.dim,
                "requested": requested_embedder,
                **embedder.identity,
            },
            "dense_index": "/".join(dense_kinds),
            "tokenizer": TOKENIZER,
            "tokens_fingerprint": fingerprint,
            "chunk_count": len(chunks),
            "doc_count": len(docs),
            "corpus_fingerprint": corpus_fingerprint(doc_hashes),
            "settings": settings or {},
            "tuning": current().as_dict(),
            "embedded_chunks": embedded,
            "sentences": sentence_record,
            **sharding,
            "build": workers.facts(),  # where it ran: build facts, like build_id and build_seconds
            "build_seconds": round(time.perf_counter() - started, 3),
        }
        (tmp / "vector_keys.txt").write_text("\n".join(keys), encoding="utf-8")
        write_corpus_form(tmp, chunks, docs)
        manifest["checksums"] = build_checksums(tmp)  # verified on load (app/index/integrity.py)
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        final = builds / build_id
        os.replace(tmp, final)
        _point_current(index_dir, build_id)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(builds, keep={build_id, previous.build_id if previous else ""}, exclusive=exclusive)
    return manifest


def _point_current(index_dir: Path, build_id: str) -> None:
    pointer_tmp = index_dir / f".CURRENT.{uuid.uuid4().hex[:6]}"
    pointer_tmp.write_text(build_id, encoding="utf-8")
    os.replace(pointer_tmp, index_dir / "CURRENT")


def _prune(builds: Path, keep: set[str], exclusive: bool = False) -> None:
    """Keep the new build and the one it replaced (a running server may still read it).

    Temporary folders are what an interrupted build left behind (tens of MB each), unless another
    build is writing one: with the writer lock held (`exclusive`) none can be, so all go; without
    it, those younger than an hour are left alone.
    """
    for folder in builds.iterdir():
        temporary = folder.name.startswith(".tmp-")
        stale = temporary and (exclusive or time.time() - folder.stat().st_mtime > 3600)
        if folder.name not in keep and (stale or not temporary):
            shutil.rmtree(folder, ignore_errors=True)


def read_manifest(index_dir: Path) -> dict[str, Any]:
    return _manifest_of(_build_in_use(index_dir), index_dir)


def _build_in_use(index_dir: Path) -> Path:
    build = current_build(index_dir)
    if build is None:
        if (index_dir / "CURRENT").exists():
            raise damaged(index_dir, "its CURRENT file names no build in builds/")
        raise IndexProblem(f"No index at {index_dir}. Build it first: {rebuild_hint(index_dir)}")
    return build


def _manifest_of(build: Path, index_dir: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
        check_manifest(manifest)
    except (OSError, ValueError) as exc:  # Damage is a ValueError
        raise damaged(index_dir, str(exc) if isinstance(exc, Damage) else f"manifest.json: {exc}") from exc
    return manifest


def out_of_date(manifest: dict, index_dir: Path) -> str | None:
    """Why an index built by an older Gongyou cannot be read by this one, or None."""
    if manifest.get("format_version") != FORMAT_VERSION:
        return (
            f"The index at {index_dir} has format {manifest.get('format_version')}, this Gongyou reads "
            f"format {FORMAT_VERSION}."
        )
    if manifest.get("tokenizer") != TOKENIZER:
        return (
            f"The index at {index_dir} was tokenized with {manifest.get('tokenizer')}, this Gongyou uses "
            f"{TOKENIZER}."
        )
    segmented_with = manifest.get("tokens_fingerprint")  # absent from indexes built before it was kept
    if segmented_with is not None and segmented_with != tokens_fingerprint():
        # The glossary's words guide segmentation: a question cut differently from the index misses.
        return (
            f"The index at {index_dir} was segmented with an older word list (the glossary has changed "
            "since)."
        )
    return None


def load_index(index_dir: Path) -> Index:
    """Load the current build, or raise IndexProblem with the command that fixes it."""
    build = _build_in_use(index_dir)
    manifest = _manifest_of(build, index_dir)
    if problem := out_of_date(manifest, index_dir):
        raise IndexProblem(f"{problem} Rebuild it: {rebuild_hint(index_dir)}")
    sharding = manifest.get("shards")
    dense = bm25 = lexicon = None
    try:
        verify_checksums(build, manifest, QUERY_PARTS)
        chunks = read_part("chunks.jsonl", lambda: read_chunks(build / "chunks.jsonl"))
        raw_docs = read_part(
            "docs.json", lambda: json.loads((build / "docs.json").read_text(encoding="utf-8"))
        )
        docs = read_part("docs.json", lambda: {d: doc_meta(v["meta"]) for d, v in raw_docs.items()})
        hashes = read_part("docs.json", lambda: {d: v.get("content_hash", "") for d, v in raw_docs.items()})
        if sharding:  # the shards themselves are loaded by whoever searches them
            lexicon = read_part(
                "lexicon", lambda: Lexicon.load(build, int(sharding["n_docs"]), float(sharding["avgdl"]))
            )
        else:
            dense = read_part("dense.faiss", lambda: read_dense(build / "dense.faiss"))
            bm25 = read_part("bm25/", lambda: BM25Index.load(build / "bm25"))
        sentence_vectors = read_part("sentences", lambda: read_sentence_vectors(build, manifest))
        check_agreement(manifest, chunks, docs, dense, bm25)
    except Damage as exc:
        raise damaged(index_dir, str(exc)) from exc
    return Index(build, manifest, chunks, docs, dense, bm25, hashes, sentence_vectors, lexicon)


def check_embedder(index: Index, index_dir: Path, requested: str | None) -> None:
    """Refuse a query-side embedder that differs from the one the index was built with."""
    if not requested:
        return
    from app.index.embedders.registry import name_for

    built = index.manifest["embedder"]
    if requested == built.get("requested") or name_for(requested) == built["name"]:
        return
    raise IndexProblem(
        f"The index at {index_dir} was built with the embedder {built['name']!r}, but {requested!r} was "
        f"asked for. Queries must use the embedder that built the index. Either drop --embed-model "
        f"(and GONGYOU_EMBED_MODEL), or rebuild: {rebuild_hint(index_dir, requested)}"
    )


def index_embedder(index: Index, index_dir: Path) -> Embedder:
    """The embedder that built the index (never a fallback: mixed vectors would be meaningless)."""
    from app.index.embedders.base import EmbedderUnavailable
    from app.index.embedders.registry import embedder_that_built

    try:
        return embedder_that_built(index.manifest["embedder"])
    except EmbedderUnavailable as exc:
        raise IndexProblem(
            f"The index at {index_dir} was built with {index.embedder_name}, which cannot be loaded here: "
            f"{exc} Or rebuild with the offline embedder: {rebuild_hint(index_dir, 'offline')}"
        ) from exc
