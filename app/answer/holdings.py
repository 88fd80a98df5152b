"""What an index holds, in a phrase a refusal can say: worked out from the indexed documents.

A refusal tells the worker what the documents do cover, so they know what to ask (and that it
is not a labour-law question the system cannot answer, when it is one). The phrase is derived
from the index, never written by hand: how many laws (documents cut into articles) and which
(法律 first, then 行政法规, 司法解释, 部门规章, each by size), whether they are all national, and
for the other documents, how many, the theme most of their titles share, their regions and years.
The pipeline computes it once per index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from app.answer.labels import law_article
from app.models import Chunk, DocMeta, Hit
from app.text.segment import words

LAW_TYPE_ORDER = ("法律", "行政法规", "司法解释", "部门规章", "部门规范性文件")
NAMED_LAWS = 4  # laws named in the phrase
THEME_MIN_CHARS = 4  # a shared title phrase shorter than this is no theme
THEME_MAX_CHARS = 20
THEME_TITLES = 200  # titles looked at for a theme (enough to find one, cheap on big corpora)
NATIONAL = "全国"


@dataclass(frozen=True)
class Holdings:
    laws: tuple[str, ...]  # short names, 法律 first, larger first
    laws_national: bool  # every law is a national text
    documents: int  # the other documents
    theme: str | None  # a phrase most of their titles share: 产业工人队伍建设改革
    regions: tuple[str, ...]  # their regions, 全国 first, then the most frequent
    years: tuple[int, int] | None  # the first and last year they are dated


def _type_rank(meta: DocMeta) -> int:
    kind = meta.extra.get("type")
    return LAW_TYPE_ORDER.index(kind) if kind in LAW_TYPE_ORDER else len(LAW_TYPE_ORDER)


def _phrases(title: str) -> set[str]:
    """The runs of whole words (4-20 characters) of a title: 产业工人队伍建设改革, never 贴发放办法."""
    ends = [0]
    # Word boundaries are all a theme needs: not jieba's part-of-speech tagger, 1 s to load cold.
    for word in words(title):
        ends.append(ends[-1] + len(word))
    return {
        title[start:end]
        for i, start in enumerate(ends)
        for end in ends[i + 1 :]
        if THEME_MIN_CHARS <= end - start <= THEME_MAX_CHARS
    }


def shared_theme(titles: list[str]) -> str | None:
    """The longest run of whole words (4-20 characters) in more than half of the titles (at least
    two), if any."""
    titles = titles[:THEME_TITLES]
    if len(titles) < 2:
        return None
    counts: Counter[str] = Counter()
    for title in titles:
        counts.update(_phrases(title))
    needed = max(2, len(titles) // 2 + 1)
    shared = [phrase for phrase, count in counts.items() if count >= needed]
    return max(shared, key=lambda p: (len(p), counts[p], p)) if shared else None


def summarise_holdings(chunks: Iterable[Chunk], docs: dict[str, DocMeta]) -> Holdings:
    """The holdings of an index (its chunks and the metadata of its documents)."""
    law_of: dict[str, str] = {}  # doc_id → law name
    size: Counter[str] = Counter()  # law → articles
    rank: dict[str, int] = {}
    national: dict[str, bool] = {}
    for chunk in chunks:
        meta = docs[chunk.doc_id]
        found = law_article(Hit(chunk=chunk, meta=meta, score=0.0))
        if found is None:
            continue
        law = found[0]
        law_of[chunk.doc_id] = law
        size[law] += 1
        rank[law] = min(rank.get(law, len(LAW_TYPE_ORDER)), _type_rank(meta))
        national[law] = national.get(law, True) and meta.region == NATIONAL
    laws = tuple(sorted(size, key=lambda law: (rank[law], -size[law], law)))
    others = [meta for doc_id, meta in docs.items() if doc_id not in law_of]
    regions = Counter(m.region for m in others if m.region)
    ordered = sorted(regions, key=lambda r: (r != NATIONAL, -regions[r], r))
    years = sorted(int(m.date[:4]) for m in others if m.date and m.date[:4].isdigit())
    return Holdings(
        laws=laws,
        laws_national=bool(laws) and all(national.values()),
        documents=len(others),
        theme=shared_theme([m.title for m in others]),
        regions=tuple(ordered),
        years=(years[0], years[-1]) if years else None,
    )
