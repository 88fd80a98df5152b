"""The glossary: workers' everyday words and English terms → the wording documents use.

Workers say 老板 and 被开除; laws say 用人单位 and 解除劳动合同. The offline embedder cannot bridge
that gap, so retrieval also searches for the documents' terms (app/search/expansion.py). The
tables are hand-written data files, never tuned to a test question:

- app/data/glossary/lay_to_policy.tsv: everyday Chinese → policy and legal wording;
- app/data/glossary/english_to_chinese.tsv: English → Chinese, so an English question can match
  Chinese documents offline;
- app/data/glossary/whole_words.txt: words the segmenter keeps whole;
- app/data/provinces.txt: China's provinces, municipalities and regions.

File order is kept: evidence rules and expansion read the tables in order, and `domain_words`
(the segmenter's dictionary) is part of every index's tokens fingerprint.
"""

from __future__ import annotations

import re

from app.datafiles import read_list, read_table

# Everyday Chinese → policy and legal wording (simplified; matching is on simplified text).
LAY_TO_POLICY: dict[str, tuple[str, ...]] = read_table("glossary/lay_to_policy.tsv")
# English → Chinese terms; a question word ("how") maps to no terms.
ENGLISH_TO_CHINESE: dict[str, tuple[str, ...]] = read_table("glossary/english_to_chinese.tsv")
# Kinds of leave and pay workers ask about, kept whole by the segmenter: split, 陪产假 becomes
# 陪/产假 and matches the 98-day maternity leave, which is a different thing.
WHOLE_WORDS: tuple[str, ...] = read_list("glossary/whole_words.txt")


def domain_words() -> list[str]:
    """The Chinese words of the tables, for the segmenter's dictionary."""
    words = set(LAY_TO_POLICY) | set(WHOLE_WORDS)
    for terms in (*LAY_TO_POLICY.values(), *ENGLISH_TO_CHINESE.values()):
        words.update(terms)
    return sorted(w for w in words if len(w) >= 2 and not w.isascii())


# China's provinces, municipalities and regions: full names (for metadata) and short names (北京,
# 内蒙古, 新疆: what people write).
PROVINCE_NAMES: tuple[str, ...] = read_list("provinces.txt")
_PROVINCE_SUFFIX = re.compile(r"(壮族|回族|维吾尔)?(自治区|特别行政区)$|[省市]$")
SHORT_PROVINCE = {_PROVINCE_SUFFIX.sub("", name): name for name in PROVINCE_NAMES}
PROVINCES = list(SHORT_PROVINCE)
