"""Cross-references: an answer that quotes 依照本法第八十七条规定 also shows what article 87 says.

Law articles point at each other (本法第四十七条, 本条例第十四条, 《中华人民共和国劳动合同法》第八十二条,
劳动合同法第十四条第二款, 本条第一款, 前款). A worker shown only the pointer does not learn the
figure, so each pointer in a quoted sentence is resolved in the index and the article (or the
paragraph) it names is added as a further citation, with its sentence that best answers the
question. References are followed from what they add in turn (第四十八条 → 第八十七条 → 第四十七条),
up to `crossref_depth` steps and `crossref_max` additions per answer.

`ArticleIndex` is built once per index (the pipeline holds it); `follow_references` is called
where an answer's citations are built (app/answer/compose.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.answer.evidence.terms import TermGroup, coverage
from app.answer.labels import citation_label, law_article, short_title, without_article_number
from app.answer.trim import trim
from app.models import Chunk, Citation, DocMeta, Hit
from app.settings import current
from app.text.normalize import match_form
from app.text.patterns import CHINESE_NUMERALS, NUMBER, NUMBERED_ITEM
from app.text.sentences import sentences

_ARTICLE = rf"第{NUMBER}[条條](?:之[{CHINESE_NUMERALS}]+)?"
_PARAGRAPH = rf"(?:第(?P<{{name}}>{NUMBER})款)?"
# One pointer: another law by its title, this law's article (本法第X条 or bare 第X条, maybe with 款),
# or a paragraph of the same article (本条第一款, 前款, 前两款, a bare 第二款).
_REFERENCE = re.compile(
    rf"《(?P<title>[^《》]{{2,40}})》(?P<a1>{_ARTICLE}){_PARAGRAPH.format(name='p1')}"
    rf"|(?P<this>本法|本条例|本規定|本规定|本办法|本辦法|本解释|本解釋|本细则|本細則|本决定|本決定)?"
    rf"(?P<a2>{_ARTICLE}){_PARAGRAPH.format(name='p2')}"
    rf"|本[条條]第(?P<p3>{NUMBER})款|前(?P<prev>[两兩二三]?)款|(?<![条條])第(?P<p4>{NUMBER})款"
)
_ITEM = re.compile(rf"^{NUMBERED_ITEM}")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2, "兩": 2}


def _small_number(text: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 3 → 3: paragraph numbers (a law has few)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return _DIGITS.get(tens, 1) * 10 + _DIGITS.get(units, 0)
    return _DIGITS.get(text)


def _key(article: str) -> str:
    return article.replace("條", "条")


@dataclass(frozen=True)
class Pointer:
    """A reference as a sentence writes it, and what it names."""

    written: str  # 本法第八十七条, 前款
    law: str | None  # the law named; None: the quoting article's own law
    article: str | None  # 第八十七条; None: a paragraph of the quoting article
    paragraphs: tuple[int, ...]  # 1-based 款 named (empty: the whole article)


@dataclass
class CrossReference:
    """A passage added because a quoted sentence points at it, and the sentence shown from it."""

    citation: Citation  # a new citation, or the quoting one when a paragraph of its own article is meant
    sentence: str  # as shown (cut to its best clauses when long)
    label: str  # 《劳动合同法》第八十七条, 《劳动合同法》第四十一条第一款


class ArticleIndex:
    """Every article of the index by (law, article), and every name a law goes by."""

    def __init__(self, chunks: Iterable[Chunk], docs: dict[str, DocMeta]) -> None:
        self._parts: dict[tuple[str, str], list[Hit]] = {}
        self.names: dict[str, str] = {}  # 劳动合同法 / 中华人民共和国劳动合同法 → 劳动合同法
        for chunk in chunks:
            hit = Hit(chunk=chunk, meta=docs[chunk.doc_id], score=0.0)
            found = law_article(hit)
            if found is None:
                continue
            law, article = found
            self._parts.setdefault((law, _key(article)), []).append(hit)
            title = hit.meta.title if chunk.article else hit.meta.title.removesuffix(article)
            for name in (law, title, short_title(title)):
                self.names.setdefault(name, law)
        self._by_length = sorted(self.names, key=len, reverse=True)

    def __len__(self) -> int:
        return len(self._parts)

    def parts(self, law: str, article: str) -> list[Hit]:
        """The passages of one article (one, unless a very long article was split)."""
        return self._parts.get((law, _key(article)), [])

    def law_ending(self, text: str) -> str | None:
        """The law whose name `text` ends with (劳动合同法 in 依照劳动合同法), if any."""
        return next((self.names[n] for n in self._by_length if text.endswith(n)), None)


def pointers(sentence: str, articles: ArticleIndex) -> list[Pointer]:
    """The references a sentence makes, in order (a pointer to 第X条 after a law's name names that law)."""
    found: list[Pointer] = []
    for match in _REFERENCE.finditer(sentence):
        written = match.group(0)
        if match.group("a1"):
            law = articles.names.get(match.group("title")) or articles.names.get(
                short_title(match.group("title"))
            )
            if law is None:
                continue  # a law the index does not hold
            found.append(Pointer(written, law, match.group("a1"), _paragraphs(match.group("p1"))))
        elif match.group("a2"):
            law = None if match.group("this") else articles.law_ending(sentence[: match.start()])
            found.append(Pointer(written, law, match.group("a2"), _paragraphs(match.group("p2"))))
        elif match.group("p3") or match.group("p4"):
            found.append(Pointer(written, None, None, _paragraphs(match.group("p3") or match.group("p4"))))
        else:  # 前款, 前两款: counted back from the quoted sentence's paragraph
            back = {"": 1, "两": 2, "兩": 2, "二": 2, "三": 3}[match.group("prev")]
            found.append(Pointer(written, None, None, tuple(-i for i in range(back, 0, -1))))
    return found


def _paragraphs(number: str | None) -> tuple[int, ...]:
    value = _small_number(number) if number else None
    return (value,) if value else ()


def paragraphs(article_text: str) -> list[str]:
    """The paragraphs (款) of an article's text: its lines, items （一）… kept with their paragraph."""
    body = re.sub(rf"^\s*{_ARTICLE}\s*", "", article_text)
    out: list[str] = []
    for line in (line.strip() for line in body.split("\n")):
        if not line:
            continue
        if out and _ITEM.match(line):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


def _best_sentence(text: str, groups: list[TermGroup], states: re.Pattern[str] | None) -> str | None:
    """The sentence of a text that best answers the question (the earliest among equals)."""
    best, best_score = None, -1.0
    for sentence in sentences(text):
        form = match_form(sentence)
        score = coverage(groups, form) + (current().states_bonus if states and states.search(form) else 0)
        if score > best_score + 1e-9:
            best, best_score = sentence, score
    return best


def cite_passage(citations: list[Citation], hit: Hit, via: str) -> Citation:
    """The citation of a passage: the answer's own when it cites it already, else a new one
    (numbered on, `via` saying why it was added) appended to `citations`."""
    cited = next((c for c in citations if c.hit.chunk.chunk_id == hit.chunk.chunk_id), None)
    if cited is None:
        cited = Citation(len(citations) + 1, hit, via=via)
        citations.append(cited)
    return cited


def follow_references(
    quoted: list[tuple[Citation, str]],
    citations: list[Citation],
    articles: ArticleIndex,
    groups: list[TermGroup],
    states: re.Pattern[str] | None,
    language: str,
) -> list[CrossReference]:
    """Resolve the pointers of the quoted (citation, shown sentence) pairs, and theirs in turn.

    New citations are appended to `citations`, numbered on from it.
    """
    settings = current()
    added: list[CrossReference] = []
    shown = {(c.hit.chunk.chunk_id, s) for c, s in quoted}
    frontier = list(quoted)
    for _ in range(settings.crossref_depth):
        found = []
        for citation, sentence in frontier:
            for pointer in pointers(sentence, articles):
                target = _resolve(pointer, citation, sentence, articles, groups, states)
                if target is not None:
                    found.append((citation, pointer, *target))
        # When more articles are pointed at than are shown, those that state what the question asks
        # for come first: 第八十七条's 第四十七条 (the compensation per year worked) before 第二十八条's
        # 第二十四、二十六、二十七条 (when a contract may be ended) for 能拿到多少补偿.
        if states is not None:
            found.sort(key=lambda f: states.search(match_form(f[3])) is None)
        next_frontier: list[tuple[Citation, str]] = []
        for citation, pointer, hit, text, label_suffix in found:
            if len(added) >= settings.crossref_max:
                return added
            if any(h == hit.chunk.chunk_id and (text in s or s in text) for h, s in shown):
                continue  # already in the answer
            shown.add((hit.chunk.chunk_id, text))
            target = cite_passage(citations, hit, via=f"[{citation.n}] {pointer.written}")
            target.sentences.append(text)
            label = citation_label(hit, language) + label_suffix
            shown_text = without_article_number(trim(text, groups, states))
            added.append(CrossReference(target, shown_text, label))
            next_frontier.append((target, text))
        frontier = next_frontier
    return added


def _resolve(
    pointer: Pointer,
    citation: Citation,
    sentence: str,
    articles: ArticleIndex,
    groups: list[TermGroup],
    states: re.Pattern[str] | None,
) -> tuple[Hit, str, str] | None:
    """(the passage pointed at, its sentence to show, 第N款 when a paragraph is meant) or None."""
    own = law_article(citation.hit)
    if own is None:
        return None  # only a law's articles point at other articles
    law = pointer.law or own[0]
    article = pointer.article or own[1]
    parts = articles.parts(law, article)
    if not parts:
        return None
    itself = (law, _key(article)) == (own[0], _key(own[1]))
    if pointer.article is not None and not pointer.paragraphs and itself:
        return None  # the article names itself
    texts = [(hit, paragraphs(hit.chunk.text)) for hit in parts]
    wanted = list(pointer.paragraphs)
    if wanted and wanted[0] < 0:  # 前款: the paragraphs before the one the sentence stands in
        mine = next((i for _, ps in texts for i, p in enumerate(ps, 1) if sentence in p), None)
        if mine is None:
            return None
        wanted = [mine + back for back in wanted if mine + back >= 1]
    for hit, paras in texts:
        # An article's rule stands in its first paragraph (the later ones qualify it): 第四十七条's
        # 每满一年支付一个月工资, not its cap for high earners.
        chosen = [paras[i - 1] for i in wanted if 0 < i <= len(paras)] if wanted else paras[:1]
        region = "\n".join(chosen)
        if region and len(region) <= current().max_sentence_chars and "\n" not in region:
            shown = region  # short enough to show whole: 六个月以上不满一年的，按一年计算 stays with it
        else:
            shown = _best_sentence(region, groups, states) if region else None
        if shown:
            return hit, shown, "、".join(f"第{_chinese(i)}款" for i in wanted)
    return None


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, units = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[units] if units else "")
