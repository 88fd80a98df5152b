"""Core performance in offline mode: build rate, ask/search latency, peak memory, CLI start-up.

Three sizes: the shipped corpus, the LeCoQA corpus (11.9k passages), and 100k passages (LeCoQA
repeated with varied ids). Each size runs in its own process so peak memory is that size's own.

    .venv/bin/python scripts/bench_core.py            # all sizes, prints a table and JSON
    .venv/bin/python scripts/bench_core.py --sizes shipped,12k
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LECOQA = ROOT.parent / "shared" / "benchmarks" / "lecoqa"
sys.path.insert(0, str(ROOT))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _questions(n: int) -> list[str]:
    path = LECOQA / "queries.jsonl"
    if not path.exists():
        return ["到2035年要培养多少名大国工匠?", "湖北省有多少个技能大师工作室?", "加班费怎么算?"] * (
            n // 3 + 1
        )
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return [r["question"] for r in rows if r.get("split") == "train"][:n]


def _corpus_for(size: str, workdir: Path) -> Path:
    if size == "shipped":
        return ROOT / "corpus"
    source = LECOQA / "corpus.jsonl"
    if not source.exists():
        sys.exit(f"{source} not found: the 12k and 100k sizes need ../shared/benchmarks/lecoqa")
    if size == "12k":
        return source
    lines = source.read_text(encoding="utf-8").splitlines()
    target = workdir / "corpus-100k.jsonl"
    with open(target, "w", encoding="utf-8") as out:
        copy = 0
        while copy * len(lines) < 100_000:
            for line in lines[: 100_000 - copy * len(lines)]:
                row = json.loads(line)
                row["id"] = f"{row['id']}#copy{copy}"
                # Vary the text a little so copies are distinct passages, not duplicates.
                row["text"] = row["text"] + ("" if copy == 0 else f"（第{copy}版）")
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            copy += 1
    return target


def run_size(size: str) -> dict:
    """Worker: build one size offline, then time search and ask in-process (warm)."""
    from app.index.build import build
    from app.pipeline import Pipeline

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        corpus = _corpus_for(size, workdir)
        started = time.perf_counter()
        result = build(corpus, workdir / "index", "offline", progress=False)
        build_s = time.perf_counter() - started
        passages = result.manifest["chunk_count"]
        pipeline = Pipeline(workdir / "index")
        questions = _questions(200)
        for q in questions[:10]:  # warm-up: jieba, OpenCC and FAISS caches
            pipeline.ask(q)
        ask_ms, search_ms = [], []
        for q in questions:
            t = time.perf_counter()
            pipeline.ask(q)
            ask_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            pipeline.search(q, k=5)
            search_ms.append((time.perf_counter() - t) * 1000)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {
            "size": size,
            "passages": passages,
            "dense_index": result.manifest["dense_index"],
            "build_s": round(build_s, 2),
            "build_passages_per_s": round(passages / build_s),
            "ask_p50_ms": round(statistics.median(ask_ms), 2),
            "ask_p95_ms": round(_percentile(ask_ms, 95), 2),
            "search_p50_ms": round(statistics.median(search_ms), 2),
            "search_p95_ms": round(_percentile(search_ms, 95), 2),
            "peak_rss_mb": round(peak_mb),
            "questions": len(questions),
        }


def cli_start_to_answer(runs: int = 5) -> dict:
    """`gongyou ask` from process start to printed answer, on an index of the shipped corpus."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        index = str(Path(tmp) / "index")
        subprocess.run([sys.executable, "-m", "app", "build", "--index", index, "--embed-model", "offline"],
                       check=True, capture_output=True, env=env)  # fmt: skip
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            question = "湖北省有多少个技能大师工作室?"
            out = subprocess.run([sys.executable, "-m", "app", "ask", question, "--index", index],
                                 check=True, capture_output=True, text=True, env=env)  # fmt: skip
            times.append(time.perf_counter() - t)
            assert "172" in out.stdout
        return {"cli_ask_median_s": round(statistics.median(times), 3), "cli_ask_max_s": round(max(times), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="shipped,12k,100k")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_size(args.worker)))
        return
    rows = []
    for size in args.sizes.split(","):
        out = subprocess.run([sys.executable, __file__, "--worker", size], capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            continue
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr)
    cli = cli_start_to_answer()
    cols = ["size", "passages", "dense_index", "build_passages_per_s", "ask_p50_ms", "ask_p95_ms",
            "search_p50_ms", "search_p95_ms", "peak_rss_mb"]  # fmt: skip
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in cols) + " |")
    print(f"\ngongyou ask, process start to printed answer: median {cli['cli_ask_median_s']} s, "
          f"max {cli['cli_ask_max_s']} s")  # fmt: skip
    print(json.dumps({"sizes": rows, **cli}, ensure_ascii=False))


if __name__ == "__main__":
    main()
