"""The dense leg of an index: passage vectors in FAISS, flat or HNSW by size (app/settings.py).

Vectors of passages whose vector key is unchanged are copied from the previous build when the
same embedder made them, so a rebuild after editing one document embeds only that document.
faiss is imported only when an index is built or read.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.index.workers import EMBED_BATCH, batch_ranges
from app.settings import current

if TYPE_CHECKING:
    from app.index.embedders.base import Embedder
    from app.index.store import Index
    from app.index.workers import BuildWorkers


def dense_kind(passages: int) -> str:
    """What the manifest records: "hnsw" from settings.hnsw_threshold passages on, else "flat"."""
    return "hnsw" if passages >= current().hnsw_threshold else "flat"


def dense_index(vectors: np.ndarray) -> Any:
    """A FAISS inner-product index over the vectors (normalised, so inner product is cosine)."""
    import faiss

    n, dim = vectors.shape
    settings = current()
    if dense_kind(n) == "hnsw":
        dense = faiss.IndexHNSWFlat(dim, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        dense.hnsw.efConstruction = settings.hnsw_ef_construction
        dense.hnsw.efSearch = settings.hnsw_ef_search
    else:
        dense = faiss.IndexFlatIP(dim)
    if n:
        dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return dense


def write_dense(dense: Any, path: Path) -> None:
    import faiss

    faiss.write_index(dense, str(path))


def read_dense(path: Path) -> Any:
    import faiss

    return faiss.read_index(str(path))


def _same_embedder(previous: Index, embedder: Embedder) -> bool:
    """Whether the previous build's vectors came from this very embedder (name and weights)."""
    record = previous.manifest["embedder"]
    return record["name"] == embedder.name and all(
        record.get(key) == value for key, value in embedder.identity.items()
    )


def embed_with_reuse(
    texts: list[str],
    keys: list[str],
    embedder: Embedder,
    previous: Index | None,
    progress: bool,
    workers: BuildWorkers | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for all texts and how many were embedded, copying those the previous build has.

    Reuse needs the very embedder that made the old vectors (its name and recorded identity).
    Texts are embedded in order of length, so each batch pads little; `workers` (default: this
    process) embed them.
    """
    from app.index.workers import LocalWorkers

    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    reused: dict[int, int] = {}
    if previous is not None and _same_embedder(previous, embedder):
        old_keys = {k: i for i, k in enumerate(previous.vector_keys())}
        reused = {i: old_keys[k] for i, k in enumerate(keys) if k in old_keys}
        if reused:
            old_vectors = previous.vectors()
            old_rows = np.fromiter(reused.values(), dtype=np.int64, count=len(reused))
            vectors[np.fromiter(reused.keys(), dtype=np.int64, count=len(reused))] = old_vectors[old_rows]
    todo = sorted((i for i in range(len(texts)) if i not in reused), key=lambda i: len(texts[i]))
    if todo:
        workers = workers or LocalWorkers()
        vectors[todo] = workers.embed(embedder, [texts[i] for i in todo], progress)
    return vectors, len(todo)


def embed_in_batches(texts: list[str], embedder: Embedder, progress: bool, what: str) -> np.ndarray:
    """Vectors of the texts, embedded shortest first in batches (little padding), with a progress
    bar that shows texts per second when there is more than one batch."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    bar = None
    if progress and len(order) > EMBED_BATCH:
        from tqdm import tqdm

        bar = tqdm(total=len(order), desc=f"embedding {what}", unit=what[:-1], file=sys.stderr, smoothing=0.1)
    for batch in batch_ranges(len(order)):
        rows = order[batch.start : batch.stop]
        vectors[rows] = embedder.embed_passages([texts[i] for i in rows])
        if bar:
            bar.update(len(rows))
    if bar:
        bar.close()
    return vectors
