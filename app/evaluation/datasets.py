"""Question sets for `gongyou eval`: the development set and shared-format benchmark folders.

* the **development set** (`eval/questions.jsonl`: `{id, question, lang, answerable, evidence,
  answer, tags}`) over the shipped corpus. Relevance is textual (app/evaluation/judge.py): a chunk is
  relevant when its matching form contains any of the question's evidence strings.
* a **statute set** (`--set eval/labour_statutes.jsonl`: the benchmark schema below, with
  `gold_ids` such as 劳动合同法第四十七条) over the shipped corpus. Each passage of a law is the
  unit law + article (app/answer/labels.py `law_article`: 劳动合同法第四十七条, whatever its
  chunk), so LeCoQA's article ids name the shipped articles directly; other passages are units
  by chunk id and never relevant.
* a **benchmark folder** (`corpus.jsonl` + `queries.jsonl` with `gold_ids`, see
  ../shared/benchmarks/README.md). Each passage is one unit whose `id` is its `doc_id`; relevance is
  `gold_ids` (and, where present, the lenient `answer_bearing_ids` as a second line).

Either can be cut to a split (`split` field, or the parity of the number ending the id), a subset
(another queries file) and the first N questions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import config
from app.evaluation.errors import EvalError, FlagError

DEV_CORPUS = config.PROJECT_ROOT / "corpus"
SHIPPED_INDEX = "shipped"  # the dev set and statute sets share one cached index of DEV_CORPUS


@dataclass
class Item:
    """One question, whatever set it comes from, with everything needed to judge it."""

    id: str
    question: str
    answerable: bool
    tags: list[str]
    gold: set[str] = field(default_factory=set)  # relevant unit ids (doc ids, or dev-set chunk ids)
    lenient: set[str] | None = None  # RGB's answer_bearing_ids
    evidence: list[str] = field(default_factory=list)  # dev set, matching form
    parts: list[list[str]] = field(default_factory=list)  # required answer parts, each with alternatives


@dataclass
class Dataset:
    name: str  # "dev", "lecoqa", "rgb_zh", ...
    label: str  # name plus split and subset, used for the report folder
    items: list[Item]
    # "chunk" (dev set: text relevance), "doc" (benchmarks: passage ids), "article" (statute sets)
    unit: str
    corpus: Path
    questions: Path
    relevance: str  # how relevance is judged, for the report
    has_answers: bool  # whether answer accuracy can be scored
    notes: list[str] = field(default_factory=list)
    index_name: str = ""  # the cached index's name (eval/.cache/<index_name>-…); default: name

    @property
    def cache_name(self) -> str:
        return self.index_name or self.name


def norm(text: str) -> str:
    """The matching form of evidence, answers and passages: glosses removed, simplified, no spaces."""
    from app.ingest.clean import remove_glosses
    from app.text.normalize import match_form

    return match_form(remove_glosses(text))


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise EvalError(f"No question file at {path}.")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise EvalError(f"{path}, line {number}: invalid JSON ({exc}).") from exc
        if not isinstance(row, dict) or not row.get("question") or row.get("id") in (None, ""):
            raise EvalError(f"{path}, line {number}: a question needs an id and a question.")
        rows.append(row)
    return rows


def answer_parts(raw: Iterable[Any]) -> list[list[str]]:
    """Answer parts in matching form; a bare string is a part with one alternative."""
    parts = []
    for part in raw or []:
        alternatives = [part] if isinstance(part, str) else list(part)
        normalised = list(dict.fromkeys(norm(str(a)) for a in alternatives if str(a).strip()))
        if normalised:
            parts.append(normalised)
    return parts


def _tags(row: dict, mixed_answerability: bool) -> list[str]:
    tags = row.get("tags") or []
    tags = [tags] if isinstance(tags, str) else [str(t) for t in tags]
    if row.get("lang") and str(row["lang"]) not in tags:
        tags.append(f"lang:{row['lang']}")
    if "domain_labor" in row:
        tags.append("domain_labor" if row["domain_labor"] else "non_labor")
    if mixed_answerability:
        tags.append("answerable" if row.get("answerable", True) else "unanswerable")
    return list(dict.fromkeys(tags))


def dev_item(row: dict, mixed: bool = True) -> Item:
    answerable = bool(row.get("answerable", True))
    return Item(
        id=str(row["id"]),
        question=str(row["question"]),
        answerable=answerable,
        tags=_tags(row, mixed),
        evidence=[e for e in (norm(str(s)) for s in row.get("evidence") or []) if e],
        parts=answer_parts(row.get("answer") or []) if answerable else [],
    )


def benchmark_item(row: dict, mixed: bool) -> Item:
    answerable = bool(row.get("answerable", True))
    lenient = row.get("answer_bearing_ids")
    return Item(
        id=str(row["id"]),
        question=str(row["question"]),
        answerable=answerable,
        tags=_tags(row, mixed),
        gold={str(g) for g in row.get("gold_ids") or []},
        lenient={str(g) for g in lenient} if lenient is not None else None,
        parts=answer_parts(row.get("answer_parts") or []) if answerable else [],
    )


_TRAILING_NUMBER = re.compile(r"(\d+)$")


def in_split(row: dict, split: str) -> bool:
    """`split` field when the row has one; otherwise the id's trailing number: even train, odd test."""
    if "split" in row:
        return str(row["split"]) == split
    number = _TRAILING_NUMBER.search(str(row["id"]))
    if split not in ("train", "test") or number is None:
        raise FlagError(
            f"Cannot take the {split!r} split: question {row['id']!r} has no `split` field, so the split "
            "goes by the number ending its id (--split train: even, --split test: odd)."
        )
    return (int(number.group(1)) % 2 == 0) == (split == "train")


def select(rows: list[dict], split: str | None, limit: int | None) -> list[dict]:
    if split:
        rows = [r for r in rows if in_split(r, split)]
    if limit is not None:
        rows = rows[: max(limit, 0)]
    if not rows:
        raise EvalError("No questions left to evaluate" + (f" in the {split!r} split." if split else "."))
    return rows


def load_dev(questions: Path, split: str | None, limit: int | None) -> Dataset:
    rows = select(read_jsonl(questions), split, limit)
    mixed = len({bool(r.get("answerable", True)) for r in rows}) > 1
    return Dataset(
        name="dev",
        label="dev" + (f"-{split}" if split else ""),
        items=[dev_item(r, mixed) for r in rows],
        unit="chunk",
        corpus=DEV_CORPUS,
        questions=questions,
        relevance="evidence text: a chunk is relevant when it contains any evidence string",
        has_answers=True,
        index_name=SHIPPED_INDEX,
    )


def load_statute_set(questions: Path, split: str | None, limit: int | None) -> Dataset:
    """A benchmark-schema question file (gold_ids = law + article) asked against the shipped corpus."""
    rows = select(read_jsonl(questions), split, limit)
    mixed = len({bool(r.get("answerable", True)) for r in rows}) > 1
    items = [benchmark_item(r, mixed) for r in rows]
    if not any(i.gold for i in items if i.answerable):
        raise EvalError(f"{questions}: --set needs questions with gold_ids (law + article: 劳动法第四条).")
    has_lenient = any(i.lenient is not None for i in items)
    return Dataset(
        name=questions.stem,
        label=questions.stem + "-shipped" + (f"-{split}" if split else ""),
        items=items,
        unit="article",
        corpus=DEV_CORPUS,
        questions=questions,
        relevance="gold_ids as law + article of the shipped corpus"
        + (" (second line: answer_bearing_ids)" if has_lenient else ""),
        has_answers=any(i.parts for i in items),
        index_name=SHIPPED_INDEX,
    )


def load_benchmark(folder: Path, subset: str | None, split: str | None, limit: int | None) -> Dataset:
    corpus = folder / "corpus.jsonl"
    if not corpus.is_file():
        raise EvalError(f"No corpus.jsonl in {folder}: a benchmark holds corpus.jsonl + queries.jsonl.")
    # A subset is a queries file inside the folder (queries_labor.jsonl) or one of our own sets
    # asked against the benchmark's corpus (eval/labour_statutes.jsonl).
    questions = Path(subset) if subset and Path(subset).is_file() else folder / (subset or "queries.jsonl")
    rows = select(read_jsonl(questions), split, limit)
    mixed = len({bool(r.get("answerable", True)) for r in rows}) > 1
    items = [benchmark_item(r, mixed) for r in rows]
    label = folder.resolve().name
    if split:
        label += f"-{split}"
    if subset:
        label += "-" + (re.sub(r"^queries_?", "", Path(subset).stem) or "subset")
    has_lenient = any(i.lenient is not None for i in items)
    return Dataset(
        name=folder.resolve().name,
        label=label,
        items=items,
        unit="doc",
        corpus=corpus,
        questions=questions,
        relevance="gold_ids" + (" (second line: answer_bearing_ids)" if has_lenient else ""),
        has_answers=any(i.parts for i in items),
    )
