"""怎么办: the steps of a labour dispute, in the order the law sets them, each cited.

A worker who asks what to do about the employer (公司拖欠工资怎么办？ 被辞退了去哪里告？) needs the
route as much as the rule that was broken: 协商 → 调解 → 仲裁 → 诉讼, with the one-year limit for
arbitration and the fifteen days to go to court. The route and the clauses that state it are data
(app/data/answer/dispute_route.yaml); the clauses are quoted from the indexed national law and
cited like any other sentence, so nothing is shown that the index does not hold, and an index
without 劳动争议调解仲裁法 gets no route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.answer.crossrefs import ArticleIndex, cite_passage
from app.answer.evidence.answer_types import question_form
from app.answer.labels import citation_label, without_article_number
from app.datafiles import DATA_DIR, DataFileError, read_yaml
from app.models import Citation, Hit
from app.text.normalize import to_script
from app.text.sentences import WHOLE_SENTENCE

ROUTE_FILE = DATA_DIR / "answer" / "dispute_route.yaml"
VIA = "维权途径"  # Citation.via of a passage cited for the route
_CLAUSE = re.compile(r"[^；;]+[；;]?")
HEADER = {"en": "Steps under national law:", "zh-Hant": "維權途徑：", "zh-Hans": "维权途径："}


@dataclass(frozen=True)
class Quote:
    article: str  # 第五条
    phrases: tuple[str, ...]  # a sentence (or clause) holding one of these is quoted
    clause: bool = False  # quote the clause (cut at ；), not the whole sentence
    pay: bool = False  # only when the grievance is about pay


@dataclass(frozen=True)
class Step:
    step: str  # 协商
    english: str
    law: str  # as the index names it: 劳动争议调解仲裁法
    quotes: tuple[Quote, ...]
    pay: bool = False


@dataclass(frozen=True)
class Route:
    asks_what_to_do: re.Pattern[str]
    employer: re.Pattern[str]
    grievance: re.Pattern[str]
    dispute_words: re.Pattern[str]
    pay: re.Pattern[str]
    steps: tuple[Step, ...]


def _pattern(data: dict[str, Any], key: str) -> re.Pattern[str]:
    try:
        return re.compile(str(data[key]))
    except (KeyError, re.error) as exc:
        raise DataFileError(f"{ROUTE_FILE} {key}: a regex is needed ({exc})") from exc


@cache
def route() -> Route:
    data = read_yaml(ROUTE_FILE)
    steps = []
    for entry in data.get("steps") or []:
        try:
            quotes = tuple(
                Quote(q["article"], tuple(q["phrases"]), bool(q.get("clause")), bool(q.get("pay")))
                for q in entry["quotes"]
            )
            steps.append(Step(entry["step"], entry["english"], entry["law"], quotes, bool(entry.get("pay"))))
        except (KeyError, TypeError) as exc:
            raise DataFileError(f"{ROUTE_FILE} step {entry!r}: missing or malformed {exc}") from exc
    keys = ("asks_what_to_do", "employer", "grievance", "dispute_words", "pay")
    return Route(*(_pattern(data, k) for k in keys), tuple(steps))


def asks_for_route(question: str) -> bool:
    """A question about what to do in a dispute with the employer."""
    form, found = question_form(question), route()
    if not found.asks_what_to_do.search(form):
        return False
    grievance = found.employer.search(form) and found.grievance.search(form)
    return bool(grievance or found.dispute_words.search(form))


def _pieces(text: str, quote: Quote) -> list[str]:
    """The sentences (or clauses) of an article that hold one of the quote's phrases."""
    found = []
    for sentence in WHOLE_SENTENCE.findall(text):
        parts = _CLAUSE.findall(sentence) if quote.clause else [sentence.strip()]
        found += [p.strip().rstrip("；;") for p in parts if any(ph in p for ph in quote.phrases)]
    return found


def route_lines(question: str, citations: list[Citation], articles: ArticleIndex, language: str) -> list[str]:
    """The route's lines (a header, then one numbered line a step), citing the articles quoted.

    New citations are appended to `citations`, numbered on from it; a sentence the answer already
    quotes is pointed at ("见[2]"), not repeated. Empty when the index lacks the route's law.
    """
    about_pay = bool(route().pay.search(question_form(question)))
    script = "traditional" if language == "zh-Hant" else "simplified"
    lines: list[str] = []
    for step in route().steps:
        if step.pay and not about_pay:
            continue
        text, last_label, ended = "", None, True
        for quote in step.quotes:
            if quote.pay and not about_pay:
                continue
            for hit in articles.parts(step.law, quote.article):
                for piece in _pieces(hit.chunk.text, quote):
                    label = citation_label(hit, language)
                    # 《劳动争议调解仲裁法》第二十七条：…。[5]…[5]: an article is named once a step
                    named = "" if label == last_label else f"{label}："
                    text += ("" if ended else "；") + named + _cite_piece(hit, piece, citations, script)
                    last_label, ended = label, piece.endswith("。")
        if text:
            name = step.english if language == "en" else to_script(step.step, script)
            lines.append(f"{len(lines) + 1}. {name}{': ' if language == 'en' else '：'}{text}")
    return [HEADER.get(language, HEADER["zh-Hans"]), *lines] if lines else []


def _cite_piece(hit: Hit, piece: str, citations: list[Citation], script: str) -> str:
    """The piece and its citation number (a new citation when the passage has none yet), or a
    pointer to where the answer already quotes it."""
    cited = cite_passage(citations, hit, VIA)
    if any(piece in s for s in cited.sentences):
        return f"（{'見' if script == 'traditional' else '见'}[{cited.n}]）"
    cited.sentences.append(piece)
    return f"{to_script(without_article_number(piece), script)}[{cited.n}]"
