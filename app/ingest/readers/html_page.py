"""HTML pages (.html, .htm): the main text via trafilatura, a stdlib parser as fallback.

The stdlib parser always runs: it gives the <title> (split into title and site name), the first
<h1>, the date and publisher meta tags, and the whole visible text, where dates and "来源:" lines
outside the article are still found.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from html.parser import HTMLParser

from app.datafiles import read_rows
from app.ingest.encoding import decode_text, starts_with_bom
from app.ingest.metadata import split_web_title
from app.ingest.readers.base import ReadText

_SKIP_TAGS = frozenset(
    {"script", "style", "nav", "header", "footer", "noscript", "template", "svg", "iframe"}
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "main", "h1", "h2", "h3", "h4",
     "h5", "h6", "blockquote", "pre", "hr", "dd", "dt", "dl", "figcaption", "title"}
)  # fmt: skip
# Meta tags that date a page, the most specific first (a tuple: the first one present wins).
_DATE_META = ("pubdate", "publishdate", "article:published_time", "dc.date", "date", "firstpublishedtime")
_CHARSET_META = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


_HTML_SPACE = re.compile(r"[ \t\r\n]+")


class _PageParser(HTMLParser):
    """Stdlib fallback: visible text without script/style/nav/header/footer; title, first h1, meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.main_depth = 0
        self.pre_depth = 0
        self.parts: list[str] = []
        self.main_parts: list[str] = []
        self.title = ""
        self.h1 = ""
        self.meta: dict[str, str] = {}
        self._in: str | None = None  # "title" or "h1" while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag in ("article", "main"):
            self.main_depth += 1
        elif tag == "pre":
            self.pre_depth += 1
        elif tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = (a.get("name") or a.get("property") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"].strip())
        if tag == "title" or (tag == "h1" and not self.h1):
            self._in = tag
        if tag in _BLOCK_TAGS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        elif tag in ("article", "main") and self.main_depth:
            self.main_depth -= 1
        elif tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        if tag == self._in:
            self._in = None
        if tag in _BLOCK_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
            return
        if self.skip_depth:
            return
        if self._in == "h1":
            self.h1 += data
        if not self.pre_depth:  # source line breaks are just spaces in HTML
            data = _HTML_SPACE.sub(" ", data)
        self.parts.append(data)
        if self.main_depth:
            self.main_parts.append(data)

    def _newline(self) -> None:
        self.parts.append("\n")
        if self.main_depth:
            self.main_parts.append("\n")

    def text(self, main_only: bool = False) -> str:
        raw = "".join(self.main_parts if main_only else self.parts)
        lines = (re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in raw.split("\n"))
        return "\n".join(line for line in lines if line)


@lru_cache(maxsize=1)
def _charset_aliases() -> dict[str, str]:
    return {row["label"]: row["codec"] for row in read_rows("ingest/html_charset_aliases.tsv")}


def _decode_html(data: bytes) -> str:
    """The <meta charset> label when Python knows it and it decodes cleanly, else detection."""
    if not starts_with_bom(data):
        match = _CHARSET_META.search(data[:4096])
        if match:
            name = match.group(1).decode("ascii", "ignore").lower()
            name = _charset_aliases().get(name, name)
            try:
                return data.decode(codecs.lookup(name).name)
            except (LookupError, UnicodeDecodeError):
                pass  # unknown or wrong label: detect instead
    return decode_text(data)[0]


def read_html(data: bytes, warnings: list[str]) -> ReadText:
    """The main text; hints carry the page's date and publisher meta tags and its whole visible text."""
    html = _decode_html(data)
    parser = _PageParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is belt and braces
        warnings.append(f"HTML parser: {type(exc).__name__}: {exc}")
    page_text = parser.text()

    text = ""
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
    except ImportError as exc:
        warnings.append(f"trafilatura unavailable ({exc.msg.splitlines()[0]}): plain tag-stripping used")
    except Exception as exc:
        warnings.append(f"trafilatura failed ({type(exc).__name__}): plain tag-stripping used")
    if not text.strip():
        text = parser.text(main_only=True) or page_text

    title = site = None
    raw_title = re.sub(r"\s+", " ", parser.title).strip()
    if raw_title:
        title, site = split_web_title(raw_title)
    elif parser.h1.strip():
        title = re.sub(r"\s+", " ", parser.h1).strip()
    site = parser.meta.get("og:site_name") or parser.meta.get("sitename") or site
    hints: dict[str, str] = {}
    for key in _DATE_META:
        if parser.meta.get(key):
            hints["meta_date"] = parser.meta[key]
            break
    if parser.meta.get("contentsource"):
        hints["meta_publisher"] = parser.meta["contentsource"]
    hints["page_text"] = page_text
    return ReadText(text, title=title, site=site, hints=hints)
