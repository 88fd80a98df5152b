"""The report folder (metrics.json, per_question.jsonl, report.md, PNG plots) and the printed summary."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from app.evaluation.judge import KS
from app.evaluation.run import ANSWER_MODE, TOP
from app.evaluation.summary import stage_latencies


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


def refusal_lines(answers: dict) -> list[str]:
    """Refusals per rule: on answerable questions (false refusals) and on unanswerable ones."""
    by_rule = answers["refusals_by_rule"]
    if not by_rule:
        return ["No question was refused."]
    header = [
        "rule",
        f"answerable: false refusals (of {answers['false_refusal_rate']['n']})",
        f"unanswerable (of {answers['refusal_rate_unanswerable']['n']})",
        "total",
    ]
    return table(
        header,
        (
            [rule, c["answerable"], c["unanswerable"], c["answerable"] + c["unanswerable"]]
            for rule, c in by_rule.items()
        ),
    )


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
    if metrics.get("answerers"):
        from app.evaluation.answerers import report_lines

        out += ["", "## Answerers side by side", "", "Rows under Answers above are the first answerer's.", ""]
        out += report_lines(metrics["answerers"])
    out += ["", "## Refusals by rule", ""]
    out += refusal_lines(answers)
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
    main_metric = "recall@10" if retrieval["unit"] == "doc" else "hit@5"
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
    if metrics.get("answerers"):
        from app.evaluation.answerers import report_lines

        lines += report_lines(metrics["answerers"])
    lines.append(f"Report: {out}")
    return "\n".join(lines)
