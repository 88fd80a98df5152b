"""Warm `ask` latency on a built index: one process, the pipeline loaded once, then N questions.

    .venv/bin/python scripts/bench_ask.py --index INDEX [--questions FILE] [-n 200]

Questions come from a JSON-lines file with a "question" field (default: LeCoQA's queries beside the
repository, else eval/questions.jsonl). Every question is timed once, after 5 untimed warm-up
questions, so the model, jieba and the index are in memory and the figure is what a running
server pays per question (query embedding included). Prints p50, p95, max and the number of
passages in the index, as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LECOQA_QUERIES = ROOT.parent / "shared" / "benchmarks" / "lecoqa" / "queries.jsonl"


def questions(path: Path, n: int) -> list[str]:
    with open(path, encoding="utf-8") as lines:
        found = [json.loads(line)["question"] for line in lines if line.strip()]
    return found[:n]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path)
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args()
    source = args.questions or (
        LECOQA_QUERIES if LECOQA_QUERIES.exists() else ROOT / "eval" / "questions.jsonl"
    )
    from app.pipeline import Pipeline

    started = time.perf_counter()
    pipeline = Pipeline(args.index)
    loaded = time.perf_counter() - started
    asked = questions(source, args.n + 5)
    for question in asked[:5]:
        pipeline.ask(question)
    times = []
    for question in asked[5:]:
        started = time.perf_counter()
        pipeline.ask(question)
        times.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "passages": len(pipeline.index.chunks),
                "questions": len(times),
                "load_s": round(loaded, 2),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 95), 1),
                "max_ms": round(max(times), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
