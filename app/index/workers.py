"""Who does a build's heavy work: embedding passages and cutting them into BM25 tokens.

`write_index` hands the passages that need it (new or edited text) to a `BuildWorkers`: this
process (`LocalWorkers`, the default) or a Ray cluster's workers (app/cluster/build.py). Either
returns the same vectors (within float tolerance) and the same tokens in the same order, and the
driver writes the index as always; only `facts()` (recorded in the manifest) tells them apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any, Protocol

import numpy as np

from app.index.embedders.base import Embedder

# Passages per embedder call: the progress bar (passages per second) moves every few seconds with a
# real model, and each call is large enough for the torch engine (app/settings.py torch_min_batch).
EMBED_BATCH = 128


def batch_ranges(count: int, size: int = EMBED_BATCH) -> list[range]:
    """Rows 0..count-1 in batches of `size` to just under twice it, of nearly equal length.

    Cut at every `size` rows, the last batch of a sorted list held its longest texts, and when it
    had fewer than torch_min_batch of them it went to the C engine, several times slower: 59
    passages and 42 sentences took 37 s of the shipped corpus's 142 s first build."""
    batches = max(1, count // size)
    bounds = [round(i * count / batches) for i in range(batches + 1)]
    return [range(a, b) for a, b in pairwise(bounds) if b > a]


class BuildWorkers(Protocol):
    def embed(self, embedder: Embedder, texts: Sequence[str], progress: bool) -> np.ndarray:
        """Passage vectors of texts, in order (texts come sorted by length: batches pad little)."""
        ...

    def tokenize(self, texts: Sequence[str]) -> Iterator[list[str]]:
        """BM25 tokens of each text, in order, lazily (no build holds every token at once)."""
        ...

    def facts(self) -> dict[str, Any]:
        """What the manifest records about where the build ran (build facts, not index content)."""
        ...


class LocalWorkers:
    """This process embeds and tokenizes (the single-machine build)."""

    def embed(self, embedder: Embedder, texts: Sequence[str], progress: bool) -> np.ndarray:
        from app.index.dense import embed_in_batches

        return embed_in_batches(list(texts), embedder, progress, "passages")

    def tokenize(self, texts: Sequence[str]) -> Iterator[list[str]]:
        from app.text.segment import tokenize_many

        return tokenize_many(texts)

    def facts(self) -> dict[str, Any]:
        return {"engine": "in-process"}
