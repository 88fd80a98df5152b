"""The registry of embedder kinds: which kind a spec means, and the automatic choice.

A spec is an alias ("offline", "hashing"), a local sentence-transformers folder, a hub name, or
the name an index's manifest recorded. `load_embedder` never hangs on a machine without
network: a hub model comes from the local cache, else from the hub after a short probe, else
the first available kind of FALLBACKS stands in, with one warning naming the fix.

Adding an embedder is a module defining its EmbedderKind and one entry in KINDS.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from app.index.embedders import hashing, sentence_transformers
from app.index.embedders.base import Embedder, EmbedderKind, EmbedderUnavailable

DEFAULT_MODEL = "intfloat/multilingual-e5-small"

# First kind that answers to a spec wins; a hub name answers to anything, so it comes last.
KINDS: tuple[EmbedderKind, ...] = (
    hashing.HASHING,
    sentence_transformers.FOLDER,
    sentence_transformers.HUB,
)

FALLBACKS: tuple[str, ...] = ("offline",)  # specs tried in turn when the requested one cannot load


def kind_of(spec: str) -> EmbedderKind:
    """The kind of embedder a spec means."""
    return next(kind for kind in KINDS if kind.answers_to(spec))


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def load_embedder(
    spec: str | None = None, *, fallback: bool = True, warn: Callable[[str], None] = _warn
) -> Embedder:
    """The embedder named by spec (default: GONGYOU_EMBED_MODEL, else DEFAULT_MODEL).

    When it cannot be loaded here, raises EmbedderUnavailable unless fallback is set; then the
    first available FALLBACKS kind is used and warn is called once with the reason and the fix.
    """
    spec = spec or os.environ.get("GONGYOU_EMBED_MODEL") or DEFAULT_MODEL
    try:
        return kind_of(spec).load(spec)
    except EmbedderUnavailable as problem:
        if not fallback:
            raise
        for stand_in in FALLBACKS:
            kind = kind_of(stand_in)
            if kind.unavailable(stand_in) is None:
                warn(f"{problem.reason} Using {kind.fallback_note} {problem.fix}".rstrip())
                return kind.load(stand_in)
        raise


def embedder_that_built(record: dict[str, Any]) -> Embedder:
    """The embedder a manifest's `embedder` record names, at its recorded dimension; never a
    fallback (vectors of two embedders in one index would be meaningless)."""
    name = record["name"]
    return kind_of(name).load(name, int(record["dim"]))
