"""LeCoQA's original files (and LawRefBook's statute texts) to the shared benchmark format.

Questions, reference answers, gold articles and the 4:1 split come from LeCoQA (THUIR). The
corpus is every gold article with the text LeCoQA quotes for it (`src: gold`), plus every other
article of the same laws and of the labour laws, parsed from LawRefBook's Markdown statute texts
(`src: lrb`), one article per row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

PRC = "中华人民共和国"
ARTICLE_NUMBER = r"第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?"
ARTICLE_HEADING = re.compile(rf"^({ARTICLE_NUMBER})[\s\u3000]*(.*)$")
ARTICLE_ID = re.compile(rf"^(.+?){ARTICLE_NUMBER}$")
DATED_STEM = re.compile(r"^(.*?)(?:\((\d{4}-\d{2}-\d{2})\))?$")


@dataclass(frozen=True)
class Article:
    """One statute article: `law` is the normalised law name, `number` e.g. 第八十二条."""

    law: str
    number: str
    text: str

    @property
    def id(self) -> str:
        return self.law + self.number


@dataclass(frozen=True)
class LawVersion:
    """One version of a law in LawRefBook: one Markdown file, or a folder of them (民法典's books)."""

    law: str
    date: str  # from the file name, e.g. 公司法(2018-10-26).md; "" when it has none
    paths: tuple[str, ...]


@dataclass
class LecoqaSet:
    corpus: list[dict]
    queries: list[dict]
    missing_laws: list[str]  # laws LawRefBook lacks: only their gold articles are in the corpus


def normalise_law_name(name: str) -> str:
    """LeCoQA writes 中华人民共和国民法典 and 关于适用《民事诉讼法》的解释; ids drop both."""
    return name.replace(PRC, "").replace("《", "").replace("》", "")


def law_of(article_id: str) -> str:
    match = ARTICLE_ID.match(article_id)
    if not match:
        raise ValueError(f"not a statute article id: {article_id!r}")
    return match.group(1)


def _text_or(value: object, default: object) -> object:
    """LeCoQA's JSON holds NaN (a pandas leftover) where a keyword or an answer is missing."""
    return value if isinstance(value, str) else default


def is_labour(question: dict, gold_laws: set[str], labour_laws: set[str], labour_terms: list[str]) -> bool:
    """A gold article from a labour law, or a labour word in the question or its keywords.

    The shared files do not record the rule that set `domain_labor`; this one reproduces all
    86 flags of the 1,543 questions with no extra one.
    """
    words = question["question"] + question["keywords"]
    return bool(gold_laws & labour_laws) or any(term in words for term in labour_terms)


def convert_queries(
    originals: list[dict],
    train: list[dict],
    test: list[dict],
    labour_laws: set[str],
    labour_terms: list[str],
) -> list[dict]:
    """`queries.json` rows to shared rows, in LeCoQA's order; the split from example/{train,test}.json."""
    split = {row["query_id"]: "train" for row in train} | {row["query_id"]: "test" for row in test}
    rows = []
    for original in originals:
        if original["query_id"] not in split:
            raise ValueError(f"LeCoQA question {original['query_id']} is in neither train.json nor test.json")
        answer = _text_or(original["答案文本"], None)
        gold_ids = [normalise_law_name(name) for name in original["match_name"]]
        row = {
            "id": f"leco-{original['query_id']}",
            "question": original["问题"],
            "answers": [answer] if answer is not None else [],
            "gold_ids": gold_ids,
            "answerable": True,
            "keywords": _text_or(original["关键词"], ""),
        }
        gold_laws = {law_of(gold) for gold in gold_ids}
        row["domain_labor"] = is_labour(row, gold_laws, labour_laws, labour_terms)
        row["split"] = split[original["query_id"]]
        row["stard_match_id"] = original["match_id"]
        rows.append(row)
    return rows


def gold_rows(originals: list[dict]) -> list[dict]:
    """One row per gold article, with the text LeCoQA quotes for it (first quotation), sorted by id."""
    rows: dict[str, dict] = {}
    for original in originals:
        for name in original["match_name"]:
            article_id = normalise_law_name(name)
            if article_id not in rows:
                text = original["相关法规"][name].strip()
                rows[article_id] = {"id": article_id, "title": name, "text": text, "lang": "zh",
                                    "law": law_of(article_id), "src": "gold"}  # fmt: skip
    return [rows[key] for key in sorted(rows)]


def parse_articles(law: str, markdown: str) -> list[Article]:
    """Articles of one LawRefBook file: paragraphs joined by one newline; a heading ends an article.

    Lines after a heading that do not open an article (an unnumbered section title such as
    违法所得的没收程序, or an appendix) belong to no article and are dropped.
    """
    body = markdown.split("<!-- INFO END -->", 1)[-1]
    articles: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for raw in body.splitlines():
        line = raw.strip()
        if not line or line.startswith("<!--"):
            continue
        if line.startswith("#"):
            current = None
            continue
        heading = ARTICLE_HEADING.match(line)
        if heading:
            current = [heading.group(2)] if heading.group(2) else []
            articles.append((heading.group(1), current))
        elif current is not None:
            current.append(line)
    return [Article(law, number, "\n".join(lines)) for number, lines in articles]


def law_versions(paths: list[str], multi_file_laws: dict[str, str]) -> dict[str, list[LawVersion]]:
    """LawRefBook's Markdown files as versions of each normalised law name, in path order."""
    found: dict[str, list[LawVersion]] = defaultdict(list)
    for law, folder in multi_file_laws.items():
        books = tuple(sorted(p for p in paths if p.startswith(folder) and _is_law_file(p)))
        if books:
            found[law].append(LawVersion(law, "", books))
    in_folders = tuple(multi_file_laws.values())
    for path in sorted(paths):
        if _is_law_file(path) and not path.startswith(in_folders):
            stem, date = DATED_STEM.match(path.rsplit("/", 1)[-1][:-3]).groups()
            law = normalise_law_name(stem)
            found[law].append(LawVersion(law, date or "", (path,)))
    return found


def _is_law_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.endswith(".md") and not name.startswith("_")


def _squeeze(text: str) -> str:
    return "".join(text.split())


def choose_version(versions: list[list[Article]], dates: list[str], gold: dict[str, str]) -> list[Article]:
    """The version whose articles agree with most of LeCoQA's gold texts; on a tie the newest.

    LeCoQA quotes the version its lawyers used (公司法 2018, not 2023); a law with no gold
    article takes its newest version.
    """

    def agreement(articles: list[Article]) -> int:
        texts = {a.id: _squeeze(a.text) for a in articles}
        return sum(texts.get(key) == _squeeze(text) for key, text in gold.items())

    best = max(range(len(versions)), key=lambda i: (agreement(versions[i]), dates[i], i))
    return versions[best]


def statute_rows(
    golds: list[dict], versions: dict[str, list[LawVersion]], read: Callable[[str], str], laws: set[str]
) -> tuple[list[dict], list[str]]:
    """Rows for every article of `laws` that is not gold, by law name; and the laws LawRefBook lacks.

    An article whose text equals a gold text is left out too (民法典第九百六十六条 repeats 第九百六十条
    word for word), so that no non-gold row is a copy of a gold one.
    """
    gold_by_law: dict[str, dict[str, str]] = defaultdict(dict)
    for row in golds:
        gold_by_law[row["law"]][row["id"]] = row["text"]
    gold_texts = {_squeeze(row["text"]) for row in golds}
    rows, missing = [], []
    for law in sorted(laws):
        if law not in versions:
            missing.append(law)
            continue
        parsed = [[a for path in v.paths for a in parse_articles(law, read(path))] for v in versions[law]]
        chosen = choose_version(parsed, [v.date for v in versions[law]], gold_by_law[law])
        for article in chosen:
            if article.id in gold_by_law[law] or _squeeze(article.text) in gold_texts:
                continue
            rows.append({"id": article.id, "title": article.id, "text": article.text, "lang": "zh",
                         "law": law, "src": "lrb"})  # fmt: skip
    return rows, missing


def convert_lecoqa(
    originals: list[dict],
    train: list[dict],
    test: list[dict],
    law_paths: list[str],
    read: Callable[[str], str],
    sources: dict,
) -> LecoqaSet:
    """The shared LeCoQA set: statute rows by law, then gold rows by id; questions in LeCoQA's order."""
    labour_laws = set(sources["labour_laws"])
    queries = convert_queries(originals, train, test, labour_laws, sources["labour_terms"])
    golds = gold_rows(originals)
    laws = {row["law"] for row in golds} | labour_laws
    versions = law_versions(law_paths, sources["multi_file_laws"])
    statutes, missing = statute_rows(golds, versions, read, laws)
    return LecoqaSet(corpus=statutes + golds, queries=queries, missing_laws=missing)
