"""What a question asks for (an amount, a date, a length, a share...) and what states one.

The types are data: app/data/answer_types.yaml (each with the regex that recognises the question,
the regex a sentence must match, and example questions). The first type whose question regex
matches wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.answer.evidence.patterns import PIECES
from app.datafiles import read_yaml
from app.errors import GongyouError
from app.text.normalize import match_form

TYPES_FILE = Path(__file__).resolve().parents[2] / "data" / "answer_types.yaml"
_PIECE = re.compile(r"\{([a-z_]+)\}")


class AnswerTypeError(GongyouError, ValueError):
    """app/data/answer_types.yaml does not describe answer types as its header says."""


@dataclass(frozen=True)
class AnswerType:
    name: str
    asks: re.Pattern[str]  # matches a question (see `question_form`) that asks for this type
    states: re.Pattern[str]  # matches a sentence that states one
    amount: bool = False  # a sum, share, count or figure: it must be the one asked about
    counts_people: bool = False  # "多少人", "运动员数量" may ask for a count of people
    examples: tuple[str, ...] = ()  # questions of this type
    stated_by: tuple[str, ...] = ()  # sentences that state one


def expand(pieces: list[str], where: str) -> re.Pattern[str]:
    """One regex from its pieces, with {number}, {money}... replaced by the shared pieces."""

    def piece(match: re.Match[str]) -> str:
        if match.group(1) not in PIECES:
            raise AnswerTypeError(f"{TYPES_FILE} {where}: unknown piece {{{match.group(1)}}}")
        return PIECES[match.group(1)]

    if not isinstance(pieces, list) or not all(isinstance(p, str) for p in pieces):
        raise AnswerTypeError(f"{TYPES_FILE} {where}: expected a list of regex pieces in quotes")
    try:
        return re.compile(_PIECE.sub(piece, "".join(pieces)))
    except re.error as exc:
        raise AnswerTypeError(f"{TYPES_FILE} {where}: {exc}") from exc


def read_types(path: Path = TYPES_FILE) -> tuple[list[AnswerType], list[str]]:
    """The answer types in order, and the example questions that ask for none."""
    data: dict[str, Any] = read_yaml(path)
    types = []
    for entry in data["types"]:
        name = entry["name"]
        unknown = set(entry) - {"name", *AnswerType.__dataclass_fields__}
        if unknown:
            raise AnswerTypeError(f"{path} type {name}: unknown keys {sorted(unknown)}")
        types.append(
            AnswerType(
                name,
                expand(entry["asks"], f"type {name} asks"),
                expand(entry["states"], f"type {name} states"),
                bool(entry.get("amount", False)),
                bool(entry.get("counts_people", False)),
                tuple(entry.get("examples") or ()),
                tuple(entry.get("stated_by") or ()),
            )
        )
    return types, list(data.get("no_type_examples") or [])


ANSWER_TYPES, NO_TYPE_EXAMPLES = read_types()


def question_form(question: str) -> str:
    """What the type regexes read: the matching form, then the question in lower case."""
    return match_form(question) + " " + question.lower()


def answer_type(question: str) -> AnswerType | None:
    """The type of answer a question asks for, or None (a how, why or yes/no question)."""
    form = question_form(question)
    return next((t for t in ANSWER_TYPES if t.asks.search(form)), None)
