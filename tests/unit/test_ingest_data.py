"""Schema of the ingestion word lists and tables in app/data/ingest/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.datafiles import read_list, read_rows
from app.text.normalize import to_simplified

DATA = Path(__file__).resolve().parents[2] / "app" / "data" / "ingest"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

LISTS = ["frequent_simplified", "national_prefixes", "byline_labels", "visit_counters", "footer_markers",
         "leader_titles"]  # fmt: skip
TABLES = {"html_charset_aliases": ["label", "codec"], "garbled_repairs": ["garbled", "repaired", "evidence"]}


def test_every_data_file_is_checked_here():
    names = {p.stem for p in DATA.iterdir()}
    assert names == set(LISTS) | set(TABLES)


@pytest.mark.parametrize("name", [*LISTS, *TABLES])
def test_lines_have_no_stray_whitespace_and_the_file_ends_with_a_newline(name):
    [path] = DATA.glob(f"{name}.*")
    raw = path.read_text(encoding="utf-8")
    assert raw.endswith("\n") and not raw.startswith("\ufeff")
    for number, line in enumerate(raw.split("\n")[:-1], 1):
        assert line, f"{path.name}:{number} is blank"
        assert line == line.strip(), f"{path.name}:{number} has stray whitespace: {line!r}"


@pytest.mark.parametrize("name", LISTS)
def test_word_lists_are_non_empty_without_duplicates(name):
    words = read_list(f"ingest/{name}.txt", phrases=True)
    assert words
    assert len(set(words)) == len(words), [w for w in words if words.count(w) > 1]
    assert all("\t" not in w and not w.startswith("#") for w in words)


def test_frequent_characters_are_1500_single_simplified_characters():
    chars = read_list("ingest/frequent_simplified.txt", phrases=True)
    assert len(chars) == 1500
    assert all(len(c) == 1 and HAN.fullmatch(c) for c in chars)
    assert "".join(chars[:10]) == "一是人了不在有大中国"


@pytest.mark.parametrize("name", ["national_prefixes", "byline_labels", "visit_counters", "leader_titles"])
def test_chinese_lists_hold_only_chinese_words(name):
    assert all(
        HAN.search(w) and not re.search(r"[\sA-Za-z0-9]", w)
        for w in read_list(f"ingest/{name}.txt", phrases=True)
    )


def test_national_prefixes_are_simplified():
    # guess_region compares them with the simplified form of a title
    assert all(to_simplified(p) == p for p in read_list("ingest/national_prefixes.txt", phrases=True))


@pytest.mark.parametrize(("name", "columns"), TABLES.items())
def test_tables_have_the_expected_columns_and_unique_keys(name, columns):
    raw = (DATA / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
    header, *lines = [line.split("\t") for line in raw if not line.startswith("#")]
    assert header == columns
    assert lines and all(len(fields) == len(columns) and all(fields) for fields in lines)
    rows = read_rows(f"ingest/{name}.tsv")
    assert [list(row.values()) for row in rows] == lines
    keys = [row[columns[0]] for row in rows]
    assert len(set(keys)) == len(keys)


def test_charset_aliases_name_codecs_python_knows():
    import codecs

    for row in read_rows("ingest/html_charset_aliases.tsv"):
        assert row["label"] == row["label"].lower()
        codecs.lookup(row["codec"])


def test_garbled_repairs_turn_debris_into_chinese_text() -> None:
    """Each repair replaces a span holding debris ('?' or letters inside Chinese) with one that has
    none once its glosses are removed, and says why its reading is certain."""
    from app.ingest.clean import remove_glosses

    for row in read_rows("ingest/garbled_repairs.tsv"):
        assert "?" in row["garbled"] or re.search(r"[a-z@]", remove_glosses(row["garbled"].replace("?", "")))
        repaired = remove_glosses(row["repaired"])
        assert HAN.search(repaired) and not re.search(r"[?@A-Za-z□]", repaired), row
        assert len(row["evidence"]) > 10
