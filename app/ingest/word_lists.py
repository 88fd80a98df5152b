"""The word lists and tables of ingestion, read once from app/data/ingest/.

Plain lists (.txt) hold one entry per line; tables (.tsv) have a header row naming their columns.
Lines starting with "#" say where a list comes from and are skipped, as are blank lines.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources


def _lines(file_name: str) -> list[str]:
    text = resources.files("app").joinpath("data", "ingest", file_name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The entries of app/data/ingest/<name>.txt, in file order."""
    return tuple(_lines(f"{name}.txt"))


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of app/data/ingest/<name>.tsv, each keyed by the header's column names."""
    header, *rows = (line.split("\t") for line in _lines(f"{name}.tsv"))
    return tuple(dict(zip(header, row)) for row in rows)


def alternation(name: str) -> str:
    """A regex matching any entry of the list literally (earlier entries tried first)."""
    return "|".join(map(re.escape, word_list(name)))
