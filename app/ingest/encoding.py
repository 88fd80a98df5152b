"""Bytes of a text file → text: byte order marks, UTF-8, UTF-16 without BOM, GB18030 or Big5.

Legacy Chinese encodings are told apart by the share of frequent characters each decoding yields
(app/data/ingest/frequent_simplified.txt); binary files are refused with LoadError.
"""

from __future__ import annotations

import codecs
from functools import lru_cache

from app.datafiles import read_list
from app.ingest.report import LoadError
from app.text.normalize import to_traditional

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_BYTES = frozenset(range(0, 9)) | frozenset(range(14, 32)) - {27}
_SCORE_SAMPLE = 64 * 1024


def starts_with_bom(data: bytes) -> bool:
    """A UTF-8/16/32 byte order mark says the encoding better than any label."""
    return any(data.startswith(bom) for bom, _ in _BOMS)


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes of a text file → (text, encoding name). Raises LoadError("binary file, not text").

    Order: BOM (UTF-8, UTF-16/32 LE/BE); strict UTF-8; UTF-16 without BOM only when the NUL bytes
    say so; a file of UTF-8 lines and lines in a legacy encoding (pasted together) line by line,
    as "utf-8+gb18030"; else GB18030 vs Big5 (cp950) scored on decode errors and the share of
    frequent characters, with charset-normalizer breaking ties.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            name = encoding.replace("-sig", "")
            try:
                text = data[len(bom) :].decode(name)
            except UnicodeDecodeError:
                if encoding.startswith("utf-32"):
                    continue  # FF FE 00 00 may be UTF-16 LE starting with U+0000: try the next BOM
                text = data[len(bom) :].decode(name, errors="replace")
            if not _looks_like_text(text):
                raise LoadError("binary file, not text")
            return text, name
    head = data[:8192]
    if b"\x00" in head:  # only UTF-16 text has NUL bytes
        utf16 = _utf16_without_bom(data)
        if utf16:
            return utf16
        raise LoadError("binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _looks_like_text(text):
            raise LoadError("binary file, not text")
        return text, "utf-8"
    utf16 = _utf16_without_bom(data)  # Chinese-only UTF-16 has no NULs: accepted only if clearly so
    if utf16:
        return utf16
    if sum(b in _CONTROL_BYTES for b in head) > len(head) * 0.05:
        raise LoadError("binary file, not text")
    mixed = _mixed_with_utf8(data)
    if mixed:
        return mixed
    encoding, score, errors, n = _guess_chinese_encoding(data)
    if errors > 0.05 or (n >= 20 and score < 0.2):  # real Chinese text scores ~0.9, noise below 0
        raise LoadError("binary file, not text (undecodable as UTF-8, GB18030 or Big5)")
    return data.decode(encoding, errors="replace"), encoding


MIXED_MIN_CHARS = 10  # non-ASCII characters of valid UTF-8 lines before a file counts as mixed
MIXED_MIN_SCORE = 0.5  # and their frequent-character score (real Chinese ~0.9, a chance decode < 0)


def _mixed_with_utf8(data: bytes) -> tuple[str, str] | None:
    """A file whose lines are partly UTF-8, partly GB18030 or Big5 → each line decoded in its own.

    Decoding such a file whole as GB18030 turned its UTF-8 half into mojibake with only one
    undecodable character to show for it. Counts as mixed when its valid UTF-8 lines hold real
    Chinese text (MIXED_MIN_CHARS characters scoring MIXED_MIN_SCORE), which a legacy encoding's
    bytes essentially never do; each other line gets the better of UTF-8 and the legacy encoding.
    """
    lines = data.split(b"\n")
    utf8_rows, other_rows = [], []
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_rows.append(i)
        else:
            utf8_rows.append(i)
    if not utf8_rows or not other_rows:
        return None
    utf8_sample = b"\n".join(lines[i] for i in utf8_rows)[:_SCORE_SAMPLE]
    score, _, chars = _encoding_score(utf8_sample, "utf-8")
    if chars < MIXED_MIN_CHARS or score < MIXED_MIN_SCORE:
        return None
    legacy = _guess_chinese_encoding(b"\n".join(lines[i] for i in other_rows))[0]
    decoded = [line.decode("utf-8", errors="replace") if line.isascii() else None for line in lines]
    for i in utf8_rows:
        decoded[i] = lines[i].decode("utf-8")
    for i in other_rows:  # a UTF-8 line with one broken byte stays UTF-8
        utf8_score = _encoding_score(lines[i], "utf-8")[0]
        legacy_score = _encoding_score(lines[i], legacy)[0]
        encoding = "utf-8" if utf8_score >= legacy_score else legacy
        decoded[i] = lines[i].decode(encoding, errors="replace")
    return "\n".join(decoded), f"utf-8+{legacy}"  # type: ignore[arg-type]


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 only when clearly so: NULs concentrated on one byte parity, or a clean, CJK-rich decode."""
    if len(data) % 2:
        return None
    head = data[:8192]
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    candidates = []
    if odd > 4 * even and odd >= len(head) // 20:
        candidates.append("utf-16-le")
    if even > 4 * odd and even >= len(head) // 20:
        candidates.append("utf-16-be")
    if not candidates and b"\x00" not in head:
        # pure CJK UTF-16 has no NULs: accept only a decode that is clearly better than GB18030/Big5
        for encoding in ("utf-16-le", "utf-16-be"):
            score, errors, _ = _encoding_score(data[:_SCORE_SAMPLE], encoding)
            if errors == 0 and score >= 0.8:
                other_score = _guess_chinese_encoding(data)[1]
                if score >= other_score + 0.3:
                    candidates.append(encoding)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    return None


def _looks_like_text(text: str) -> bool:
    sample = text[:4096]
    bad = sum(
        1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\v\f\r\x1b") or 0xE000 <= ord(ch) <= 0xF8FF
    )
    return bad <= len(sample) * 0.05


@lru_cache(maxsize=1)
def _frequent_chars() -> frozenset[str]:
    """The frequent characters of app/data/ingest/frequent_simplified.txt and their traditional forms."""
    simplified = "".join(read_list("ingest/frequent_simplified.txt", phrases=True))
    return frozenset(simplified) | frozenset(to_traditional(simplified))


def _is_cjk(o: int) -> bool:
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def _encoding_score(sample: bytes, encoding: str) -> tuple[float, float, int]:
    """(score, error share, non-ASCII characters): frequent characters minus penalties, per non-ASCII one."""
    text = sample.decode(encoding, errors="replace")
    if len(sample) == _SCORE_SAMPLE:
        text = text[:-2]  # the sample may end inside a character
    frequent = _frequent_chars()
    errors = hits = odd = cjk = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            continue
        if ch == "\ufffd":
            errors += 1
        elif _is_cjk(o):
            cjk += 1
            hits += ch in frequent
        elif not _is_punctuation(o):
            odd += 1  # kana, Greek, box drawing…: what a wrong double-byte decoding produces
    n = cjk + odd + errors
    if n == 0:
        return 0.0, 0.0, 0
    return (hits - 3 * errors - odd) / n, errors / n, n


def _is_punctuation(o: int) -> bool:
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F or o in (0xB7, 0xD7)


def _guess_chinese_encoding(data: bytes) -> tuple[str, float, float, int]:
    """GB18030 or Big5 (as cp950): (encoding, score, error share, non-ASCII characters)."""
    sample = data[:_SCORE_SAMPLE]
    scored = {enc: _encoding_score(sample, enc) for enc in ("gb18030", "cp950")}
    gb_score, big5_score = scored["gb18030"][0], scored["cp950"][0]
    if abs(gb_score - big5_score) < 0.05:
        best = _charset_normalizer_pick(sample) or "gb18030"
    else:
        best = "gb18030" if gb_score > big5_score else "cp950"
    return (best, *scored[best])


def _charset_normalizer_pick(sample: bytes) -> str | None:
    try:
        import charset_normalizer

        match = charset_normalizer.from_bytes(sample, cp_isolation=["gb18030", "big5"]).best()
    except Exception:
        return None
    if match is None:
        return None
    return "cp950" if "big5" in match.encoding or "950" in match.encoding else "gb18030"
