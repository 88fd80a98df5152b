"""Plain data passed between the pipeline stages.

load → clean → chunk → embed + BM25 → index → retrieve → answer → present.
Every stage takes and returns these dataclasses, so each can be tested alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PAGE_BREAK = "\f"
"""Loaders put a form feed between pages (PDF); cleaning keeps it, chunking counts it."""


@dataclass
class DocMeta:
    """What a citation shows about a document."""

    title: str
    publisher: str | None = None
    date: str | None = None  # YYYY-MM-DD as the document states it; None when unknown
    region: str | None = None
    script: str | None = None  # "simplified" | "traditional"
    source_site: str | None = None
    source_path: str | None = None  # relative to the corpus folder
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocMeta:
        known = {k: data.get(k) for k in cls.__dataclass_fields__ if k != "extra"}
        extra = {k: v for k, v in data.items() if k not in cls.__dataclass_fields__}
        extra.update(data.get("extra") or {})
        return cls(**known, extra=extra)


@dataclass
class Document:
    """One loaded document (or, from a .jsonl corpus, one ready passage)."""

    doc_id: str
    text: str  # raw text as read; pages separated by PAGE_BREAK
    meta: DocMeta
    is_passage: bool = False  # a ready passage: cleaned lightly, never split
    content_hash: str = ""  # sha256 of the raw bytes/text; fills in at load time


@dataclass
class CleanDocument:
    """A document after cleaning: `text` keeps the original script for display."""

    doc_id: str
    text: str
    meta: DocMeta
    is_passage: bool = False
    content_hash: str = ""


@dataclass
class Chunk:
    """A passage of a cleaned document: the unit that is embedded, indexed and cited."""

    chunk_id: str  # f"{doc_id}#{ordinal}"
    doc_id: str
    text: str  # cleaned text in the document's script, shown to people
    start: int  # character span in the cleaned document text
    end: int
    heading: str = ""  # nearest section heading, for display
    page: int | None = None  # 1-based PDF page, None for documents without pages
    article: str | None = None  # "第八十二条" for laws chunked by article
    content_hash: str = ""  # sha256 of text + heading: re-embedding is incremental

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Hit:
    """A retrieved chunk with its scores."""

    chunk: Chunk
    meta: DocMeta
    score: float  # fused score used for ranking
    dense_score: float | None = None
    bm25_score: float | None = None
    rank: int = 0
    row: int = -1  # the passage's row in the index it came from


@dataclass
class Citation:
    n: int
    hit: Hit
    sentences: list[str] = field(default_factory=list)  # the cited sentences, for highlighting
    via: str | None = None  # a cross-reference: the citation and pointer that named it, "[1] 本法第八十七条"


@dataclass
class Refusal:
    """Which named rule refused a question (app/answer/evidence), and what it found."""

    rule: str  # a rule id, e.g. "coverage.passage"
    detail: str  # the rule's finding in plain English, e.g. "key terms covered 0.21 < 0.3"


@dataclass
class Answer:
    question: str
    text: str
    refused: bool
    citations: list[Citation]
    reason: str = ""  # why it refused, or which rule shaped the answer
    refusal: Refusal | None = None  # set exactly when refused
    lead: str = ""  # the short direct answer shown first, from the cited words (app/answer/lead.py)

    @property
    def shown(self) -> str:
        """What a reader sees: the short direct answer on its own line, then the quotes."""
        return f"{self.lead}\n{self.text}" if self.lead else self.text
