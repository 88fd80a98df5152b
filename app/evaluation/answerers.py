"""`gongyou eval --answerer extractive,llm`: every question answered by each answerer, side by side.

The first answerer named fills the usual answer fields of a row (and `metrics.answers`); each
answerer's own fields are under `row["answerers"][name]`, and `metrics.answerers[name]` has its
accuracy, answer precision, refusals, how often the model's answer was used, the generated
sentences removed by verification per answer, why it fell back, and its latency.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from app.evaluation import metrics as m
from app.evaluation.errors import FlagError

KEYS = ("accuracy", "answer_precision", "false_refusal_rate", "refusal_rate_unanswerable", "pass_rate")


def parse_answerers(spec: str | None, has_model: bool) -> list[str]:
    """`--answerer extractive,llm` → names; none given: llm with --llm, else extractive."""
    from app.generate.answerers import ANSWERERS

    if not spec or spec == "auto":
        return ["llm" if has_model else "extractive"]
    names = [s.strip() for s in spec.split(",") if s.strip()]
    bad = [n for n in names if n not in ANSWERERS]
    if bad or not names:
        raise FlagError(f"--answerer takes a comma-separated list of {', '.join(ANSWERERS)}; got {spec!r}")
    if "llm" in names and not has_model:
        raise FlagError("--answerer llm needs --llm (a server URL, a .gguf file or a transformers folder)")
    return list(dict.fromkeys(names))


def mode_fields(report: Any) -> dict[str, Any]:
    """What a per_question row records of an answer's AnswerReport."""
    return {
        "answerer": report.answerer,
        "removed_sentences": report.removed_sentences,
        "generated_sentences": report.generated_sentences,
        "fallback": report.fallback,
        "removed": [{"text": r.text, "check": r.check} for r in report.removed],
        "raw": report.raw,
    }


def _fallback_kind(reason: str | None) -> str:
    return (reason or "none").split(":", 1)[0]


def compare(rows: list[dict], dataset: Any, names: list[str]) -> dict[str, dict]:
    from app.evaluation.summary import summarise_answers

    out: dict[str, dict] = {}
    for name in names:
        own = [{**row, **row["answerers"][name]} for row in rows if name in row.get("answerers", {})]
        answers = summarise_answers(own, dataset)
        modes = [r["mode"] for r in own if "mode" in r]
        written = [md for md in modes if md["answerer"] != "extractive"]
        generated = sum(md["generated_sentences"] for md in modes)
        removed = sum(md["removed_sentences"] for md in modes)
        asked = [md for md in modes if md["generated_sentences"] or md["fallback"]]
        out[name] = {
            **{key: answers[key] for key in KEYS if key in answers},
            "n": answers["n"],
            "answered_by_model": m.rate([md["answerer"] != "extractive" for md in modes])
            if name != "extractive"
            else None,
            "generated_sentences": generated,
            "removed_sentences": removed,
            "removed_share": round(removed / generated, 3) if generated else None,
            "removed_per_answer": round(removed / len(asked), 3) if asked else None,
            "model_answers": len(written),
            "fallbacks": dict(Counter(_fallback_kind(md["fallback"]) for md in modes if md["fallback"])),
            "removed_by_check": dict(Counter(r["check"] for md in modes for r in md.get("removed", []))),
            "latency_ms": m.percentiles([r["timings_ms"]["total"] for r in own if r.get("timings_ms")]),
        }
    return out


def _fmt(r: dict | None) -> str:
    if not r or r.get("value") is None:
        return "n/a"
    return f"{r['value']:.3f} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}]"


def report_lines(compared: dict[str, dict]) -> list[str]:
    """The side-by-side table for report.md and the printed summary."""
    header = ["answerer", "accuracy", "answer precision", "false refusals", "refused unanswerable",
              "answered by model", "removed / answer", "removed share", "latency p50 / p95 ms",
              "fallbacks"]  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, c in compared.items():
        latency = c["latency_ms"]
        cells = [
            name,
            _fmt(c.get("accuracy")),
            _fmt(c.get("answer_precision")),
            _fmt(c.get("false_refusal_rate")),
            _fmt(c.get("refusal_rate_unanswerable")),
            _fmt(c.get("answered_by_model")),
            "–" if c["removed_per_answer"] is None else f"{c['removed_per_answer']:.2f}",
            "–"
            if c["removed_share"] is None
            else f"{c['removed_share']:.2f} ({c['removed_sentences']}/{c['generated_sentences']})",
            f"{latency.get('p50') or 0:.0f} / {latency.get('p95') or 0:.0f}",
            ", ".join(f"{k} {v}" for k, v in sorted(c["fallbacks"].items())) or "–",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines
