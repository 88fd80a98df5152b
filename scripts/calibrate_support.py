"""Calibrate the support score of a generated sentence by its cited passage (app/generate/support.py):
`settings.support_coverage_weight`, `support_min` and `support_min_english` — on training data only.

Pairs of (statement, passage) that do / do not support each other:
- the development set's answerable Chinese questions (all training data): the question made a
  statement by putting its answer in place of the question word ("云南省计划新培育多少名云岭工匠"
  + "100名" → "云南省计划新培育100名云岭工匠"), against the passage holding its evidence (supports)
  and the best retrieved passages that do not hold it (do not);
- the labour set's train half: the same, against the gold article and other articles of that law;
- LeCoQA train: sentences of the legal team's reference answers that share words with a gold
  article, against that article and against other articles of the same law.
  (Chosen for sharing words, these favour word coverage: read the dev and labour AUCs, whose
  supporting statements are made from questions, as the fair comparison.)
Prints each scorer variant's ROC AUC (the whole passage's cosine; word coverage alone; the
best cosine of the passage and its sentences plus a weight times coverage, weight 0 being cosine
alone) and, at the lowest threshold accepting at most `--max-accepted` of the non-supporting pairs,
the share of supporting pairs kept; `--json` for every threshold. Needs ../shared/benchmarks for
the last two sources (skipped without it) and an index of the shipped corpus (`--index`).

    .venv/bin/python scripts/calibrate_support.py --index /tmp/index --lecoqa 300
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.generate.support import E5Support  # noqa: E402
from app.settings import current  # noqa: E402
from app.text.sentences import sentences as split_sentences  # noqa: E402

BENCH = ROOT.parent / "shared" / "benchmarks"
_ASKING = re.compile(
    r"多少名|多少人次|多少人|多少个|多少项|多少元|多少|几个|几名|几天|几|哪些|哪个|什么|何时|哪里|是否"
)


def statement(question: str, answer: str) -> str:
    question = re.sub(r"[?？。\s]+$", "", question)
    if _ASKING.search(question):
        return _ASKING.sub(answer, question, count=1)
    return f"{question}：{answer}"


def dev_pairs(index_dir: Path, negatives: int) -> list[tuple[str, str, int, str]]:
    """Chinese statements made from the questions ("dev"), and the English statements of
    eval/support_statements_en.jsonl ("dev-en", written for this calibration), each against the
    passage holding the question's evidence and the best retrieved passages that do not."""
    from app.evaluation.datasets import norm
    from app.pipeline import Pipeline

    pipeline = Pipeline(index_dir)
    english = {}
    for line in (ROOT / "eval" / "support_statements_en.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        english[row["id"]] = row["statement"]
    pairs = []
    for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if not row["answerable"] or not row.get("answer"):
            continue
        claims = [] if row["lang"] == "en" else [(statement(row["question"], row["answer"][0]), "dev")]
        if row["id"] in english:
            claims.append((english[row["id"]], "dev-en"))
        evidence = [norm(e) for e in row["evidence"]]
        hits = pipeline.search(row["question"], k=10).hits
        gold = [h for h in hits if any(e in norm(h.chunk.text) for e in evidence)]
        other = [h for h in hits if h not in gold][:negatives]
        for claim, source in claims if gold else []:
            pairs.append((claim, gold[0].chunk.text, 1, source))
            pairs += [(claim, h.chunk.text, 0, source) for h in other]
    return pairs


def _laws(corpus: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    texts, by_law = {}, {}
    for line in corpus.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts[row["id"]] = row["text"]
        by_law.setdefault(row.get("law", ""), []).append(row["id"])
    return texts, by_law


def _law_of(article_id: str) -> str:
    return re.sub(r"第[一二三四五六七八九十百零千]+条.*$", "", article_id)


def labour_pairs(texts, by_law, rng, negatives: int) -> list[tuple[str, str, int, str]]:
    pairs = []
    for line in (ROOT / "eval" / "labour_statutes.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("split") != "train" or not row["answerable"] or not row.get("gold_ids"):
            continue
        claim = statement(row["question"], row["answers"][0])
        gold = row["gold_ids"][0]
        if gold not in texts:
            continue
        siblings = [a for a in by_law.get(_law_of(gold), []) if a not in row["gold_ids"]]
        pairs.append((claim, texts[gold], 1, "labour"))
        pairs += [(claim, texts[a], 0, "labour") for a in rng.sample(siblings, min(negatives, len(siblings)))]
    return pairs


def _bigrams(text: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {han[i : i + 2] for i in range(len(han) - 1)}


def lecoqa_pairs(texts, by_law, rng, limit: int, negatives: int) -> list[tuple[str, str, int, str]]:
    pairs = []
    rows = [json.loads(line) for line in (BENCH / "lecoqa" / "queries.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if r.get("split") == "train" and r.get("answers")]
    for row in rng.sample(rows, min(limit, len(rows))):
        gold = [g for g in row["gold_ids"] if g in texts]
        if not gold:
            continue
        article = texts[gold[0]]
        grams = _bigrams(article)
        # A reference-answer sentence grounded in the article: it shares at least 6 word pairs.
        grounded = [s for s in split_sentences(row["answers"][0]) if len(_bigrams(s) & grams) >= 6]
        if not grounded:
            continue
        claim = max(grounded, key=lambda s: len(_bigrams(s) & grams))
        siblings = [a for a in by_law.get(row.get("law") or _law_of(gold[0]), []) if a not in row["gold_ids"]]
        pairs.append((claim, article, 1, "lecoqa"))
        pairs += [(claim, texts[a], 0, "lecoqa") for a in rng.sample(siblings, min(negatives, len(siblings)))]
    return pairs


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    scores = np.concatenate([pos, neg])
    ranks = scores.argsort().argsort() + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


WEIGHTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)  # support_coverage_weight candidates (0: cosine alone)


def score_pairs(pairs: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: the passage's own cosine, the best of the passage and its sentences, coverage."""
    scorer = E5Support(cache_size=100_000, coverage_weight=0.0)
    whole, best, covered = [], [], []
    for claim, passage, _, _ in pairs:
        vectors = scorer.vectors([claim, passage])
        whole.append(float(vectors[1] @ vectors[0]))
        support = scorer.support(claim, [passage])
        best.append(support.cosine)
        covered.append(support.coverage or 0.0)
    return np.array(whole), np.array(best), np.array(covered)


def threshold_rows(pos: np.ndarray, neg: np.ndarray) -> list[dict]:
    rows = []
    low, high = np.quantile(np.concatenate([pos, neg]), [0.02, 0.98])
    for threshold in np.arange(np.floor(low * 200) / 200, high + 0.005, 0.005):
        kept, accepted = float((pos >= threshold).mean()), float((neg >= threshold).mean())
        rows.append({"threshold": round(float(threshold), 3), "kept": round(kept, 3),
                     "accepted": round(accepted, 3), "youden": round(kept - accepted, 3)})  # fmt: skip
    return rows


def choose(rows: list[dict], max_accepted: float) -> dict:
    """The lowest threshold accepting at most `max_accepted` of the non-supporting pairs."""
    return next((r for r in rows if r["accepted"] <= max_accepted), rows[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True, help="an index of the shipped corpus (gongyou build)")
    ap.add_argument("--lecoqa", type=int, default=300, help="LeCoQA train questions sampled")
    ap.add_argument("--negatives", type=int, default=3, help="non-supporting passages per statement")
    ap.add_argument("--max-accepted", type=float, default=0.05, help="the chosen threshold's accepted share")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rng = random.Random(0)
    pairs = dev_pairs(Path(args.index), args.negatives)
    if (BENCH / "lecoqa" / "corpus.jsonl").exists():
        texts, by_law = _laws(BENCH / "lecoqa" / "corpus.jsonl")
        pairs += labour_pairs(texts, by_law, rng, args.negatives)
        pairs += lecoqa_pairs(texts, by_law, rng, args.lecoqa, args.negatives)
    else:
        print("../shared/benchmarks absent: development set only", file=sys.stderr)
    started = time.perf_counter()
    whole, best, covered = score_pairs(pairs)
    seconds = time.perf_counter() - started
    labels = np.array([p[2] for p in pairs])
    sources = np.array([p[3] for p in pairs])
    # Two groups, two thresholds: English statements against Chinese passages score lower (the
    # model's cross-lingual similarities are compressed) than Chinese against Chinese.
    groups = {"zh": sources != "dev-en", "en": sources == "dev-en"}
    report: dict = {"pairs": {s: {"support": int(((sources == s) & (labels == 1)).sum()),
                                  "not": int(((sources == s) & (labels == 0)).sum())}
                              for s in sorted(set(sources))},
                    "seconds": round(seconds, 1)}  # fmt: skip
    variants = {"passage": whole, "coverage": covered}
    variants.update({f"cosine+{w}*coverage": best + w * covered for w in WEIGHTS})
    for (name, values), (group, member) in itertools.product(variants.items(), groups.items()):
        if not member.any():
            continue
        pos, neg = values[(labels == 1) & member], values[(labels == 0) & member]
        by_source = {
            s: round(auc(values[(labels == 1) & (sources == s)], values[(labels == 0) & (sources == s)]), 3)
            for s in sorted(set(sources[member]))
        }
        rows = threshold_rows(pos, neg)
        chosen = choose(rows, args.max_accepted)
        report[f"{name}/{group}"] = {"auc": round(auc(pos, neg), 3), "auc_by_source": by_source,
                                     "chosen": chosen, "thresholds": rows}  # fmt: skip
    settings = current()
    report["at_settings"] = {}
    for group, member in groups.items():  # the shipped score and thresholds, and cosine alone at 0.85/0.83
        least = settings.support_min_english if group == "en" else settings.support_min
        for name, values, threshold in (
            ("cosine alone", best, 0.83 if group == "en" else 0.85),
            (
                f"cosine+{settings.support_coverage_weight}*coverage",
                best + settings.support_coverage_weight * covered,
                least,
            ),
        ):
            pos, neg = values[(labels == 1) & member], values[(labels == 0) & member]
            if len(pos) and len(neg):
                report["at_settings"][f"{name}/{group} >= {threshold}"] = {
                    "kept": round(float((pos >= threshold).mean()), 3),
                    "accepted": round(float((neg >= threshold).mean()), 3),
                }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(f"pairs: {report['pairs']}; embedding {seconds:.1f} s")
    print(f"\nROC AUC; the lowest threshold accepting ≤ {args.max_accepted:.0%} of non-supporting pairs:")
    for name in [k for k in report if "/" in k]:
        r, c = report[name], report[name]["chosen"]
        print(f"  {name:28} AUC {r['auc']:.3f} {r['auc_by_source']}  threshold {c['threshold']:.3f}: "
              f"kept {c['kept']:.3f}, accepted {c['accepted']:.3f}")  # fmt: skip
    for name, shares in report["at_settings"].items():
        print(f"  {name:40} kept {shares['kept']:.3f}, accepted {shares['accepted']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
