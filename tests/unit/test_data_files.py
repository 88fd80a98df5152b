"""Schema of the hand-edited word lists and tables under app/data/ (glossary, provinces, stopwords)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import datafiles
from app.datafiles import DATA_DIR, DataFileError, read_list, read_table
from app.text import glossary
from app.text.normalize import match_form, to_simplified
from app.text.segment import STOPWORDS

TABLES = ("glossary/lay_to_policy.tsv", "glossary/english_to_chinese.tsv")
LISTS = ("glossary/whole_words.txt", "provinces.txt", "stopwords.txt")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _lines(relative: str) -> list[str]:
    text = (DATA_DIR / relative).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _is_matching_form(word: str) -> bool:
    """Simplified, half-width, lower case, no spaces: the form questions are matched in."""
    return to_simplified(word) == word and match_form(word) == word


@pytest.mark.parametrize("relative", TABLES)
def test_tables_have_two_columns_unique_words_and_no_empty_terms(relative: str) -> None:
    words = []
    for line in _lines(relative):
        columns = line.split("\t")
        assert len(columns) == 2, f"{relative}: {line!r} needs exactly one TAB"
        word, terms = columns
        words.append(word)
        assert word and _is_matching_form(word), line
        if terms == "-":
            continue
        split = terms.split("|")
        assert all(t and _is_matching_form(t) for t in split), (
            f"{relative}: empty or unmatched term in {line!r}"
        )
        assert len(set(split)) == len(split), f"{relative}: a term repeated in {line!r}"
    assert len(words) == len(set(words)), f"{relative}: a word has two lines"
    assert list(read_table(relative)) == words  # file order is the tables' order


def test_lay_words_are_chinese_and_all_have_terms() -> None:
    table = read_table("glossary/lay_to_policy.tsv")
    assert len(table) >= 90
    assert table["老板"] == ("用人单位", "雇主", "企业")
    assert all(_HAN.search(word) for word in table)
    assert all(terms for terms in table.values())


def test_english_words_are_what_expansion_can_look_up() -> None:
    table = read_table("glossary/english_to_chinese.tsv")
    # Expansion looks up lower-case Latin words and four-digit years only; other keys never match.
    assert all(re.fullmatch(r"[a-z]+|\d{4}", word) for word in table)
    assert all(_HAN.search(t) or t == "%" for terms in table.values() for t in terms)
    assert table["how"] == () and table["many"] == ()  # question words: mapped to nothing
    assert table["overtime"] == ("加班", "延长工作时间")


@pytest.mark.parametrize("relative", LISTS)
def test_lists_have_one_unique_word_a_line_in_the_matching_form(relative: str) -> None:
    lines = [line.strip() for line in _lines(relative)]
    assert len(lines) == len(set(lines)), f"{relative}: a word is listed twice"
    assert all(_is_matching_form(line) for line in lines), relative
    assert read_list(relative) == tuple(lines)


def test_whole_words_are_chinese_words_the_segmenter_keeps() -> None:
    words = read_list("glossary/whole_words.txt")
    assert all(re.fullmatch(r"[\u3400-\u9fff]{2,}", w) for w in words)
    assert set(words) <= set(glossary.domain_words())


def test_provinces_are_the_34_regions_with_unique_short_names() -> None:
    names = read_list("provinces.txt")
    assert len(names) == 34
    assert all(re.search(r"(省|市|自治区|特别行政区)$", name) for name in names)
    assert len(glossary.SHORT_PROVINCE) == 34
    assert glossary.SHORT_PROVINCE["内蒙古"] == "内蒙古自治区" and glossary.SHORT_PROVINCE["北京"] == "北京市"
    assert glossary.PROVINCES[:2] == ["北京", "天津"]  # file order: questions look for regions in it


def test_stopwords_are_function_and_question_words() -> None:
    assert {"的", "怎么", "请问", "the", "how"} <= STOPWORDS
    assert not STOPWORDS & {"工资", "加班", "年假"}


@pytest.mark.parametrize("relative", (*TABLES, "glossary/whole_words.txt", "stopwords.txt"))
def test_each_hand_edited_file_says_how_to_add_a_line(relative: str) -> None:
    header = (DATA_DIR / relative).read_text(encoding="utf-8").split("\n", 12)[:12]
    assert header[0].startswith("#") and any(line.startswith("# To add") for line in header)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("老板 用人单位\n", r"bad\.tsv line 1: expected the word, one TAB"),
        ("# c\n老板\t用人单位\n老板\t雇主\n", r"line 3: '老板' already has a line"),
        ("老板\t用人单位||雇主\n", r"line 1: an empty term"),
        ("老板\t\n", r"line 1: expected the word, one TAB"),
    ],
)
def test_a_malformed_table_line_is_reported_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str
) -> None:
    (tmp_path / "bad.tsv").write_text(content, encoding="utf-8")
    monkeypatch.setattr(datafiles, "DATA_DIR", tmp_path)
    with pytest.raises(DataFileError, match=message):  # a failed read is not cached
        read_table("bad.tsv")


def test_a_malformed_list_line_is_reported_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.txt").write_text("年假\n婚假 丧假\n", encoding="utf-8")
    (tmp_path / "twice.txt").write_text("年假\n\n年假\n", encoding="utf-8")
    monkeypatch.setattr(datafiles, "DATA_DIR", tmp_path)
    with pytest.raises(DataFileError, match=r"bad\.txt line 2: one entry a line"):
        read_list("bad.txt")
    with pytest.raises(DataFileError, match=r"twice\.txt line 3: '年假' is listed twice"):
        read_list("twice.txt")
