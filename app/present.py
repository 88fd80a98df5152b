"""Presentation shared by the CLI and the UI: the JSON contract and the text people read.

Rendering is total: a citation field of any type (an index built before metadata types were
checked may hold a number or a list) is shown as text, never an exception (`meta_text`).
"""

from __future__ import annotations

from typing import Any

from app.answer.labels import citation_label, meta_text, section_of
from app.models import Hit
from app.pipeline import AskResult, SearchResult
from app.search.coverage import Coverage

__all__ = ["ask_json", "ask_text", "citation_label", "hit_json", "meta_text", "search_json", "search_text"]


def hit_json(hit: Hit, language: str = "zh-Hans") -> dict[str, Any]:
    meta = hit.meta
    return {
        "rank": hit.rank,
        "doc_id": hit.chunk.doc_id,
        "chunk_id": hit.chunk.chunk_id,
        "title": meta.title,
        "text": hit.chunk.text,
        "score": hit.score,
        "bm25_score": hit.bm25_score,
        "dense_score": hit.dense_score,
        "heading": hit.chunk.heading,
        "publisher": meta.publisher,
        "date": meta.date,
        "region": meta.region,
        "page": hit.chunk.page,
        "note": meta.extra.get("note"),  # e.g. a national law: local rules may add to it
        "label": citation_label(hit, language),  # short: 《劳动合同法》第四十七条
        "full_label": citation_label(hit, language, full=True),  # 《中华人民共和国劳动合同法》第四十七条
    }


def _shards(coverage: Coverage) -> dict[str, Any]:
    """{"shards": ...} for a sharded or distributed index: which shards answered; else nothing."""
    return {"shards": coverage.as_mode()} if coverage.reported else {}


def search_json(result: SearchResult) -> dict[str, Any]:
    return {
        "question": result.question,
        "results": [hit_json(h) for h in result.hits],
        **_shards(
            result.coverage
        ),  # a sharded or distributed index: which shards answered (app/search/coverage.py)
        "timings_ms": result.timings_ms,
    }


def ask_json(result: AskResult, mode: dict[str, Any]) -> dict[str, Any]:
    answer = result.answer
    citations = []
    for c in answer.citations:
        entry = hit_json(c.hit, result.language)
        entry.pop("rank")
        citations.append({"n": c.n, **entry, "sentences": c.sentences, "via": c.via})
    return {
        "question": result.question,
        "standalone_question": result.standalone,
        "language": result.language,
        "answer": answer.text,
        "lead": answer.lead,  # the short direct answer shown above it ("" when there is none)
        "refused": answer.refused,
        "refusal_rule": answer.refusal.rule if answer.refusal else None,  # app/answer/evidence/registry.py
        "citations": citations,
        "mode": {**mode, **result.report.mode(), **_shards(result.coverage)},
        "generation": result.report.generation(),  # what a model wrote and what was removed, or null
        "timings_ms": result.timings_ms,
    }


def _source_line(n: int | str, hit: Hit, language: str) -> str:
    meta = hit.meta
    parts = [
        citation_label(hit, language, full=True),
        meta_text(meta, "publisher"),
        meta_text(meta, "date") or "日期不详",
        section_of(hit),
    ]
    return f"[{n}] " + " · ".join(p for p in parts if p)


def ask_text(result: AskResult, mode: dict[str, Any]) -> str:
    lines = [result.answer.shown]
    if result.answer.citations:
        lines += ["", "来源 Sources:"]
        for c in result.answer.citations:
            lines.append(_source_line(c.n, c.hit, result.language))
            lines.append("    " + c.hit.chunk.text.replace("\n", " "))
    if mode.get("offline"):
        lines += ["", "(离线模式 offline mode: built-in character n-gram embedder)"]
    report = result.report
    if report.writes_text:
        removed = (
            f", {report.removed_sentences} unsupported sentence(s) removed"
            if report.removed_sentences
            else ""
        )
        lines += [
            "",
            f"(由模型撰写，已逐句核对来源 written by a model, checked against the sources{removed})",
        ]
    elif report.fallback:
        lines += ["", f"(未采用模型的回答 the model's answer was not used: {report.fallback})"]
    return "\n".join(lines)


def search_text(result: SearchResult) -> str:
    if not result.hits:
        return "No passage matched. 没有找到相关段落。"
    lines = []
    for hit in result.hits:
        lines.append(f"{_source_line(hit.rank, hit, 'zh-Hans')}  (score {hit.score:.4f})")
        lines.append("    " + hit.chunk.text.replace("\n", " "))
    return "\n".join(lines)
