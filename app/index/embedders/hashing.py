"""The built-in offline embedder: character n-gram hashing vectors, no model, no download."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from app.index.embedders.base import EmbedderKind
from app.settings import current
from app.text.normalize import match_form

OFFLINE_NAME = "gongyou-hashing-v1"
ALIASES = frozenset({"offline", "hashing", OFFLINE_NAME})
DEFAULT_DIM = 512


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

    def __init__(self, dim: int = DEFAULT_DIM) -> None:
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

    identity: dict[str, str] = {}  # noqa: RUF012 - the algorithm is the name; nothing else to record


HASHING = EmbedderKind(
    label="built-in offline hashing",
    answers_to=ALIASES.__contains__,
    make=lambda spec, dim: HashingEmbedder(dim or DEFAULT_DIM),
    name_for=lambda spec: OFFLINE_NAME,
    fallback_note=(
        f"the built-in offline embedder ({OFFLINE_NAME}, character n-grams): answers still work, "
        "cross-lingual matching is weaker."
    ),
)
