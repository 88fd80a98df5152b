"""`gongyou eval`: score retrieval and answers on the development set or a shared-format benchmark.

Two kinds of question sets:

* the **development set** (`eval/questions.jsonl`: `{id, question, lang, answerable, evidence,
  answer, tags}`) over the shipped corpus. Relevance is textual: a chunk is relevant when its
  matching form (heading or text, pinyin glosses removed) contains any of the question's evidence
  strings. Recall@k is the share of evidence strings found in the top k chunks.
* a **benchmark folder** (`corpus.jsonl` + `queries.jsonl` with `gold_ids`, see
  ../shared/benchmarks/README.md). Each passage is one unit whose `id` is its `doc_id`; relevance is
  `gold_ids` (and, where present, the lenient `answer_bearing_ids` as a second line). Indexes are
  cached under `eval/.cache/<dataset>-<fingerprint>-<embedder>/`; the fingerprint covers the corpus
  bytes, the chunk settings and the source of the modules that build an index.

Every retrieval mode asked for (`--retrieval bm25,dense,hybrid`) is scored on the top 20; answers
come from `Pipeline.ask`, which retrieves with hybrid search, once per question. A report folder
gets metrics.json, per_question.jsonl, report.md and PNG plots. Every rate carries a 95%
bootstrap interval (`app.evaluation.metrics.rate`).

Exit codes: 0 done, 1 an error (missing data, unusable index or model), 2 a bad flag value,
3 a `--min-…` gate missed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app import config
from app.errors import BAD_INPUT, GongyouError
from app.evaluation import metrics as m
from app.settings import current

KS = (1, 5, 10, 20)
TOP = max(KS)  # retrieved per question and mode
RANK_METRICS = ("mrr@10", "mrr@20", "ndcg@10")
MODES = ("bm25", "dense", "hybrid")
ANSWER_MODE = "hybrid"  # what Pipeline.ask retrieves with
ANSWER_K = 5  # passages an answer is built from (Pipeline.ask's default)
DEV_CORPUS = config.PROJECT_ROOT / "corpus"
REPORTS = config.PROJECT_ROOT / "eval" / "reports"
CACHE = config.PROJECT_ROOT / "eval" / ".cache"
CACHE_KEEP = 3  # cached builds kept per dataset and embedder
# Modules whose code decides what an index holds: a change to any of them invalidates cached builds.
# (folders count whole: every module in them).
BUILD_SOURCES = ("ingest", "index", "text", "models.py")

OK, GATE_MISSED = 0, 3


class EvalError(GongyouError, RuntimeError):
    """A problem with the question set, the benchmark or the index; the message says the fix."""


class FlagError(EvalError):
    """A flag value that cannot work (exit code 2)."""

    exit_code = BAD_INPUT


# --------------------------------------------------------------------------- questions


@dataclass
class Item:
    """One question, whatever set it comes from, with everything needed to judge it."""

    id: str
    question: str
    answerable: bool
    tags: list[str]
    gold: set[str] = field(default_factory=set)  # relevant unit ids (doc ids, or dev-set chunk ids)
    lenient: set[str] | None = None  # RGB's answer_bearing_ids
    evidence: list[str] = field(default_factory=list)  # dev set, matching form
    parts: list[list[str]] = field(default_factory=list)  # required answer parts, each with alternatives


@dataclass
class Dataset:
    name: str  # "dev", "lecoqa", "rgb_zh", ...
    label: str  # name plus split and subset, used for the report folder
    items: list[Item]
    unit: str  # "chunk" (dev set: text relevance) or "doc" (benchmarks: passage ids)
    corpus: Path
    questions: Path
    relevance: str  # how relevance is judged, for the report
    has_answers: bool  # whether answer accuracy can be scored
    notes: list[str] = field(default_factory=list)


def norm(text: str) -> str:
    """The matching form of evidence, answers and passages: glosses removed, simplified, no spaces."""
    from app.ingest.clean import remove_glosses
    from app.text.normalize import match_form

    return match_form(remove_glosses(text))


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise EvalError(f"No question file at {path}.")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise EvalError(f"{path}, line {number}: invalid JSON ({exc}).") from exc
        if not isinstance(row, dict) or not row.get("question") or row.get("id") in (None, ""):
            raise EvalError(f"{path}, line {number}: a question needs an id and a question.")
        rows.append(row)
    return rows


def _parts(raw: Iterable[Any]) -> list[list[str]]:
    """Answer parts in matching form; a bare string is a part with one alternative."""
    parts = []
    for part in raw or []:
        alternatives = [part] if isinstance(part, str) else list(part)
        normalised = list(dict.fromkeys(norm(str(a)) for a in alternatives if str(a).strip()))
        if normalised:
            parts.append(normalised)
    return parts


def _tags(row: dict, mixed_answerability: bool) -> list[str]:
    tags = row.get("tags") or []
    tags = [tags] if isinstance(tags, str) else [str(t) for t in tags]
    if row.get("lang") and str(row["lang"]) not in tags:
        tags.append(f"lang:{row['lang']}")
    if "domain_labor" in row:
        tags.append("domain_labor" if row["domain_labor"] else "non_labor")
    if mixed_answerability:
        tags.append("answerable" if row.get("answerable", True) else "unanswerable")
    return list(dict.fromkeys(tags))


def dev_item(row: dict, mixed: bool = True) -> Item:
    answerable = bool(row.get("answerable", True))
    return Item(
        id=str(row["id"]),
        question=str(row["question"]),
        answerable=answerable,
        tags=_tags(row, mixed),
        evidence=[e for e in (norm(str(s)) for s in row.get("evidence") or []) if e],
        parts=_parts(row.get("answer") or []) if answerable else [],
    )


def benchmark_item(row: dict, mixed: bool) -> Item:
    answerable = bool(row.get("answerable", True))
    lenient = row.get("answer_bearing_ids")
    return Item(
        id=str(row["id"]),
        question=str(row["question"]),
        answerable=answerable,
        tags=_tags(row, mixed),
        gold={str(g) for g in row.get("gold_ids") or []},
        lenient={str(g) for g in lenient} if lenient is not None else None,
        parts=_parts(row.get("answer_parts") or []) if answerable else [],
    )


_TRAILING_NUMBER = re.compile(r"(\d+)$")


def in_split(row: dict, split: str) -> bool:
    """`split` field when the row has one; otherwise the id's trailing number: even train, odd test."""
    if "split" in row:
        return str(row["split"]) == split
    number = _TRAILING_NUMBER.search(str(row["id"]))
    if split not in ("train", "test") or number is None:
        raise FlagError(
            f"Cannot take the {split!r} split: question {row['id']!r} has no `split` field, so the split "
            "goes by the number ending its id (--split train: even, --split test: odd)."
        )
    return (int(number.group(1)) % 2 == 0) == (split == "train")


def select(rows: list[dict], split: str | None, limit: int | None) -> list[dict]:
    if split:
        rows = [r for r in rows if in_split(r, split)]
    if limit is not None:
        rows = rows[: max(limit, 0)]
    if not rows:
        raise EvalError("No questions left to evaluate" + (f" in the {split!r} split." if split else "."))
    return rows


def load_dev(questions: Path, split: str | None, limit: int | None) -> Dataset:
    rows = select(read_jsonl(questions), split, limit)
    mixed = len({bool(r.get("answerable", True)) for r in rows}) > 1
    return Dataset(
        name="dev",
        label="dev" + (f"-{split}" if split else ""),
        items=[dev_item(r, mixed) for r in rows],
        unit="chunk",
        corpus=DEV_CORPUS,
        questions=questions,
        relevance="evidence text: a chunk is relevant when it contains any evidence string",
        has_answers=True,
    )


def load_benchmark(folder: Path, subset: str | None, split: str | None, limit: int | None) -> Dataset:
    corpus = folder / "corpus.jsonl"
    if not corpus.is_file():
        raise EvalError(f"No corpus.jsonl in {folder}: a benchmark holds corpus.jsonl + queries.jsonl.")
    # A subset is a queries file inside the folder (queries_labor.jsonl) or one of our own sets
    # asked against the benchmark's corpus (eval/labour_statutes.jsonl).
    questions = Path(subset) if subset and Path(subset).is_file() else folder / (subset or "queries.jsonl")
    rows = select(read_jsonl(questions), split, limit)
    mixed = len({bool(r.get("answerable", True)) for r in rows}) > 1
    items = [benchmark_item(r, mixed) for r in rows]
    label = folder.resolve().name
    if split:
        label += f"-{split}"
    if subset:
        label += "-" + (re.sub(r"^queries_?", "", Path(subset).stem) or "subset")
    has_lenient = any(i.lenient is not None for i in items)
    return Dataset(
        name=folder.resolve().name,
        label=label,
        items=items,
        unit="doc",
        corpus=corpus,
        questions=questions,
        relevance="gold_ids" + (" (second line: answer_bearing_ids)" if has_lenient else ""),
        has_answers=any(i.parts for i in items),
    )


# --------------------------------------------------------------------------- index


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "default"


def builder_code_hash() -> str:
    """Hash of the source that decides an index's content (see BUILD_SOURCES) and of app/data."""
    app_dir = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    files: list[Path] = []
    for name in (*BUILD_SOURCES, "data"):
        path = app_dir / name
        files += (
            sorted(p for p in path.rglob("*.py" if name != "data" else "*") if p.is_file())
            if path.is_dir()
            else [path]
        )
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(app_dir)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def settings_key(embedder: str) -> dict:
    from app.index.store import FORMAT_VERSION, TOKENIZER, tokens_fingerprint

    return {
        "chunk_size": current().chunk_size,
        "chunk_overlap": current().chunk_overlap,
        "tokenizer": TOKENIZER,
        "tokens": tokens_fingerprint(),
        "format": FORMAT_VERSION,
        "embedder": embedder,
        "code": builder_code_hash(),
    }


def corpus_key(corpus: Path, embedder: str) -> str:
    """sha256 of the corpus bytes (every file of a folder, by relative path) and of the settings."""
    digest = hashlib.sha256()
    files = sorted(p for p in corpus.rglob("*") if p.is_file()) if corpus.is_dir() else [corpus]
    for path in files:
        digest.update(str(path.relative_to(corpus) if corpus.is_dir() else path.name).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(json.dumps(settings_key(embedder), sort_keys=True).encode())
    return digest.hexdigest()[:16]


def cache_root(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "cache_dir", None) or os.environ.get("GONGYOU_EVAL_CACHE") or CACHE)


def usable_index(index_dir: Path, corpus: Path, embed_model: str | None) -> bool:
    """Whether index_dir holds a current build of corpus (same documents; same embedder if one is named)."""
    from app.index.store import IndexProblem, corpus_fingerprint, read_manifest
    from app.ingest.walk import load_corpus

    try:
        manifest = read_manifest(index_dir)
    except IndexProblem:
        return False
    built = manifest.get("embedder", {})
    if embed_model and embed_model not in {built.get("name"), built.get("requested")}:
        return False
    docs, _ = load_corpus(corpus)
    return manifest.get("corpus_fingerprint") == corpus_fingerprint({d.doc_id: d.content_hash for d in docs})


def cached_index(dataset: Dataset, embed_model: str, root: Path, progress: bool) -> Path:
    """The cached index of dataset.corpus for this embedder, built when missing or out of date."""
    from app.index.build import build
    from app.index.embedders import EmbedderUnavailable, load_embedder
    from app.index.store import IndexProblem, read_manifest

    folder = root / f"{dataset.name}-{corpus_key(dataset.corpus, embed_model)}-{slug(embed_model)}"
    try:
        read_manifest(folder)
        print(f"Using the cached index {folder}", file=sys.stderr)
        return folder
    except IndexProblem:
        pass
    print(f"Indexing {dataset.corpus} into {folder} ({embed_model} embedder)...", file=sys.stderr)
    try:
        embedder = load_embedder(embed_model, fallback=False)
    except EmbedderUnavailable as exc:
        raise EvalError(f"{exc} (or evaluate with --embed-model offline)") from exc
    result = build(dataset.corpus, folder, embed_model, progress=progress, embedder=embedder)
    print(result.summary(), file=sys.stderr)
    prune_cache(root, dataset.name, embed_model, keep=folder)
    return folder


def prune_cache(root: Path, dataset: str, embed_model: str, keep: Path) -> None:
    """Keep the CACHE_KEEP most recent builds of one dataset and embedder."""
    pattern = re.compile(rf"^{re.escape(dataset)}-[0-9a-f]{{16}}-{re.escape(slug(embed_model))}$")
    siblings = [p for p in root.iterdir() if p.is_dir() and pattern.match(p.name) and p != keep]
    siblings.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in siblings[CACHE_KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def prepare_index(dataset: Dataset, args: argparse.Namespace, progress: bool) -> Path:
    """Benchmarks: the cached index. Dev set: --index when it is current, else the cached index."""
    embed_model = getattr(args, "embed_model", None)
    if dataset.unit == "chunk" and getattr(args, "index", None):
        index_dir = Path(args.index)
        if usable_index(index_dir, dataset.corpus, embed_model):
            print(f"Using the index at {index_dir}", file=sys.stderr)
            return index_dir
    return cached_index(dataset, embed_model or "offline", cache_root(args), progress)


# --------------------------------------------------------------------------- relevance


def chunk_forms(index) -> dict[str, tuple[str, str]]:
    """Matching forms (text, heading) of every chunk, computed in one batch (OpenCC per call is slow)."""
    from app.ingest.clean import remove_glosses
    from app.text.normalize import match_form

    sep = "\u0001"
    texts = [remove_glosses(c.text).replace(sep, " ") for c in index.chunks]
    heads = [remove_glosses(c.heading).replace(sep, " ") for c in index.chunks]
    text_forms = match_form(sep.join(texts)).split(sep)
    head_forms = match_form(sep.join(heads)).split(sep)
    return {c.chunk_id: (t, h) for c, t, h in zip(index.chunks, text_forms, head_forms, strict=True)}


def evidence_in(form: tuple[str, str], evidence: Sequence[str]) -> list[int]:
    """Indexes of the evidence strings that a chunk (text, heading forms) contains."""
    return [i for i, e in enumerate(evidence) if e in form[0] or e in form[1]]


def attach_text_relevance(items: list[Item], forms: dict[str, tuple[str, str]]) -> list[str]:
    """Dev set: gold = every chunk of the index holding an evidence string. Returns data warnings."""
    warnings = []
    for item in items:
        found: set[int] = set()
        for chunk_id, form in forms.items():
            hits = evidence_in(form, item.evidence)
            if hits:
                item.gold.add(chunk_id)
                found.update(hits)
        missing = [e for i, e in enumerate(item.evidence) if i not in found]
        if item.answerable and not item.evidence:
            warnings.append(f"{item.id}: answerable but no evidence strings (retrieval not scored)")
        elif missing:
            shown = ", ".join(f"'{e}'" for e in missing[:3])
            warnings.append(f"{item.id}: evidence not found in any chunk: {shown}")
    return warnings


def evidence_recall(top_forms: Sequence[tuple[str, str]], evidence: Sequence[str], k: int) -> float:
    """Share of the evidence strings found in the first k chunks."""
    found: set[int] = set()
    for form in top_forms[:k]:
        found.update(evidence_in(form, evidence))
    return len(found) / len(evidence)


def score_ranking(
    retrieved: Sequence[str],
    relevant: set[str],
    recall: Callable[[int], float] | None = None,
) -> dict[str, float] | None:
    """Hit@k, Recall@k (k in KS), MRR@10/@20 and nDCG@10 of one ranking; None when nothing is relevant.

    `recall(k)` overrides the id-based recall (the dev set counts evidence strings, not chunks).
    """
    if not relevant:
        return None
    scores: dict[str, float] = {}
    for k in KS:
        scores[f"hit@{k}"] = m.hit_at_k(retrieved, relevant, k)
        scores[f"recall@{k}"] = recall(k) if recall else m.recall_at_k(retrieved, relevant, k)
    scores["mrr@10"] = m.reciprocal_rank_at_k(retrieved, relevant, 10)
    scores["mrr@20"] = m.reciprocal_rank_at_k(retrieved, relevant, 20)
    scores["ndcg@10"] = m.ndcg_at_k(retrieved, relevant, 10)
    return scores


def relevant_ranks(retrieved: Sequence[str], relevant: set[str]) -> list[int]:
    return [rank for rank, unit in enumerate(retrieved, 1) if unit in relevant]


# --------------------------------------------------------------------------- answers


def _show(part: Sequence[str]) -> str:
    return " / ".join(f"'{alt}'" for alt in part)


def judge_answer(item: Item, text: str, refused: bool, cited: Sequence[str]) -> tuple[bool | None, bool, str]:
    """(accuracy or None when not scorable, overall pass, why it failed).

    Accuracy: answerable, not refused, and every required part present (one of its alternatives).
    Without required parts (LeCoQA), an answer passes when it cites a relevant passage.
    """
    if not item.answerable:
        return None, refused, "" if refused else "answered an unanswerable question"
    if refused:
        return (False if item.parts else None), False, "refused an answerable question"
    if item.parts:
        form = norm(re.sub(r"\[\d+\]", "", text))
        missing = [p for p in item.parts if not any(alt in form for alt in p)]
        why = "; ".join(f"missing answer string {_show(p)}" for p in missing)
        return not missing, not missing, why
    if not item.gold:
        return None, True, ""
    if any(c in item.gold for c in cited):
        return None, True, ""
    return None, False, "no cited passage is relevant"


# --------------------------------------------------------------------------- one question


@dataclass
class Context:
    """What scoring one question needs besides the question itself."""

    pipeline: Any
    modes: list[str]
    unit: str  # "chunk" or "doc"
    forms: dict[str, tuple[str, str]] | None = None  # dev set: chunk matching forms


def unit_of(hit, unit: str) -> str:
    return hit.chunk.chunk_id if unit == "chunk" else hit.chunk.doc_id


def retrieval_row(item: Item, ctx: Context, mode: str) -> dict:
    result = ctx.pipeline.search(item.question, k=TOP, mode=mode)
    retrieved = [unit_of(h, ctx.unit) for h in result.hits]
    recall = None
    if ctx.forms is not None and item.evidence:
        top_forms = [ctx.forms[h.chunk.chunk_id] for h in result.hits]
        recall = lambda k: evidence_recall(top_forms, item.evidence, k)  # noqa: E731
    row = {
        "retrieved": retrieved,
        "relevant_ranks": relevant_ranks(retrieved, item.gold),
        "scores": score_ranking(retrieved, item.gold, recall),
        "total_ms": result.timings_ms.get("total"),
    }
    if item.lenient is not None:
        row["lenient_ranks"] = relevant_ranks(retrieved, item.lenient)
        row["lenient_scores"] = score_ranking(retrieved, item.lenient)
    return row


def answer_row(item: Item, ctx: Context) -> dict:
    result = ctx.pipeline.ask(item.question, k=ANSWER_K)
    answer = result.answer
    cited = [unit_of(c.hit, ctx.unit) for c in answer.citations]
    accuracy, passed, why = judge_answer(item, answer.text, answer.refused, cited)
    top = [unit_of(h, ctx.unit) for h in result.hits]
    if not passed and item.gold and not any(u in item.gold for u in top):
        why += f"; no relevant passage in the top {ANSWER_K} retrieved"
    row = {
        "answer": answer.text,
        "refused": answer.refused,
        "cited": cited,
        "cited_relevant": [c in item.gold for c in cited] if item.answerable and item.gold else None,
        "accuracy": accuracy,
        "pass": passed,
        "why": why.strip("; "),
        "timings_ms": result.timings_ms,
    }
    if item.lenient and item.answerable:
        row["cited_relevant_lenient"] = [c in item.lenient for c in cited]
    return row


def evaluate_item(item: Item, ctx: Context) -> dict:
    """One per_question.jsonl row: retrieval for every mode, then the answer.

    The answer is computed first, so its latency is not flattered by the searches before it.
    """
    from app.search.question import QuestionError

    row: dict[str, Any] = {
        "id": item.id,
        "question": item.question,
        "tags": item.tags,
        "answerable": item.answerable,
    }
    try:
        answer = answer_row(item, ctx)
        row["retrieval"] = {mode: retrieval_row(item, ctx, mode) for mode in ctx.modes}
    except QuestionError as exc:
        return {**row, "error": str(exc), "pass": False, "why": f"error: {exc}"}
    return {**row, **answer}


def run_questions(dataset: Dataset, ctx: Context, progress: bool) -> list[dict]:
    from tqdm import tqdm

    if dataset.items:  # warm-up: the first query loads dictionaries and models, keep it out of latency
        ctx.pipeline.ask(dataset.items[0].question)
    bar = tqdm(dataset.items, desc=f"eval {dataset.label}", unit="q", file=sys.stderr, disable=not progress)
    return [evaluate_item(item, ctx) for item in bar]


# --------------------------------------------------------------------------- summaries


def metric_names() -> list[str]:
    return [f"{name}@{k}" for name in ("hit", "recall") for k in KS] + list(RANK_METRICS)


def summarise_ranking(rows: list[dict], mode: str, key: str = "scores") -> dict:
    """Rates of every ranking metric over the rows that can be scored, with a per-tag breakdown."""
    scored = [r for r in rows if "retrieval" in r and r["retrieval"][mode].get(key) is not None]
    summary: dict[str, Any] = {"n": len(scored), "skipped": len(rows) - len(scored)}
    for name in metric_names():
        summary[name] = m.rate([r["retrieval"][mode][key][name] for r in scored])
    summary["by_tag"] = {
        name: m.by_tag(scored, metric=lambda r, name=name: r["retrieval"][mode][key][name])
        for name in ("hit@5", "recall@10", "mrr@10")
    }
    return summary


def summarise_retrieval(rows: list[dict], modes: list[str], dataset: Dataset) -> dict:
    primary = ANSWER_MODE if ANSWER_MODE in modes else modes[0]
    out: dict[str, Any] = {
        "relevance": dataset.relevance,
        "unit": dataset.unit,
        "primary": primary,
        "configs": {mode: summarise_ranking(rows, mode) for mode in modes},
    }
    if any(r.get("retrieval", {}).get(modes[0], {}).get("lenient_scores") for r in rows):
        out["lenient"] = {
            "relevance": "answer_bearing_ids",
            "configs": {mode: summarise_ranking(rows, mode, "lenient_scores") for mode in modes},
        }
    return out


def _flat(lists: Iterable[list[bool] | None]) -> list[bool]:
    return [v for values in lists if values for v in values]


def summarise_answers(rows: list[dict], dataset: Dataset) -> dict:
    done = [r for r in rows if "refused" in r]
    answerable = [r for r in done if r["answerable"]]
    unanswerable = [r for r in done if not r["answerable"]]
    out: dict[str, Any] = {
        "retrieval": f"{ANSWER_MODE} (what `ask` uses), top {ANSWER_K} passages",
        "n": len(done),
        "errors": len(rows) - len(done),
        "accuracy": m.rate([r["accuracy"] for r in answerable if r["accuracy"] is not None]),
        "accuracy_rule": (
            "all answer parts present (one alternative each) and not refused"
            if dataset.has_answers
            else "not scored: the set has no short answers"
        ),
        "citation_precision": m.rate(_flat(r["cited_relevant"] for r in answerable)),
        "refusal_rate_unanswerable": m.rate([r["refused"] for r in unanswerable]),
        "false_refusal_rate": m.rate([r["refused"] for r in answerable]),
        "pass_rate": m.rate([r["pass"] for r in done]),
    }
    if dataset.has_answers:
        # What users are shown: of the answers given (not refusals), the share that are right.
        # An answer to an unanswerable question is wrong; a refusal is neither.
        given = [r for r in done if not r["refused"]]
        out["answer_precision"] = m.rate([bool(r["answerable"] and r["accuracy"]) for r in given])
    if any("cited_relevant_lenient" in r for r in answerable):
        out["citation_precision_lenient"] = m.rate(_flat(r.get("cited_relevant_lenient") for r in answerable))
    out["by_tag"] = {
        "accuracy": m.by_tag(answerable, metric=lambda r: r["accuracy"]),
        "false_refusal_rate": m.by_tag(answerable, metric=lambda r: r["refused"]),
        "refusal_rate_unanswerable": m.by_tag(unanswerable, metric=lambda r: r["refused"]),
        "pass_rate": m.by_tag(done, metric=lambda r: r["pass"]),
    }
    return out


ASK_STAGES = ("bm25", "embed", "dense", "fuse", "retrieve", "answer", "total")


def stage_latencies(rows: list[dict]) -> dict[str, list[float]]:
    series: dict[str, list[float]] = {}
    for row in rows:
        for stage, ms in (row.get("timings_ms") or {}).items():
            series.setdefault(stage, []).append(ms)
    return {s: series[s] for s in ASK_STAGES if s in series} | {
        s: v for s, v in series.items() if s not in ASK_STAGES
    }


def summarise_latency(rows: list[dict], modes: list[str]) -> dict:
    search = {
        mode: m.percentiles([r["retrieval"][mode]["total_ms"] for r in rows if "retrieval" in r])
        for mode in modes
    }
    return {
        "ask": {stage: m.percentiles(values) for stage, values in stage_latencies(rows).items()},
        "search_total": search,
    }


def app_code_hash() -> str:
    """Hash of every file under app/: tells apart two runs of the same commit with different edits."""
    app_dir = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(p for p in app_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(app_dir)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def code_state() -> dict:
    """The commit, whether tracked files have uncommitted changes, and the hash of app/."""

    def git(*cmd: str) -> str:
        return subprocess.run(
            ["git", *cmd], cwd=config.PROJECT_ROOT, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()

    state: dict[str, Any] = {"commit": None, "dirty": None, "app_sha": app_code_hash()}
    try:
        state["commit"] = git("rev-parse", "--short", "HEAD")
        state["dirty"] = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        pass
    return state


def summarise(rows: list[dict], dataset: Dataset, modes: list[str], run_config: dict) -> dict:
    return {
        "dataset": dataset.name,
        "n": len(rows),
        "config": run_config,
        "retrieval": summarise_retrieval(rows, modes, dataset),
        "answers": summarise_answers(rows, dataset),
        "latency_ms": summarise_latency(rows, modes),
        "notes": dataset.notes,
    }


# --------------------------------------------------------------------------- report


def fmt_rate(r: dict | None, digits: int = 3) -> str:
    if not r or r.get("value") is None:
        return "n/a"
    lo, hi = r["ci95"]
    return f"{r['value']:.{digits}f} [{lo:.{digits - 1}f}, {hi:.{digits - 1}f}]"


def fmt_ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines


RETRIEVAL_COLUMNS = ("hit@1", "hit@5", "hit@10", "hit@20", "recall@1", "recall@5", "recall@10", "recall@20",
                     "mrr@10", "ndcg@10")  # fmt: skip


def retrieval_lines(retrieval: dict) -> list[tuple[str, dict]]:
    """(line name, summary) for every configuration, lenient lines after the strict ones."""
    lines = list(retrieval["configs"].items())
    if "lenient" in retrieval:
        lines += [(f"{mode} (answer-bearing)", s) for mode, s in retrieval["lenient"]["configs"].items()]
    return lines


def answer_rows(answers: dict) -> list[tuple[str, dict]]:
    names = [
        ("accuracy", "Accuracy (answerable)"),
        ("answer_precision", "Answer precision (answers given that are right)"),
        ("citation_precision", "Citation precision"),
        ("citation_precision_lenient", "Citation precision (answer-bearing)"),
        ("refusal_rate_unanswerable", "Refusal rate (unanswerable)"),
        ("false_refusal_rate", "False-refusal rate (answerable)"),
        ("pass_rate", "Pass rate (all questions)"),
    ]
    return [(label, answers[key]) for key, label in names if key in answers]


def tag_table(per_metric: dict[str, dict[str, dict]]) -> list[str]:
    tags = sorted({t for per_tag in per_metric.values() for t in per_tag})
    if not tags:
        return ["(no tags)"]
    header = ["tag", *per_metric]
    rows = []
    for tag in tags:
        n = max((per_tag.get(tag, {}).get("n") or 0) for per_tag in per_metric.values())
        rows.append([f"{tag} (n={n})", *(fmt_rate(per_tag.get(tag)) for per_tag in per_metric.values())])
    return table(header, rows)


def failure_lines(rows: list[dict], limit: int = 40) -> list[str]:
    failed = [r for r in rows if not r.get("pass")]
    if not failed:
        return ["None."]
    lines = table(
        ["id", "question", "why"],
        ([r["id"], r["question"][:60], r.get("why") or "?"] for r in failed[:limit]),
    )
    if len(failed) > limit:
        lines.append(f"\n…and {len(failed) - limit} more in per_question.jsonl.")
    return lines


def render_report(metrics: dict, rows: list[dict], plots: dict[str, str]) -> str:
    cfg, retrieval, answers, latency = (metrics[k] for k in ("config", "retrieval", "answers", "latency_ms"))
    code = cfg.get("code") or {}
    out = [
        f"# Gongyou evaluation: {cfg['label']}",
        "",
        f"- Questions: {metrics['n']} from `{cfg['questions']}`"
        + (f", split `{cfg['split']}`" if cfg.get("split") else "")
        + (f", first {cfg['limit']}" if cfg.get("limit") else ""),
        f"- Corpus: `{cfg['corpus']}`; index `{cfg['index']}` (build {cfg['index_build']}, "
        f"{cfg['passages']} passages); embedder `{cfg['embedder']}`",
        f"- Relevance: {retrieval['relevance']}",
        f"- Answers: {answers['retrieval']}; {answers['accuracy_rule']}",
        f"- Code: commit {code.get('commit') or 'unknown'}"
        f"{' with uncommitted changes' if code.get('dirty') else ''}, app/ sha {code.get('app_sha')}; "
        f"run {cfg['started_at']}, {cfg['seconds']:.1f} s",
        "",
        "All rates: value [95% bootstrap interval].",
        "",
        "## Retrieval",
        "",
        f"Scored on the top {TOP}; {retrieval['configs'][retrieval['primary']]['skipped']} questions with "
        "nothing relevant to find (unanswerable, or no gold or evidence in the corpus) are left out.",
        "",
    ]
    out += table(
        ["configuration", "n", *RETRIEVAL_COLUMNS],
        (
            [name, s["n"], *(fmt_rate(s[c]) for c in RETRIEVAL_COLUMNS)]
            for name, s in retrieval_lines(retrieval)
        ),
    )
    out += ["", "## Answers", ""]
    out += table(
        ["metric", "value [95% CI]", "n"], ([label, fmt_rate(r), r["n"]] for label, r in answer_rows(answers))
    )
    if answers["errors"]:
        out.append(f"\n{answers['errors']} questions failed with an error (see per_question.jsonl).")
    out += ["", "## Latency (ms)", "", f"`ask` stages (answers use {ANSWER_MODE} retrieval):", ""]
    out += table(
        ["stage", "p50", "p95", "mean", "max", "n"],
        (
            [s, *(fmt_ms(p[k]) for k in ("p50", "p95", "mean", "max")), p["n"]]
            for s, p in latency["ask"].items()
        ),
    )
    out += ["", "`search` (top 20) per configuration:", ""]
    out += table(
        ["configuration", "p50", "p95", "mean", "max", "n"],
        (
            [mode, *(fmt_ms(p[k]) for k in ("p50", "p95", "mean", "max")), p["n"]]
            for mode, p in latency["search_total"].items()
        ),
    )
    primary = retrieval["primary"]
    out += ["", f"## By tag: retrieval ({primary})", ""]
    out += tag_table(retrieval["configs"][primary]["by_tag"])
    out += ["", "## By tag: answers", ""]
    out += tag_table({k: v for k, v in answers["by_tag"].items() if v})
    if plots:
        out += ["", "## Plots", ""]
        out += [f"![{name}]({file})" for name, file in plots.items()]
    if metrics.get("notes"):
        out += ["", "## Data notes", ""]
        out += [f"- {note}" for note in metrics["notes"]]
    out += ["", "## Failures", ""]
    out += failure_lines(rows)
    return "\n".join(out) + "\n"


def write_plots(metrics: dict, rows: list[dict], out: Path) -> dict[str, str]:
    from app.evaluation import plots

    retrieval = metrics["retrieval"]
    curves = {
        name: {k: s[f"recall@{k}"]["value"] for k in KS if s[f"recall@{k}"]["value"] is not None}
        for name, s in retrieval_lines(retrieval)
    }
    written = {"Recall@k per configuration": plots.plot_recall_at_k(curves, out / "recall_at_k.png")}
    latencies = stage_latencies(rows)
    written["Latency of ask"] = plots.plot_latency_histogram(
        {s: latencies[s] for s in ("retrieve", "answer", "total") if s in latencies}, out / "latency.png"
    )
    main_metric = "hit@5" if retrieval["unit"] == "chunk" else "recall@10"
    per_tag = retrieval["configs"][retrieval["primary"]]["by_tag"][main_metric]
    written[f"{main_metric} by tag"] = plots.plot_tag_bars(
        per_tag, f"{main_metric} ({retrieval['primary']})", out / "tags_retrieval.png"
    )
    answers_by_tag = metrics["answers"]["by_tag"]
    answer_metric = "accuracy" if answers_by_tag["accuracy"] else "pass_rate"
    written[f"{answer_metric} by tag"] = plots.plot_tag_bars(
        answers_by_tag[answer_metric], answer_metric, out / "tags_answers.png"
    )
    return {name: path.name for name, path in written.items()}


def write_report(metrics: dict, rows: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8")
    with open(out / "per_question.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    plots = write_plots(metrics, rows, out)
    (out / "report.md").write_text(render_report(metrics, rows, plots), encoding="utf-8")


def summary_text(metrics: dict, out: Path) -> str:
    cfg, retrieval, answers, latency = (metrics[k] for k in ("config", "retrieval", "answers", "latency_ms"))
    code = cfg.get("code") or {}
    lines = [
        f"{cfg['label']}: {metrics['n']} questions, embedder {cfg['embedder']}, "
        f"commit {code.get('commit')}{'+changes' if code.get('dirty') else ''}, app/ {code.get('app_sha')}"
    ]
    for name, s in retrieval_lines(retrieval):
        lines.append(
            f"  {name:<24} Hit@1 {fmt_rate(s['hit@1'])}  Hit@5 {fmt_rate(s['hit@5'])}  "
            f"Recall@10 {fmt_rate(s['recall@10'])}  MRR@10 {fmt_rate(s['mrr@10'])}  "
            f"nDCG@10 {fmt_rate(s['ndcg@10'])}"
        )
    lines.append("  answers: " + "; ".join(f"{label} {fmt_rate(r)}" for label, r in answer_rows(answers)))
    total = latency["ask"].get("total", {})
    lines.append(f"  ask latency: p50 {fmt_ms(total.get('p50'))} ms, p95 {fmt_ms(total.get('p95'))} ms")
    lines.append(f"Report: {out}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- command


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
    if getattr(args, "benchmark", None):
        folder = Path(args.benchmark)
        if not folder.is_dir():
            raise EvalError(f"No benchmark folder at {folder}.")
        return load_benchmark(folder, getattr(args, "subset", None), args.split, args.limit)
    if getattr(args, "subset", None):
        raise FlagError("--subset picks a queries file inside a --benchmark folder")
    questions = Path(getattr(args, "questions", None) or config.PROJECT_ROOT / "eval" / "questions.jsonl")
    return load_dev(questions, args.split, args.limit)


def evaluate(args: argparse.Namespace, progress: bool = True) -> tuple[dict, list[dict]]:
    """Load the questions, prepare the index, score every question and summarise."""
    from app.pipeline import Pipeline

    started_at = datetime.now().astimezone().isoformat(timespec="seconds")
    started = time.perf_counter()
    modes = parse_modes(getattr(args, "retrieval", None))
    dataset = load_dataset(args)
    index_dir = prepare_index(dataset, args, progress)
    pipeline = Pipeline(index_dir)
    ctx = Context(pipeline, modes, dataset.unit)
    if dataset.unit == "chunk":
        ctx.forms = chunk_forms(pipeline.index)
        dataset.notes += attach_text_relevance(dataset.items, ctx.forms)
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
        "ks": list(KS),
        "code": code_state(),
        "tuning": current().as_dict(),
        "started_at": started_at,
    }
    metrics = summarise(rows, dataset, modes, run_config)
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
