"""Is a build whole? Checksums of its files in the manifest, and checks that its parts agree.

Every file of a build is listed in its manifest with its size and CRC-32 (zlib's, 1.1 GB/s here:
the shipped index's ~1 MB costs about a millisecond on load). Loading verifies the parts a
question needs (`QUERY_PARTS`); a rebuild verifies the parts it reuses before reusing them. Indexes
built before checksums were kept are checked for agreement only (`check_agreement`): every
passage's document is in docs.json, the vectors have the manifest's dimension, BM25 counts the
passages and its matrix points inside itself. Damage is always an `IndexProblem` saying
"damaged" with the rebuild command, never a traceback or a silent wrong answer.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

BLOCK = 1 << 20
# What answering a question reads (the rest is read by rebuilds, which verify it themselves).
QUERY_PARTS = (
    "chunks.jsonl",
    "docs.json",
    "dense.faiss",
    "bm25/",
    "sentence_vectors.npy",
    "sentence_offsets.npy",
    "corpus_form.txt",
)
REUSE_PARTS = (
    "vector_keys.txt",
    "sentence_keys.txt",
    "token_ids.npy",
    "token_offsets.npy",
    "token_vocab.txt",
)
_REQUIRED = {"build_id": str, "embedder": dict, "chunk_count": int, "doc_count": int}


class Damage(ValueError):
    """What is wrong with a build, in words; app.index.store turns it into an IndexProblem."""


def file_checksum(path: Path) -> dict[str, Any]:
    crc, size = 0, 0
    with open(path, "rb") as stream:
        while block := stream.read(BLOCK):
            crc = zlib.crc32(block, crc)
            size += len(block)
    return {"bytes": size, "crc32": f"{crc:08x}"}


def build_checksums(folder: Path) -> dict[str, dict[str, Any]]:
    """Every file of a build folder (manifest.json aside), by path relative to the folder."""
    return {
        path.relative_to(folder).as_posix(): file_checksum(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }


def verify_checksums(folder: Path, manifest: dict[str, Any], parts: Iterable[str]) -> None:
    """Raise Damage when a listed file under one of `parts` (a file, or a folder ending in "/") is
    missing or differs. A manifest without checksums (an older build) passes."""
    listed = manifest.get("checksums")
    if listed is None:
        return
    if not isinstance(listed, dict):
        raise Damage("its manifest's checksums are not an object")
    parts = tuple(parts)
    for name, expected in listed.items():
        if not any(name == part or (part.endswith("/") and name.startswith(part)) for part in parts):
            continue
        path = folder / name
        if not path.is_file():
            raise Damage(f"{name} is missing")
        if not isinstance(expected, dict) or path.stat().st_size != expected.get("bytes"):
            raise Damage(f"{name} has changed size since the build")
        if file_checksum(path) != expected:
            raise Damage(f"{name} does not match its checksum")


def check_manifest(manifest: Any) -> None:
    """Raise Damage unless the manifest is an object with the fields every reader relies on."""
    if not isinstance(manifest, dict):
        raise Damage(f"its manifest.json is not an object but {type(manifest).__name__}")
    for key, kind in _REQUIRED.items():
        if not isinstance(manifest.get(key), kind) or isinstance(manifest.get(key), bool):
            raise Damage(f"its manifest.json has no valid {key!r}")
    embedder = manifest["embedder"]
    if not isinstance(embedder.get("name"), str) or not isinstance(embedder.get("dim"), int):
        raise Damage("its manifest.json does not say which embedder built it")


def check_agreement(manifest: dict[str, Any], chunks: list, docs: dict, dense: Any, bm25: Any) -> None:
    """Raise Damage unless the parts describe the same passages."""
    count = manifest["chunk_count"]
    if len(chunks) != count:
        raise Damage(f"chunks.jsonl holds {len(chunks)} passages, the manifest says {count}")
    sharding = manifest.get("shards")
    if sharding:  # each shard's vectors and BM25 are checked by whoever loads the shard
        if sum(sharding.get("passages", [])) != count:
            raise Damage(
                f"its shards hold {sum(sharding.get('passages', []))} passages, the manifest says {count}"
            )
    else:
        if dense.ntotal != count:
            raise Damage(f"dense.faiss holds {dense.ntotal} vectors for {count} passages")
        dim = manifest["embedder"]["dim"]
        if dense.d != dim:
            raise Damage(f"its vectors have {dense.d} dimensions, the embedder {dim}")
    orphan = next((c for c in chunks if c.doc_id not in docs), None)
    if orphan is not None:
        raise Damage(f"passage {orphan.chunk_id} belongs to a document missing from docs.json")
    if bm25 is not None:
        _check_bm25(bm25.model.scores, len(bm25.vocab), count)


def _check_bm25(scores: dict[str, Any], vocab: int, count: int) -> None:
    """BM25's sparse matrix: one column per word, rows (passages) within the index."""
    try:
        data, indices, indptr = scores["data"], scores["indices"], scores["indptr"]
        sound = (
            scores["num_docs"] == count
            and len(indptr) == vocab + 1
            and int(indptr[0]) == 0
            and int(indptr[-1]) == len(data) == len(indices)
            and (len(indices) == 0 or (int(indices.min()) >= 0 and int(indices.max()) < count))
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise Damage(f"its BM25 index is unreadable ({type(exc).__name__})") from exc
    if not sound:
        raise Damage("its BM25 index does not match its passages")
