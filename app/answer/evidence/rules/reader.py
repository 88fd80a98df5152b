"""The trained reader's judgement (app/reader/): no retrieved passage is likely to answer.

The reader's answerability head reads the whole retrieved list (its best passage probability and
margin, the model's cosines, key-term coverage, BM25) and was calibrated on training data only
(scripts/train_reader.py); it is in force only when a reader is (`--reader`).
"""

from __future__ import annotations

from app.answer.evidence.case import Case


def reader_unanswerable(case: Case) -> str | None:
    """The trained reader judges that no retrieved passage answers the question."""
    reading = case.reading
    if reading is None or not reading.refuses:
        return None
    return (
        f"the reader gives {reading.answerable:.2f} that a passage answers "
        f"(threshold {reading.threshold:.2f}, calibrated on training data)"
    )
