"""The figures a sentence states, in Chinese or English, as (value, unit): what the verifier checks.

"百分之一百五十" and "150 percent" are both (150, %); "155万人", "155萬人" and "1.55 million people" are both
(1550000, person); "第八十二条" and "Article 82" are both (82, article); "5月30日" and "May 30" are
both a date. A figure of a sentence is supported by a passage that states the same value in the
same unit; a bare number (no unit) by the same value in any unit. Value 1 as a counter ("一个",
"one of") and [n] citation markers are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.generate.numerals import ENGLISH_NUMBER_WORDS, arabic, english_number, normalize_numerals
from app.text.normalize import to_simplified


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str | None  # canonical: "%", "yuan", "day", "month", "calendar_year", "article", ... or None
    text: str = ""  # as written, for messages

    def shown(self) -> str:
        return self.text or f"{arabic(self.value)} {self.unit or ''}".strip()


_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_MARKER = re.compile(r"\[\s*\d+(?:\s*[,，、]\s*\d+)*\s*\]")
_CHINESE_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3}
_ENGLISH_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
MONTHS = ("january february march april may june july august september october november december").split()
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"  # noqa: E501

# Chinese units, longest first, to their canonical names (anything else keeps its own character).
CHINESE_UNITS = {
    "个工作日": "workday", "工作日": "workday", "个月": "month", "小时": "hour", "人次": "person_time",
    "周岁": "age", "岁": "age", "日": "day", "天": "day", "周": "week", "星期": "week", "年": "year",
    "倍": "times", "元": "yuan", "块": "yuan", "人": "person", "名": "person", "位": "person",
    "%": "%", "‰": "‰", "条": "article", "款": "clause", "项": "项", "个": "个", "家": "家", "次": "次",
    "届": "届", "所": "所", "批": "批", "类": "类", "种": "种", "级": "级", "公里": "km", "吨": "吨",
}  # fmt: skip
ENGLISH_UNITS = {
    r"(?:working|business) days?|workdays?": "workday", r"days?": "day", r"weeks?": "week",
    r"months?": "month", r"years? old": "age", r"years?": "year", r"hours?": "hour",
    r"times|-?fold": "times", r"yuan|rmb|cny": "yuan", r"percent|per cent|%": "%",
    r"person-times": "person_time",
    r"people|persons?|workers?|employees?|staff|craftsm[ae]n|students?|talents?": "person",
}  # fmt: skip
COUNTERS = {"个", "person", "家", "项", "次", "种", "类", "批", "所", "届", "级", None}
_CHINESE_UNIT = "|".join(re.escape(u) for u in sorted(CHINESE_UNITS, key=len, reverse=True))
_ENGLISH_UNIT = "|".join(f"(?:{u})" for u in ENGLISH_UNITS)


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _english_unit(word: str) -> str | None:
    for pattern, unit in ENGLISH_UNITS.items():
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return unit
    return None


def _mask(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def _words_to_digits(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        value = english_number(match.group().strip(" -"))
        tail = " " if match.group().endswith((" ", "-")) else ""
        return match.group() if value is None else arabic(value) + tail

    text = re.sub(r"\b(?:twice|double)\b", "2 times", text, flags=re.IGNORECASE)
    text = re.sub(r"\btriple\b", "3 times", text, flags=re.IGNORECASE)
    return ENGLISH_NUMBER_WORDS.sub(one, text)


def figures(text: str) -> list[Figure]:
    """Every figure the text states (Chinese or English), in canonical units."""
    # Traditional script read as simplified: 155萬人 in a traditional passage is 155万人.
    text = _words_to_digits(normalize_numerals(to_simplified(_MARKER.sub(" ", text))))
    found: list[Figure] = []

    def take(pattern: str, make, flags: int = 0) -> None:
        nonlocal text
        for match in list(re.finditer(pattern, text, flags)):
            figure = make(match)
            if figure is not None:
                found.append(figure)
                text = _mask(text, match)

    def month_number(name: str) -> int:
        return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(name.lower().rstrip(".")[:3]))

    take(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]", lambda m: Figure(int(m[1]) * 100 + int(m[2]), "date", m[0]))
    take(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", lambda m: _date(month_number(m[1]), m[2], m[0]))
    take(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\b", lambda m: _date(month_number(m[2]), m[1], m[0]))
    take(
        rf"\b({_MONTH})\b(?=\s+(?:\d{{4}}|of)\b)", lambda m: Figure(month_number(m[1]), "month_of_year", m[0])
    )
    take(r"第\s*(\d+)\s*([条款])", lambda m: Figure(int(m[1]), "article" if m[2] == "条" else "clause", m[0]))
    take(r"\b(?:Article|Art\.)\s*(\d+)", lambda m: Figure(int(m[1]), "article", m[0]), re.IGNORECASE)
    take(r"\b(?:paragraph|para\.)\s*(\d+)", lambda m: Figure(int(m[1]), "clause", m[0]), re.IGNORECASE)
    take(
        r"(?<![\d.])((?:19|20)\d{2})\s*年(?!\s*(?:以上|以下|内|以内|之内))",
        lambda m: Figure(int(m[1]), "calendar_year", m[0]),
    )
    take(
        r"(?<![\d.])(\d{1,2})\s*月(?!份?\s*(?:以上|以下|内))",
        lambda m: Figure(int(m[1]), "month_of_year", m[0]),
    )
    take(
        rf"(?:rmb|cny|¥|￥)\s*({_NUM})\s*({'|'.join(_ENGLISH_SCALE)})?",
        lambda m: Figure(_value(m[1]) * _ENGLISH_SCALE.get((m[2] or "").lower(), 1), "yuan", m[0]),
        re.IGNORECASE,
    )
    take(
        rf"(?<![\d.])({_NUM})\s*([万亿千])?\s*({_CHINESE_UNIT})?",
        lambda m: (
            _figure(_value(m[1]) * _CHINESE_SCALE.get(m[2] or "", 1), CHINESE_UNITS.get(m[3] or ""), m[0])
            if (m[2] or m[3])
            else None
        ),
    )
    take(
        rf"(?<![\d.第])({_NUM})(?:\s*({'|'.join(_ENGLISH_SCALE)}))?(?:\s*({_ENGLISH_UNIT})\b|\s*(%))?",
        lambda m: _english(m),
        re.IGNORECASE,
    )
    return found


def _date(month: int, day: str, text: str) -> Figure | None:
    return Figure(month * 100 + int(day), "date", text) if 1 <= int(day) <= 31 else None


def _figure(value: float, unit: str | None, text: str) -> Figure | None:
    if value == 1 and unit in COUNTERS:
        return None  # "一个", "一名": an article, not a figure
    return Figure(value, unit, text.strip())


def _english(match: re.Match[str]) -> Figure | None:
    value = _value(match[1]) * _ENGLISH_SCALE.get((match[2] or "").lower(), 1)
    unit = "%" if match[4] else _english_unit(match[3]) if match[3] else None
    if unit is None and not match[2] and re.fullmatch(r"(?:19|20)\d{2}", match[1]):
        unit = "calendar_year"  # "by 2025"
    return _figure(value, unit, match[0])


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def supports(stated: Figure, source: list[Figure]) -> bool:
    """Whether a source states this figure: the same value, in the same unit (any unit for a bare one)."""
    return any(same_value(stated.value, f.value) and stated.unit in (None, f.unit) for f in source)


def unsupported(sentence: str, sources: list[str]) -> list[Figure]:
    """The figures of a sentence that none of the source texts states."""
    stated = figures(sentence)
    if not stated:
        return []
    source = [f for text in sources for f in figures(text)]
    return [f for f in stated if not supports(f, source)]
