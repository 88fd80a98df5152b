"""Property-based tests (hypothesis): random text, bytes and JSON fed to every input parser.

Issue 18 asks that no input, however odd, ends in an exception other than the one each parser
documents for bad input (QuestionError, LoadError), and that nothing is lost without a word.
Parsers under test: question cleaning, `--input` lines, text decoding, every file reader,
metadata fields and files, .jsonl passages, a whole corpus folder, cleaning and chunking.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.ingest.chunk import chunk_document
from app.ingest.clean import clean_document, clean_text
from app.ingest.encoding import decode_text
from app.ingest.meta_fields import SCRIPTS, TEXT_FIELDS, as_text, checked_fields, coerce_date
from app.ingest.metadata import read_metadata
from app.ingest.readers import READERS
from app.ingest.readers.jsonl_passages import read_passages
from app.ingest.report import LoadError
from app.ingest.walk import load_corpus
from app.limits import MAX_QUESTION_CHARS
from app.models import PAGE_BREAK, CleanDocument, DocMeta, Document
from app.question_input import InputLine, parse_line, read_questions
from app.search.question import QuestionError, clean_question
from app.settings import current
from app.terminal import printable

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like the corpus: Chinese, punctuation, headings, articles, page breaks, controls.
PIECES = st.sampled_from(
    ["劳动者", "工资", "。", "，", "；", "\n", "\n\n", " ", "一、总则", "（二）", "第八十二条 ",
     "第一章 总则", PAGE_BREAK, "【专栏】", "?", "(duì)", "\r\n", "\t", "\u3000", "ａ", "12",
     "2020年1月2日", "\x00", "\ufeff"]
)  # fmt: skip
CORPUS_TEXT = st.one_of(
    st.text(), st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=200).map("".join)
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
FIELD_ROWS = st.dictionaries(
    st.sampled_from(
        ["id", "text", "title", "date", "publisher", "region", "script", "source_site", "extra", "x"]
    ),
    JSON | CORPUS_TEXT,
)


# --------------------------------------------------------------------------- questions


@FAST
@given(st.one_of(st.text(), st.binary(), JSON, CORPUS_TEXT))
@example("\ud800")
@example("问" * (MAX_QUESTION_CHARS + 1))
def test_clean_question_returns_clean_text_or_a_question_error(raw: object) -> None:
    try:
        question = clean_question(raw)
    except QuestionError as exc:
        assert str(exc)
        return
    assert isinstance(raw, str) and 0 < len(question) <= MAX_QUESTION_CHARS
    assert question == question.strip() and all(ch.isprintable() or ch == " " for ch in question)


@FAST
@given(st.binary())
@example(b'{"question": null}')
@example(b'{"question": ' + b"[" * 5000)
def test_an_input_line_is_a_question_or_an_error_never_an_exception(raw: bytes) -> None:
    line = parse_line(raw, 1)
    if line is None:
        assert not raw.decode("utf-8").strip()
    elif line.error is None:
        assert isinstance(line.question, str)
    else:
        assert line.question is None and json.dumps(line.error_object())


@FAST
@given(st.lists(st.one_of(st.binary(max_size=80), st.text(max_size=80).map(str.encode)), max_size=20),
       st.integers(8, 64))  # fmt: skip
def test_no_input_line_is_lost(lines: list[bytes], limit: int) -> None:
    """Every line of an --input file is answered, or gets an error object, or is blank."""
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    got = list(read_questions(io.BytesIO(data), max_line_bytes=limit))
    assert [g.number for g in got] == sorted({g.number for g in got})
    contents = data.split(b"\n") if data else []
    expected = []
    for number, content in enumerate(contents, 1):
        if number == 1:
            content = content.removeprefix(b"\xef\xbb\xbf")
        if len(content) > limit or parse_line(content, number) is not None:
            expected.append(number)
    assert [g.number for g in got] == expected
    assert all(isinstance(g, InputLine) and (g.question is None) != (g.error is None) for g in got)


# --------------------------------------------------------------------------- loaders


@FAST
@given(st.one_of(st.binary(), CORPUS_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))))
@example("第一行：劳动者依法享有获得劳动报酬的权利。\n".encode() + "第二行：工资".encode("gbk"))
def test_decoding_gives_text_or_says_binary(data: bytes) -> None:
    try:
        text, encoding = decode_text(data)
    except LoadError as exc:
        assert "binary file" in exc.reason
        return
    assert isinstance(text, str) and encoding


@SLOW
@given(st.sampled_from(sorted(READERS)), st.one_of(st.binary(max_size=3000), CORPUS_TEXT.map(str.encode)))
@example(".docx", b"PK\x03\x04" + bytes(100))
@example(".pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
def test_every_reader_reads_or_refuses_any_bytes(suffix: str, data: bytes) -> None:
    reader = READERS[suffix]
    warnings: list[str] = []
    try:
        if reader.read_passages is not None:
            docs = reader.read_passages(data, "f.jsonl", {}, warnings)
            assert docs and all(isinstance(d, Document) for d in docs)
        else:
            page = reader.read(data, warnings)
            assert isinstance(page.text, str)
    except LoadError as exc:
        assert exc.reason
    assert all(isinstance(w, str) for w in warnings)


@FAST
@given(FIELD_ROWS)
def test_checked_fields_leave_only_the_right_types(entry: dict) -> None:
    problems: list[str] = []
    fields = checked_fields(entry, problems.append)
    for key in TEXT_FIELDS:
        assert fields.get(key) is None or isinstance(fields[key], str)
    assert fields.get("date") is None or isinstance(fields["date"], str)
    assert fields.get("script") in (None, *SCRIPTS)
    assert fields.get("extra") is None or isinstance(fields["extra"], dict)
    dropped = set(entry) - set(fields)
    assert len(problems) >= len(dropped)  # every dropped field is named
    assert all(isinstance(as_text(v), str) for v in entry.values())


@FAST
@given(st.one_of(st.integers(), st.floats(), st.text(max_size=12), st.none(), st.booleans()))
@example(20201209)
@example(20201332)
def test_coerce_date_is_text_or_none(value: object) -> None:
    date = coerce_date(value)
    assert date is None or (isinstance(date, str) and date.strip() == date and date)


@FAST
@given(st.one_of(JSON, st.dictionaries(st.text(max_size=10), FIELD_ROWS | JSON, max_size=5)))
def test_metadata_json_of_any_shape(content: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "metadata.json").write_text(json.dumps(content), encoding="utf-8")
        problems: list[str] = []
        try:
            entries = read_metadata(Path(folder), problems.append)
        except LoadError as exc:
            assert "metadata.json" in exc.reason
            return
        assert all(isinstance(entry, dict) for entry in entries.values())


@FAST
@given(
    st.lists(st.one_of(FIELD_ROWS.map(json.dumps), JSON.map(json.dumps), st.text(max_size=30)), max_size=12)
)
def test_jsonl_passages_of_any_lines(lines: list[str]) -> None:
    warnings: list[str] = []
    data = "\n".join(line.replace("\n", " ") for line in lines).encode("utf-8", "surrogatepass")
    try:
        docs = read_passages(data, "p.jsonl", {"publisher": "甲"}, warnings)
    except LoadError:
        return
    for doc in docs:
        assert doc.is_passage and isinstance(doc.text, str) and doc.text
        assert isinstance(doc.meta.title, str) and doc.meta.title
        assert doc.meta.date is None or isinstance(doc.meta.date, str)


@SLOW
@given(
    st.lists(st.tuples(st.sampled_from([*sorted(READERS), ".xlsx", ""]), st.binary(max_size=500)), max_size=4)
)
def test_a_corpus_folder_of_random_files_loads_or_names_each_file(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        names = []
        for n, (suffix, data) in enumerate(files):
            name = f"f{n}{suffix}"
            (Path(folder) / name).write_bytes(data)
            names.append(name)
        _, report = load_corpus(Path(folder))
        accounted = set(report.loaded) | {path for path, _ in report.skipped}
        assert accounted == set(names)  # every file loaded or skipped with a reason
        assert all(reason for _, reason in report.skipped)


# --------------------------------------------------------------------------- cleaning and chunking


@FAST
@given(CORPUS_TEXT, st.booleans(), st.integers(20, 400), st.data())
@example("劳动者" * 1000, True, 300, None)
def test_chunks_are_spans_of_the_cleaned_text(text: str, passage: bool, size: int, data) -> None:
    overlap = data.draw(st.integers(0, size - 1)) if data is not None else 50
    cleaned = clean_document(Document("d", text, DocMeta(title="t"), is_passage=passage))
    assert isinstance(clean_text(text), str)
    chunks = chunk_document(CleanDocument("d", cleaned.text, cleaned.meta, passage), size, overlap)
    for ordinal, chunk in enumerate(chunks):
        assert chunk.chunk_id == f"d#{ordinal}" and chunk.text.strip()
        assert cleaned.text[chunk.start : chunk.end] == chunk.text
        whole = chunk.article or passage  # articles and ready passages: up to article_max_chars
        assert len(chunk.text) <= max(2 * size, current().article_max_chars if whole else 0)


@FAST
@given(st.text())
def test_printable_leaves_no_control_character(text: str) -> None:
    shown = printable(text)
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u202e\u2066" for ch in shown)
    if text.isprintable():
        assert shown == text
