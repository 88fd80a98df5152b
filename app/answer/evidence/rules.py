"""Whether a passage's sentence answers a question: the evidence tests behind every refusal.

- key terms: the question's content words with their glossary synonyms, weighted by rarity
  (IDF); `coverage` is the weighted share of them a text holds;
- answer type: a question asking for an amount, a date, a length, a share, a name... needs a
  sentence that states one, in the clause that is about the question;
- identity: the year, the identifiers (1500米, U14) and, for "X的Y是谁", the role Y that the
  question names must be the answer's;
- factoid questions (short, asking for one fact): the noun asked about, a name beside a role
  (主演, 冠军), a day for a 时间 question, and the entities named (全英, 《炽道》) in the passage.

`objection()` runs the tests on the sentence the answerer picked and says why it does not
answer, or None. The thresholds are calibrated on the development set and the benchmarks'
training splits, including RGB training questions with their answers withheld
(scripts/rgb_withheld.py; README, "Evaluating it").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from app.index.bm25 import BM25Index
from app.models import Hit
from app.settings import current
from app.text.glossary import ENGLISH_TO_CHINESE, LAY_TO_POLICY, PROVINCES, domain_words
from app.text.normalize import match_form, to_script
from app.text.segment import STOPWORDS, content_words, pos_tags, tokenize

CLAUSE = re.compile(r"[^，,：:]+[，,：:]?")
_YEAR = r"(?:19|20)\d{2}"
_DASHES = r"—–\-~～"  # in a span of years: 2013—2021年, 2021-2022赛季
# "比2021年下降0.75个千分点" compares with another year; it does not date the figure.
_DATING_YEAR = re.compile(rf"(?<![比较]){_YEAR}(?=\s*年)")

# What a question asks for, and what a sentence must contain to answer it. The first match wins.
_NUMBER = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千万两]+)"
# A count, not an ordinal ("第四十一条") nor an article ("一个中等发达国家", "一条河流"); "一小时" counts.
_COUNT = (
    r"(?<![第\d.一二三四五六七八九十百千万两])"
    r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千万两]{2,}|[二三四五六七八九十百千万两]"
    r"|一(?!\s*(?:个|名|条|家|项|种|位|批|所|座|部|件|套|只|台|辆|架|本|篇|户|株|头)))"
)
_MONEY = rf"{_COUNT}\s*(?:万|亿)?\s*(?:美|欧|日|港|英|韩|澳)?元|{_COUNT}\s*(?:万|亿)?\s*(?:英镑|卢布)"
_UNITS = (
    r"名|人次|人|个|家|项|届|所|批|枚|金|银|铜|类|种|条|元|倍|%|‰|次|小时|岁|周|个月"
    r"|座|辆|台|架|部|席|位|只|套|件|吨|斤|公斤|户|篇|本|株|头"
)
# A figure with a unit or a scale: "1600万人次", "30.8万", "2.6%" (no bare years or dates).
_FIGURE = rf"(?:{_MONEY}|{_COUNT}\s*(?:万|亿)?\s*(?:{_UNITS})|\d+(?:\.\d+)?\s*(?:万|亿))"
# A time: a year, a month or a day ("将于10月开幕", "十月一日"); in a statute, the event that
# starts or ends a period ("劳动合同期满", "自...之日起"), which is how a law answers 何时.
_TIME = (
    r"\d{4}\s*年|\d{4}[-/.]\d{1,2}|(?<!\d)\d{1,2}\s*月|[一二三四五六七八九十]+月[一二三四五六七八九十]+[日号]"
    r"|之日|之时|期满|届满|[日时]起|起算"
)
ANSWER_TYPES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    # Pay a law sets relative to wages: "百分之一百五十的工资报酬", "二倍的工资", "N个月工资".
    ("pay", re.compile(r"(?:工资|加班费|报酬|经济补偿|补偿金|赔偿金)[\u4e00-\u9fff]{0,4}?(?:是|有|为|给|发)?"
                       r"(?:多少|几倍|怎么算|如何计算|按什么标准)"
                       # what an employer must pay out: "能赔多少", "公司要给多少钱"
                       r"|(?:赔|赔偿|补偿|给|发|付)多少(?:钱)?(?![人名个项场次家天])"),
     re.compile(rf"{_MONEY}|百分之[一二三四五六七八九十百]+|\d+(?:\.\d+)?\s*%|{_NUMBER}\s*倍|{_NUMBER}\s*个月")),
    ("money", re.compile(r"多少钱|多少元|几元|多少块|how much"
                         r"|(?:津贴|补贴|补助|薪水|费用|缴费)(?:标准)?(?:是|有|为)?多少(?![人名个项场次家])"
                         r"|多少[\u4e00-\u9fff]{0,3}(?:津贴|补贴|补助)(?!性)"
                         r"|(?:营收|收入|利润|营业额|销售额|成交额|投资|市值|融资|估值)(?:额)?(?:是|为|有|达|共)?多少"),
     re.compile(_MONEY)),
    ("date", re.compile(r"哪一天|哪天|几月几[日号]|什么日子|what date|which day"),
     re.compile(r"\d{1,2}月\d{1,2}[日号]|[一二三四五六七八九十]+月[一二三四五六七八九十]+日")),
    ("place", re.compile(r"哪个城市|哪座城市|在哪(?![些个一])|哪里|哪个地方|地点|举办地|举行地|哪个国家举办"
                         r"|which city|where"),
     re.compile(r"在[\u4e00-\u9fff]{2,6}(?:举办|举行|召开)|[\u4e00-\u9fff]{1,8}(?:市|省|县|区|镇|乡|村|州|岛)")),
    ("days", re.compile(r"几天|多少天|多少年|几年|多长时间|多久|how many days|how many years|how long"),
     re.compile(rf"{_NUMBER}\s*(?:个)?(?:天|日|周|月|年)")),
    ("length", re.compile(r"多(?:长|高|宽|深|远|重)(?![\u4e00-\u9fff])"
                          r"|(?:长度|高度|面积|距离|里程|海拔)(?:是|为|有)?(?:多少|几|[？?]?\s*$)"),
     re.compile(rf"{_NUMBER}\s*(?:万|亿)?\s*(?:米|公里|千米|公顷|亩|平方|吨|公斤|千克|英尺|英里|km)")),
    ("share", re.compile(r"百分之|比例|占比|比重"
                         r"|(?:率|增速|增幅|涨幅|降幅)(?:是|为|有|达到|达)?(?:多少|几|[？?]?\s*$)"
                         r"|percentage|proportion|share|\brate\b"),
     re.compile(rf"{_NUMBER}\s*[%‰]|百分之|{_NUMBER}成|{_NUMBER}个百分点")),
    ("year", re.compile(r"哪一年|哪年|什么时候|何时|哪一天|[^\d]的?时间(?:是|为)?$|的时间|when|which year"),
     re.compile(_TIME)),
    ("ordinal", re.compile(r"第几|第多少"), re.compile(rf"第\s*{_NUMBER}")),
    ("count", re.compile(r"多少|几个|几名|几家|几项|几届|几位|how many|number of"),
     re.compile(rf"{_COUNT}\s*(?:万|亿)?\s*(?:{_UNITS})|{_MONEY}")),
    # A question that is just a noun phrase ("2022年高考报名人数") asks for the figure it names.
    ("figure", re.compile(r"(?:量|人数|数量|票房|营收|收入|产量|销量|总额|金额|规模|席位|议席|总值|GDP|gdp"
                          r"|价格|股价|利润)[？?]?\s*$"),
     re.compile(_FIGURE)),
]  # fmt: skip


# Words that shape a question but are no evidence of an answer ("有没有帮我们...的办法").
QUESTION_FILLER = frozenset(
    """几天 多久 多长 几年 几个月 办法 政策 帮 帮助 帮忙 有关 相关 问题 情况 方面 知道 想 想问 了解
    具体 规定 内容 现在 目前 会 要 需要 一般 主要 哪儿 地方 告诉 说 讲 提到 文件 文中 文章 里面 方案
    意见 国家 政府 今年 我国 有人 是不是 算 时候 数量 数目 才能
    tell say said document documents according""".split()
)


@dataclass
class TermGroup:
    word: str
    alternatives: tuple[str, ...]  # the word (first) and its synonyms, in the matching form
    weight: float
    unknown: bool = False  # neither the word nor a synonym occurs anywhere in the corpus

    def credit(self, form: str) -> float:
        if self.alternatives[0] in form:
            return 1.0
        return current().synonym_credit if any(a in form for a in self.alternatives[1:]) else 0.0


def answer_type(question_form: str) -> tuple[str, re.Pattern[str]] | None:
    for name, asks, states in ANSWER_TYPES:
        if asks.search(question_form):
            return name, states
    return None


_AMOUNTS = frozenset({"pay", "money", "share", "count", "figure"})
# "死亡人数", "招录多少人", "运动员数量": a count of people, stated as "10人", "3.71万名", "44位"
# (or "10.51亿"), not "四届" or "一条".
_COUNTS_PEOPLE = re.compile(
    r"人数|多少人|几人|多少名|几名|多少位|几位|(?:员|者|手|生|民|工|师|客|人)的?(?:数量|总数|规模)"
)
_PEOPLE_FIGURE = re.compile(r"(?:人次|人|名|位|万|亿)$")
_ASKED = re.compile(r"(?:是谁|谁是|有谁|叫什么)$")


def _bare(question: str) -> str:
    return re.sub(r"[\s？?。!！呢啊]+$", "", question)


def _chinese(question: str) -> bool:
    return len(re.findall(r"[\u4e00-\u9fff]", question)) > len(re.findall(r"[A-Za-z]", question))


def asked_attribute(question: str) -> str | None:
    """The role a who-question asks about: 导演 in "《重生之门》的导演是谁", 火炬手 in "谁是…火炬手".

    A passage about the film that never names its director does not say who directed it.
    "X的Y是什么" is left alone: legal questions ask "…的条件是什么" of articles that state the
    conditions without the word.
    """
    text = _bare(question)
    if match := _ASKED.search(text):
        text = text[: match.start()]
    elif text.startswith("谁是"):
        text = text[2:]
    else:
        return None
    words = [
        w
        for w in content_words(text)
        if w not in STOPWORDS and w not in QUESTION_FILLER and not re.fullmatch(r"[\d年月日]+", w)
    ]
    return match_form(words[-1]) if words else None


def identifiers(question: str) -> list[str]:
    """Numbers that name what is asked about: 1500米 (not 500米), U14, MU5735, 19号线, 第28届."""
    found = re.findall(
        r"(?<![A-Za-z\d])[A-Za-z]*\d+(?:\.\d+)?(?:[A-Za-z]+\d*|米|公里|号线|号|届|期|强|岁|级)?",
        to_script(question, "simplified").lower(),
    )
    found = [f for f in found if not re.fullmatch(_YEAR, f) and not f.isdigit()]
    # Periods and ordinals: 8月, 上半年, 一季度, 第七届, 十三届五次, 首届.
    found += re.findall(
        r"(?<!\d)\d{1,2}月(?!\d{1,2}[日号])|[上下]半年|前?[一二三四]季度|首届|第[一二三四五六七八九十百]+[届任次期批艘轮]"
        r"|[一二三四五六七八九十百]+届|[一二三四五六七八九十]+次(?=会议|全会|全体会议)",
        to_script(question, "simplified"),
    )
    return found


_NUMERAL = r"[\d一二三四五六七八九十百]+"
_ID_UNIT = re.compile(rf"^(第?){_NUMERAL}(米|公里|号线|号|届|期|强|岁|级|次|任|批|轮)$")


def other_identifier(question: str, form: str) -> str | None:
    """Another number of the same kind in the sentence (form), and not the question's: 1000米 for
    500米, 十三届一次 for 十三届五次."""
    for asked in identifiers(question):
        if not (kind := _ID_UNIT.match(asked)):
            continue
        prefix, unit = kind.groups()
        stated = re.findall(rf"(?<![\d一二三四五六七八九十百]){prefix}{_NUMERAL}{unit}", form)
        if stated and asked not in stated:
            return stated[0]
    return None


def asks_who(question: str) -> bool:
    """Whether the question asks for a name ("X是谁", "谁是X", "谁枪击了X", "X谁演的"), not a role
    ("由谁认定", "谁承担责任")."""
    text = question.strip()
    if re.search(
        r"(?:是谁|有谁)[\s？?。呢]*$|^谁是|谁(?:演|导|唱|写|拍|执导|主演|饰演)的[\s？?。呢]*$", text
    ):
        return True
    return (
        text.startswith("谁") and is_factoid(text) and not re.search(r"责任|负责|承担|认定|审批|批准", text)
    )


# "梁冠华在《相逢时节》中演的谁" asks for the character played, not for an actor (导演是谁 does).
_ASKS_CHARACTER = re.compile(
    r"(?:饰演|扮演|(?<![导主表出])演)的?是?(?:谁|哪个角色|什么角色|哪个人物)[\s？?。呢]*$"
    r"|(?<![导主表出])演的?(?:哪个|什么)角色"
)
_STATES_CHARACTER = re.compile(r"饰|扮演|角色|演的是|出演|化身|一角")
# jieba tags some time words as names ("今天上午").
_TIME_WORD = re.compile(r"今天|昨天|明天|上午|下午|晚上|凌晨|今年|去年|明年")
# Common surnames: jieba tags some people as places ("吴京/ns"). A place name rarely starts with
# one and ends without a place suffix (唐山 and 徐州 do end with one).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连麦褚娄窦戚岑景党"
    "宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝"
)
_PLACE_SUFFIX = re.compile(r"[市省县区州山江河湖岛港城镇村乡路街海]$")


def _person_like(word: str) -> bool:
    return 2 <= len(word) <= 3 and word[0] in _SURNAMES and not _PLACE_SUFFIX.search(word)


def names(sentence: str, question: str, people_only: bool = False) -> list[str]:
    """Proper names (people, or also places and organisations) in a sentence that the question
    does not hold. A word inside a 《title》 or “quotes” is part of a title or a nickname:
    "全宇宙" in 《瞬息全宇宙》 and "铁三角" name nobody; "吴京/ns" is a person."""
    form = match_form(sentence)
    asked = match_form(question)
    quoted = re.findall(r"《[^》]*》|“[^”]*”", form)
    kinds = ("nr",) if people_only else ("nr", "ns", "nt", "nz")
    return [
        word
        for word, tag in pos_tags(form)
        if (tag.startswith(kinds) or "·" in word or (tag.startswith("ns") and _person_like(word)))
        and word not in asked
        and not _TIME_WORD.search(word)
        and not any(word in q for q in quoted)
    ]


# A short question asking for one fact ("2023年温网男单冠军", "《炽道》的主演"), not a yes/no,
# how or why question, nor a worker's or a litigant's description of their situation.
_NOT_FACTOID = re.compile(
    r"吗$|(?<![什怎那这])么$|是否|能否|可否|可以|能不能|有没有|会不会|是不是|算不算|要不要|还能|怎么|如何|为什么|为何"
)
_QUESTION_WORD = re.compile(r"百分之(?:几|多少)|什么|哪些|哪个|哪支|哪位|哪家|哪种|哪类|哪一|哪|谁|多少|几")
# Nouns that name the kind of answer, not something the answer states: "成绩" is answered by "亚军".
ANSWER_KIND_NOUNS = frozenset(
    """内容 成绩 结果 区别 差别 条件 要求 程序 情况 方面 意思 原因 作用 影响 特点 后果 责任 方式 办法 措施
    规定 标准 流程 手续 东西 问题 事情 关系 不同 区分 类型 种类 名称 情形 范围 依据 时间 日期""".split()
)
# Nouns a figure states by itself: "10人死亡" gives the 人数 without the word.
_MEASURE_NOUNS = frozenset(
    "人数 比例 目标 数量 总数 总量 金额 总额 数额 数字 规模 比重 占比 费用 价格".split()
)
# Nouns for a person or a team in a role: 主演, 导演, 冠军, 得主, 总理, 火炬手, 记者...
_ROLE = re.compile(r"(?:手|员|长|者|人|主|军|演|师|家|星|后|理|统|席|角|将)$")
# Roles only a person fills (a 冠军 or 得主 may be a team or a country).
_PERSON_ROLE = re.compile(r"(?:手|员|者|演|师|家|星|理|统|席|角)$")
# Places too general to pin a news question down: the answer need not repeat them.
_GENERIC_PLACES = frozenset("城市 国家 地区 中国 我国 全国 国内 世界 全球 国际 国外 海外 境外 中央".split())


def is_factoid(question: str) -> bool:
    text = _bare(question)
    return (
        _chinese(text)
        and len(re.findall(r"[\u4e00-\u9fff]", text)) <= current().factoid_max_chars
        and not _NOT_FACTOID.search(text)
    )


def _nouns(tags: list[tuple[str, str]]) -> list[str]:
    return [
        word
        for word, tag in tags
        if len(word) >= 2
        and word not in STOPWORDS
        and word not in QUESTION_FILLER
        and not re.fullmatch(r"[\d年月日]+", word)
        and tag.startswith((*_NOUN_POS, "nr", "ns", "nt", "nz"))
    ]


def question_focus(question: str) -> str | None:
    """The noun a factoid question asks about: 主演 in "《炽道》的主演" and "…的主演是谁", 冠军 in
    "2023年温网男单冠军". None when the question word is followed by its own noun ("有哪些义务",
    "哪支球队"): that noun names the kind of answer, which the answer need not repeat."""
    if not is_factoid(question):
        return None
    text = _bare(question)
    if text.startswith("谁是"):
        text = text[2:]
    elif asked := list(_QUESTION_WORD.finditer(text)):
        if _nouns(pos_tags(text[asked[-1].end() :])):
            return None
        text = re.sub(r"(?:的|是|为|有|叫|叫做|都有|都是|包括|在)+$", "", text[: asked[-1].start()])
    tags = pos_tags(text)
    nouns = _nouns(tags)
    # A word after a final 的 is a noun whatever jieba tags it ("《重生之门》的导演": 导演/v).
    if len(tags) >= 2 and tags[-2][0] == "的" and len(tags[-1][0]) >= 2 and tags[-1][0] not in STOPWORDS:
        nouns.append(tags[-1][0])
    if not nouns or not text.endswith(nouns[-1]) or nouns[-1] in ANSWER_KIND_NOUNS:
        return None
    return nouns[-1]


def entity_terms(question: str, groups: list[TermGroup]) -> list[TermGroup]:
    """Key terms that name what a factoid question is about: a person, place or organisation, a
    《title》, a Latin name (C919, MATH). A passage about 台北公开赛 does not answer one about 全英."""
    if not is_factoid(question):
        return []

    def named(word: str) -> bool:
        if word in _GENERIC_PLACES or word.isdigit():
            return False
        if re.search(r"[A-Za-z]", word) or f"《{word}" in question or f"{word}》" in question:
            return True
        tags = [tag for _, tag in pos_tags(word)]
        return len(word) >= 2 and bool(tags) and all(t.startswith(("nr", "ns", "nt")) for t in tags)

    return [g for g in groups if not g.unknown and named(g.word)]


# "中国女篮成绩" is answered by a place, a round, a score or a mark ("夺得亚军", "无缘四强",
# "61:83", "9秒83").
_ASKS_RESULT = re.compile(r"(?:成绩|名次|战绩|排名)(?:是|如何|怎样|怎么样)?[\s？?。呢]*$")
_STATES_RESULT = re.compile(
    r"冠军|亚军|季军|殿军|第[\d一二三四五六七八九十]+(?:名|位)|[\d一二三四五六七八九十]+强|[金银铜]牌|夺冠|夺金"
    r"|出局|淘汰|止步|晋级|无缘|战胜|击败|负于|不敌|输给|赢|获胜|\d+\s*[:：比\-]\s*\d+|排名第|纪录"
    r"|\d+(?:\.\d+)?\s*(?:秒|分|米|环|公斤|千克|厘米|点)"
)
# "具体时间尚未确定", "没有公布访问行程": the sentence says the fact is not known yet.
_NOT_YET_KNOWN = re.compile(
    r"(?:尚未|还未|暂未|没有|未)(?:完全|正式)?(?:确定|公布|宣布|敲定|明确)|待定|尚不清楚|尚不明确"
)
# "首播时间", "上映日期": the day, not just the year.
_ASKS_DAY = re.compile(r"(?:时间|日期|哪天|哪一天)[？?\s]*$")
_STATES_DAY = re.compile(
    r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}年\d{1,2}月|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|[一二三四五六七八九十]+月[一二三四五六七八九十]+[日号]"
)


def asks_day(question: str) -> bool:
    return bool(_ASKS_DAY.search(question)) and not re.search(r"多长|多久|几年|哪一?年", question)


def names_the_role(sentence: str, role: str, question: str) -> bool:
    """Whether a clause naming the role (主演, 导演, 冠军) or its neighbour names someone (or a
    《work》) the question does not: "…云集了香港七位大导演" names no director."""
    clauses = [match_form(c) for c in CLAUSE.findall(sentence)]
    asked = match_form(question)
    for i, clause in enumerate(clauses):
        if role in clause:
            window = "".join(clauses[max(0, i - 1) : i + 2])
            found = names(window, question, people_only=bool(_PERSON_ROLE.search(role)))
            new_titles = any(t not in asked for t in re.findall(r"《[^》]+》", window))
            if found or (new_titles and not _PERSON_ROLE.search(role)):
                return True
    return False


def key_terms(question: str, bm25: BM25Index, occurs: Callable[[str], bool] | None = None) -> list[TermGroup]:
    """The question's content words with synonyms, weighted by how rare they are in the corpus."""
    settings = current()
    words = content_words(question)
    groups: list[TermGroup] = []
    english = re.findall(r"[a-z]+|\d{4}", question.lower())
    seen: set[str] = set()
    for word in words:
        if word in seen or word in STOPWORDS or word in QUESTION_FILLER:
            continue
        seen.add(word)
        alternatives = (word, *LAY_TO_POLICY.get(word, ()))
        if re.fullmatch(_YEAR, word):
            # A year is a term like any other ("2022春运"), not an English word we cannot map.
            unknown = occurs is not None and not occurs(word)
            groups.append(
                TermGroup(
                    word, (word,), settings.unknown_weight if unknown else settings.year_weight, unknown
                )
            )
            continue
        # A Latin name the corpus uses (GDP, RCEP, ChatGPT in a Chinese question) is a term like any other.
        if word in english and not (occurs is not None and _chinese(question) and occurs(word)):
            translated = ENGLISH_TO_CHINESE.get(word)
            if translated == ():
                continue  # "how", "many": question words
            if translated is None:
                # An English word we cannot map: weak evidence that the question is off-topic.
                if len(word) >= 4:
                    groups.append(
                        TermGroup(
                            word,
                            (word,),
                            settings.unknown_weight * settings.unknown_english_share,
                            unknown=True,
                        )
                    )
                continue
            alternatives = tuple(match_form(t) for t in translated)
        forms = [match_form(a) for a in alternatives]
        weights = [bm25.idf(t) for a in alternatives for t in (match_form(a), *tokenize(a))]
        unknown = not any(map(occurs, forms)) if occurs else max(weights) == 0
        # A noun the corpus never uses (加班费, 试用期) is strong evidence against an answer;
        # an everyday verb it never uses (上班, 打算) is weak evidence.
        weight = settings.unknown_weight * _unknown_factor(word) if unknown else max(weights)
        groups.append(TermGroup(word, tuple(match_form(a) for a in alternatives), weight, unknown))
    return groups


_NOUN_POS = ("n", "j", "vn", "eng", "x")  # nouns, abbreviations (社保), verbal nouns, foreign words


@lru_cache(maxsize=1)
def labour_topics() -> frozenset[str]:
    return frozenset(domain_words()) | frozenset(ENGLISH_TO_CHINESE)


def _unknown_factor(word: str) -> float:
    """How much a word the corpus never uses counts: nouns fully, verbs a little, the rest barely."""
    if word.isascii():
        return 1.0
    if len(word) < 2:
        return 0.1
    tags = [tag for _, tag in pos_tags(word)]
    if tags and tags[-1].startswith(_NOUN_POS):
        return 1.0
    return 0.3 if any(t.startswith("v") for t in tags) else 0.1


def coverage(groups: list[TermGroup], form: str) -> float:
    total = sum(g.weight for g in groups)
    if total == 0:
        return 0.0
    return sum(g.weight * g.credit(form) for g in groups) / total


def _figure_clauses(sentence: str, states: re.Pattern[str]) -> Iterator[tuple[list[str], int]]:
    """The sentence's clauses (matching form) with the index of each clause that states a figure."""
    clauses = [match_form(c) for c in CLAUSE.findall(sentence)]
    for i, clause in enumerate(clauses):
        if states.search(clause):
            yield clauses, i


def contradicted_years(sentence: str, question: str, states: re.Pattern[str] | None) -> list[str]:
    """Years the question names that the figure's clause contradicts ("2020年吞吐量" for 2021)."""
    asked = set(re.findall(_YEAR, question))
    if not asked or states is None:
        return []
    for clauses, i in _figure_clauses(sentence, states):
        years = set(_DATING_YEAR.findall("".join(clauses[max(0, i - 1) : i + 1])))
        if years and not years & asked:
            return sorted(asked)
    return []


# Times that lead into a clause's subject with the figure: "当地时间2022年12月9日下午，".
_CLOCK = re.compile(r"当地时间|北京时间|[上下中]午|晚上|晚间|凌晨|早上|\d+\s*[年时分]")


def figure_relevance(sentence: str, groups: list[TermGroup], states: re.Pattern[str]) -> float:
    """Coverage of the clause that states the figure (with its neighbours): 2.5亿元 next to
    送温暖资金 does not answer a question about 医疗互助 fees, though both are in one sentence."""
    best = 0.0
    for clauses, i in _figure_clauses(sentence, states):
        # A clause that is little more than the figure ("当地时间9月8日，") leads into its subject.
        rest = _CLOCK.sub("", states.sub("", clauses[i]))
        lead_in = len(re.findall(r"[\u4e00-\u9fff]", rest)) <= current().lead_in_chars
        window = clauses[max(0, i - 1) : i + (2 if lead_in else 1)]
        best = max(best, coverage(groups, "".join(window)))
    return best


def objection(
    question: str,
    sentence: str,
    hit: Hit,
    groups: list[TermGroup],
    wanted: tuple[str, re.Pattern[str]] | None,
) -> str | None:
    """Why `sentence` (from `hit`) does not answer `question` (asking for `wanted`, see
    `answer_type`), or None when it does."""
    form = match_form(sentence)
    chinese = _chinese(question)
    attribute = asked_attribute(question) if wanted is None and chinese else None
    if attribute and attribute not in form:
        return f"the best sentence does not name the {attribute} asked about"
    passage = match_form(hit.chunk.text)
    missing_ids = [
        i for i in identifiers(question) if not re.search(rf"(?<![\dA-Za-z]){re.escape(i)}", passage)
    ]
    if missing_ids:
        return f"the answer is not about {', '.join(missing_ids)}"
    if other := other_identifier(question, form):
        return f"the answer is about {other}"
    if asks_who(question) and not names(sentence, question):
        return "the best sentence names nobody"
    if _ASKS_CHARACTER.search(question) and not _STATES_CHARACTER.search(form):
        return "the best sentence names no character played"
    if wanted is not None:
        kind, states = wanted
        if not states.search(form):
            return f"no sentence states the {kind} asked for"
        if contradicted_years(sentence, question, states):
            return "the figure found is for another year"
        if figure_relevance(sentence, groups, states) < current().figure_clause_min:
            return f"the {kind} stated is about something else"
        if kind in _AMOUNTS and chinese and (narrower := narrower_places(sentence, question, states)):
            return f"the {kind} stated is for {', '.join(narrower)} only"
        counts_people = kind in ("count", "figure") and _COUNTS_PEOPLE.search(question)
        if counts_people and not any(_PEOPLE_FIGURE.search(m.group()) for m in re.finditer(_FIGURE, form)):
            return f"the {kind} stated does not count people"
    if other := (other_category(question, sentence) or other_instance(question, sentence, groups)):
        return f"the answer is about {other}"
    missing_years = years_not_concerned(question, sentence, hit)
    if missing_years:
        return f"the answer does not concern {', '.join(missing_years)}"
    return _factoid_objection(question, form, sentence, hit, groups, wanted)


def _factoid_objection(
    question: str,
    form: str,
    sentence: str,
    hit: Hit,
    groups: list[TermGroup],
    wanted: tuple[str, re.Pattern[str]] | None,
) -> str | None:
    """The tests for short questions asking for one fact (`is_factoid`): the sentence must state
    what is asked (the focus, a name for a role, a day for a time) about what is named."""
    if is_factoid(question) and (uncertain := _NOT_YET_KNOWN.search(form)):
        return f"the best sentence says it is not known yet ({uncertain.group()})"
    focus = question_focus(question)
    group = next((g for g in groups if g.word == focus), None)

    def mentions_focus(text: str) -> bool:
        if focus and len(focus) > 2 and focus.endswith("率") and match_form(focus[:-1]) in text:
            return True  # "同比增长2.6%" states the 增长率
        return bool(group.credit(text)) if group else match_form(focus or "") in text

    if wanted is None and focus and not mentions_focus(form):
        return f"the best sentence does not mention the {focus} asked about"
    if wanted is not None and focus and wanted[0] in _AMOUNTS and focus not in _MEASURE_NOUNS:
        # "上万亿美元的二战赔偿" is not the 损失 asked about (a measure noun like 人数 is exempt).
        windows = ("".join(c[max(0, i - 1) : i + 1]) for c, i in _figure_clauses(sentence, wanted[1]))
        if not any(map(mentions_focus, windows)):
            return f"the figure stated is not the {focus} asked about"
    if is_factoid(question) and _ASKS_RESULT.search(question) and not _STATES_RESULT.search(form):
        return "the best sentence states no result"
    if asks_day(question) and (
        not _STATES_DAY.search(form)
        or figure_relevance(sentence, groups, _STATES_DAY) < current().figure_clause_min
    ):
        return "no sentence states the day asked for"
    role = (asked_attribute(question) or focus) if asks_who(question) else focus
    asks_for_name = role and (asks_who(question) or _ROLE.search(role)) and match_form(role) in form
    if asks_for_name and not names_the_role(sentence, match_form(role), question):
        return f"the best sentence names no {role}"
    passage = match_form(hit.meta.title + hit.chunk.heading + hit.chunk.text)
    if missing := [g.word for g in entity_terms(question, groups) if not g.credit(passage)]:
        return f"the passage is not about {', '.join(missing)}"
    return None


_CATEGORY = r"(?:子|单|双|篮|足|排|团|主角|配角|演员|歌手)"


def other_category(question: str, sentence: str) -> str | None:
    """The opposite category a sentence is about: 女单 for a question about 男单."""
    asked = re.search(rf"([男女]){_CATEGORY}", to_script(question, "simplified"))
    if not asked:
        return None
    other = "女" if asked.group(1) == "男" else "男"
    found = re.search(rf"{other}{_CATEGORY}", sentence)
    if found and not re.search(rf"{asked.group(1)}{_CATEGORY}", sentence):
        return found.group()
    return None


_YEAR_BEFORE = re.compile(rf"({_YEAR})(?:\s*[{_DASHES}/]\s*({_YEAR}))?\s*(?:年度|年|赛季)?\s*的?\s*[“\"《]?$")


def _qualified(text: str) -> list[tuple[str, str, set[str]]]:
    """(noun, kind, qualifiers) for each noun of a text led directly by a year or a place:
    冬奥会 led by 北京 in "北京冬奥会", 世界杯 by 1966 in "1966年世界杯"."""
    found = []
    offset = 0
    previous = ""
    for word, tag in pos_tags(text):
        if len(word) >= 2 and word not in STOPWORDS and tag.startswith(("n", "j", "vn", "eng")):
            if year := _YEAR_BEFORE.search(text[:offset]):
                found.append((word, "year", {y for y in year.groups() if y}))
            elif previous:
                found.append((word, "place", {previous}))
        named = tag.startswith(("ns", "nr")) and len(word) >= 2
        previous = word if named else ""
        offset += len(word)
    return found


def other_instance(question: str, sentence: str, groups: list[TermGroup]) -> str | None:
    """Another instance of what the question names: 平昌冬奥会 or 2018年冬奥会 for 北京冬奥会,
    越南GDP for 中国GDP, 2021“中国旅游文化周” for the 2022 one. Only when the sentence never
    mentions the question's own year or place."""
    terms = {g.alternatives[0] for g in groups}
    form = match_form(sentence)
    asked = [
        (word, kind, qualifiers)
        for word, kind, qualifiers in _qualified(match_form(question))
        if word in terms and not any(q in form for q in qualifiers)
    ]
    if not asked:
        return None
    stated = _qualified(form)
    for word, kind, qualifiers in asked:
        others = [q for w, k, q in stated if w == word and k == kind]
        same = any(a in b or b in a for q in others for a in q for b in qualifiers)
        if others and not same:
            return "".join(sorted(others[0])) + word
    return None


_REGION = re.compile(rf"(?:{'|'.join(PROVINCES)})(?:省|市|自治区)?")


def narrower_places(sentence: str, question: str, states: re.Pattern[str]) -> list[str]:
    """Provinces that narrow a figure the question asks for nationwide: "2022年高考报名
    人数" is not answered by 四川省's count. Only when the question names no place of its own."""
    asked = match_form(question)
    if _REGION.search(asked) or any(tag.startswith("ns") for _, tag in pos_tags(asked)):
        return []
    for clauses, i in _figure_clauses(sentence, states):
        if places := _REGION.findall("".join(clauses[max(0, i - 1) : i + 1])):
            return sorted(set(places))
    return []


_COMPARED_YEAR = re.compile(
    rf"(?:比|较|相比|同比|对比|比起)\s*({_YEAR})|({_YEAR})\s*年?\s*[{_DASHES}]\s*({_YEAR})"
)


def _compared_years(text: str) -> list[str]:
    """Years a text compares with or spans ("比2021年", "2013—2021年") rather than dates, once per mention."""
    return [y for match in _COMPARED_YEAR.finditer(text) for y in match.groups() if y]


def years_not_concerned(question: str, sentence: str, hit: Hit) -> list[str]:
    """Years the question names that the answer is not about.

    A year must be in the passage, its section, its title or the document's date; and a
    sentence dated to other years only ("2022年粮食产量..." for 2021) is about another year.
    """
    asked = re.findall(_YEAR, question)
    if not asked:
        return []
    dated = set(_DATING_YEAR.findall(sentence))
    if dated and not dated & set(asked):
        return asked
    # "比2021年下降", "2013—2021年年均增长": the year is mentioned, but the figure is for another period.
    compared = _compared_years(sentence)
    spanned_by_question = _compared_years(question)
    mentioned = [y for y in asked if y in sentence and y not in spanned_by_question]
    if mentioned and all(sentence.count(y) == compared.count(y) for y in mentioned):
        return mentioned
    context = match_form(
        hit.chunk.text
        + hit.meta.title
        + hit.chunk.heading
        + (hit.meta.date or "")
        + str(hit.meta.extra.get("published") or "")
    )
    return [y for y in asked if y not in context]
