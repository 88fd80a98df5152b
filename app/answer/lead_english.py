"""The direct answer's figure in English: 最长不得超过六个月 → "At most 6 months".

An English question is answered with Chinese quotes under an English lead-in, so its short first
line can only be the figure, rendered word for word from the cited clause: one number, its unit
(天/日 days, 周 weeks, 个月/月 months, 年 years, 小时 hours, 百分之N or N%), and the bound before it
(不得超过, 最长 → at most; 不少于, 不低于, 至少 → at least). A clause with a condition (…的，), with
more than one figure, or with a unit or bound not listed gets no English line: the quote says it.
"""

from __future__ import annotations

import re

from app.generate.numerals import chinese_number

_NUMBER = r"[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万]+"
_FIGURE = re.compile(
    rf"(?:(?P<pct>百分之)(?P<p>{_NUMBER})|(?P<n>{_NUMBER})\s*(?P<unit>个月|小时|%|天|日|周|月|年))"
)
_UNITS = {
    "天": "day",
    "日": "day",
    "周": "week",
    "个月": "month",
    "月": "month",
    "年": "year",
    "小时": "hour",
}
_BOUNDS = (
    ("最长不得超过", "at most"),
    ("不得超过", "at most"),
    ("不超过", "at most"),
    ("最长", "at most"),
    ("最多", "at most"),
    ("不少于", "at least"),
    ("不低于", "at least"),
    ("至少", "at least"),
)
_CONDITION = re.compile(r"的[，,]|[，,].*[，,]")


def english_figure(lead: str) -> str:
    """The Chinese figure lead in English, or "" (see the module)."""
    if _CONDITION.search(lead):
        return ""
    figures = list(_FIGURE.finditer(lead))
    if len(figures) != 1:
        return ""
    figure = figures[0]
    digits = figure.group("p") or figure.group("n")
    number = float(digits) if digits[0].isdigit() else chinese_number(digits)
    if number is None:
        return ""
    shown = f"{number:g}"
    if figure.group("pct") or figure.group("unit") == "%":
        text = f"{shown}%"
    else:
        unit = _UNITS[figure.group("unit")]
        text = f"{shown} {unit}{'' if number == 1 else 's'}"
    before = lead[: figure.start()]
    bound = next((english for chinese, english in _BOUNDS if before.endswith(chinese)), "")
    text = f"{bound} {text}" if bound else text
    return text[0].upper() + text[1:]
