"""`gongyou eval`: score retrieval and answers on the development set or a shared-format benchmark.

Every retrieval mode asked for (`--retrieval bm25,dense,hybrid`) is scored on the top 20; answers
come from `Pipeline.ask`, which retrieves with hybrid search, once per question. A report folder
gets metrics.json, per_question.jsonl, report.md and PNG plots. Every rate carries a 95%
bootstrap interval (`app.evaluation.metrics.rate`).

Exit codes: 0 done, 1 an error (missing data, unusable index or model), 2 a bad flag value,
3 a `--min-…` gate missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from app import config
from app.evaluation.answerers import compare, parse_answerers
from app.evaluation.cache import prepare_index
from app.evaluation.datasets import Dataset, load_benchmark, load_dev, load_statute_set
from app.evaluation.errors import EvalError, FlagError
from app.evaluation.judge import KS, attach_text_relevance, chunk_forms
from app.evaluation.report import summary_text, write_report
from app.evaluation.run import ANSWER_MODE, Context, article_unit, run_questions
from app.evaluation.summary import code_state, summarise
from app.settings import current

MODES = ("bm25", "dense", "hybrid")
REPORTS = config.PROJECT_ROOT / "eval" / "reports"
OK, GATE_MISSED = 0, 3


def parse_modes(spec: str | None) -> list[str]:
    modes = [s.strip() for s in (spec or ANSWER_MODE).split(",") if s.strip()]
    bad = [s for s in modes if s not in MODES]
    if bad or not modes:
        raise FlagError(f"--retrieval takes a comma-separated list of {', '.join(MODES)}; got {spec!r}")
    return list(dict.fromkeys(modes))


def gates(metrics: dict, args: argparse.Namespace) -> list[str]:
    """Messages for every --min-… gate missed (or that cannot be checked)."""
    missed = []
    retrieval = metrics["retrieval"]
    checks = [
        ("min_recall10", "Recall@10", retrieval["configs"][retrieval["primary"]]["recall@10"]),
        ("min_accuracy", "answer accuracy", metrics["answers"]["accuracy"]),
    ]
    for flag, label, r in checks:
        threshold = getattr(args, flag, None)
        if threshold is None:
            continue
        if r["value"] is None:
            missed.append(f"--{flag.replace('_', '-')}: no {label} on this dataset, the gate cannot pass")
        elif r["value"] < threshold:
            missed.append(f"{label} {r['value']:.3f} is below --{flag.replace('_', '-')} {threshold}")
    return missed


def load_dataset(args: argparse.Namespace) -> Dataset:
    if getattr(args, "set", None):
        if getattr(args, "benchmark", None) or getattr(args, "subset", None):
            raise FlagError("--set asks against the shipped corpus; leave out --benchmark and --subset")
        return load_statute_set(Path(args.set), args.split, args.limit)
    if getattr(args, "benchmark", None):
        folder = Path(args.benchmark)
        if not folder.is_dir():
            raise EvalError(f"No benchmark folder at {folder}.")
        return load_benchmark(folder, getattr(args, "subset", None), args.split, args.limit)
    if getattr(args, "subset", None):
        raise FlagError("--subset picks a queries file inside a --benchmark folder")
    questions = Path(getattr(args, "questions", None) or config.PROJECT_ROOT / "eval" / "questions.jsonl")
    return load_dev(questions, args.split, args.limit)


def missing_articles(dataset: Dataset, pipeline) -> list[str]:
    """Notes for gold articles of a statute set that the shipped index does not hold."""
    from app.models import Hit

    held = {article_unit(Hit(c, pipeline.index.docs[c.doc_id], 0.0)) for c in pipeline.index.chunks}
    return [
        f"{item.id}: gold article not in the shipped corpus: {', '.join(sorted(item.gold - held))}"
        for item in dataset.items
        if item.gold - held
    ]


def evaluate(args: argparse.Namespace, progress: bool = True) -> tuple[dict, list[dict]]:
    """Load the questions, prepare the index, score every question and summarise."""
    from app.pipeline import Pipeline

    started_at = datetime.now().astimezone().isoformat(timespec="seconds")
    started = time.perf_counter()
    modes = parse_modes(getattr(args, "retrieval", None))
    names = parse_answerers(getattr(args, "answerer", None), bool(getattr(args, "llm", None)))
    dataset = load_dataset(args)
    index_dir = prepare_index(dataset, args, progress)
    pipeline = Pipeline(index_dir, reader=getattr(args, "reader", None))
    ctx = Context(pipeline, modes, dataset.unit)
    if names != ["extractive"]:
        from app.cli import answerer_config
        from app.generate.answerers import make_answerer

        ctx.answerers = {name: make_answerer(answerer_config(args, name)) for name in names}
    if dataset.unit == "chunk":
        ctx.forms = chunk_forms(pipeline.index)
        dataset.notes += attach_text_relevance(dataset.items, ctx.forms)
    if dataset.unit == "article":
        dataset.notes += missing_articles(dataset, pipeline)
    rows = run_questions(dataset, ctx, progress)
    run_config = {
        "label": dataset.label,
        "questions": str(dataset.questions),
        "split": args.split,
        "subset": getattr(args, "subset", None),
        "limit": args.limit,
        "corpus": str(dataset.corpus),
        "index": str(index_dir),
        "index_build": pipeline.index.build_id,
        "passages": len(pipeline.index.chunks),
        "corpus_fingerprint": pipeline.index.manifest.get("corpus_fingerprint"),
        "embedder": pipeline.index.embedder_name,
        "retrieval_modes": modes,
        "answers_use": ANSWER_MODE,
        "reader": pipeline.reader.describe(),
        "ks": list(KS),
        "code": code_state(),
        "tuning": current().as_dict(),
        "started_at": started_at,
    }
    if ctx.answerers:
        run_config["answerers"] = {name: a.describe() for name, a in ctx.answerers.items()}
    metrics = summarise(rows, dataset, modes, run_config)
    if ctx.answerers:
        metrics["answerers"] = compare(rows, dataset, names)
    run_config["seconds"] = round(time.perf_counter() - started, 2)
    return metrics, rows


def default_out(label: str) -> Path:
    return REPORTS / f"{label}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"


def main(args: argparse.Namespace) -> int:
    """`gongyou eval`; see the module docstring for the exit codes."""
    metrics, rows = evaluate(args, progress=getattr(args, "progress", True))
    out = Path(args.out) if getattr(args, "out", None) else default_out(metrics["config"]["label"])
    metrics["config"]["report"] = str(out)
    write_report(metrics, rows, out)
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False, indent=1))
    else:
        print(summary_text(metrics, out))
    for note in metrics["notes"][:10]:
        print(f"warning: {note}", file=sys.stderr)
    missed = gates(metrics, args)
    for message in missed:
        print(f"gate missed: {message}", file=sys.stderr)
    return GATE_MISSED if missed else OK
