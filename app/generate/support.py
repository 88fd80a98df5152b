"""How well a cited passage supports a generated sentence: meaning (the bundled model) and wording.

Meaning: both sides are embedded as e5 "query: " texts (e5's advice for symmetric similarity) by the
bundled multilingual-e5-small's C engine, so an English sentence is compared with a Chinese
passage directly. A sentence is compared with the passage as a whole and with each of its
sentences; its support is the best cosine, and the passage sentence that gave it is the quote the
UI highlights. Vectors of passage texts are cached (the same passages come back question after
question).

Wording: cosine alone does not separate a sentence about the passage from another sentence of the
same field (every labour-law sentence is close to every labour-law article), so the support score
adds the share of the sentence's content words the passage holds (app/generate/coverage.py):
score = cosine + `settings.support_coverage_weight` × coverage, the best over the cited passages.
A sentence with no word to look up (an English one with no glossary word) gets coverage 0: it must
then be closer in meaning alone. Weight and thresholds are calibrated on training data by
scripts/calibrate_support.py (figures in app/settings.py).

A scorer is a swappable part: anything with `name` and `support(sentence, passages)` will do (a
trained reader, when one lands, is another scorer).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from app.generate.coverage import coverage
from app.settings import current
from app.text.sentences import sentences as passage_sentences


@dataclass(frozen=True)
class Support:
    score: float  # what the threshold is compared with: cosine + weight × coverage
    passage: int  # index into the passages given
    quote: str  # the passage sentence closest in meaning ("" when the whole passage was closest)
    cosine: float = 0.0  # in [-1, 1]: how close in meaning (best of the passage and its sentences)
    coverage: float | None = None  # share of the sentence's content words the passage holds


class SupportScorer(Protocol):
    name: str

    def support(self, sentence: str, passages: Sequence[str]) -> Support | None: ...


class E5Support:
    """Cosine of e5 "query: " vectors of the sentence and of the passage and its sentences."""

    name = "multilingual-e5-small (bundled) cosine, max over the passage and its sentences, + word coverage"

    def __init__(self, cache_size: int = 4096, coverage_weight: float | None = None) -> None:
        from app.index.embedders.bundled import BundledE5Embedder

        self._embedder = BundledE5Embedder()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._weight = coverage_weight

    @property
    def coverage_weight(self) -> float:
        return current().support_coverage_weight if self._weight is None else self._weight

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of the texts, embedding only those not cached."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            fresh = self._embedder.embed_queries(missing)
            with self._lock:
                for text, vector in zip(missing, fresh):
                    self._cache[text] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        with self._lock:
            for text in texts:
                if text in self._cache:
                    self._cache.move_to_end(text)
            return np.stack([self._cache[t] for t in texts])

    def support(self, sentence: str, passages: Sequence[str]) -> Support | None:
        units: list[tuple[int, str]] = []
        for i, passage in enumerate(passages):
            units.append((i, passage))
            units += [(i, s) for s in passage_sentences(passage) if s != passage.strip()]
        if not units:
            return None
        vectors = self.vectors([sentence, *(text for _, text in units)])
        cosines = vectors[1:] @ vectors[0]
        best: Support | None = None
        for i, passage in enumerate(passages):
            mine = [u for u, (index, _) in enumerate(units) if index == i]
            top = max(mine, key=lambda u: cosines[u])
            share = coverage(sentence, passage)
            cosine = float(cosines[top])
            score = cosine + self.coverage_weight * (share or 0.0)
            text = units[top][1]
            if best is None or score > best.score:
                best = Support(score, i, "" if text == passage else text, cosine, share)
        return best


_scorer: E5Support | None = None
_scorer_lock = threading.Lock()


def default_scorer() -> SupportScorer:
    """The bundled model's scorer, made once per process (the C engine loads in about a second)."""
    global _scorer
    with _scorer_lock:
        if _scorer is None:
            _scorer = E5Support()
        return _scorer
