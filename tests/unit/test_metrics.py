"""Metric functions against examples worked out by hand, plus the PNG plots."""

from __future__ import annotations

import math
import struct

import pytest

from app.evaluation import metrics
from app.evaluation.metrics import (
    bootstrap_ci,
    by_tag,
    contains_all,
    contains_all_parts,
    hit_at_k,
    ndcg_at_k,
    percentiles,
    rate,
    recall_at_k,
    reciprocal_rank_at_k,
    retrieval_summary,
)
from app.evaluation.plots import plot_latency_histogram, plot_recall_at_k, plot_tag_bars

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LOG2_3 = math.log2(3)  # 1.58496..., so 1/log2(3) = 0.63093
LOG2_5 = math.log2(5)  # 2.32193..., so 1/log2(5) = 0.43068

RETRIEVED = ["a", "b", "c", "d"]
RELEVANT = {"b", "d"}  # relevant at ranks 2 and 4


# --- retrieval, per query ----------------------------------------------------------------------


def test_hit_at_k():
    # rank 1 is "a" (not relevant); rank 2 is "b" (relevant)
    assert hit_at_k(RETRIEVED, RELEVANT, 1) == 0.0
    assert hit_at_k(RETRIEVED, RELEVANT, 2) == 1.0


def test_recall_at_k():
    # top 1 = {a}: 0 of 2 relevant -> 0
    assert recall_at_k(RETRIEVED, RELEVANT, 1) == 0.0
    # top 2 = {a, b}: 1 of 2 -> 0.5
    assert recall_at_k(RETRIEVED, RELEVANT, 2) == 0.5
    # top 3 = {a, b, c}: still 1 of 2 -> 0.5
    assert recall_at_k(RETRIEVED, RELEVANT, 3) == 0.5
    # top 4: 2 of 2 -> 1
    assert recall_at_k(RETRIEVED, RELEVANT, 4) == 1.0
    # denominator is |relevant| even when it exceeds k: {a, x, y}, top 2 holds a -> 1/3
    assert recall_at_k(RETRIEVED, {"a", "x", "y"}, 2) == pytest.approx(1 / 3)


def test_reciprocal_rank_at_k():
    # first relevant ("b") is at rank 2 -> 1/2, once k >= 2
    assert reciprocal_rank_at_k(RETRIEVED, RELEVANT, 4) == 0.5
    assert reciprocal_rank_at_k(RETRIEVED, RELEVANT, 2) == 0.5
    # k = 1 cuts it off -> 0
    assert reciprocal_rank_at_k(RETRIEVED, RELEVANT, 1) == 0.0
    # first relevant at rank 3 -> 1/3
    assert reciprocal_rank_at_k(RETRIEVED, {"c"}, 10) == pytest.approx(1 / 3)


def test_ndcg_at_k_worked_examples():
    # k=4: DCG = 1/log2(2+1) + 1/log2(4+1) = 0.63093 + 0.43068 = 1.06161
    #      ideal: min(|rel|=2, 4) = 2 ones at ranks 1, 2: 1/log2(2) + 1/log2(3) = 1 + 0.63093 = 1.63093
    #      nDCG@4 = 1.06161 / 1.63093 = 0.65092
    expected_4 = (1 / LOG2_3 + 1 / LOG2_5) / (1 + 1 / LOG2_3)
    assert ndcg_at_k(RETRIEVED, RELEVANT, 4) == pytest.approx(expected_4)
    assert ndcg_at_k(RETRIEVED, RELEVANT, 4) == pytest.approx(0.65092, abs=1e-5)
    # k=2: DCG = 1/log2(3) = 0.63093; ideal = 1.63093 -> 0.38685
    assert ndcg_at_k(RETRIEVED, RELEVANT, 2) == pytest.approx(0.38685, abs=1e-5)
    # k=1: nothing relevant at rank 1 -> 0
    assert ndcg_at_k(RETRIEVED, RELEVANT, 1) == 0.0
    # ideal DCG uses min(|rel|, k): rel {a, x, y}, k=2 -> ideal = 1 + 0.63093 = 1.63093;
    # DCG = 1/log2(2) = 1 ("a" at rank 1) -> 1 / 1.63093 = 0.61315
    assert ndcg_at_k(RETRIEVED, {"a", "x", "y"}, 2) == pytest.approx(0.61315, abs=1e-5)
    # perfect ranking -> 1
    assert ndcg_at_k(["b", "d", "a"], RELEVANT, 3) == pytest.approx(1.0)


def test_k_larger_than_the_list():
    # retrieved [a, b], relevant {b}, k = 10: b at rank 2
    retrieved, relevant = ["a", "b"], {"b"}
    assert hit_at_k(retrieved, relevant, 10) == 1.0
    assert recall_at_k(retrieved, relevant, 10) == 1.0
    assert reciprocal_rank_at_k(retrieved, relevant, 10) == 0.5
    # DCG = 1/log2(3) = 0.63093; ideal = min(1, 10) = 1 one -> 1/log2(2) = 1 -> 0.63093
    assert ndcg_at_k(retrieved, relevant, 10) == pytest.approx(0.63093, abs=1e-5)


def test_no_relevant_retrieved_scores_zero():
    for fn in (hit_at_k, recall_at_k, reciprocal_rank_at_k, ndcg_at_k):
        assert fn(RETRIEVED, {"z"}, 4) == 0.0
        assert fn([], {"z"}, 4) == 0.0


def test_duplicate_ids_count_once():
    # [b, b, c] with relevant {b, c}: b counts at rank 1 only, c at rank 3
    # recall@2 = 1/2 (not 2/2); nDCG@3 = (1/log2(2) + 1/log2(4)) / (1 + 1/log2(3)) = 1.5 / 1.63093
    assert recall_at_k(["b", "b", "c"], {"b", "c"}, 2) == 0.5
    assert ndcg_at_k(["b", "b", "c"], {"b", "c"}, 3) == pytest.approx(0.91972, abs=1e-5)


@pytest.mark.parametrize("fn", [hit_at_k, recall_at_k, reciprocal_rank_at_k, ndcg_at_k])
def test_empty_relevant_or_bad_k_raises(fn):
    with pytest.raises(ValueError):
        fn(RETRIEVED, set(), 5)
    with pytest.raises(ValueError):
        fn(RETRIEVED, RELEVANT, 0)


# --- retrieval summary -------------------------------------------------------------------------


def test_retrieval_summary_by_hand():
    runs = [
        (["a", "b", "c", "d"], {"b", "d"}),  # q1: relevant at ranks 2, 4
        (["x", "y"], {"x"}),  # q2: relevant at rank 1
        (["p"], {"q"}),  # q3: nothing relevant retrieved
        (["z"], set()),  # q4: no relevant ids -> skipped
    ]
    summary = retrieval_summary(runs, ks=(1, 2))
    assert summary["n"] == 3
    assert summary["skipped"] == 1
    expected_keys = {"n", "skipped"} | {f"{m}@{k}" for m in ("hit", "recall", "mrr", "ndcg") for k in (1, 2)}
    assert set(summary) == expected_keys
    # hit@1: [0, 1, 0] -> 1/3;  hit@2: [1, 1, 0] -> 2/3
    assert summary["hit@1"]["value"] == pytest.approx(1 / 3)
    assert summary["hit@2"]["value"] == pytest.approx(2 / 3)
    # recall@2: [1/2, 1, 0] -> 1.5 / 3 = 0.5
    assert summary["recall@2"]["value"] == pytest.approx(0.5)
    # mrr@1: [0, 1, 0] -> 1/3;  mrr@2: [1/2, 1, 0] -> 0.5
    assert summary["mrr@1"]["value"] == pytest.approx(1 / 3)
    assert summary["mrr@2"]["value"] == pytest.approx(0.5)
    # ndcg@2: [0.38685, 1, 0] -> 1.38685 / 3 = 0.46228
    assert summary["ndcg@2"]["value"] == pytest.approx(0.46228, abs=1e-5)
    for key in expected_keys - {"n", "skipped"}:
        entry = summary[key]
        assert entry["n"] == 3
        low, high = entry["ci95"]
        assert 0.0 <= low <= entry["value"] <= high <= 1.0


def test_retrieval_summary_without_scorable_queries_raises():
    with pytest.raises(ValueError):
        retrieval_summary([(["a"], set())])
    with pytest.raises(ValueError):
        retrieval_summary([])


# --- bootstrap and rates -----------------------------------------------------------------------


def test_bootstrap_is_deterministic_with_seed():
    sample = [0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0]
    assert bootstrap_ci(sample, seed=7) == bootstrap_ci(sample, seed=7)
    assert bootstrap_ci(sample, seed=7) != bootstrap_ci(sample, seed=8)


def test_bootstrap_contains_true_mean_with_plausible_width():
    # 0..99: mean 49.5, sd = 28.87, standard error = 28.87 / sqrt(100) = 2.887,
    # so a 95% interval is about 49.5 +- 1.96 * 2.887 = [43.8, 55.2], width about 11.3
    sample = list(range(100))
    low, high = bootstrap_ci(sample, n_resamples=2000)
    assert low < 49.5 < high
    assert 9.0 < high - low < 14.0
    # a 50% interval is narrower (about +- 0.674 * 2.887 = +- 1.95)
    low50, high50 = bootstrap_ci(sample, n_resamples=2000, confidence=0.5)
    assert low < low50 < 49.5 < high50 < high


def test_bootstrap_chunked_resampling_still_valid(monkeypatch):
    # force one resample row per chunk: the interval must stay sensible
    monkeypatch.setattr(metrics, "_BOOTSTRAP_CHUNK", 1)
    low, high = bootstrap_ci(list(range(100)), n_resamples=500)
    assert low < 49.5 < high
    assert 9.0 < high - low < 14.0


def test_bootstrap_zero_width_and_errors():
    assert bootstrap_ci([5.0]) == (5.0, 5.0)
    assert bootstrap_ci([0.1] * 7) == (0.1, 0.1)
    with pytest.raises(ValueError):
        bootstrap_ci([])
    with pytest.raises(ValueError):
        bootstrap_ci([1.0, float("nan")])
    with pytest.raises(ValueError):
        bootstrap_ci([1.0, 2.0], confidence=1.0)


def test_rate():
    # [T, F, T, T] -> 3/4 = 0.75
    result = rate([True, False, True, True])
    assert result["value"] == 0.75
    assert result["n"] == 4
    low, high = result["ci95"]
    assert 0.0 <= low <= 0.75 <= high <= 1.0
    assert low < high
    assert rate([1.0])["ci95"] == [1.0, 1.0]
    assert rate([]) == {"value": None, "ci95": None, "n": 0}


def test_percentiles():
    # sorted [10, 20, 30, 40, 100]: p50 = middle = 30;
    # p95 at position 0.95 * (5 - 1) = 3.8 -> 40 + 0.8 * (100 - 40) = 88;
    # mean = 200 / 5 = 40; max = 100
    expected = {"p50": 30.0, "p95": 88.0, "mean": 40.0, "max": 100.0, "n": 5}
    assert percentiles([100, 20, 10, 40, 30]) == pytest.approx(expected)
    assert percentiles([])["n"] == 0
    assert percentiles([])["p50"] is None


def test_by_tag():
    rows = [
        {"tags": ["工资", "社保"], "correct": True},
        {"tags": ["工资"], "correct": False},
        {"tags": "社保", "correct": True},  # one tag as a string
        {"tags": [], "correct": True},  # no tag: ignored
        {"correct": True},  # no tag key: ignored
        {"tags": ["工伤", "工伤"], "correct": False},  # repeated tag counts once
        {"tags": ["工资"], "correct": None},  # metric not applicable: excluded
    ]
    result = by_tag(rows, metric=lambda row: row["correct"])
    # sorted by code point: 工伤 (U+4F24) < 工资 (U+8D44) < 社保 (社 U+793E > 工 U+5DE5)
    assert list(result) == ["工伤", "工资", "社保"]
    # 工资: [1, 0] -> 0.5 over 2 rows
    assert result["工资"]["value"] == 0.5
    assert result["工资"]["n"] == 2
    # 社保: [1, 1] -> 1.0, zero-width interval
    assert result["社保"] == {"value": 1.0, "ci95": [1.0, 1.0], "n": 2}
    # 工伤: [0] once, not twice
    assert result["工伤"] == {"value": 0.0, "ci95": [0.0, 0.0], "n": 1}
    # another tag key
    other = by_tag([{"kind": ["x"], "ok": 1}], tag_key="kind", metric=lambda row: row["ok"])
    assert other == {"x": {"value": 1.0, "ci95": [1.0, 1.0], "n": 1}}


# --- answer checks -----------------------------------------------------------------------------


def test_contains_all():
    answer = "加班费按工资的150%支付"
    assert contains_all(answer, ["加班费", "150%"]) is True
    assert contains_all(answer, ["加班费", "200%"]) is False
    assert contains_all(answer, []) is False  # nothing to check is not a pass
    assert contains_all(answer, [""]) is False


def test_contains_all_parts():
    answer = "试用期最长不超过六个月"
    # part 1 satisfied by its first alternative, part 2 by its only one
    assert contains_all_parts(answer, [["六个月", "6个月"], ["试用期"]]) is True
    # satisfied by the second alternative only
    assert contains_all_parts(answer, [["6个月", "六个月"]]) is True
    # no alternative of the part occurs
    assert contains_all_parts(answer, [["6个月", "半年"]]) is False
    # one part met, one not
    assert contains_all_parts(answer, [["试用期"], ["三个月"]]) is False
    assert contains_all_parts(answer, []) is False
    assert contains_all_parts(answer, [["试用期"], []]) is False
    assert contains_all_parts(answer, [["试用期"], [""]]) is False
    # a bare string is a one-alternative part (RGB's label lists mix both)
    assert contains_all_parts(answer, ["试用期", ["6个月", "六个月"]]) is True


# --- plots -------------------------------------------------------------------------------------


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 1000
    width, height = struct.unpack(">II", data[16:24])  # IHDR width and height
    return width, height


def test_plot_recall_at_k(tmp_path):
    path = tmp_path / "nested" / "recall.png"
    written = plot_recall_at_k(
        {"bm25": {1: 0.4, 5: 0.7, 10: 0.8, 20: 0.85}, "混合 hybrid": {1: 0.5, 5: 0.8, 10: 0.9, 20: 0.95}},
        path,
    )
    assert written == path
    assert _png_size(path) == (700, 450)


def test_plot_latency_histogram(tmp_path):
    wide = tmp_path / "wide.png"  # 1 ms .. 5000 ms: log axis
    plot_latency_histogram({"retrieve": [1.0, 2.0, 3.0, 5.0, 8.0], "generate": [900.0, 1500.0, 5000.0]}, wide)
    narrow = tmp_path / "narrow.png"  # all equal values and an empty series
    plot_latency_histogram({"total": [120.0, 120.0], "empty": []}, narrow)
    empty = tmp_path / "empty.png"
    plot_latency_histogram({}, empty)
    for path in (wide, narrow, empty):
        assert _png_size(path) == (800, 450)


def test_plot_tag_bars(tmp_path):
    per_tag = by_tag(
        [
            {"tags": ["工资"], "ok": True},
            {"tags": ["工资"], "ok": False},
            {"tags": ["社保"], "ok": True},
        ],
        metric=lambda row: row["ok"],
    )
    few = tmp_path / "few.png"
    plot_tag_bars({**per_tag, "无数据": {"value": None, "ci95": None, "n": 0}}, "accuracy", few)
    many = tmp_path / "many.png"
    plot_tag_bars(
        {f"tag{i}": {"value": 0.5, "ci95": [0.4, 0.6], "n": 10} for i in range(20)}, "accuracy", many
    )
    few_width, few_height = _png_size(few)
    many_width, many_height = _png_size(many)
    assert few_width == many_width == 700
    assert many_height > few_height  # the figure grows with the number of tags
