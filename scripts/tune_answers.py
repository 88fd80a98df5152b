"""Tune answer settings on TRAINING questions only: a grid of app/settings.py values → answer figures.

    .venv/bin/python scripts/tune_answers.py --set dev --set labour:train --set rgb:train \\
        --grid meaning_weight=0,4,8 --grid meaning_min=0,0.8

For each set and setting: accuracy (answerable questions answered right), refusal of unanswerable
questions, false refusals, and answer precision (answers given that are right), judged as
`gongyou eval` judges them. Question vectors are computed once and reused across the grid.
Never pass a test split: the figures this prints choose the shipped settings.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from tune_retrieval import SETS, MemoEmbedder, grid  # noqa: E402

from app.evaluation.cache import cache_root, cached_index  # noqa: E402
from app.evaluation.datasets import Dataset  # noqa: E402
from app.evaluation.judge import attach_text_relevance, chunk_forms  # noqa: E402
from app.evaluation.run import Context, answer_row  # noqa: E402
from app.index.embedders.registry import DEFAULT_MODEL  # noqa: E402
from app.pipeline import Pipeline  # noqa: E402
from app.settings import override  # noqa: E402


def prepared(spec: str, limit: int | None) -> tuple[Dataset, Context]:
    name, _, split = spec.partition(":")
    if split == "test":
        raise SystemExit("tune on training data only: test splits are for reporting")
    dataset = SETS[name](split or None)
    dataset.items = dataset.items[:limit] if limit else dataset.items
    pipeline = Pipeline(
        cached_index(dataset, DEFAULT_MODEL, cache_root(argparse.Namespace(cache_dir=None)), True)
    )
    pipeline.retriever.embedder = MemoEmbedder(pipeline.retriever.embedder)
    forms = None
    if dataset.unit == "chunk":
        forms = chunk_forms(pipeline.index)
        attach_text_relevance(dataset.items, forms)
    return dataset, Context(pipeline, [], dataset.unit, forms)


def figures(dataset: Dataset, ctx: Context) -> list[float | None]:
    right = answerable = refused_unanswerable = unanswerable = false_refusals = answered = 0
    correct_answers = 0
    for item in dataset.items:
        row = answer_row(item, ctx)
        if item.answerable:
            answerable += 1
            right += bool(row["pass"])
            false_refusals += row["refused"]
        else:
            unanswerable += 1
            refused_unanswerable += row["refused"]
        if not row["refused"]:
            answered += 1
            correct_answers += bool(item.answerable and row["pass"])

    def share(a: int, b: int) -> float | None:
        return a / b if b else None

    return [
        share(right, answerable),
        share(refused_unanswerable, unanswerable),
        share(false_refusals, answerable),
        share(correct_answers, answered),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--set", action="append", required=True, help="dev, labour:train, rgb:train, lecoqa:train"
    )
    parser.add_argument("--grid", action="append", default=[], help="setting=v1,v2,... (app/settings.py)")
    parser.add_argument("--limit", type=int, help="first N questions of each set")
    args = parser.parse_args()
    sets = {spec: prepared(spec, args.limit) for spec in args.set}
    names = ("acc", "refuse", "false-ref", "prec")
    print("setting\t" + "\t".join(f"{s} {n}" for s in sets for n in names))
    for changes in grid(args.grid):
        started = time.perf_counter()
        with override(**changes):
            values = [v for d, c in sets.values() for v in figures(d, c)]
        row = "\t".join("–" if v is None else f"{v:.3f}" for v in values)
        label = " ".join(f"{k}={v}" for k, v in changes.items()) or "defaults"
        print(f"{label}\t{row}\t({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
