"""Chunking: cleaned documents → passages that keep their span, page and nearest heading.

A document is first cut into segments at section headings and page breaks, so a chunk never
straddles two sections or two pages; long segments are then split with langchain's recursive
splitter on Chinese sentence boundaries. Laws are chunked one article per chunk, however long
(up to `article_max_chars`, beyond any real article; a longer one is split and every part keeps
its article label). A document is a law by its metadata (a `type` such as 法律 or 行政法规, or a
`law` name), by a law's title over 第X条 lines, or by a body that opens with an article or a
chapter; a single article is enough, so a two-article excerpt is still cited by article.
A ready passage from a .jsonl corpus is kept whole up to the same limit and split like any
other text beyond it (a 60 MB passage once made every answer 180 MB).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.models import PAGE_BREAK, Chunk, CleanDocument, DocMeta
from app.settings import current
from app.text.patterns import ARTICLE_NUMBER, CHINESE_NUMERALS, NUMBER

SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", "!", "?", ";", "，", ",", ""]

_HEADING_PATTERNS = [
    re.compile(rf"^[{CHINESE_NUMERALS}]+、"),  # 一、总体要求
    re.compile(rf"^[(（][{CHINESE_NUMERALS}]+[)）]"),  # (四)切实推动产业工人地位提高
    re.compile(rf"^(?:专栏|專欄){NUMBER}"),  # 专栏三 素质提升
    re.compile(r"^【[^】]{2,30}】$"),  # 【人力资源和社会保障部】
    re.compile(rf"^第{NUMBER}[编章节編節](?:\s|$)"),  # 第二章 劳动合同的订立
]
# Divisions of a law, outermost first: 第一编 > 第二章 > 第一节 (traditional 編, 節).
_LAW_DIVISION = re.compile(rf"^第{NUMBER}([编章节編節])(?:\s|$)")
_DIVISION_LEVEL = {"编": 0, "編": 0, "章": 1, "节": 2, "節": 2}
_ARTICLE = re.compile(rf"^\s*({ARTICLE_NUMBER})(?=[\s　]|$)")
_SENTENCE_END = re.compile(r"[。！？!?；;:：]$")
_MAX_HEADING = 60


@dataclass
class _Segment:
    start: int  # offset in the document text
    text: str
    heading: str
    page: int | None
    article: str | None = None


def is_heading(line: str, prev_blank: bool, next_blank: bool) -> bool:
    """A section heading: numbered or boxed, or a short line standing alone between blank lines."""
    line = line.strip()
    if not line or len(line) > _MAX_HEADING or _SENTENCE_END.search(line):
        return False
    if any(p.match(line) for p in _HEADING_PATTERNS):
        return True
    return prev_blank and next_blank and len(line) <= 40 and not re.search(r"\d{4}年\d", line)


# Types of legal text a metadata.json may name (corpus/laws/metadata.json uses the first five).
LAW_TYPES = frozenset(
    {"法律", "行政法规", "司法解释", "部门规章", "部门规范性文件", "地方性法规", "地方政府规章"}
)
# A law's own title: …法, …条例, …规定, …办法, …细则, …解释, optionally (节选) or (2018修正).
_LAW_TITLE = re.compile(
    r"(?:法|条例|條例|规定|規定|办法|辦法|细则|細則|解释|解釋|决定|決定)(?:[(（][^()（）]{1,12}[)）])?$"
)
# Lines that may stand between a law's title and its first article or chapter.
_LAW_PREAMBLE = re.compile(r"^(?:[(（].{1,80}[)）]|目\s*录|目\s*錄)$")


def is_law(text: str, meta: DocMeta | None = None) -> bool:
    """Whether a document is a law, to be cut into articles: by its metadata or its structure,
    not by how many articles it holds."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    articles = sum(1 for line in lines if _ARTICLE.match(line))
    if not articles:
        return False
    if meta is not None and (meta.extra.get("type") in LAW_TYPES or meta.extra.get("law")):
        return True
    if meta is not None and _LAW_TITLE.search(meta.title.strip()):
        return True
    # The body opens with an article or a chapter, after the title and a (2018年修正) line.
    body = [line for line in lines[1:] if not _LAW_PREAMBLE.match(line)]
    if body and (_ARTICLE.match(body[0]) or _LAW_DIVISION.match(body[0])):
        return True
    return articles >= 3  # articles further down a text that starts otherwise (a notice quoting a law)


def _segments(text: str, paged: bool, law: bool) -> Iterator[_Segment]:
    """Cut the document at headings, articles (laws) and page breaks, tracking each offset."""
    lines = text.split("\n")
    title_line = next((i for i, line in enumerate(lines) if line.strip()), 0)
    heading = ""
    divisions: list[str] = ["", "", ""]  # the current 编, 章, 节 of a law
    article: str | None = None
    page = 1
    seg_start = 0
    seg_lines: list[str] = []
    offset = 0

    def flush() -> Iterator[_Segment]:
        body = "\n".join(seg_lines)
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            yield _Segment(seg_start + lead, stripped, heading, page if paged else None, article)

    for i, line in enumerate(lines):
        parts = line.split(PAGE_BREAK)
        for j, part in enumerate(parts):
            if j > 0:  # a page break inside this line
                yield from flush()
                page += 1
                seg_lines, seg_start = [], offset
            prev_blank = i == 0 or not lines[i - 1].strip()
            next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
            article_match = _ARTICLE.match(part) if law else None
            division = _LAW_DIVISION.match(part.strip()) if law else None
            if article_match:
                yield from flush()
                article = article_match.group(1)
                seg_lines, seg_start = [part], offset
            elif division and len(part.strip()) <= _MAX_HEADING:
                # A chapter keeps its book as context, a section its chapter: 第二章 … 第一节 …
                yield from flush()
                level = _DIVISION_LEVEL[division.group(1)]
                divisions[level:] = [part.strip()] + [""] * (2 - level)
                heading, article = " ".join(d for d in divisions if d), None
                seg_lines, seg_start = [], offset + len(part) + 1
            elif (article is None or not law) and is_heading(part, prev_blank, next_blank):
                # Inside a law's article, "（一）…" items and short lines are the article's text.
                # A law's first line is its title, which every passage carries anyway: no section.
                yield from flush()
                heading, article = ("" if law and i == title_line else part.strip()), None
                seg_lines, seg_start = [], offset + len(part) + 1
            else:
                if not seg_lines:
                    seg_start = offset
                seg_lines.append(part)
            offset += len(part) + (1 if j < len(parts) - 1 else 0)
        offset += 1  # the "\n"
    yield from flush()


class _LazySplitter:
    """The splitter, made on first use: langchain's import (~0.3 s) is skipped when no segment
    is too long, e.g. a `gongyou add` of a law or a short notice."""

    def __init__(self, chunk_size: int, chunk_overlap: int) -> None:
        self._args = (chunk_size, chunk_overlap)
        self._splitter = None

    def split_text(self, text: str) -> list[str]:
        if self._splitter is None:
            self._splitter = _splitter(*self._args)
        return self._splitter.split_text(text)


def _splitter(chunk_size: int, chunk_overlap: int):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        keep_separator="end",
        strip_whitespace=True,
    )


def content_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def chunk_document(
    doc: CleanDocument, chunk_size: int | None = None, chunk_overlap: int | None = None, splitter=None
) -> list[Chunk]:
    """The chunks of one cleaned document, in order, with spans into `doc.text`."""
    chunk_size = chunk_size or current().chunk_size
    chunk_overlap = current().chunk_overlap if chunk_overlap is None else chunk_overlap
    if doc.is_passage:
        text = doc.text.strip()
        if not text:
            return []
        start = doc.text.find(text)
        if len(text) <= current().article_max_chars:
            return [Chunk(f"{doc.doc_id}#0", doc.doc_id, text, start, start + len(text), "", None, None,
                          content_hash(text))]  # fmt: skip
        segments: Iterable[_Segment] = [_Segment(start, text, "", None)]
    else:
        paged = PAGE_BREAK in doc.text or (doc.meta.source_path or "").lower().endswith(".pdf")
        segments = _segments(doc.text, paged, is_law(doc.text, doc.meta))
    splitter = splitter or _LazySplitter(chunk_size, chunk_overlap)
    chunks: list[Chunk] = []
    for seg in segments:
        whole = seg.article or doc.is_passage  # kept whole up to article_max_chars
        limit = current().article_max_chars if whole else chunk_size
        pieces = [seg.text] if len(seg.text) <= limit else None
        pieces = pieces or splitter.split_text(seg.text)
        cursor = 0
        for piece in pieces:
            found = seg.text.find(piece, cursor)
            if found < 0:  # the splitter normalised something; fall back to a forward search
                found = max(0, seg.text.find(piece[:20], cursor))
            start = seg.start + found
            # The next piece starts at most chunk_overlap before this one ends: searching from
            # there keeps periodic text ("劳动者劳动者…") from matching an earlier place.
            cursor = found + max(1, len(piece) - chunk_overlap)
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.doc_id}#{ordinal}",
                    doc_id=doc.doc_id,
                    text=piece,
                    start=start,
                    end=start + len(piece),
                    heading=seg.heading,
                    page=seg.page,
                    article=seg.article,
                    content_hash=content_hash(seg.heading, piece),
                )
            )
    return chunks


def chunks_by_document(
    docs: Iterable[CleanDocument], chunk_size: int | None = None, chunk_overlap: int | None = None
) -> Iterator[tuple[CleanDocument, list[Chunk]]]:
    """Each document with its chunks, one splitter shared by all."""
    chunk_size = chunk_size or current().chunk_size
    chunk_overlap = current().chunk_overlap if chunk_overlap is None else chunk_overlap
    splitter = _LazySplitter(chunk_size, chunk_overlap)
    for doc in docs:
        yield doc, chunk_document(doc, chunk_size, chunk_overlap, splitter)


def chunk_documents(
    docs: Iterable[CleanDocument], chunk_size: int | None = None, chunk_overlap: int | None = None
) -> list[Chunk]:
    return [c for _, chunks in chunks_by_document(docs, chunk_size, chunk_overlap) for c in chunks]
