"""Tune retrieval settings on TRAINING questions only: a grid of app/settings.py values → figures.

    .venv/bin/python scripts/tune_retrieval.py --set lecoqa:train --set dev --set labour:train \\
        --set rgb:train --grid dense_weight_model=0.5,1,1.5 --grid rrf_k=30,60

Each --set is evaluated on the index `gongyou eval` caches for it (built on first use with the
default model). The learned lay → legal expansion table comes from LeCoQA's training questions, so
on `lecoqa:train` it is re-learned in 5 folds (`--folds`): each fold's questions are expanded with
the table learned from the other four, as a new question would be. Question vectors are
computed once and reused across the grid: a setting costs seconds. Prints Recall@10 and Hit@5
per set and setting.
Never pass a test split: the figures this prints choose the shipped settings.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.evaluation.cache import cache_root, cached_index  # noqa: E402
from app.evaluation.datasets import Dataset, load_benchmark, load_dev, load_statute_set  # noqa: E402
from app.evaluation.judge import attach_text_relevance, chunk_forms  # noqa: E402
from app.evaluation.metrics import hit_at_k, recall_at_k  # noqa: E402
from app.index.embedders.registry import DEFAULT_MODEL  # noqa: E402
from app.pipeline import Pipeline  # noqa: E402
from app.search import expansion  # noqa: E402
from app.settings import current, override  # noqa: E402

BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
SETS = {
    "dev": lambda split: load_dev(ROOT / "eval" / "questions.jsonl", split, None),
    "lecoqa": lambda split: load_benchmark(BENCHMARKS / "lecoqa", None, split, None),
    "labour": lambda split: load_benchmark(
        BENCHMARKS / "lecoqa", str(ROOT / "eval" / "labour_statutes.jsonl"), split, None
    ),
    "rgb": lambda split: load_benchmark(BENCHMARKS / "rgb_zh", None, split, None),
    # the labour set asked against the shipped corpus (its laws), as `gongyou eval --set` does
    "labour-shipped": lambda split: load_statute_set(ROOT / "eval" / "labour_statutes.jsonl", split, None),
}  # fmt: skip


class MemoEmbedder:
    """The index's embedder with question vectors remembered (the grid asks each many times)."""

    def __init__(self, inner) -> None:
        self.inner, self.memo = inner, {}
        self.name, self.dim, self.offline, self.identity = (
            inner.name,
            inner.dim,
            inner.offline,
            inner.identity,
        )

    @property
    def fusion_weight(self) -> float:
        return self.inner.fusion_weight

    def embed_queries(self, texts):
        import numpy as np

        missing = [t for t in texts if t not in self.memo]
        if missing:
            for text, vector in zip(missing, self.inner.embed_queries(missing)):
                self.memo[text] = vector
        return np.stack([self.memo[t] for t in texts])

    def embed_passages(self, texts):
        return self.inner.embed_passages(texts)


def prepared(spec: str) -> tuple[Dataset, Pipeline]:
    name, _, split = spec.partition(":")
    if split == "test":
        raise SystemExit("tune on training data only: test splits are for reporting")
    dataset = SETS[name](split or None)
    args = argparse.Namespace(cache_dir=None)
    pipeline = Pipeline(cached_index(dataset, DEFAULT_MODEL, cache_root(args), progress=True))
    pipeline.retriever.embedder = MemoEmbedder(pipeline.retriever.embedder)
    if dataset.unit == "chunk":
        attach_text_relevance(dataset.items, chunk_forms(pipeline.index))
    dataset.items = [i for i in dataset.items if i.answerable and i.gold]
    return dataset, pipeline


def fold_tables(dataset: Dataset, folds: int) -> list[dict]:
    """The learned expansion table of each fold, learned without that fold's questions."""
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("learn_lay_legal", ROOT / "scripts" / "learn_lay_legal.py")
    learner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(learner)
    folder = BENCHMARKS / "lecoqa"
    with open(folder / "corpus.jsonl", encoding="utf-8") as lines:
        articles = {r["id"]: f"{r.get('title', '')}\n{r['text']}" for r in map(json.loads, lines)}
    questions = [{"question": i.question, "gold_ids": sorted(i.gold)} for i in dataset.items]
    tables = []
    for fold in range(folds):
        rest = [q for n, q in enumerate(questions) if n % folds != fold]
        learned = learner.learn(rest, articles)
        tables.append({w: [(t, float(s)) for t, s in terms] for w, terms in learned.items()})
    return tables


def figures(dataset: Dataset, pipeline: Pipeline, tables: list[dict] | None) -> tuple[float, float]:
    recalls, hits = [], []
    original = expansion.learned_table
    try:
        for n, item in enumerate(dataset.items):
            if tables:
                table = tables[n % len(tables)]
                expansion.learned_table = lambda table=table: table
            found = pipeline.retriever.search(item.question, k=10).hits
            units = [h.chunk.chunk_id if dataset.unit == "chunk" else h.chunk.doc_id for h in found]
            recalls.append(recall_at_k(units, item.gold, 10))
            hits.append(hit_at_k(units, item.gold, 5))
    finally:
        expansion.learned_table = original
    return sum(recalls) / len(recalls), sum(hits) / len(hits)


def grid(specs: list[str]) -> list[dict]:
    axes = []
    for spec in specs:
        key, _, values = spec.partition("=")
        kind = type(getattr(current(), key))
        parse = (lambda v: v.lower() in {"1", "true", "yes"}) if kind is bool else kind
        axes.append([(key, parse(v)) for v in values.split(",")])
    return [dict(combo) for combo in itertools.product(*axes)] or [{}]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--set", action="append", required=True, help="dev, lecoqa:train, labour:train, rgb:train"
    )
    parser.add_argument("--grid", action="append", default=[], help="setting=v1,v2,... (app/settings.py)")
    parser.add_argument("--folds", type=int, default=5, help="folds for the expansion table on lecoqa:train")
    args = parser.parse_args()
    sets = {spec: prepared(spec) for spec in args.set}
    tables = {
        s: fold_tables(d, args.folds) if s.startswith("lecoqa") and args.folds > 1 else None
        for s, (d, _) in sets.items()
    }
    print("setting\t" + "\t".join(f"{s} R@10\t{s} H@5" for s in sets))
    for changes in grid(args.grid):
        started = time.perf_counter()
        with override(**changes):
            row = [f"{v:.3f}" for s, (d, p) in sets.items() for v in figures(d, p, tables[s])]
        label = " ".join(f"{k}={v}" for k, v in changes.items()) or "defaults"
        print(f"{label}\t" + "\t".join(row) + f"\t({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
