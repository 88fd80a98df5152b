"""The extractive answerer: cited sentences from retrieved passages, or a plain refusal.

Every sentence of an answer is copied from a passage and marked [n] with that passage's number;
the only words added are short connecting phrases. Whether to answer at all is an evidence test,
not "did retrieval return something" (BM25 always does):

- coverage: the share of the question's key terms (IDF-weighted, with their glossary synonyms)
  found in the best passage must reach COVERAGE_MIN;
- answer type: a question asking for an amount of money, a number of days, a share, a year...
  needs a sentence that states one, near the question's terms.

The thresholds are calibrated on the development set (eval/questions.jsonl), see `gongyou eval`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from app.glossary import ENGLISH_TO_CHINESE, LAY_TO_POLICY, domain_words
from app.lexical import STOPWORDS, BM25Index, content_words, tokenize
from app.models import Answer, Citation, Hit
from app.textnorm import match_form, to_script

COVERAGE_MIN = 0.3  # calibrated on eval/questions.jsonl: see README (refusal vs false refusal)
UNKNOWN_WEIGHT = 2.5
FIGURE_CLAUSE_MIN = 0.25
LEAD_IN_CHARS = 6
RANK_PRIOR = 0.15  # how much a passage's retrieval rank counts when picking sentences
MAX_SENTENCES = 3
MAX_SENTENCE_CHARS = 140
HOTLINE = "12351"

REFUSAL = {
    "zh-Hans": (
        "抱歉，现有文件中没有找到能回答这个问题的内容，我不能凭空作答。"
        "本系统收录的文件主要涉及产业工人队伍建设改革：职业技能培训、技工教育、技能评价、工资待遇与权益保障等。"
        f"具体问题请拨打全国总工会职工服务热线 {HOTLINE} 咨询。"
    ),
    "zh-Hant": (
        "抱歉，現有文件中沒有找到能回答這個問題的內容，我不能憑空作答。"
        "本系統收錄的文件主要涉及產業工人隊伍建設改革：職業技能培訓、技工教育、技能評價、工資待遇與權益保障等。"
        f"具體問題請撥打全國總工會職工服務熱線 {HOTLINE} 諮詢。"
    ),
    "en": (
        "Sorry, the documents I have do not answer this question, and I will not guess. "
        "They cover the reform of the industrial workforce: vocational skills training, technical schools, "
        "skills evaluation, pay and benefits, and workers' rights. "
        f"Please call the national trade union hotline {HOTLINE} for advice."
    ),
}
EN_LEAD = "The documents say (quoted in Chinese): "

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_CLAUSE = re.compile(r"[^，,：:]+[，,：:]?")

# What a question asks for, and what a sentence must contain to answer it. The first match wins.
_NUMBER = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千万两]+)"
_MONEY = rf"{_NUMBER}\s*(?:万|亿)?\s*(?:美|欧|日|港|英|韩|澳)?元|{_NUMBER}\s*(?:万|亿)?\s*(?:英镑|卢布)"
_UNITS = (
    r"名|人次|人|个|家|项|届|所|批|枚|金|银|铜|类|种|条|元|倍|%|‰|次|小时|岁|周|个月"
    r"|座|辆|台|架|部|席|位|只|套|件|吨|斤|公斤|户|篇|本|株|头"
)
# A figure with a unit or a scale: "1600万人次", "30.8万", "2.6%" (no bare years or dates).
_FIGURE = rf"(?:{_MONEY}|{_NUMBER}\s*(?:万|亿)?\s*(?:{_UNITS})|\d+(?:\.\d+)?\s*(?:万|亿))"
ANSWER_TYPES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    ("money", re.compile(r"多少钱|多少元|几元|多少块|how much"
                         r"|(?:津贴|补贴|补助|薪水|费用|缴费)(?:标准)?(?:是|有|为)?多少(?![人名个项场次家])"
                         r"|多少[\u4e00-\u9fff]{0,3}(?:津贴|补贴|补助)(?!性)"
                         r"|(?:营收|收入|利润|营业额|销售额|成交额|投资|市值|融资|估值)(?:额)?(?:是|为|有|达|共)?多少"),
     re.compile(_MONEY)),
    ("date", re.compile(r"哪一天|哪天|几月几[日号]|什么日子|what date|which day"),
     re.compile(r"\d{1,2}月\d{1,2}[日号]|[一二三四五六七八九十]+月[一二三四五六七八九十]+日")),
    ("place", re.compile(r"哪个城市|哪座城市|在哪里|在哪儿|哪个地方|地点|举办地|哪个国家举办"
                         r"|which city|where"),
     re.compile(r"在[\u4e00-\u9fff]{2,6}(?:举办|举行|召开)|[\u4e00-\u9fff]{1,8}(?:市|省|县|区|镇|乡|村|州|岛)")),
    ("days", re.compile(r"几天|多少天|多长时间|多久|how many days|how long"),
     re.compile(rf"{_NUMBER}\s*(?:个)?(?:天|日|周|月|年)")),
    ("length", re.compile(r"多(?:长|高|宽|深|远|重)(?![\u4e00-\u9fff])"
                          r"|(?:长度|高度|面积|距离|里程|海拔)(?:是|为|有)?(?:多少|几|[？?]?\s*$)"),
     re.compile(rf"{_NUMBER}\s*(?:万|亿)?\s*(?:米|公里|千米|公顷|亩|平方|吨|公斤|千克|英尺|英里|km)")),
    ("share", re.compile(r"百分之|比例|占比|比重"
                         r"|(?:率|增速|增幅|涨幅|降幅)(?:是|为|有|达到|达)?(?:多少|几|[？?]?\s*$)"
                         r"|percentage|proportion|share|\brate\b"),
     re.compile(rf"{_NUMBER}\s*[%‰]|百分之|{_NUMBER}成|{_NUMBER}个百分点")),
    ("year", re.compile(r"哪一年|哪年|什么时候|何时|哪一天|[^\d]的?时间(?:是|为)?$|的时间|when|which year"),
     re.compile(r"\d{4}\s*年|\d{1,2}月\d{1,2}日")),
    ("count", re.compile(r"多少|几个|几名|几家|几项|几届|几位|how many|number of"),
     re.compile(rf"{_NUMBER}\s*(?:万|亿)?\s*(?:{_UNITS})|{_MONEY}")),
    # A question that is just a noun phrase ("2022年高考报名人数") asks for the figure it names.
    ("figure", re.compile(r"(?:量|人数|数量|票房|营收|收入|产量|销量|总额|金额|规模|席位|议席|总值|GDP|gdp"
                          r"|价格|股价|利润)[？?]?\s*$"),
     re.compile(_FIGURE)),
]  # fmt: skip
_LIST_QUESTION = re.compile(r"哪些|哪几|有什么|有何|包括|措施|which|what measures|what are")


# Words that shape a question but are no evidence of an answer ("有没有帮我们...的办法").
QUESTION_FILLER = frozenset(
    """几天 多久 多长 几年 几个月 办法 政策 帮 帮助 帮忙 有关 相关 问题 情况 方面 知道 想 想问 了解
    具体 规定 内容 现在 目前 会 要 需要 一般 主要 哪儿 地方 告诉 说 讲 提到 文件 文中 文章 里面 方案
    意见 国家 政府 今年 我国 有人 是不是 算 时候 数量 数目
    tell say said document documents according""".split()
)


YEAR_WEIGHT = 1.5  # about the IDF of a common word: years are frequent in dated documents
SYNONYM_CREDIT = 0.6  # a glossary synonym is weaker evidence than the question's own word


@dataclass
class _TermGroup:
    word: str
    alternatives: tuple[str, ...]  # the word (first) and its synonyms, in the matching form
    weight: float
    unknown: bool = False  # neither the word nor a synonym occurs anywhere in the corpus

    def credit(self, form: str) -> float:
        if self.alternatives[0] in form:
            return 1.0
        return SYNONYM_CREDIT if any(a in form for a in self.alternatives[1:]) else 0.0


def answer_type(question_form: str) -> tuple[str, re.Pattern[str]] | None:
    for name, asks, states in ANSWER_TYPES:
        if asks.search(question_form):
            return name, states
    return None


def key_terms(
    question: str, bm25: BM25Index, occurs: Callable[[str], bool] | None = None
) -> list[_TermGroup]:
    """The question's content words with synonyms, weighted by how rare they are in the corpus."""
    words = content_words(question)
    groups: list[_TermGroup] = []
    english = re.findall(r"[a-z]+|\d{4}", question.lower())
    seen: set[str] = set()
    for word in words:
        if word in seen or word in STOPWORDS or word in QUESTION_FILLER:
            continue
        seen.add(word)
        alternatives = (word, *LAY_TO_POLICY.get(word, ()))
        if re.fullmatch(r"(?:19|20)\d{2}", word):
            # A year is a term like any other ("2022春运"), not an English word we cannot map.
            unknown = occurs is not None and not occurs(word)
            groups.append(_TermGroup(word, (word,), UNKNOWN_WEIGHT if unknown else YEAR_WEIGHT, unknown))
            continue
        if word in english:
            translated = ENGLISH_TO_CHINESE.get(word)
            if translated == ():
                continue  # "how", "many": question words
            if translated is None:
                # An English word we cannot map: weak evidence that the question is off-topic.
                if len(word) >= 4:
                    groups.append(_TermGroup(word, (word,), UNKNOWN_WEIGHT * 0.4, unknown=True))
                continue
            alternatives = tuple(match_form(t) for t in translated)
        forms = [match_form(a) for a in alternatives]
        weights = [bm25.idf(t) for a in alternatives for t in (match_form(a), *tokenize(a))]
        unknown = not any(map(occurs, forms)) if occurs else max(weights) == 0
        # A noun the corpus never uses (加班费, 试用期) is strong evidence against an answer;
        # an everyday verb it never uses (上班, 打算) is weak evidence.
        weight = UNKNOWN_WEIGHT * _unknown_factor(word) if unknown else max(weights)
        groups.append(_TermGroup(word, tuple(match_form(a) for a in alternatives), weight, unknown))
    return groups


_NOUN_POS = ("n", "j", "vn", "eng", "x")  # nouns, abbreviations (社保), verbal nouns, foreign words


@lru_cache(maxsize=1)
def _labour_topics() -> frozenset[str]:
    return frozenset(domain_words()) | frozenset(ENGLISH_TO_CHINESE)


def _unknown_factor(word: str) -> float:
    """How much a word the corpus never uses counts: nouns fully, verbs a little, the rest barely."""
    if word.isascii():
        return 1.0
    if len(word) < 2:
        return 0.1
    from app.lexical import _jieba

    _jieba()
    import jieba.posseg

    tags = [pair.flag for pair in jieba.posseg.lcut(word)]
    if tags and tags[-1].startswith(_NOUN_POS):
        return 1.0
    return 0.3 if any(t.startswith("v") for t in tags) else 0.1


def coverage(groups: list[_TermGroup], form: str) -> float:
    total = sum(g.weight for g in groups)
    if total == 0:
        return 0.0
    return sum(g.weight * g.credit(form) for g in groups) / total


def _contradicted_years(sentence: str, question: str, states: re.Pattern[str] | None) -> list[str]:
    """Years the question names that the figure's clause contradicts ("2020年吞吐量" for 2021)."""
    asked = set(re.findall(r"(?:19|20)\d{2}", question))
    if not asked or states is None:
        return []
    clauses = _CLAUSE.findall(sentence)
    for i, clause in enumerate(clauses):
        if states.search(match_form(clause)):
            window = "".join(clauses[max(0, i - 1) : i + 1])
            # "比2021年下降0.75个千分点" compares with another year; it does not date the figure.
            years = set(re.findall(r"(?<![比较])(?:19|20)\d{2}(?=\s*年)", window))
            if years and not years & asked:
                return sorted(asked)
    return []


def _figure_relevance(sentence: str, groups: list[_TermGroup], states: re.Pattern[str]) -> float:
    """Coverage of the clause that states the figure (with its neighbours): 2.5亿元 next to
    送温暖资金 does not answer a question about 医疗互助 fees, though both are in one sentence."""
    clauses = [match_form(c) for c in _CLAUSE.findall(sentence)]
    best = 0.0
    for i, clause in enumerate(clauses):
        if states.search(clause):
            # A clause that is little more than the figure ("当地时间9月8日，") leads into its subject.
            lead_in = len(re.findall(r"[\u4e00-\u9fff]", states.sub("", clause))) <= LEAD_IN_CHARS
            window = clauses[max(0, i - 1) : i + (2 if lead_in else 1)]
            best = max(best, coverage(groups, "".join(window)))
    return best


def _sentences(text: str) -> list[str]:
    """The statements of a text: a question ("今年春运什么时候开始？") answers nothing."""
    found = (s.strip() for s in _SENTENCE.findall(text))
    return [s for s in found if len(s) >= 4 and not re.search(r"[？?]$|吗$", s)]


def _trim(sentence: str, groups: list[_TermGroup], states: re.Pattern[str] | None) -> str:
    """A long sentence cut to its best run of clauses, keeping a leading "到2025年," clause."""
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    clauses = _CLAUSE.findall(sentence)
    best, best_score = sentence[:MAX_SENTENCE_CHARS], -1.0
    for i in range(len(clauses)):
        window = ""
        for j in range(i, len(clauses)):
            if len(window) + len(clauses[j]) > MAX_SENTENCE_CHARS and window:
                break
            window += clauses[j]
            form = match_form(window)
            score = coverage(groups, form) + (0.5 if states is not None and states.search(form) else 0)
            if score > best_score:
                best, best_score = window, score
    lead = clauses[0] if clauses else ""
    if (
        not sentence.startswith(best)
        and re.match(r"^(?:力争)?(?:到|至|截至)?\d{4}年", lead)
        and len(lead) < 20
    ):
        best = lead + "……" + best
    best = best.rstrip("，,：:")
    if not re.search(r"[。！？；!?;]$", best):
        best += "……"
    return best


@dataclass
class _Candidate:
    hit_index: int
    sentence: str
    score: float
    cover: float


def compose_answer(
    question: str,
    hits: list[Hit],
    bm25: BM25Index,
    language: str,
    occurs: Callable[[str], bool] | None = None,
) -> Answer:
    """Pick the answering sentences of the hits, or refuse; see the module docstring.

    `occurs(term)` tells whether a term (matching form) appears anywhere in the corpus.
    """
    if not hits:
        return _refusal(question, language, "no passage matched")
    groups = key_terms(question, bm25, occurs)
    if not groups:
        return _refusal(question, language, "the question has no content words to look for")
    # A labour topic the question names (加班费, 工伤, 年假) that the documents never mention.
    missing_topics = [g.word for g in groups if g.unknown and g.word in _labour_topics()]
    if missing_topics:
        return _refusal(question, language, f"the documents never mention {', '.join(missing_topics)}")
    question_form = match_form(question) + " " + question.lower()
    wanted = answer_type(question_form)
    states = wanted[1] if wanted else None

    best_passage_cover = max(
        coverage(groups, match_form(f"{h.meta.title}{h.chunk.heading}{h.chunk.text}")) for h in hits[:3]
    )
    if best_passage_cover < COVERAGE_MIN:
        return _refusal(question, language, f"key terms covered {best_passage_cover:.2f} < {COVERAGE_MIN}")

    candidates: list[_Candidate] = []
    for i, hit in enumerate(hits):
        context = match_form(f"{hit.meta.title}{hit.chunk.heading}")
        for sentence in _sentences(hit.chunk.text):
            form = match_form(sentence)
            cover = coverage(groups, form)
            context_cover = coverage(groups, form + context)
            # What a sentence says includes its document's title and section (云南省…规划 › 专栏三).
            score = context_cover + 0.3 * cover + RANK_PRIOR / (1 + i)
            if states is not None and states.search(form):
                score += 0.4
            if _LIST_QUESTION.search(question_form) and sentence.count("、") + sentence.count("；") >= 2:
                score += 0.15
            candidates.append(_Candidate(i, sentence, score, context_cover))
    if not candidates:
        return _refusal(question, language, "the passages hold no whole sentence")
    candidates.sort(key=lambda c: -c.score)
    best = candidates[0]
    if best.cover < COVERAGE_MIN:
        return _refusal(question, language, f"best sentence covers {best.cover:.2f} < {COVERAGE_MIN}")
    if states is not None and not states.search(match_form(best.sentence)):
        return _refusal(question, language, f"no sentence states the {wanted[0] if wanted else ''} asked for")
    if _contradicted_years(best.sentence, question, states):
        return _refusal(question, language, "the figure found is for another year")
    if states is not None and _figure_relevance(best.sentence, groups, states) < FIGURE_CLAUSE_MIN:
        return _refusal(
            question, language, f"the {wanted[0] if wanted else ''} stated is about something else"
        )
    best_hit = hits[best.hit_index]
    # A year in the question must be the answer's: in its passage, section, or the document's date.
    best_context = match_form(
        best_hit.chunk.text
        + best_hit.meta.title
        + best_hit.chunk.heading
        + (best_hit.meta.date or "")
        + str(best_hit.meta.extra.get("published") or "")
    )
    asked_years = re.findall(r"(?:19|20)\d{2}", question)
    missing_years = [y for y in asked_years if y not in best_context]
    # A sentence dated to other years only ("2022年粮食产量..." for 2021) is about another year.
    sentence_years = set(re.findall(r"(?<![比较])(?:19|20)\d{2}(?=\s*年)", best.sentence))
    if sentence_years and not sentence_years & set(asked_years):
        missing_years = asked_years
    if missing_years:
        return _refusal(question, language, f"the answer does not concern {', '.join(missing_years)}")

    chosen = [best]
    for cand in candidates[1:]:
        if len(chosen) >= MAX_SENTENCES or cand.score < 0.8 * best.score:
            break
        # A second sentence must be as much about the question as the first (same region, same topic).
        if cand.cover >= best.cover - 1e-9 and all(cand.sentence != c.sentence for c in chosen):
            chosen.append(cand)
    return _cite(question, hits, chosen, groups, states, language)


def _cite(
    question: str,
    hits: list[Hit],
    chosen: list[_Candidate],
    groups: list[_TermGroup],
    states: re.Pattern[str] | None,
    language: str,
) -> Answer:
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for cand in sorted(chosen, key=lambda c: (c.hit_index, hits[c.hit_index].chunk.text.find(c.sentence))):
        if cand.hit_index not in numbers:
            numbers[cand.hit_index] = len(numbers) + 1
            citations.append(Citation(numbers[cand.hit_index], hits[cand.hit_index]))
        citation = citations[numbers[cand.hit_index] - 1]
        citation.sentences.append(cand.sentence)
        shown = _trim(cand.sentence, groups, states)
        script = "traditional" if language == "zh-Hant" else "simplified"
        parts.append(f"{to_script(shown, script)}[{numbers[cand.hit_index]}]")
    text = "".join(parts)
    if language == "en":
        text = EN_LEAD + text
    return Answer(question, text, refused=False, citations=citations, reason="extractive")


def _refusal(question: str, language: str, reason: str) -> Answer:
    return Answer(
        question, REFUSAL.get(language, REFUSAL["zh-Hans"]), refused=True, citations=[], reason=reason
    )
