"""Cleaning: strip web-page debris and transcription noise, keep the text a person should read.

Works line by line on the raw text of one document. Removes site navigation before the article,
leadership lists, photo captions, page counters ("1 2 共2页"), visit counters, editor lines,
copyright/ICP/licence footers and share prompts; removes pinyin glosses after characters
(`對(duì)`) and '?' placeholders for lost characters; folds full-width letters and digits.
Garbled spans the source pages left (獎芦@得者 for 獎章獲得者) are repaired from the table
app/data/ingest/garbled_repairs.tsv; debris no row repairs (stray letters or '@' inside Chinese)
is shown as □, the mark for an unreadable character, never as the debris itself.
Page breaks (PAGE_BREAK) survive so page numbers can still be counted.
"""

from __future__ import annotations

import re

from app.datafiles import alternation, read_list, read_rows
from app.models import PAGE_BREAK, CleanDocument, Document
from app.text.normalize import fold_width

_TONE_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_GLOSS = re.compile(rf"[(（][{_TONE_LETTERS}]{{1,7}}[)）]")
# A gloss whose "(" and first letters were swallowed by a lost character: "?wù)" → "".
_BROKEN_GLOSS = re.compile(rf"\?+[{_TONE_LETTERS}]{{1,6}}[)）]")
_LOST_CHARACTER = re.compile(r"\?+(?=[^\s\"”’)）\]]|$)")
_REPAIRS = {row["garbled"]: row["repaired"] for row in read_rows("ingest/garbled_repairs.tsv")}
_GARBLED = re.compile(alternation(tuple(_REPAIRS)))
_HAN = "\u3400-\u9fff"
# What is left of a lost character between two Chinese ones, in glossed text: a lower-case letter
# or two, or '@' (或m集體合同). Upper case stays: X光, T恤, U盘, 5G are words.
_DEBRIS = re.compile(rf"(?<=[{_HAN}])(?:[a-z]{{1,2}}|[a-z]?@[a-z]?)(?=[{_HAN}])")
UNREADABLE = "□"

_PAGE_COUNTER = re.compile(r"^\s*(?:\d+\s+)+共\s*\d+\s*页\s*$|^\s*第?\s*\d+\s*/\s*\d+\s*页\s*$")
_VISIT_COUNTER = re.compile(alternation(read_list("ingest/visit_counters.txt", phrases=True)))
_TIMESTAMP_LINE = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
_PUBLISH_LINE = re.compile(r"^\s*(?:发布日期|發佈日期|发布时间|發布時間)\s*[:：]")
_EDITOR_LINE = re.compile(r"^\s*(?:责任编辑|責任編輯|编辑整理|編輯整理|编辑|編輯)\s*[:：]?\s*\S{2,4}\s*$")
_PHOTO_CAPTION = re.compile(
    r"(?:记者|記者|摄影|攝影|通讯员|通訊員)\s*\S{2,4}\s*(?:摄|攝)\s*$|(?:供图|供圖)\s*$"
)
_SHARE_PROMPT = re.compile(
    r"打印本页|打印本頁|【打印】|【关闭】|【關閉】|分享到[:：]?|扫一扫|掃一掃|扫码关注|掃碼關注|^\s*×\s*$"
)
_FOOTER_MARKER = re.compile(
    alternation(read_list("ingest/footer_markers.txt", phrases=True))
    + r"|^\s*(?:来源|來源)\s*[:：于於]|^\s*(?:编辑整理|編輯整理)",
    re.IGNORECASE,
)
_LEADER_LINE = re.compile(
    r"^[\u4e00-\u9fff]{1,2}\s?[\u4e00-\u9fff]{1,2}\s+\S*(?:"
    + alternation(read_list("ingest/leader_titles.txt", phrases=True))
    + ")"
)
_NAV_TOKEN = re.compile(r"^\S{1,5}$")
_ARTICLE_START = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+[条條]")


def _is_sentence_or_article(line: str) -> bool:
    """Leadership lists ("王东明 全国总工会主席") have no full stop and are never law articles."""
    return "。" in line or bool(_ARTICLE_START.match(line))


def remove_glosses(text: str) -> str:
    """Remove pinyin glosses after characters and '?' placeholders for lost characters; repair the
    garbled spans of the repair table, and mark other debris inside Chinese as unreadable."""
    text = _GARBLED.sub(lambda m: _REPAIRS[m.group()], text) if "?" in text or "@" in text else text
    text, broken = _BROKEN_GLOSS.subn("", text)
    text, glossed = _PINYIN_GLOSS.subn("", text)
    text = _LOST_CHARACTER.sub("", text)
    # Only text that was glossed has lost glossed characters: elsewhere "vs", "e公司", "微博@人世间"
    # are words (13 such in RGB's news passages).
    return _DEBRIS.sub(UNREADABLE, text) if broken or glossed else text


def _is_navigation(line: str) -> bool:
    """A row of short menu items: "中工网首页 时政 评论 国际 军事 ..." or "关于我们 | 联系我们"."""
    tokens = [t for t in re.split(r"[\s|丨]+", line.strip()) if t]
    return len(tokens) >= 6 and all(_NAV_TOKEN.match(t) for t in tokens)


def _is_debris(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    return bool(
        _PAGE_COUNTER.match(stripped)
        or _VISIT_COUNTER.search(stripped)
        or _TIMESTAMP_LINE.match(stripped)
        or _PUBLISH_LINE.match(stripped)
        or _EDITOR_LINE.match(stripped)
        or _PHOTO_CAPTION.search(stripped)
        or (_LEADER_LINE.match(stripped) and not _is_sentence_or_article(stripped))
        or _is_navigation(stripped)
        or (_SHARE_PROMPT.search(stripped) and len(_SHARE_PROMPT.sub("", stripped).strip()) == 0)
    )


def _drop_site_header(lines: list[str]) -> list[str]:
    """Saved web pages: "Title-栏目-网站" then menus, then the title again where the article starts.

    Everything between the first line and the title's reappearance is the site's header.
    """
    if not lines:
        return lines
    title = re.split(r"\s*[-_|]\s*", lines[0].strip())[0]
    if len(title) < 6:
        return lines
    limit = max(10, len(lines) // 2)
    for i in range(1, min(limit, len(lines))):
        if lines[i].strip() == title:
            return [title, *lines[i + 1 :]]
    return lines


def _is_prose(line: str) -> bool:
    return len(line.strip()) >= 40 and bool(re.search(r"[。！？；]", line))


def _drop_site_footer(lines: list[str]) -> list[str]:
    """From a footer marker past the first third of the page, when no prose follows it, all is debris."""
    n = len(lines)
    start = n // 3
    for i in range(start, n):
        if _FOOTER_MARKER.search(lines[i]) and not _ARTICLE_START.match(lines[i].strip()):
            rest = lines[i + 1 :]
            # A real paragraph after the marker means it was part of the text, not a footer.
            if not any(_is_prose(r) for r in rest):
                return lines[:i]
    return lines


def clean_text(raw: str) -> str:
    """Cleaned display text: debris removed, glosses removed, widths folded, blank runs collapsed."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    pages = text.split(PAGE_BREAK)
    cleaned_pages = []
    for page in pages:
        lines = [fold_width(remove_glosses(line)).rstrip() for line in page.split("\n")]
        lines = _drop_site_header(lines) if len(pages) == 1 else lines
        lines = _drop_site_footer(lines)
        kept: list[str] = []
        for line in lines:
            if _is_debris(line):
                continue
            line = _SHARE_PROMPT.sub("", line).rstrip() if _SHARE_PROMPT.search(line) else line
            line = line.strip()
            if line or (kept and kept[-1]):
                kept.append(line)
        cleaned_pages.append("\n".join(kept).strip())
    return PAGE_BREAK.join(cleaned_pages)


def clean_passage(raw: str) -> str:
    """Ready passages (from .jsonl) only get glosses removed and widths folded."""
    return fold_width(remove_glosses(raw)).strip()


def clean_document(doc: Document) -> CleanDocument:
    text = clean_passage(doc.text) if doc.is_passage else clean_text(doc.text)
    return CleanDocument(doc.doc_id, text, doc.meta, doc.is_passage, doc.content_hash)
