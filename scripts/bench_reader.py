"""Latency of `ask` with the reader off and on, warm, in-process, on a built index (2 cores).

    .venv/bin/python scripts/bench_reader.py --index /work/evalcache/lecoqa-…   # 11,908 passages
    .venv/bin/python scripts/bench_reader.py --index index --questions 100

Questions are LeCoQA training questions (or the development set's when LeCoQA is absent), asked
once each to warm up, then once each timed with the reader off and on, alternating so both see the
same machine load. Prints p50/p95 of the whole `ask`, of the reader's own step, and JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LECOQA = ROOT.parent / "shared" / "benchmarks" / "lecoqa" / "queries.jsonl"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def questions(n: int) -> list[str]:
    path = LECOQA if LECOQA.exists() else ROOT / "eval" / "questions.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return [r["question"] for r in rows if r.get("split", "train") == "train"][:n]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", required=True)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()

    from app.pipeline import Pipeline

    asked = questions(args.questions)
    pipelines = {
        "off": Pipeline(Path(args.index), reader="off"),
        "on": Pipeline(Path(args.index), reader="on"),
    }
    for pipeline in pipelines.values():
        for question in asked[:20]:
            pipeline.ask(question)
    totals: dict[str, list[float]] = {"off": [], "on": []}
    reader_ms: list[float] = []
    for question in asked:
        for name, pipeline in pipelines.items():
            started = time.perf_counter()
            result = pipeline.ask(question)
            totals[name].append((time.perf_counter() - started) * 1000)
            if name == "on":
                reader_ms.append(result.timings_ms.get("reader", 0.0))
    figures = {
        "index": args.index,
        "passages": len(pipelines["on"].index.chunks),
        "questions": len(asked),
        "cpus": os.cpu_count(),
        **{f"ask_{n}_p50_ms": round(statistics.median(v), 1) for n, v in totals.items()},
        **{f"ask_{n}_p95_ms": round(percentile(v, 95), 1) for n, v in totals.items()},
        "reader_p50_ms": round(statistics.median(reader_ms), 1),
        "reader_p95_ms": round(percentile(reader_ms, 95), 1),
    }
    print(
        f"{figures['passages']} passages, {len(asked)} questions: ask p50/p95 reader off "
        f"{figures['ask_off_p50_ms']}/{figures['ask_off_p95_ms']} ms, on {figures['ask_on_p50_ms']}/"
        f"{figures['ask_on_p95_ms']} ms; the reader's own step "
        f"{figures['reader_p50_ms']}/{figures['reader_p95_ms']} ms"
    )
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
