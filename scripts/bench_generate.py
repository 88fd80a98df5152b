"""Figures of generated answers (app/generate) that tests never assert:

1. verification cost per answer (ms): three-sentence answers written from the development set's
   answerable questions (each statement cites the passage holding its evidence), checked by the
   real verifier, with the passage vectors cached (a running server) and not (a first question);
2. the fallback's latency when the endpoint is down: a refused connection, and a server that
   accepts and never answers, with the deadline `--deadline` (settings.llm_deadline_s).

The share of generated sentences removed and the accuracy of verified answers with a real model
come from `gongyou eval --answerer extractive,llm --llm MODEL` (README, "Generated answers").

    .venv/bin/python scripts/bench_generate.py --index /tmp/index [--deadline 10]
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.evaluation.datasets import norm  # noqa: E402
from app.generate.answerers import AnswererConfig, make_answerer  # noqa: E402
from app.generate.prompt import decline_phrases, shown_passages  # noqa: E402
from app.generate.support import E5Support  # noqa: E402
from app.generate.verify import verify  # noqa: E402
from app.pipeline import Pipeline  # noqa: E402

_ASKING = re.compile(r"多少名|多少人次|多少人|多少个|多少项|多少|几个|几名|几|哪些|什么")


def answers(pipeline: Pipeline, limit: int) -> list[tuple[str, list]]:
    """(answer text, shown passages): the question turned statement, cited, three times over."""
    out = []
    for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if not row["answerable"] or row["lang"] == "en" or not row.get("answer"):
            continue
        shown = shown_passages(pipeline.search(row["question"], k=5).hits, "zh-Hans")
        evidence = [norm(e) for e in row["evidence"]]
        gold = next((s for s in shown if any(e in norm(s.hit.chunk.text) for e in evidence)), None)
        if gold is None:
            continue
        statement = _ASKING.sub(row["answer"][0], re.sub(r"[?？]$", "", row["question"]), count=1)
        other = next((s for s in shown if s is not gold), gold)
        text = f"{statement}[{gold.n}]。{row['evidence'][0]}[{gold.n}]。{statement}[{other.n}]。"
        out.append((text, shown))
        if len(out) >= limit:
            break
    return out


def verification_cost(pipeline: Pipeline, limit: int) -> dict:
    cases = answers(pipeline, limit)
    scorer = E5Support()
    scorer.vectors(["预热"])  # load the engine outside the timings
    cold, warm, kept = [], [], 0
    for text, shown in cases:
        scorer._cache.clear()
        cold.append(verify(text, shown, "zh-Hans", scorer, decline_phrases()).elapsed_ms)
        result = verify(text, shown, "zh-Hans", scorer, decline_phrases())
        warm.append(result.elapsed_ms)
        kept += len(result.kept)

    def summary(values: list[float]) -> dict:
        ordered = sorted(values)
        return {
            "p50": round(statistics.median(values), 1),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        }

    return {"answers": len(cases), "sentences_kept": kept, "of": 3 * len(cases),
            "cold_cache_ms": summary(cold), "warm_cache_ms": summary(warm)}  # fmt: skip


def fallback_latency(pipeline: Pipeline, deadline: float, repeats: int) -> dict:
    question = "到2035年要培养多少名大国工匠?"
    pipeline.ask(question)  # warm
    extractive = []
    for _ in range(repeats):
        extractive.append(pipeline.ask(question).timings_ms["total"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    refused = make_answerer(
        AnswererConfig(llm=f"http://127.0.0.1:{closed}/v1", llm_model="m", deadline_s=deadline)
    )
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    silent = make_answerer(
        AnswererConfig(
            llm=f"http://127.0.0.1:{listener.getsockname()[1]}/v1", llm_model="m", deadline_s=deadline
        )
    )
    out = {"deadline_s": deadline, "extractive_alone_ms": round(statistics.median(extractive), 1)}
    for name, answerer in (("connection_refused", refused), ("server_silent", silent)):
        totals, reasons = [], set()
        for _ in range(repeats if name == "connection_refused" else 2):
            started = time.perf_counter()
            result = pipeline.ask(question, answerer=answerer)
            totals.append((time.perf_counter() - started) * 1000)
            reasons.add(result.report.fallback.split(":")[0])
        out[name] = {"median_ms": round(statistics.median(totals), 1), "max_ms": round(max(totals), 1),
                     "fallback": sorted(reasons)}  # fmt: skip
    listener.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True)
    ap.add_argument("--deadline", type=float, default=10.0)
    ap.add_argument("--answers", type=int, default=40)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    pipeline = Pipeline(Path(args.index))
    figures = {"verification": verification_cost(pipeline, args.answers)}
    figures["fallback"] = fallback_latency(pipeline, args.deadline, args.repeats)
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
