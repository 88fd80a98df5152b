"""The embedder registry: which kind a spec means, the fallback, and the embedder behind an index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.index.embedders import bundled, registry
from app.index.embedders.base import EmbedderKind, EmbedderUnavailable
from app.index.embedders.hashing import HASHING, OFFLINE_NAME, HashingEmbedder
from app.index.embedders.sentence_transformers import FOLDER, HUB

MISSING_MODEL = "no-such-org/no-such-model"  # not cached; conftest sets HF_HUB_OFFLINE, so no probe


def test_each_spec_means_one_kind(tmp_path: Path) -> None:
    for alias in ("offline", "hashing", OFFLINE_NAME):
        assert registry.kind_of(alias) is HASHING
    assert registry.kind_of(str(tmp_path)) is FOLDER
    assert registry.kind_of(MISSING_MODEL) is HUB
    for path in (str(tmp_path / "not-a-folder"), "./models/e5", "~/models/e5", "models/e5/small"):
        assert registry.kind_of(path) is FOLDER  # a path meant, even when nothing is there


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("./no/such/model", "there is no model folder at ./no/such/model."),
        ("/etc/hostname", "/etc/hostname is a file; a model is a folder."),
        ("/tmp", "/tmp is not a sentence-transformers model folder (it has no modules.json or config.json)."),
    ],
)
def test_a_bogus_model_path_is_named_as_a_path_not_a_download(spec: str, reason: str) -> None:
    """Issue 18: `--embed-model ./x` suggested `huggingface-cli download ./x`."""
    with pytest.raises(EmbedderUnavailable) as err:
        registry.load_embedder(spec, fallback=False)
    assert err.value.reason == reason
    assert "huggingface-cli" not in str(err.value) and "'offline'" in err.value.fix


def test_the_offline_embedder_declares_what_callers_need() -> None:
    embedder = registry.load_embedder("offline")
    assert isinstance(embedder, HashingEmbedder)
    assert embedder.offline and embedder.dim == 512 and 0 < embedder.fusion_weight < 0.01
    vectors = embedder.embed_queries(["加班费怎么算", "加班费怎么算"])
    assert vectors.shape == (2, 512) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.array_equal(vectors[0], vectors[1])


def test_an_unavailable_model_falls_back_to_the_bundled_one_with_one_warning_naming_the_fix() -> None:
    warnings: list[str] = []
    embedder = registry.load_embedder(MISSING_MODEL, warn=warnings.append)
    assert not embedder.offline and embedder.name == bundled.NAME
    assert len(warnings) == 1
    assert warnings[0].startswith(f"cannot load the embedding model {MISSING_MODEL}: no network")
    assert f"Using the bundled multilingual-e5-small ({bundled.NAME}, offline)" in warnings[0]
    assert f"huggingface-cli download {MISSING_MODEL}" in warnings[0]


def test_the_hashing_embedder_stands_in_only_when_the_bundled_model_cannot_load(monkeypatch) -> None:
    monkeypatch.setattr(bundled, "_cpu_problem", lambda: "this CPU lacks avx2")
    warnings: list[str] = []
    embedder = registry.load_embedder(None, warn=warnings.append)
    assert embedder.offline and embedder.name == OFFLINE_NAME
    assert len(warnings) == 1 and "this CPU lacks avx2" in warnings[0]
    assert f"Using the built-in offline embedder ({OFFLINE_NAME}, character n-grams)" in warnings[0]


def test_the_default_model_is_the_bundled_copy_when_none_is_cached_and_never_probes_the_hub(
    monkeypatch,
) -> None:
    from app.index.embedders import hub

    monkeypatch.setattr(hub, "hub_reachable", pytest.fail)  # any probe fails the test
    embedder = registry.load_embedder(None, warn=pytest.fail)
    assert embedder.name == bundled.NAME and embedder.dim == 384


def test_without_fallback_an_unavailable_model_raises_with_the_fix() -> None:
    with pytest.raises(EmbedderUnavailable) as err:
        registry.load_embedder(MISSING_MODEL, fallback=False, warn=pytest.fail)
    assert err.value.reason.startswith(f"cannot load the embedding model {MISSING_MODEL}")
    assert f"huggingface-cli download {MISSING_MODEL}" in err.value.fix
    assert str(err.value) == f"{err.value.reason} {err.value.fix}"


def test_the_embedder_that_built_an_index_keeps_its_recorded_dimension() -> None:
    embedder = registry.embedder_that_built({"name": OFFLINE_NAME, "dim": 64, "requested": "offline"})
    assert isinstance(embedder, HashingEmbedder) and embedder.dim == 64
    with pytest.raises(EmbedderUnavailable, match="huggingface-cli download"):
        registry.embedder_that_built({"name": MISSING_MODEL, "dim": 384})  # never a fallback


def test_a_new_kind_is_one_registry_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[str, int | None]] = []

    def make(spec: str, dim: int | None) -> HashingEmbedder:
        made.append((spec, dim))
        return HashingEmbedder(dim or 32)

    bundled = EmbedderKind(label="bundled", answers_to={"bundled"}.__contains__, make=make)
    monkeypatch.setattr(registry, "KINDS", (bundled, *registry.KINDS))
    assert registry.load_embedder("bundled").dim == 32
    assert registry.embedder_that_built({"name": "bundled", "dim": 48}).dim == 48
    assert made == [("bundled", None), ("bundled", 48)]
    assert registry.kind_of("offline") is HASHING  # the others still answer as before
