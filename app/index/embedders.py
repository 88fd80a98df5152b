"""Embedders: a sentence-transformers model when one can be had, a built-in offline one otherwise.

`load_embedder` never hangs on a machine without network: it looks in the local Hugging Face
cache first, probes the hub with a short timeout before any download, and otherwise falls back to
`HashingEmbedder` (character n-gram hashing vectors, no download) with one warning naming the fix.
sentence-transformers and torch are imported only when a model is really loaded.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

import numpy as np

from app.errors import GongyouError
from app.settings import current
from app.text.normalize import match_form

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
OFFLINE_NAME = "gongyou-hashing-v1"
OFFLINE_ALIASES = {"offline", "hashing", OFFLINE_NAME}


class Embedder(Protocol):
    """What every embedder declares: callers read these attributes and never compare names."""

    name: str
    dim: int
    offline: bool  # the built-in hashing vectors, not a model: answers say "offline mode"

    @property
    def fusion_weight(self) -> float:
        """Weight of the dense leg in the fusion with BM25 (app/settings.py)."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


class EmbedderUnavailable(GongyouError, RuntimeError):
    """The requested model cannot be loaded here; the message says how to fix it."""


class HashingEmbedder:
    """Offline embedder: signed hashing of character unigrams and bigrams of the matching form.

    No download, no state, deterministic across processes; about 10k passages per second.
    It matches surface forms only (no synonyms), so it is the lexical-semantic fallback, not a model.
    """

    name = OFFLINE_NAME
    offline = True

    @property
    def fusion_weight(self) -> float:
        return current().dense_weight_offline

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim

    _KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff]+")

    def _vector(self, text: str) -> np.ndarray:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        vec = np.zeros(self.dim, dtype=np.float32)
        if codes.size == 0:
            return vec
        for grams, weight in ((codes, 0.5), (codes[:-1] * np.uint64(1_000_003) + codes[1:], 1.0)):
            if grams.size == 0:
                continue
            mixed = (grams * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(29)
            buckets = (mixed % np.uint64(self.dim)).astype(np.int64)
            signs = np.where((mixed >> np.uint64(20)) & np.uint64(1), 1.0, -1.0)
            vec += weight * np.bincount(buckets, weights=signs, minlength=self.dim).astype(np.float32)
        # Sublinear term frequency keeps long passages from being dominated by repeated words.
        vec = np.sign(vec) * np.log1p(np.abs(vec))
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm > 0 else vec

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        # One OpenCC call for the whole batch is much faster than one per text.
        joined = match_form("\u0001".join(t.replace("\u0001", " ") for t in texts))
        forms = [self._KEEP.sub("", t) for t in joined.split("\u0001")]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, form in enumerate(forms):
            out[i] = self._vector(form)
        return out

    embed_passages = _embed
    embed_queries = _embed


class SentenceTransformerEmbedder:
    """A sentence-transformers model; e5 models get their "query: " / "passage: " prefixes."""

    offline = False

    @property
    def fusion_weight(self) -> float:
        return current().dense_weight_model

    def __init__(self, name: str, location: str, local_only: bool) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = name
        self.model = SentenceTransformer(location, device="cpu", local_files_only=local_only)
        dimension = getattr(self.model, "get_embedding_dimension", None)  # renamed in sentence-transformers 6
        dimension = dimension or self.model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        e5 = "e5" in name.lower()
        self._query_prefix = "query: " if e5 else ""
        self._passage_prefix = "passage: " if e5 else ""

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        vectors = self.model.encode(
            [prefix + t for t in texts],
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=len(texts) >= 256,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._passage_prefix)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._query_prefix)


def hub_cache_dir() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(os.path.expanduser("~"), ".cache", "huggingface")
    return Path(home) / "hub"


def is_cached(model_name: str) -> bool:
    """True when a complete snapshot of a hub model is in the local Hugging Face cache."""
    folder = hub_cache_dir() / ("models--" + model_name.replace("/", "--")) / "snapshots"
    return any(
        (snap / "modules.json").exists() or (snap / "config.json").exists() for snap in folder.glob("*")
    )


def hub_reachable(timeout: float = 2.0) -> bool:
    """A quick TCP probe of the model hub, so a machine without network fails in seconds, not minutes."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes"}:
        return False
    endpoint = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    try:
        with socket.create_connection((endpoint.hostname or "huggingface.co", endpoint.port or 443), timeout):
            return True
    except OSError:
        return False


def offline_fix(model_name: str) -> str:
    return (
        f"To use {model_name}: on a machine with internet run "
        f"`huggingface-cli download {model_name}` and copy its {hub_cache_dir()} folder here, "
        "or pass --embed-model /path/to/a/sentence-transformers/folder, then rebuild with `gongyou build`."
    )


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def load_embedder(
    spec: str | None = None, *, fallback: bool = True, warn: Callable[[str], None] = _warn
) -> Embedder:
    """The embedder named by spec (a hub name, a local folder, or "offline"); see the module docstring."""
    spec = spec or os.environ.get("GONGYOU_EMBED_MODEL") or DEFAULT_MODEL
    if spec in OFFLINE_ALIASES:
        return HashingEmbedder()
    path = Path(spec).expanduser()
    if path.is_dir():
        return SentenceTransformerEmbedder(str(path.resolve()), str(path), local_only=True)
    if is_cached(spec):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # skip the update check that retries for a minute
        return SentenceTransformerEmbedder(spec, spec, local_only=True)
    if hub_reachable():
        print(f"Downloading {spec} (first use only)...", file=sys.stderr)
        return SentenceTransformerEmbedder(spec, spec, local_only=False)
    message = f"cannot load the embedding model {spec}: no network and not in the local cache."
    if not fallback:
        raise EmbedderUnavailable(f"{message} {offline_fix(spec)}")
    warn(
        f"{message} Using the built-in offline embedder ({OFFLINE_NAME}, character n-grams): "
        f"answers still work, cross-lingual matching is weaker. {offline_fix(spec)}"
    )
    return HashingEmbedder()
