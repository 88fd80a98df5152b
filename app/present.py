"""Presentation shared by the CLI and the UI: the JSON contract and the text people read."""

from __future__ import annotations

import re
from typing import Any

from app.models import Hit
from app.pipeline import AskResult, SearchResult
from app.text.normalize import to_script
from app.text.patterns import NUMBER

# A title ending in an article number. Its 之 suffix takes 一…十 only, narrower than
# patterns.ARTICLE_NUMBER's (kept as it was: the layout work changes no behaviour).
_LAW_ARTICLE = re.compile(rf"^(.+?)(第{NUMBER}[条條](?:之[一二三四五六七八九十]+)?)$")
_STATE_PREFIX = re.compile(r"^(?:中华人民共和国|中華人民共和國)(?=.)")


def citation_label(hit: Hit, language: str = "zh-Hans") -> str:
    """How a passage is cited to people: 《劳动合同法》第八十二条, 《夜班补贴规定》第2页, 《标题》."""
    title = hit.meta.title
    article = hit.chunk.article
    if not article:
        match = _LAW_ARTICLE.match(title)
        if match and (hit.meta.extra.get("law") or len(match.group(1)) >= 2):
            title, article = match.group(1), match.group(2)
    if article:  # laws are cited by their short name: 《劳动合同法》第八十二条
        label = f"《{_STATE_PREFIX.sub('', title)}》{article}"
    elif hit.chunk.page:
        label = f"《{title}》第{hit.chunk.page}页"
    else:
        label = f"《{title}》"
    return to_script(label, "traditional" if language == "zh-Hant" else "simplified")


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
        "label": citation_label(hit, language),
    }


def search_json(result: SearchResult) -> dict[str, Any]:
    shards = {"shards": result.coverage.as_mode()} if result.coverage.reported else {}
    return {
        "question": result.question,
        "results": [hit_json(h) for h in result.hits],
        **shards,  # a sharded or distributed index: which shards answered (app/search/coverage.py)
        "timings_ms": result.timings_ms,
    }


def ask_json(result: AskResult, mode: dict[str, Any]) -> dict[str, Any]:
    answer = result.answer
    citations = []
    for c in answer.citations:
        entry = hit_json(c.hit, result.language)
        entry.pop("rank")
        citations.append({"n": c.n, **entry, "sentences": c.sentences})
    return {
        "question": result.question,
        "standalone_question": result.standalone,
        "language": result.language,
        "answer": answer.text,
        "refused": answer.refused,
        "refusal_rule": answer.refusal.rule if answer.refusal else None,  # app/answer/evidence/registry.py
        "citations": citations,
        "mode": {**mode, "shards": result.coverage.as_mode()} if result.coverage.reported else mode,
        "timings_ms": result.timings_ms,
    }


def _source_line(n: int | str, hit: Hit, language: str) -> str:
    meta = hit.meta
    parts = [citation_label(hit, language), meta.publisher or "", meta.date or "日期不详"]
    if hit.chunk.heading:
        parts.append(hit.chunk.heading)
    return f"[{n}] " + " · ".join(p for p in parts if p)


def ask_text(result: AskResult, mode: dict[str, Any]) -> str:
    lines = [result.answer.text]
    if result.answer.citations:
        lines += ["", "来源 Sources:"]
        for c in result.answer.citations:
            lines.append(_source_line(c.n, c.hit, result.language))
            lines.append("    " + c.hit.chunk.text.replace("\n", " "))
    if mode.get("offline"):
        lines += ["", "(离线模式 offline mode: built-in character n-gram embedder)"]
    return "\n".join(lines)


def search_text(result: SearchResult) -> str:
    if not result.hits:
        return "No passage matched. 没有找到相关段落。"
    lines = []
    for hit in result.hits:
        lines.append(f"{_source_line(hit.rank, hit, 'zh-Hans')}  (score {hit.score:.4f})")
        lines.append("    " + hit.chunk.text.replace("\n", " "))
    return "\n".join(lines)
