"""RGB's Chinese refined set (`zh_refine.json`) to the shared benchmark format.

RGB gives each question its own positive and negative passages. The shared set pools them into one
corpus (whitespace collapsed, a text that recurs kept once under its first id) and makes questions
unanswerable the way RGB does: by withholding every passage that holds the answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RgbSet:
    corpus: list[dict]
    queries: list[dict]


@dataclass(frozen=True)
class Passage:
    """One pooled passage: `id` is rgb-p{question}-{i} for a positive, rgb-n{question}-{i} a negative."""

    id: str
    text: str


def answer_parts(answer: list) -> list[list[str]]:
    """RGB's answer: one entry per required item, a string or a list of accepted alternatives."""
    return [part if isinstance(part, list) else [part] for part in answer]


def pool(originals: list[dict]) -> tuple[list[Passage], dict[str, str]]:
    """Every distinct passage in question order (positives first), and each original id's kept id."""
    passages: list[Passage] = []
    first_id: dict[str, str] = {}
    kept_id: dict[str, str] = {}
    for original in originals:
        for kind, letter in (("positive", "p"), ("negative", "n")):
            for i, raw in enumerate(original[kind]):
                pid, text = f"rgb-{letter}{original['id']}-{i}", " ".join(raw.split())
                if text not in first_id:
                    first_id[text] = pid
                    passages.append(Passage(pid, text))
                kept_id[pid] = first_id[text]
    return passages, kept_id


def _ids(original: dict, kind: str, kept_id: dict[str, str]) -> set[str]:
    letter = kind[0]
    return {kept_id[f"rgb-{letter}{original['id']}-{i}"] for i in range(len(original[kind]))}


def unanswerable(originals: list[dict], passages: list[Passage], kept_id: dict[str, str]) -> set[int]:
    """Questions, taken in id order, whose answer strings occur only in their own positives or in
    passages already withheld: withholding their positives leaves nothing that holds an answer.

    The order matters: of two questions with the same answer (隋文静, 韩聪 for rgb-76 and rgb-209)
    neither qualifies, while rgb-141 qualifies once rgb-113's positives are gone.
    """
    chosen: set[int] = set()
    withheld: set[str] = set()
    for original in sorted(originals, key=lambda o: o["id"]):
        answers = [a for part in answer_parts(original["answer"]) for a in part]
        holding = {p.id for p in passages if any(a in p.text for a in answers)}
        own = _ids(original, "positive", kept_id)
        if not holding - own - withheld:
            chosen.add(original["id"])
            withheld |= own
    return chosen


def convert_rgb(originals: list[dict]) -> RgbSet:
    """The shared RGB set: pooled corpus without withheld passages, one query row per question."""
    originals = sorted(originals, key=lambda o: o["id"])
    passages, kept_id = pool(originals)
    refused = unanswerable(originals, passages, kept_id)
    withheld = set().union(*(_ids(o, "positive", kept_id) for o in originals if o["id"] in refused))
    corpus = [p for p in passages if p.id not in withheld]
    queries = []
    for original in originals:
        parts = answer_parts(original["answer"])
        answerable = original["id"] not in refused
        positives = _ids(original, "positive", kept_id)
        negatives = _ids(original, "negative", kept_id) - withheld
        gold = positives if answerable else set()
        bearing = [p.id for p in corpus if all(any(a in p.text for a in part) for part in parts)]
        queries.append({
            "id": f"rgb-{original['id']}",
            "question": original["query"],
            "answers": [a for part in parts for a in part],
            "answer_parts": parts,
            "gold_ids": sorted(gold),
            "answerable": answerable,
            "answer_bearing_ids": sorted(bearing) if answerable else [],
            "candidate_ids": sorted(gold | negatives),
            "negative_ids": sorted(negatives),
            "withheld_positive_ids": [] if answerable else sorted(positives),
        })  # fmt: skip
    rows = [{"id": p.id, "title": "", "text": p.text, "lang": "zh"} for p in corpus]
    return RgbSet(corpus=rows, queries=queries)
