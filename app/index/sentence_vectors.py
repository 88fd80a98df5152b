"""A vector for every sentence of every passage, so the answerer can choose by meaning.

The answer quotes sentences (app/text/sentences.py); with a real model the index also stores each
sentence's embedding (float16: half the disk, cosines change by < 0.001), in passage order, with
the offset of each passage's first sentence. At question time a sentence's similarity to the
question is one dot product, no model call. Sentences whose text an earlier build embedded are
copied from it, as passage vectors are. The offline hashing embedder gets none: its vectors
carry no meaning beyond the words BM25 already matches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.index.dense import embed_in_batches
from app.text.sentences import SPLIT_VERSION, sentences

if TYPE_CHECKING:
    from app.index.embedders.base import Embedder
    from app.models import Chunk

VECTORS, OFFSETS, KEYS = "sentence_vectors.npy", "sentence_offsets.npy", "sentence_keys.txt"


@dataclass(frozen=True)
class SentenceVectors:
    """Row i of `vectors` is a sentence; passage p's sentences are rows offsets[p]:offsets[p + 1]."""

    vectors: np.ndarray  # float16, (sentences, dim), L2-normalised
    offsets: np.ndarray  # int64, (passages + 1,)

    def of_passage(self, row: int) -> np.ndarray:
        return self.vectors[self.offsets[row] : self.offsets[row + 1]]


def _key(sentence: str) -> str:
    return hashlib.sha256(sentence.encode("utf-8")).hexdigest()[:24]


def _previous(folder: Path | None) -> dict[str, np.ndarray]:
    """The sentence vectors an earlier build stored, by sentence key (empty when it has none)."""
    if folder is None or not (folder / VECTORS).exists():
        return {}
    try:
        keys = (folder / KEYS).read_text(encoding="utf-8").split("\n")
        vectors = np.load(folder / VECTORS, mmap_mode="r")
    except (OSError, ValueError):
        return {}
    return dict(zip(keys, vectors)) if len(keys) == len(vectors) else {}


def write_sentence_vectors(
    folder: Path,
    chunks: list[Chunk],
    embedder: Embedder,
    previous_folder: Path | None,
    progress: bool,
) -> dict | None:
    """Embed and save every passage's sentences; returns the manifest record (None offline)."""
    if embedder.offline:
        return None
    per_chunk = [sentences(chunk.text) for chunk in chunks]
    flat = [s for found in per_chunk for s in found]
    keys = [_key(s) for s in flat]
    old = _previous(previous_folder)
    vectors = np.zeros((len(flat), embedder.dim), dtype=np.float16)
    todo = [i for i, key in enumerate(keys) if key not in old]
    for i, key in enumerate(keys):
        if key in old:
            vectors[i] = old[key]
    if todo:
        vectors[todo] = embed_in_batches([flat[i] for i in todo], embedder, progress, "sentences")
    offsets = np.zeros(len(chunks) + 1, dtype=np.int64)
    np.cumsum([len(found) for found in per_chunk], out=offsets[1:])
    np.save(folder / VECTORS, vectors)
    np.save(folder / OFFSETS, offsets)
    (folder / KEYS).write_text("\n".join(keys), encoding="utf-8")
    return {"split": SPLIT_VERSION, "count": len(flat), "embedded": len(todo)}


def read_sentence_vectors(folder: Path, manifest: dict) -> SentenceVectors | None:
    """The stored sentence vectors, or None when the index has none or split sentences otherwise."""
    record = manifest.get("sentences")
    if not record or record.get("split") != SPLIT_VERSION:
        return None
    vectors = np.load(folder / VECTORS, mmap_mode="r")
    offsets = np.load(folder / OFFSETS)
    if len(vectors) != record["count"] or len(offsets) != manifest["chunk_count"] + 1:
        raise ValueError(f"sentence vectors hold {len(vectors)} rows, the manifest says {record['count']}")
    return SentenceVectors(vectors, offsets)
