"""metrics.json: per-question rows summarised into rates (with bootstrap intervals) and percentiles."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app import config
from app.evaluation import metrics as m
from app.evaluation.datasets import Dataset
from app.evaluation.judge import KS, RANK_METRICS
from app.evaluation.run import ANSWER_MODE
from app.settings import current


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


UNRECORDED_RULE = "(no rule recorded)"  # a refused row without `refusal_rule` (hand-made rows)


def refusals_by_rule(rows: list[dict]) -> dict[str, dict[str, int]]:
    """Refusals per rule id, split into answerable questions (false refusals) and unanswerable ones.

    Rules that refuse most come first.
    """
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        if row["refused"]:
            tally = counts.setdefault(
                row.get("refusal_rule") or UNRECORDED_RULE, {"answerable": 0, "unanswerable": 0}
            )
            tally["answerable" if row["answerable"] else "unanswerable"] += 1
    return dict(sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0])))


def summarise_answers(rows: list[dict], dataset: Dataset) -> dict:
    done = [r for r in rows if "refused" in r]
    answerable = [r for r in done if r["answerable"]]
    unanswerable = [r for r in done if not r["answerable"]]
    out: dict[str, Any] = {
        "retrieval": f"{ANSWER_MODE} (what `ask` uses), top {current().answer_passages} passages",
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
        "refusals_by_rule": refusals_by_rule(done),
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
