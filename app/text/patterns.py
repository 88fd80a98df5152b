"""Regular-expression pieces shared across stages: numerals, years, article numbers.

Pieces are pattern strings, not compiled patterns, so each user anchors and groups them as it
needs (a title ends with its article number; a law's line starts with one).
"""

from __future__ import annotations

# Chinese numerals as they appear in headings and article numbers: 第二十三条, 一、, (四), 专栏三.
CHINESE_NUMERALS = "一二三四五六七八九十百千零〇两"
# A numbered item of a law's article: （一）, (二), 三、
NUMBERED_ITEM = rf"(?:[(（][{CHINESE_NUMERALS}]+[)）]|[{CHINESE_NUMERALS}]+、)"
# A number in Chinese or Arabic numerals: 二十三, 23.
NUMBER = rf"[{CHINESE_NUMERALS}\d]+"
# A law's article number, traditional or simplified: 第八十二条, 第12條, 第十条之一.
ARTICLE_NUMBER = rf"第{NUMBER}[条條](?:之[{CHINESE_NUMERALS}]+)?"
# A year: 2035, 2035年.
YEAR = r"\d{4}年?"
