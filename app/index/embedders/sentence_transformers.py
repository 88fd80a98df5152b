"""sentence-transformers models, from a local folder or the Hugging Face hub.

sentence-transformers and torch are imported only when a model is really loaded. A hub model
comes from the local cache when it is there (no update check), otherwise it is downloaded if a
quick probe finds the hub; without either it is unavailable and the registry falls back.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.index.embedders.base import EmbedderKind
from app.index.embedders.hub import hub_reachable, is_cached, offline_fix
from app.settings import current
from app.text.normalize import model_forms


class SentenceTransformerEmbedder:
    """A sentence-transformers model; e5 models get their "query: " / "passage: " prefixes."""

    offline = False

    @property
    def fusion_weight(self) -> float:
        return current().dense_weight_model

    identity: dict[str, str] = {}  # noqa: RUF012 - the hub name or folder is the identity

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
            [prefix + t for t in model_forms(texts)],
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


def _from_folder(spec: str, dim: int | None) -> SentenceTransformerEmbedder:
    """Named by its absolute path, so an index records where its model lives."""
    path = Path(spec).expanduser()
    return SentenceTransformerEmbedder(str(path.resolve()), str(path), local_only=True)


def _hub_unavailable(spec: str) -> str | None:
    if is_cached(spec) or hub_reachable():
        return None
    return f"cannot load the embedding model {spec}: no network and not in the local cache."


def _from_hub(spec: str, dim: int | None) -> SentenceTransformerEmbedder:
    if is_cached(spec):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # skip the update check that retries for a minute
        return SentenceTransformerEmbedder(spec, spec, local_only=True)
    print(f"Downloading {spec} (first use only)...", file=sys.stderr)
    return SentenceTransformerEmbedder(spec, spec, local_only=False)


def _looks_like_a_path(spec: str) -> bool:
    """A folder meant, not a hub name ("org/name"): absolute, relative with ./ or ~, or deeper."""
    return (
        spec.startswith(("/", ".", "~"))
        or "\\" in spec
        or spec.count("/") > 1
        or Path(spec).expanduser().exists()
    )


def _folder_unavailable(spec: str) -> str | None:
    path = Path(spec).expanduser()
    if not path.exists():
        return f"there is no model folder at {spec}."
    if not path.is_dir():
        return f"{spec} is a file; a model is a folder."
    if not ((path / "modules.json").exists() or (path / "config.json").exists()):
        return f"{spec} is not a sentence-transformers model folder (it has no modules.json or config.json)."
    return None


def _folder_fix(spec: str) -> str:
    return (
        "Pass the folder of a sentence-transformers model (it holds modules.json or config.json), a "
        "model name such as intfloat/multilingual-e5-small, or 'offline'."
    )


FOLDER = EmbedderKind(
    label="sentence-transformers folder",
    answers_to=_looks_like_a_path,
    make=_from_folder,
    unavailable=_folder_unavailable,
    fix=_folder_fix,
    name_for=lambda spec: str(Path(spec).expanduser().resolve()),
)

HUB = EmbedderKind(
    label="sentence-transformers hub model",
    answers_to=lambda spec: True,  # any other spec is taken for a hub name
    make=_from_hub,
    unavailable=_hub_unavailable,
    fix=offline_fix,
)
