"""The reader choices (`--reader`, GONGYOU_READER): each declares what it does as attributes.

"on" is the trained reader (app/reader/model.py) and fails with a clear message where it cannot
run; "off" reads nothing; "auto" is "on" where the index suits it (built with the bundled model
whose weights the reader was trained on) and "off" elsewhere (the offline hashing embedder).
Which of its uses are in force, and how many fused candidates it rereads, are settings
(`reader_rerank`, `reader_answerability`, `reader_candidates` in app/settings.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import BadInput
from app.models import Hit
from app.reader.model import ReaderUnavailable, ReaderWeights, Reading, check_base, load_weights, read
from app.settings import current

CHOICES = ("auto", "on", "off")


@dataclass(frozen=True)
class NoReader:
    """Retrieval order as fused; refusals by the rules alone."""

    reranks: bool = False
    judges_answerability: bool = False
    active: bool = False

    def pool(self, k: int) -> int:
        return k

    def read(self, question, hits, question_vector, index, occurs) -> Reading | None:
        return None

    def describe(self) -> dict[str, object]:
        return {"reader": "off"}


@dataclass(frozen=True)
class TrainedReader:
    """Our trained reader over the fused top `reader_candidates`."""

    weights: ReaderWeights
    reranks: bool
    judges_answerability: bool
    active: bool = True

    def pool(self, k: int) -> int:
        return max(k, current().reader_candidates) if self.reranks else k

    def read(self, question: str, hits: list[Hit], question_vector, index, occurs) -> Reading | None:
        if question_vector is None or not hits:
            return None
        return read(
            self.weights,
            question,
            hits,
            question_vector,
            index,
            occurs,
            self.reranks,
            self.judges_answerability,
        )

    def describe(self) -> dict[str, object]:
        return {
            "reader": "on",
            "reader_reranks": self.reranks,
            "reader_judges_answerability": self.judges_answerability,
            "reader_weights": self.weights.manifest.get("version"),
        }


def make_reader(choice: str | None, index):
    """The reader for an index; `choice` None takes the setting `reader`."""
    choice = choice or current().reader
    if choice not in CHOICES:
        raise BadInput(f"--reader takes {', '.join(CHOICES)}; got {choice!r}")
    if choice == "off":
        return NoReader()
    settings = current()
    try:
        weights = load_weights()
        check_base(weights, index)
    except ReaderUnavailable:
        if choice == "auto":
            return NoReader()
        raise
    return TrainedReader(weights, settings.reader_rerank, settings.reader_answerability)
