"""Scaling figures for docs/scaling.md: distributed builds and sharded serving on a local Ray.

Parts (each prints a table and a JSON line; `all` runs them one after another, each in its own
process):

    build     build throughput with the default model: in-process vs 1 and 2 Ray workers, on the
              first --passages LeCoQA articles; tokens per passage for the FLOP formula
    overhead  LeCoQA (11.9k passages, default model): ask latency in-process (one index, and 4
              shards) vs through Ray (4 shard actors, 1 replica), sequential questions
    serve     100k passages in 4 shards (LeCoQA x 8.4; default-model vectors): throughput and p95 of
              `ask` with 1 and 2 answering replicas under --clients concurrent clients; memory of
              the shard actors and replicas
    recall    dense recall@100 of HNSW (the unsharded index's choice from 50k passages) against exact
              search, on LeCoQA with the default model

The default-model LeCoQA index is built once into --work (11.9k passages embedded: about 4-8
minutes here) unless --model-index names one (e.g. an `eval/.cache/lecoqa-*-intfloat_*` folder);
every other index reuses its vectors by content hash. The 100k corpus repeats LeCoQA's articles
under new ids with the same text, so its vectors are reused too: a serving figure, not a
retrieval-quality one.

    .venv/bin/python scripts/bench_scale.py --part all --work /tmp/scale-bench
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LECOQA = ROOT.parent / "shared" / "benchmarks" / "lecoqa"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _questions(n: int) -> list[str]:
    """LeCoQA training questions (timing only: no figure here is a retrieval-quality one)."""
    return [r["question"] for r in _rows(LECOQA / "queries.jsonl") if r.get("split") == "train"][:n]


def _load() -> str:
    return "load average " + " / ".join(f"{x:.1f}" for x in os.getloadavg())


def model_index(work: Path, given: str | None) -> Path:
    """The LeCoQA index built with the default model (built here once when not given)."""
    from app.index.build import build

    target = work / "lecoqa-model"
    if given:
        if not target.exists():
            shutil.copytree(given, target)
        return target
    if not (target / "CURRENT").exists():
        print("building LeCoQA with the default model (embeds 11.9k passages)...", file=sys.stderr)
        build(LECOQA / "corpus.jsonl", target, progress=True)
    return target


def derived(work: Path, base: Path, name: str, corpus: Path, shards: int) -> Path:
    """An index of corpus built over a copy of base, so every known passage keeps its vector."""
    from app.index.build import build

    target = work / name
    if not (target / "CURRENT").exists():
        shutil.copytree(base, target)
        result = build(corpus, target, progress=False, shards=shards)
        made = result.manifest
        print(f"{name}: {made['chunk_count']} passages, embedded {made['embedded_chunks']}", file=sys.stderr)
    return target


def corpus_100k(work: Path) -> Path:
    target = work / "corpus-100k.jsonl"
    if target.exists():
        return target
    rows = _rows(LECOQA / "corpus.jsonl")
    with open(target, "w", encoding="utf-8") as out:
        for n in range(100_000):
            row = dict(rows[n % len(rows)])
            row["id"] = f"{row['id']}#{n // len(rows)}"
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return target


# --------------------------------------------------------------------------- build


def part_build(args) -> dict:
    from app.cluster.connect import ray_cluster
    from app.index.build import build
    from app.index.embedders.e5_bundle import read_bundle
    from app.index.embedders.e5_torch import PASSAGE, BundledTokenizer
    from app.index.store import index_text, load_index

    work = Path(args.work)
    sample = work / f"sample-{args.passages}.jsonl"
    rows = _rows(LECOQA / "corpus.jsonl")[: args.passages]
    sample.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    runs: dict[str, dict] = {}

    def timed(name: str, workers=None) -> None:
        folder = work / f"build-{name}"
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        result = build(sample, folder, progress=False, workers=workers)
        seconds = time.perf_counter() - started
        facts = result.manifest["build"]
        runs[name] = {
            "seconds": round(seconds, 1),
            "passages_per_second": round(result.manifest["chunk_count"] / seconds, 1),
            "embed_passages_per_second": facts.get("embed_passages_per_second"),
            "workers": facts.get("workers", 1),
            "load": _load(),
        }
        print(name, runs[name], file=sys.stderr)

    timed("in-process (2 threads)")
    with ray_cluster("local"):  # Ray is imported inside: it must not be before ray_cluster
        from app.cluster.build import RayWorkers

        for count in (1, 2):
            workers = RayWorkers(count)
            try:
                timed(f"ray, {count} worker(s) x 1 CPU", workers)
            finally:
                workers.close()
    index = load_index(work / "build-in-process (2 threads)")
    tokenizer = BundledTokenizer(read_bundle())
    texts = [PASSAGE + index_text(c, index.docs[c.doc_id]) for c in index.chunks]
    tokens = [len(ids) + 2 for ids in tokenizer.content_ids(texts)]
    mean_tokens = statistics.mean(tokens)
    return {
        "part": "build",
        "passages": len(index.chunks),
        "mean_tokens": round(mean_tokens, 1),
        "runs": runs,
    }


# --------------------------------------------------------------------------- serving


def _latencies(ask, questions: list[str], clients: int) -> tuple[list[float], float]:
    """Closed loop: `clients` threads ask the questions between them; (latencies ms, seconds)."""
    latencies: list[float] = []
    lock = threading.Lock()
    queue = list(questions)

    def client() -> None:
        while True:
            with lock:
                if not queue:
                    return
                question = queue.pop()
            started = time.perf_counter()
            ask(question)
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def _summary(latencies: list[float], seconds: float) -> dict:
    return {
        "questions": len(latencies),
        "per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(_percentile(latencies, 50), 1),
        "p95_ms": round(_percentile(latencies, 95), 1),
        "load": _load(),
    }


def _actor_memory() -> dict[str, float]:
    """Resident memory (MB) of Ray's actor processes by class (their process titles)."""
    import psutil

    memory: dict[str, list[float]] = {}
    for proc in psutil.process_iter(["cmdline", "memory_info"]):
        title = " ".join(proc.info["cmdline"] or [])
        for kind in ("ShardActor", "FrontEnd"):
            if title.startswith(f"ray::{kind}") and proc.info["memory_info"]:
                memory.setdefault(kind, []).append(proc.info["memory_info"].rss / 2**20)
    return {kind: round(max(values), 1) for kind, values in memory.items()}


def part_overhead(args) -> dict:
    from app.cluster.connect import ray_cluster
    from app.pipeline import Pipeline

    work = Path(args.work)
    one = model_index(work, args.model_index)
    four = derived(work, one, "lecoqa-model-4", LECOQA / "corpus.jsonl", 4)
    questions = _questions(args.questions)
    results = {}
    for name, pipeline in (
        ("in-process, one index", Pipeline(one)),
        ("in-process, 4 shards", Pipeline(four)),
    ):
        pipeline.ask(questions[0])
        results[name] = _summary(*_latencies(pipeline.ask, questions, 1))
    with ray_cluster("local", needed_cpus=5):
        from app.cluster.frontend import RemotePipeline

        remote = RemotePipeline(four, None, replicas=1)
        try:
            remote.ask(questions[0])
            results["ray, 4 shard actors, 1 replica"] = _summary(*_latencies(remote.ask, questions, 1))
        finally:
            remote._stop()
    return {"part": "overhead", "passages": 11908, "embedder": "default model (bundled)", "runs": results}


def part_serve(args) -> dict:
    from app.cluster.connect import ray_cluster

    work = Path(args.work)
    one = model_index(work, args.model_index)
    four = derived(work, one, "copies-100k-4", corpus_100k(work), 4)
    questions = _questions(args.questions)
    results, memory = {}, {}
    with ray_cluster("local", needed_cpus=6):
        from app.cluster.frontend import RemotePipeline

        for replicas in (1, 2):
            remote = RemotePipeline(four, None, replicas=replicas)
            try:
                for question in questions[:20]:  # warm every replica
                    remote.ask(question)
                results[f"{replicas} replica(s)"] = _summary(*_latencies(remote.ask, questions, args.clients))
                memory[f"{replicas} replica(s)"] = _actor_memory()
            finally:
                remote._stop()
            time.sleep(2)
    return {
        "part": "serve",
        "passages": 100_000,
        "shards": 4,
        "clients": args.clients,
        "embedder": "default model (bundled)",
        "runs": results,
        "actor_rss_mb": memory,
    }


def part_recall(args) -> dict:
    import numpy as np

    from app.index.dense import dense_index
    from app.index.embedders.registry import load_embedder
    from app.index.store import load_index
    from app.settings import override

    index = load_index(model_index(Path(args.work), args.model_index))
    vectors = index.vectors()
    embedder = load_embedder("bundled")
    queries = embedder.embed_queries(_questions(args.questions))
    exact = dense_index(vectors)
    with override(hnsw_threshold=0):
        hnsw = dense_index(vectors)
    _, truth = exact.search(queries, 100)
    _, found = hnsw.search(queries, 100)
    recall = float(np.mean([len(set(t) & set(f)) / 100 for t, f in zip(truth, found)]))
    return {"part": "recall", "passages": len(vectors), "recall_at_100": round(recall, 4)}


PARTS = {"build": part_build, "overhead": part_overhead, "serve": part_serve, "recall": part_recall}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=[*PARTS, "all"], default="all")
    parser.add_argument("--work", default="/tmp/gongyou-scale-bench", help="indexes are kept here")
    parser.add_argument("--model-index", help="a LeCoQA index built with the default model, to reuse")
    parser.add_argument("--passages", type=int, default=1000, help="build part: LeCoQA articles")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8, help="serve part: concurrent clients")
    args = parser.parse_args()
    if not (LECOQA / "corpus.jsonl").exists():
        sys.exit(f"{LECOQA} not found: run scripts/get_benchmarks.py first")
    Path(args.work).mkdir(parents=True, exist_ok=True)
    if args.part != "all":
        print(json.dumps(PARTS[args.part](args), ensure_ascii=False), flush=True)
        return
    passed = ["--work", args.work, "--passages", str(args.passages), "--questions", str(args.questions)]
    passed += [
        "--clients",
        str(args.clients),
        *(["--model-index", args.model_index] if args.model_index else []),
    ]
    for part in PARTS:
        subprocess.run([sys.executable, __file__, "--part", part, *passed], check=True)


if __name__ == "__main__":
    main()
