"""More unanswerable questions from RGB, built the way RGB built its own.

RGB made a question unanswerable by withholding every passage that holds its answer. This script
does the same to the *answerable* questions of a split: it retrieves as usual, drops every passage
that is gold, answer-bearing or contains an answer string, and counts how often Gongyou refuses on
what is left. On the training split this gives 109 more unanswerable questions than the 41 RGB
ships, which is how the evidence rules in app/answer/evidence/ were tuned without overfitting the 41.

    .venv/bin/python scripts/rgb_withheld.py                 # training split (tune on this)
    .venv/bin/python scripts/rgb_withheld.py --split test    # held-out: report, never tune
    .venv/bin/python scripts/rgb_withheld.py --list          # also print what was not refused
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.answer.compose import compose_answer  # noqa: E402
from app.evaluation.cache import CACHE, cached_index  # noqa: E402
from app.evaluation.datasets import in_split, load_benchmark, read_jsonl  # noqa: E402
from app.evaluation.metrics import rate  # noqa: E402
from app.pipeline import Pipeline  # noqa: E402
from app.settings import current  # noqa: E402
from app.text.normalize import match_form  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "benchmarks" / "rgb_zh"
SEARCHED = 40  # passages retrieved before the answer-holding ones are withheld


def withheld_hits(pipeline: Pipeline, row: dict) -> list:
    """The top passages for the question once every passage holding an answer is withheld."""
    hidden = set(row.get("gold_ids", [])) | set(row.get("answer_bearing_ids", []))
    answers = [match_form(a) for part in row.get("answer_parts", []) for a in part]
    hits = pipeline.retriever.search(row["question"], k=SEARCHED).hits
    kept = [h for h in hits if h.chunk.doc_id not in hidden]
    kept = [h for h in kept if not any(a in match_form(h.chunk.text) for a in answers)]
    return kept[: current().answer_passages]


def refusals(folder: Path, split: str, cache: Path) -> list[dict]:
    """One row per answerable question of the split: refused or not, and why."""
    dataset = load_benchmark(folder, None, split, None)
    pipeline = Pipeline(cached_index(dataset, "offline", cache, progress=False), "offline")
    rows = [r for r in read_jsonl(folder / "queries.jsonl") if in_split(r, split)]
    rows = [r for r in rows if r.get("answerable", True)]
    out = []
    for row in rows:
        answer = compose_answer(
            row["question"], withheld_hits(pipeline, row), pipeline.index.bm25, "zh-Hans", pipeline.occurs
        )
        out.append({"id": row["id"], "question": row["question"], "refused": answer.refused,
                    "reason": answer.reason, "answer": answer.text})  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--split", default="train", choices=["train", "test"])
    parser.add_argument("--cache-dir", type=Path, default=CACHE)
    parser.add_argument("--list", action="store_true", help="print the questions that were not refused")
    args = parser.parse_args(argv)
    if not (args.benchmark / "queries.jsonl").is_file():
        print(f"No RGB benchmark at {args.benchmark}: pass --benchmark DIR.", file=sys.stderr)
        return 2
    rows = refusals(args.benchmark, args.split, args.cache_dir)
    summary = {"split": args.split, "refusal_rate": rate([r["refused"] for r in rows])}
    if args.list:
        for r in rows:
            if not r["refused"]:
                print(f"{r['id']} {r['question']}\n    -> {r['answer'][:120]}")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
