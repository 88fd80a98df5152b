"""Embedding batches: every row once, in order, and no small tail batch (it went to the slow engine)."""

from __future__ import annotations

import pytest

from app.index.workers import EMBED_BATCH, batch_ranges
from app.settings import current


@pytest.mark.parametrize("count", [0, 1, 63, 127, 128, 129, 255, 256, 1595, 4522, 11908])
def test_batches_cover_every_row_once_in_order(count: int) -> None:
    rows = [i for batch in batch_ranges(count) for i in batch]
    assert rows == list(range(count))


@pytest.mark.parametrize("count", [128, 129, 255, 256, 1595, 4522, 11908])
def test_no_batch_of_a_large_job_is_small_enough_for_the_c_engine(count: int) -> None:
    sizes = [len(batch) for batch in batch_ranges(count)]
    assert min(sizes) >= EMBED_BATCH >= current().torch_min_batch
    assert max(sizes) < 2 * EMBED_BATCH  # the progress bar still moves every batch
