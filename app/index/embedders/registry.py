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

from app.index.embedders import bundled, hashing, sentence_transformers
from app.index.embedders.base import Embedder, EmbedderKind, EmbedderUnavailable
from app.index.embedders.hub import is_cached

DEFAULT_MODEL = "intfloat/multilingual-e5-small"


def _default_unavailable(spec: str) -> str | None:
    return None if is_cached(spec) else bundled.unavailable()


def _default(spec: str, dim: int | None) -> Embedder:
    """The sentence-transformers copy in the local cache if there is one, else the bundled copy:
    the default model never makes a network call."""
    if is_cached(spec):
        return sentence_transformers.HUB.make(spec, dim)
    return bundled.BUNDLED.make(bundled.NAME, dim)


DEFAULT = EmbedderKind(
    label="multilingual-e5-small (local sentence-transformers copy, else the bundled one)",
    answers_to=lambda spec: spec == DEFAULT_MODEL,
    make=_default,
    unavailable=_default_unavailable,
    fix=bundled.BUNDLED.fix,
    requested_only=True,  # a recorded "intfloat/multilingual-e5-small" is the hub model exactly
    name_for=lambda spec: spec if is_cached(spec) else bundled.NAME,
)

# First kind that answers to a spec wins; a hub name answers to anything, so it comes last.
KINDS: tuple[EmbedderKind, ...] = (
    hashing.HASHING,
    bundled.BUNDLED,
    DEFAULT,
    sentence_transformers.FOLDER,
    sentence_transformers.HUB,
)

# Specs tried in turn when the requested one cannot load: a real model first, hashing last.
FALLBACKS: tuple[str, ...] = ("bundled", "offline")


def kind_of(spec: str, recorded: bool = False) -> EmbedderKind:
    """The kind of embedder a spec means (`recorded`: a name an index's manifest holds)."""
    return next(k for k in KINDS if k.answers_to(spec) and not (recorded and k.requested_only))


def name_for(spec: str) -> str:
    """The name an index built with this spec records (no model is loaded)."""
    return kind_of(spec).name_for(spec)


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
    embedder = kind_of(name, recorded=True).load(name, int(record["dim"]))
    for key, value in embedder.identity.items():
        if key in record and record[key] != value:
            raise EmbedderUnavailable(
                f"the index was built with other {key} of {name} ({record[key]}) than the ones installed "
                f"here ({value}).",
                "Rebuild the index with `gongyou build`.",
            )
    return embedder
