"""Numbers in any notation as one value: 一百五十 = 150, ２０２５ = 2025, 百分之一百五十 = 150%.

`normalize_numerals` rewrites a text so that every number a figure check cares about is written
in ASCII Arabic digits: full-width digits are folded, 百分之X / 千分之X become X% / X‰, and a run
of Chinese numerals becomes digits where it is a number (before a measure word, after 第, or a
run of two or more numeral characters), not inside words such as 一般, 统一 or 千万 (must).
English number words are read by `english_number`.
"""

from __future__ import annotations

import re

from app.text.normalize import fold_width

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

# Measure words after which a run of Chinese numerals is a number: 三个月, 十五日, 二倍, 八十二条.
MEASURES = (
    "个月|个工作日|工作日|个|日|天|周|月|年|小时|时|分钟|倍|条|款|项|名|人|位|次|元|块|岁|届|家|所|批|"
    "级|类|种|公里|千米|米|吨|斤|公斤|户|篇|本|期|点|成"
)
_RUN = re.compile(rf"[{NUMERAL_CHARS}]+(?:点[{''.join(DIGITS)}]+)?")
_PERCENT = re.compile(rf"([百千])分之([{NUMERAL_CHARS}点\d.]+)")
# Words whose numeral characters are not numbers (一般, 统一, 千万 = must, 万一 = in case, 十分 =
# very), unless a numeral comes just before them (三千万 is thirty million, 五十分钟 fifty minutes).
_NOT_NUMBERS = re.compile(
    rf"(?<![{NUMERAL_CHARS}\d])(?:一般|一律|一致|一切|一些|一起|一定|一旦|一并|一方|一经|一直|一样|"
    "统一|唯一|同一|进一步|之一|第一时间|万一|千万|十分|百姓|百货|千方百计|一事一议)"
)


def chinese_number(text: str) -> float | None:
    """The value of a run of Chinese numerals (一百五十 → 150, 二〇二五 → 2025, 三点五 → 3.5), or None."""
    text = text.strip()
    if not text:
        return None
    if "点" in text:
        whole, _, fraction = text.partition("点")
        head = chinese_number(whole) if whole else 0.0
        if head is None or not fraction or any(c not in DIGITS for c in fraction):
            return None
        return head + float("0." + "".join(str(DIGITS[c]) for c in fraction))
    if any(c not in DIGITS and c not in SMALL_UNITS and c not in BIG_UNITS for c in text):
        return None
    if all(c in BIG_UNITS for c in text):  # 万 alone is a scale, not a number
        return None
    if all(c in DIGITS for c in text):  # read digit by digit: 二〇二五 → 2025
        return float("".join(str(DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for char in text:
        if char in DIGITS:
            if digit is not None and digit != 0 and DIGITS[char] != 0:
                return None  # 十四五 (the 14th five-year plan) is a name, not a number
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        else:  # 万 / 亿 close a section: 三千五百万 = (3000 + 500) * 10000
            section += digit or 0
            total = (total + section) * BIG_UNITS[char] if char == "亿" else total + section * BIG_UNITS[char]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def arabic(value: float) -> str:
    """150.0 → "150", 3.5 → "3.5"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _replace_run(text: str, match: re.Match[str]) -> str | None:
    run = match.group()
    before = text[max(0, match.start() - 1) : match.start()]
    after = text[match.end() : match.end() + 4]
    numeric = (
        len(run.rstrip("万亿")) >= 2
        or before == "第"
        or re.match(MEASURES, after) is not None
        or (after[:1] in {"%", "‰"})
    )
    if not numeric:
        return None
    scale = ""
    if len(run) > 1 and run[-1] in BIG_UNITS and chinese_number(run[:-1]) is not None:
        scale, run = run[-1], run[:-1]  # keep 万/亿 as a scale word: 三十五万 → 35万
    value = chinese_number(run)
    return None if value is None else arabic(value) + scale


def normalize_numerals(text: str) -> str:
    """The text with full-width digits folded, 百分之X → X%, and Chinese numbers in Arabic digits."""
    text = fold_width(text)
    text = _PERCENT.sub(lambda m: _percent(m), text)
    masked = _NOT_NUMBERS.sub(lambda m: "\u0000" * len(m.group()), text)
    out, last = [], 0
    for match in _RUN.finditer(masked):
        replaced = _replace_run(masked, match)
        if replaced is not None:
            out.append(text[last : match.start()])
            out.append(replaced)
            last = match.end()
    out.append(text[last:])
    return "".join(out)


def _percent(match: re.Match[str]) -> str:
    amount = match.group(2)
    value = float(amount) if re.fullmatch(r"\d+(?:\.\d+)?", amount) else chinese_number(amount)
    if value is None:
        return match.group()
    return arabic(value) + ("%" if match.group(1) == "百" else "‰")


_ENGLISH_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_ENGLISH_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_UNIT_WORD = "(?:" + "|".join(sorted(_ENGLISH_UNITS, key=len, reverse=True)) + ")"
_ANY_WORD = "(?:" + "|".join(sorted([*_ENGLISH_UNITS, *_ENGLISH_SCALES], key=len, reverse=True)) + ")"
# A run of number words that starts with a number (not "million" alone: "1.55 million" stays).
ENGLISH_NUMBER_WORDS = re.compile(rf"\b{_UNIT_WORD}(?:[\s-]+(?:and[\s-]+)?{_ANY_WORD})*\b", re.IGNORECASE)


def english_number(words: str) -> float | None:
    """one hundred and fifty → 150, twenty-one → 21, two thousand → 2000; None when not a number."""
    total, current = 0, 0
    seen = False
    for word in re.split(r"[\s-]+", words.lower().strip()):
        if word in ("", "and"):
            continue
        if word in _ENGLISH_UNITS:
            current += _ENGLISH_UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _ENGLISH_SCALES:
            total += max(current, 1) * _ENGLISH_SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None
