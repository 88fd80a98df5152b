"""Reading the word lists and tables under app/data/: plain lists, glossary tables, TSV rows.

Every format is meant to be edited by hand (hotline staff add a line, no Python): one entry a
line, blank lines and lines starting with "#" ignored. A malformed line stops the program with the
file and line number, rather than silently dropping a word. Each file is read once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from app.errors import GongyouError

DATA_DIR = Path(__file__).resolve().parent / "data"
TERM_SEPARATOR = "|"
NO_TERMS = "-"  # a table row whose word maps to nothing (English question words: how, many)


class DataFileError(GongyouError, ValueError):
    """A data file under app/data/ that cannot be read as its format says."""


def _entries(relative: str) -> Iterator[tuple[int, str]]:
    path = DATA_DIR / relative
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield number, line


def read_yaml(path: Path) -> Any:
    """A YAML data file, with libyaml's loader when PyYAML has it (2 ms instead of 14 ms for
    answer_types.yaml, on every start)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # a safe loader either way


@cache
def read_list(relative: str, phrases: bool = False) -> tuple[str, ...]:
    """The entries of a plain list, in file order; a repeated entry is an error, and so is a
    space inside an entry unless the list holds phrases ("All Rights Reserved")."""
    entries: list[str] = []
    for number, line in _entries(relative):
        if not phrases and any(ch.isspace() for ch in line):
            raise DataFileError(f"app/data/{relative} line {number}: one entry a line, no spaces: {line!r}")
        if line in entries:
            raise DataFileError(f"app/data/{relative} line {number}: {line!r} is listed twice")
        entries.append(line)
    return tuple(entries)


@cache
def read_table(relative: str) -> dict[str, tuple[str, ...]]:
    """A TSV table "word<TAB>term|term|...", in file order (read once; "-" for no terms)."""
    table: dict[str, tuple[str, ...]] = {}
    for number, line in _entries(relative):
        where = f"app/data/{relative} line {number}"
        word, tab, column = line.partition("\t")
        word, column = word.strip(), column.strip()
        if not tab or not word or not column or "\t" in column:
            raise DataFileError(f"{where}: expected the word, one TAB, then its terms: {line!r}")
        if word in table:
            raise DataFileError(f"{where}: {word!r} already has a line; add its terms there")
        terms = () if column == NO_TERMS else tuple(t.strip() for t in column.split(TERM_SEPARATOR))
        if any(not t or t == NO_TERMS for t in terms):
            raise DataFileError(f"{where}: an empty term (two {TERM_SEPARATOR!r} in a row?): {line!r}")
        table[word] = terms
    return table


@cache
def read_rows(relative: str) -> tuple[dict[str, str], ...]:
    """The rows of a TSV file whose first line names its columns, each row keyed by them."""
    (_, header), *rows = _entries(relative)
    columns = header.split("\t")
    out = []
    for number, line in rows:
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise DataFileError(
                f"app/data/{relative} line {number}: expected {len(columns)} columns: {line!r}"
            )
        out.append(dict(zip(columns, cells)))
    return tuple(out)


def alternation(entries: tuple[str, ...]) -> str:
    """A regex matching any entry literally (earlier entries tried first)."""
    return "|".join(map(re.escape, entries))
