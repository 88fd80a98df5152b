"""Regex pieces the evidence rules share: clauses, years, numbers, counts, sums and times.

The answer types (app/data/answer_types.yaml) use the pieces by name: {number}, {count}, {money},
{units}, {figure}, {time}.
"""

from __future__ import annotations

import re

CLAUSE = re.compile(r"[^，,：:]+[，,：:]?")
YEAR = r"(?:19|20)\d{2}"
DASHES = r"—–\-~～"  # in a span of years: 2013—2021年, 2021-2022赛季
# "比2021年下降0.75个千分点" compares with another year; it does not date the figure.
DATING_YEAR = re.compile(rf"(?<![比较]){YEAR}(?=\s*年)")

NUMBER = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千万两]+)"
# A count, not an ordinal ("第四十一条") nor an article ("一个中等发达国家", "一条河流"); "一小时" counts.
COUNT = (
    r"(?<![第\d.一二三四五六七八九十百千万两])"
    r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千万两]{2,}|[二三四五六七八九十百千万两]"
    r"|一(?!\s*(?:个|名|条|家|项|种|位|批|所|座|部|件|套|只|台|辆|架|本|篇|户|株|头)))"
)
MONEY = rf"{COUNT}\s*(?:万|亿)?\s*(?:美|欧|日|港|英|韩|澳)?元|{COUNT}\s*(?:万|亿)?\s*(?:英镑|卢布)"
UNITS = (
    r"名|人次|人|个|家|项|届|所|批|枚|金|银|铜|类|种|条|元|倍|%|‰|次|小时|岁|周|个月"
    r"|座|辆|台|架|部|席|位|只|套|件|吨|斤|公斤|户|篇|本|株|头"
)
# A figure with a unit or a scale: "1600万人次", "30.8万", "2.6%" (no bare years or dates).
FIGURE = rf"(?:{MONEY}|{COUNT}\s*(?:万|亿)?\s*(?:{UNITS})|\d+(?:\.\d+)?\s*(?:万|亿))"
# A time: a year, a month or a day ("将于10月开幕", "十月一日"); in a statute, the event that
# starts or ends a period ("劳动合同期满", "自...之日起"), which is how a law answers 何时.
TIME = (
    r"\d{4}\s*年|\d{4}[-/.]\d{1,2}|(?<!\d)\d{1,2}\s*月|[一二三四五六七八九十]+月[一二三四五六七八九十]+[日号]"
    r"|之日|之时|期满|届满|[日时]起|起算"
)
PIECES = {"number": NUMBER, "count": COUNT, "money": MONEY, "units": UNITS, "figure": FIGURE, "time": TIME}

NUMERAL = r"[\d一二三四五六七八九十百]+"
# "具体时间尚未确定", "没有公布访问行程": the sentence says the fact is not known yet.
NOT_YET_KNOWN = re.compile(
    r"(?:尚未|还未|暂未|没有|未)(?:完全|正式)?(?:确定|公布|宣布|敲定|明确)|待定|尚不清楚|尚不明确"
)
# A day: "5月30日", "2023年3月", "2023-03-04", "十月一日".
STATES_DAY = re.compile(
    r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}年\d{1,2}月|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|[一二三四五六七八九十]+月[一二三四五六七八九十]+[日号]"
)


def bare(question: str) -> str:
    """The question without its closing punctuation and particles (？, 呢, 啊)."""
    return re.sub(r"[\s？?。!！呢啊]+$", "", question)


def is_chinese(question: str) -> bool:
    """Whether a question has more Chinese characters than Latin letters."""
    return len(re.findall(r"[\u4e00-\u9fff]", question)) > len(re.findall(r"[A-Za-z]", question))
