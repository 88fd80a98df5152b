"""Query expansion: workers' everyday words and English terms → the wording documents use.

Workers say 老板 and 被开除; laws say 用人单位 and 解除劳动合同. The offline embedder cannot bridge
that gap, so retrieval also searches for the documents' terms, at a lower weight than the
question's own words. Two sources:

- hand-written tables below (labour, training, benefits, rights; English → Chinese), never tuned
  to a test question;
- `data/lay_legal.json`, associations learned from LeCoQA's training questions by
  scripts/learn_lay_legal.py (ranked at query time by how rare the legal word is in the index).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from app.settings import current
from app.text.normalize import match_form

# Everyday Chinese → policy and legal wording (simplified; matching is on simplified text).
LAY_TO_POLICY: dict[str, tuple[str, ...]] = {
    "老板": ("用人单位", "雇主", "企业"),
    "雇主": ("用人单位",),
    "公司": ("用人单位", "企业"),
    "厂里": ("企业", "用人单位"),
    "工厂": ("企业", "制造业"),
    "单位": ("用人单位",),
    "打工": ("劳动者", "就业", "农民工"),
    "打工人": ("劳动者", "职工"),
    "员工": ("职工", "劳动者"),
    "农民工": ("农民工", "进城务工"),
    "开除": ("解除劳动合同", "辞退"),
    "辞退": ("解除劳动合同",),
    "炒鱿鱼": ("解除劳动合同",),
    "被裁": ("解除劳动合同", "裁员"),
    "裁员": ("经济性裁员", "裁减人员"),
    "辞职": ("解除劳动合同", "提前三十日"),
    "工资": ("劳动报酬", "薪酬", "收入"),
    "薪水": ("工资", "劳动报酬", "薪酬"),
    "涨工资": ("提高", "收入", "工资", "待遇"),
    "赔偿": ("经济补偿", "赔偿金"),
    "赔": ("赔偿金", "经济补偿"),
    "违法": ("违反",),
    "押金": ("收取财物", "担保"),
    "拖": ("拖欠",),
    "不发": ("拖欠", "支付"),
    "没休": ("未休",),
    "没交": ("未缴纳",),
    "没缴": ("未缴纳",),
    "没给": ("未支付",),
    "补偿": ("经济补偿",),
    "欠薪": ("拖欠", "工资", "劳动报酬"),
    "拖欠工资": ("拖欠", "劳动报酬"),
    "加班": ("延长工作时间", "加班"),
    "加班费": ("加班工资", "延长工作时间"),
    "加班工资": ("延长工作时间", "报酬", "加班费"),
    "最低工资": ("最低工资标准",),
    "公积金": ("住房公积金", "缴存"),
    "退休": ("退休", "养老"),
    "病假": ("医疗期",),
    "高温": ("高温津贴",),
    "夜班": ("夜班津贴",),
    "断缴": ("中断缴费",),
    "仲裁": ("劳动争议仲裁",),
    "双倍工资": ("二倍的工资",),
    "上班时间": ("工作时间",),
    "休息": ("休息休假",),
    "年假": ("带薪年休假", "年休假"),
    "周末": ("休息日",),
    "一周": ("每周",),
    "喝酒": ("醉酒",),
    "喝醉": ("醉酒",),
    "孩子": ("未成年人", "子女"),
    "小孩": ("未成年人",),
    "童工": ("未满十六周岁", "未成年人"),
    "干活": ("劳动", "工作"),
    "产假": ("产假", "女职工"),
    "怀孕": ("孕期", "女职工"),
    "受伤": ("工伤",),
    "工伤": ("工伤", "工伤保险"),
    "社保": ("社会保险",),
    "五险一金": ("社会保险", "住房公积金"),
    "医保": ("医疗保险",),
    "养老": ("养老保险",),
    "失业": ("失业保险",),
    "合同": ("劳动合同",),
    "没签合同": ("未订立书面劳动合同",),
    "试用期": ("试用期",),
    "打官司": ("诉讼", "仲裁"),
    "维权": ("维护", "合法权益", "法律援助"),
    "找谁": ("工会", "劳动保障监察"),
    "学技术": ("技能培训", "职业技能"),
    "学手艺": ("技能培训", "学徒"),
    "培训": ("职业技能培训", "培训"),
    "技校": ("技工院校", "技工教育"),
    "技工学校": ("技工院校",),
    "退伍军人": ("退役军人",),
    "当兵": ("退役军人",),
    "对应": ("比照", "衔接"),
    "国企": ("国有企业",),
    "纠纷": ("争议", "矛盾"),
    "贫困户": ("建档立卡", "贫困"),
    "文凭": ("学历",),
    "涨": ("提高", "增长"),
    "师傅带徒弟": ("学徒制", "师带徒"),
    "带徒弟": ("师带徒", "学徒"),
    "学徒": ("学徒制", "新型学徒制"),
    "考证": ("职业技能等级", "证书", "评价"),
    "证书": ("职业技能等级证书", "证书"),
    "评职称": ("职称", "评价"),
    "升职": ("晋升", "职业发展"),
    "待遇": ("待遇", "薪酬", "津贴"),
    "补贴": ("补贴", "津贴"),
    "福利": ("待遇", "普惠", "服务"),
    "看病": ("医疗", "医疗互助"),
    "落户": ("落户", "城镇基本公共服务"),
    "年轻人": ("青年",),
    "比赛": ("技能竞赛", "技能大赛"),
    "开会": ("职工代表大会",),
    "工匠": ("工匠", "大国工匠"),
}

# English → Chinese terms, so an English question can match Chinese documents offline.
ENGLISH_TO_CHINESE: dict[str, tuple[str, ...]] = {
    "worker": ("工人", "职工"),
    "workers": ("工人", "职工"),
    "industrial": ("产业",),
    "employee": ("职工",),
    "employer": ("用人单位",),
    "boss": ("用人单位",),
    "migrant": ("农民工",),
    "union": ("工会",),
    "unions": ("工会",),
    "training": ("培训",),
    "train": ("培训", "培养"),
    "trained": ("培训",),
    "vocational": ("职业",),
    "skill": ("技能",),
    "skills": ("技能",),
    "skilled": ("技能", "高技能"),
    "talent": ("人才",),
    "talents": ("人才",),
    "craftsman": ("工匠",),
    "craftsmen": ("工匠",),
    "artisan": ("工匠",),
    "artisans": ("工匠",),
    "technician": ("技师",),
    "technicians": ("技师",),
    "chief": ("首席",),
    "school": ("院校",),
    "schools": ("院校",),
    "technical": ("技工", "技术"),
    "college": ("院校", "高职"),
    "enrol": ("招生",),
    "enroll": ("招生",),
    "enrolment": ("招生",),
    "enrollment": ("招生",),
    "students": ("学生", "招生"),
    "apprentice": ("学徒",),
    "apprenticeship": ("学徒制",),
    "competition": ("竞赛", "大赛"),
    "competitions": ("竞赛", "大赛"),
    "worldskills": ("世界技能大赛",),
    "medal": ("奖章", "金牌"),
    "medals": ("金", "银", "铜"),
    "gold": ("金",),
    "model": ("劳动模范", "劳模"),
    "award": ("奖", "表彰"),
    "awards": ("奖", "表彰"),
    "wage": ("工资",),
    "wages": ("工资",),
    "salary": ("工资", "薪酬"),
    "pay": ("工资", "薪酬"),
    "income": ("收入",),
    "allowance": ("津贴",),
    "allowances": ("津贴",),
    "subsidy": ("补贴",),
    "subsidies": ("补贴",),
    "subsidised": ("补贴",),
    "subsidized": ("补贴",),
    "benefit": ("待遇", "保险"),
    "benefits": ("待遇", "保险"),
    "insurance": ("保险",),
    "unemployment": ("失业",),
    "medical": ("医疗",),
    "contract": ("合同",),
    "contracts": ("合同",),
    "collective": ("集体",),
    "bargaining": ("协商",),
    "negotiation": ("协商",),
    "congress": ("代表大会",),
    "legal": ("法律",),
    "aid": ("援助",),
    "rights": ("权益",),
    "protection": ("保护", "保障"),
    "evaluation": ("评价",),
    "certificate": ("证书",),
    "certificates": ("证书",),
    "title": ("职称",),
    "titles": ("职称",),
    "professional": ("专业技术", "职称"),
    "level": ("等级",),
    "qualification": ("资格",),
    "qualifications": ("资格",),
    "occupations": ("职业",),
    "occupation": ("职业",),
    "new": ("新",),
    "base": ("基地",),
    "bases": ("基地",),
    "studio": ("工作室",),
    "studios": ("工作室",),
    "master": ("大师",),
    "innovation": ("创新",),
    "policy": ("政策",),
    "policies": ("政策",),
    "plan": ("规划", "计划"),
    "target": ("目标",),
    "goal": ("目标",),
    "yunnan": ("云南",),
    "hubei": ("湖北",),
    "national": ("全国", "国家"),
    "province": ("省",),
    "provincial": ("省级",),
    "city": ("市级",),
    "municipal": ("市级",),
    "youth": ("青年",),
    "young": ("青年",),
    "farmers": ("农民工",),
    "rural": ("农民工", "农村"),
    "household": ("落户",),
    "registration": ("落户", "登记"),
    "overtime": ("加班", "延长工作时间"),
    "leave": ("休假",),
    "annual": ("年休假", "年"),
    "maternity": ("产假",),
    "injury": ("工伤",),
    "minimum": ("最低",),
    "dismissed": ("解除劳动合同",),
    "fired": ("解除劳动合同",),
    "compensation": ("经济补偿", "赔偿"),
    "percent": ("%",),
    "percentage": ("%", "比例"),
    "proportion": ("比例",),
    "how": (),
    "many": (),
    "reform": ("改革",),
    "mohrss": ("人力资源社会保障部", "人社部"),
    "ministry": ("部",),
    "cpc": ("中共中央",),
    "central": ("中央",),
    "committee": ("中央",),
    "council": ("国务院",),
    "licensing": ("许可",),
    "accreditation": ("认定",),
    "abolish": ("取消",),
    "abolished": ("取消",),
    "items": ("项",),
    "difficulties": ("难",),
    "veteran": ("退役军人",),
    "veterans": ("退役军人",),
    "poor": ("贫困",),
    "poverty": ("贫困",),
    "issued": ("印发", "发布"),
    "published": ("发布", "印发"),
    "opinion": ("意见",),
    "opinions": ("意见",),
    "deepening": ("深化",),
    "notice": ("通知",),
    "retirement": ("退休",),
    "retire": ("退休",),
    "age": ("年龄",),
    "pension": ("养老金", "养老保险"),
    "holiday": ("假期", "休假"),
    "holidays": ("假期", "休假"),
    "sick": ("病假",),
    "arbitration": ("仲裁",),
    "hours": ("工作时间",),
    "2025": ("2025年",),
    "2035": ("2035年",),
    "2020": ("2020年",),
}

_ENGLISH_WORD = re.compile(r"[a-z]+|\d{4}")


# Kinds of leave and pay workers ask about, kept whole by the segmenter: split, 陪产假 becomes
# 陪/产假 and matches the 98-day maternity leave, which is a different thing.
WHOLE_WORDS = (
    "陪产假 护理假 育儿假 婚假 丧假 探亲假 事假 病假 产假 年休假 年终奖 高温津贴 高温补贴 夜班津贴 "
    "夜班补贴 餐补 房补 交通补贴 全勤奖 绩效奖金"
).split()


def domain_words() -> list[str]:
    """The Chinese words of the tables, for the segmenter's dictionary."""
    words = set(LAY_TO_POLICY) | set(WHOLE_WORDS)
    for terms in (*LAY_TO_POLICY.values(), *ENGLISH_TO_CHINESE.values()):
        words.update(terms)
    return sorted(w for w in words if len(w) >= 2 and not w.isascii())


# China's provinces, municipalities and regions: full names (for metadata) and short names (北京,
# 内蒙古, 新疆: what people write).
PROVINCE_NAMES = (
    "北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 "
    "福建省 江西省 山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 "
    "甘肃省 青海省 台湾省 内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 "
    "新疆维吾尔自治区 香港特别行政区 澳门特别行政区"
).split()
_PROVINCE_SUFFIX = re.compile(r"(壮族|回族|维吾尔)?(自治区|特别行政区)$|[省市]$")
SHORT_PROVINCE = {_PROVINCE_SUFFIX.sub("", name): name for name in PROVINCE_NAMES}
PROVINCES = list(SHORT_PROVINCE)


@lru_cache(maxsize=1)
def learned_table() -> dict[str, list[tuple[str, float]]]:
    path = Path(__file__).resolve().parent.parent / "data" / "lay_legal.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        word: [(t, float(p)) for t, p in terms] for word, terms in raw.items() if not word.startswith("_")
    }


def glossary_terms(question: str) -> list[str]:
    """The hand-written tables' terms for the lay or English words of the question."""
    form = match_form(question)
    extra: list[str] = []
    for lay, terms in LAY_TO_POLICY.items():
        if lay in form:
            extra.extend(t for t in terms if t not in form)
    for word in _ENGLISH_WORD.findall(question.lower()):
        extra.extend(ENGLISH_TO_CHINESE.get(word, ()))
    return list(dict.fromkeys(extra))


def expansion_terms(question: str, words: list[str], idf: Callable[[str], float]) -> list[str]:
    """Glossary terms, then the learned legal terms most strongly and rarely tied to the words."""
    terms = glossary_terms(question)
    scores: Counter[str] = Counter()
    table = learned_table()
    own = set(words)
    for word in own:
        for term, share in table.get(word, ()):
            if term not in own:
                scores[term] += share * idf(term)
    learned = [t for t, score in scores.most_common(current().learned_terms) if score > 0]
    return list(dict.fromkeys(terms + learned))


def expand_query(question: str) -> str:
    """The question followed by the glossary's terms (used for the dense leg)."""
    extra = glossary_terms(question)
    return question + " " + " ".join(extra) if extra else question
