from __future__ import annotations

import pytest

from app.search.fusion import Fused, reciprocal_rank_fusion


def test_weighted_rrf_matches_hand_computed_scores() -> None:
    # rrf_k = 60. BM25 (weight 1): rows 7, 3, 9 at ranks 1, 2, 3. Dense (weight 0.5): rows 3, 5.
    # row 3: 1/62 + 0.5/61 = 0.0161290 + 0.0081967 = 0.0243257
    # row 7: 1/61 = 0.0163934; row 9: 1/63 = 0.0158730; row 5: 0.5/62 = 0.0080645
    fused = reciprocal_rank_fusion([[7, 3, 9], [3, 5]], [1.0, 0.5], 60)
    assert [f.row for f in fused] == [3, 7, 9, 5]
    expected = [1 / 62 + 0.5 / 61, 1 / 61, 1 / 63, 0.5 / 62]
    assert [f.score for f in fused] == pytest.approx(expected, abs=1e-12)
    assert round(fused[0].score, 6) == 0.024326


def test_ties_go_to_the_lower_row_and_a_lone_list_keeps_its_order() -> None:
    # Row 4 first in one list, row 2 first in the other, equal weights: both 1/61, row 2 first.
    assert reciprocal_rank_fusion([[4], [2]], [1.0, 1.0], 60) == [Fused(2, 1 / 61), Fused(4, 1 / 61)]
    alone = reciprocal_rank_fusion([[8, 1, 6], []], [1.0, 0.002], 60)
    assert [f.row for f in alone] == [8, 1, 6]
    assert reciprocal_rank_fusion([[], []], [1.0, 1.0], 60) == []


def test_scores_add_up_across_lists() -> None:
    # rrf_k = 0: a first place (1/1) is worth two second places (1/2 + 1/2); equal scores go by row.
    fused = reciprocal_rank_fusion([[1, 2], [3, 2]], [1.0, 1.0], 0)
    assert {f.row: f.score for f in fused} == {1: 1.0, 2: 1.0, 3: 1.0}
    assert [f.row for f in fused] == [1, 2, 3]


def test_rankings_and_weights_must_pair_up() -> None:
    with pytest.raises(ValueError, match="2 rankings but 1 weights"):
        reciprocal_rank_fusion([[1], [2]], [1.0], 60)
