"""How a passage is named to people: 《劳动合同法》第四十七条 in an answer, the full title in a source line.

A law is cited by its short name in the answer (《劳动合同法》第四十七条) and by its full official
title where its source is listed (《中华人民共和国劳动合同法》第四十七条 · 全国人民代表大会常务委员会 ·
2012-12-28). A title that itself quotes a law (…适用《中华人民共和国工会法》若干问题的解释) has its
inner marks written 〈〉, as Chinese usage nests them. Labels come in the worker's script.
"""

from __future__ import annotations

import re

from app.ingest.meta_fields import as_text
from app.models import DocMeta, Hit
from app.text.normalize import to_script
from app.text.patterns import NUMBER

# A title ending in an article number. Its 之 suffix takes 一…十 only, narrower than
# patterns.ARTICLE_NUMBER's (kept as it was: the layout work changes no behaviour).
_LAW_ARTICLE = re.compile(rf"^(.+?)(第{NUMBER}[条條](?:之[一二三四五六七八九十]+)?)$")
_STATE_PREFIX = re.compile(r"^(?:中华人民共和国|中華人民共和國)(?=.)")
_INNER_MARKS = str.maketrans("《》", "〈〉")
_LEADING_ARTICLE = re.compile(rf"^\s*第{NUMBER}[条條](?:之[一二三四五六七八九十]+)?[\s　]*")


def meta_text(meta: DocMeta, name: str) -> str:
    """A citation field of a document as text ("" when absent), whatever type it was stored as."""
    return as_text(getattr(meta, name, None))


def short_title(title: str) -> str:
    """The name a law goes by: 中华人民共和国劳动合同法 → 劳动合同法 (other titles unchanged)."""
    return _STATE_PREFIX.sub("", title)


def book_title(title: str) -> str:
    """《title》, with any 《》 inside the title written 〈〉."""
    return f"《{title.translate(_INNER_MARKS)}》"


def _script(language: str) -> str:
    return "traditional" if language == "zh-Hant" else "simplified"


def citation_label(hit: Hit, language: str = "zh-Hans", full: bool = False) -> str:
    """《劳动合同法》第八十二条, 《夜班补贴规定》第2页, 《标题》; `full`: a law's official title."""
    title = meta_text(hit.meta, "title") or hit.chunk.doc_id
    article = hit.chunk.article
    if not article:
        match = _LAW_ARTICLE.match(title)
        if match and (hit.meta.extra.get("law") or len(match.group(1)) >= 2):
            title, article = match.group(1), match.group(2)
    if article:  # laws: 《劳动合同法》第八十二条 (short) or 《中华人民共和国劳动合同法》第八十二条 (full)
        label = book_title(title if full else short_title(title)) + article
    elif hit.chunk.page:
        label = f"{book_title(title)}第{hit.chunk.page}页"
    else:
        label = book_title(title)
    return to_script(label, _script(language))


def without_article_number(sentence: str) -> str:
    """An article's first sentence without its number, for showing after a label that names it."""
    return _LEADING_ARTICLE.sub("", sentence, count=1)


def law_article(hit: Hit) -> tuple[str, str] | None:
    """(the law's name, the article) a passage is, e.g. ("劳动合同法", "第四十七条"); None if not a law.

    The name is the metadata's `law` (what corpus/laws/metadata.json and LeCoQA's rows give) or
    the short title; a ready passage titled 劳动合同法第四十七条 counts as that article.
    """
    title, article = meta_text(hit.meta, "title") or hit.chunk.doc_id, hit.chunk.article
    if not article:
        match = _LAW_ARTICLE.match(title)
        if not (match and (hit.meta.extra.get("law") or len(match.group(1)) >= 2)):
            return None
        title, article = match.group(1), match.group(2)
    return str(hit.meta.extra.get("law") or short_title(title)), article


def section_of(hit: Hit) -> str:
    """The passage's section heading for a source line; none when it only repeats the title (a
    law's first line, 中华人民共和国劳动合同法 or 中华人民共和国刑法（节选）)."""
    heading = hit.chunk.heading
    title = meta_text(hit.meta, "title")
    return "" if title and heading.startswith(title) else heading
