"""What every embedder offers, and how a kind of embedder is registered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from app.errors import GongyouError


class Embedder(Protocol):
    """What every embedder declares: callers read these attributes and never compare names."""

    name: str  # recorded in the manifest; the registry makes the same embedder again from it
    dim: int
    offline: bool  # the built-in hashing vectors, not a model: answers say "offline mode"

    @property
    def fusion_weight(self) -> float:
        """Weight of the dense leg in the fusion with BM25 (app/settings.py)."""
        ...

    @property
    def identity(self) -> dict[str, str]:
        """Besides the name, what the manifest records to tell these vectors from others (the
        exact weights); an index whose record differs is refused."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


class EmbedderUnavailable(GongyouError, RuntimeError):
    """The requested model cannot be loaded here; the message says why and how to fix it."""

    def __init__(self, reason: str, fix: str = "") -> None:
        super().__init__(f"{reason} {fix}" if fix else reason)
        self.reason = reason
        self.fix = fix


@dataclass(frozen=True)
class EmbedderKind:
    """One kind of embedder the registry can make (app.index.embedders.registry).

    `answers_to` says whether a spec means this kind: an alias, a folder, a hub name, or the
    name a manifest recorded. `unavailable` gives the reason it cannot be made here (None when it
    can) and `fix` how to change that; `make` builds it from a spec and, when an index recorded
    one, its dimension.
    """

    label: str
    answers_to: Callable[[str], bool]
    make: Callable[[str, int | None], Embedder]
    unavailable: Callable[[str], str | None] = lambda spec: None
    fix: Callable[[str], str] = lambda spec: ""
    fallback_note: str = ""  # how a warning describes it standing in for a kind that cannot load
    requested_only: bool = False  # resolves what a user asks for, never a name a manifest recorded
    name_for: Callable[[str], str] = lambda spec: spec  # the name the embedder a spec makes records

    def load(self, spec: str, dim: int | None = None) -> Embedder:
        """The embedder, or EmbedderUnavailable with the reason and the fix."""
        if (reason := self.unavailable(spec)) is not None:
            raise EmbedderUnavailable(reason, self.fix(spec))
        return self.make(spec, dim)
