"""Sharding on small real inputs: dealing documents to shards, merging shard candidates, coverage."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.index.bm25 import BM25Index
from app.index.lexicon import Lexicon
from app.index.shards import assign_shards
from app.search.coverage import NOTICE_FILE, Coverage, incomplete_notice
from app.search.legs import Candidate, LegResult, _top
from app.search.scatter import merge_leg
from app.text.segment import tokenize

PASSAGES = [
    "用人单位安排加班应当支付加班工资",
    "职工连续工作满12个月以上的，享受带薪年休假",
    "技能人才培训补贴",
    "用人单位应当按时足额支付劳动报酬",
    "",
]


def test_a_document_never_spans_shards_and_shards_balance() -> None:
    # documents of 5, 3, 3, 2, 1, 1 passages, interleaved in row order
    doc_of_row = list("aaaaabbbcccddef")
    layout = assign_shards(doc_of_row, 3)
    assert sorted(np.concatenate(layout).tolist()) == list(range(len(doc_of_row)))
    owners = {
        doc: {n for n, rows in enumerate(layout) if any(doc_of_row[r] == doc for r in rows)}
        for doc in "abcdef"
    }
    assert all(len(shards) == 1 for shards in owners.values())
    sizes = [rows.size for rows in layout]
    assert max(sizes) - min(sizes) <= 1  # 15 passages: 5 / 5 / 5
    assert all((np.diff(rows) > 0).all() for rows in layout)  # ascending global rows
    assert [r.tolist() for r in assign_shards(doc_of_row, 3)] == [r.tolist() for r in layout]


def test_one_shard_holds_everything_and_zero_shards_is_refused() -> None:
    assert assign_shards(list("aab"), 1)[0].tolist() == [0, 1, 2]
    with pytest.raises(ValueError):
        assign_shards(list("ab"), 0)


def test_top_breaks_ties_by_row_also_at_the_cut_off() -> None:
    scores = np.array([1.0, 3.0, 2.0, 3.0, 2.0, 2.0, 0.0], dtype=np.float32)
    assert _top(scores, 4).tolist() == [1, 3, 2, 4]
    assert _top(scores, 7).tolist() == [1, 3, 2, 4, 5, 0, 6]
    assert _top(scores, 0).tolist() == []


def test_merging_the_best_of_each_shard_gives_the_best_of_all() -> None:
    rng = np.random.default_rng(7)
    scores = np.round(rng.random(200), 2)  # rounded: many ties
    shards = [np.arange(s, 200, 3) for s in range(3)]
    want = 25
    per_shard = [
        LegResult([Candidate(int(rows[r]), float(scores[rows[r]])) for r in _top(scores[rows], want)])
        for rows in shards
    ]
    merged = merge_leg(per_shard, want, sum)
    assert merged.rows == _top(scores, want).tolist()


def test_merged_timings_add_up_sequential_shards_and_take_the_slowest_parallel_one() -> None:
    results = [LegResult([], {"bm25": 2.0}), LegResult([], {"bm25": 3.0})]
    assert merge_leg(results, 5, sum).timings_ms == {"bm25": 5.0}
    assert merge_leg(results, 5, max).timings_ms == {"bm25": 3.0}


def test_the_lexicon_gives_the_idf_of_one_bm25_index() -> None:
    bm25 = BM25Index.build(tokenize(p) for p in PASSAGES)
    words = list(bm25.vocab)
    order = sorted(words, key=bm25.vocab.__getitem__)
    ids = [np.array([bm25.vocab[t] for t in tokenize(p) or [""]], dtype=np.int32) for p in PASSAGES]
    lexicon = Lexicon.from_ids(ids, order)
    for word in [*order, "不在索引里"]:
        assert lexicon.idf(word) == bm25.idf(word)
    assert lexicon.n_docs == len(PASSAGES)


def test_coverage_is_reported_only_for_sharded_or_distributed_searches() -> None:
    assert not Coverage(1).reported
    assert Coverage(4).reported and Coverage(1, distributed=True).reported
    partial = Coverage(4, (2,), distributed=True)
    assert not partial.complete
    assert partial.as_mode() == {
        "count": 4,
        "answered": 3,
        "missing": [2],
        "complete": False,
        "distributed": True,
    }


def test_the_incomplete_answer_notice_exists_in_every_language_and_names_the_hotline() -> None:
    raw = json.loads(NOTICE_FILE.read_text(encoding="utf-8"))
    languages = {k for k in raw if not k.startswith("_")}
    assert languages == {"zh-Hans", "zh-Hant", "en"}
    for language in languages:
        notice = incomplete_notice(language)
        assert "12351" in notice and "{" not in notice
    assert "不完整" in incomplete_notice("zh-Hans") and "incomplete" in incomplete_notice("en")
    assert incomplete_notice("fr") == incomplete_notice("zh-Hans")
