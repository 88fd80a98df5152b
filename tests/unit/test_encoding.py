"""Decoding text files: byte order marks, UTF-16 without BOM, GB18030 against Big5, binary refused."""

from __future__ import annotations

import pytest
from fixtures_docs import SIMPLIFIED, TRADITIONAL

from app.ingest.encoding import decode_text
from app.ingest.report import LoadError
from app.ingest.walk import load_corpus, load_file


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (SIMPLIFIED, "gbk", "gb18030"),
        ("工资", "gbk", "gb18030"),  # two characters: charset-normalizer alone says Big5
        ("加班费怎么算", "gb2312", "gb18030"),
        (TRADITIONAL, "big5", "cp950"),
        ("工會", "big5", "cp950"),
        ("資遣費", "big5", "cp950"),
        (TRADITIONAL, "gb18030", "gb18030"),  # traditional characters in a GB file stay GB
    ],
)
def test_chinese_legacy_encodings_decode_exactly(text, encoding, expected):
    decoded, used = decode_text(text.encode(encoding))
    assert decoded == text
    assert used == expected


def test_gbk_and_big5_files_load_exactly(tmp_path):
    (tmp_path / "gbk.txt").write_bytes(("工资支付规定\n" + SIMPLIFIED).encode("gbk"))
    (tmp_path / "big5.txt").write_bytes(("工資支付規定\n" + TRADITIONAL).encode("big5"))
    docs, report = load_corpus(tmp_path)
    by_id = {d.doc_id: d for d in docs}
    assert by_id["gbk"].text == "工资支付规定\n" + SIMPLIFIED
    assert by_id["gbk"].meta.script == "simplified" and by_id["gbk"].meta.title == "工资支付规定"
    assert by_id["big5"].text == "工資支付規定\n" + TRADITIONAL
    assert by_id["big5"].meta.script == "traditional"
    assert by_id["big5"].meta.extra["encoding"] == "cp950"
    assert report.skipped == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_byte_order_marks(tmp_path, encoding):
    data = SIMPLIFIED.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "bom.txt"
    path.write_bytes(data)
    [doc] = load_file(path)
    assert doc.text == SIMPLIFIED  # no BOM character left at the start


def test_noise_without_nul_bytes_is_binary():
    import random

    noise = bytes(random.Random(7).randrange(0x80, 0x100) for _ in range(4000))
    with pytest.raises(LoadError, match="binary file, not text"):
        decode_text(noise)
    with pytest.raises(LoadError, match="binary file, not text"):
        decode_text("Le salarié a droit à une indemnité de congés payés.".encode("latin-1"))


def test_utf16_without_bom_with_ascii_is_recognised():
    text = "Article 1. 劳动者享有平等就业的权利 (equal employment)."
    assert decode_text(text.encode("utf-16-le")) == (text, "utf-16-le")
    chinese_only = "劳动合同法规定用人单位应当与劳动者订立书面劳动合同。"  # no NUL bytes at all
    assert decode_text(chinese_only.encode("utf-16-be")) == (chinese_only, "utf-16-be")
