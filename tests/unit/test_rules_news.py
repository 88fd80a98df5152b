"""The refusal rules written for news questions (profile "news"): names, roles, characters,
results, other instances and categories, facts not known yet, the noun and the entities a
factoid question is about. Examples are RGB training near misses: sentences from passages that
stay when the answer is withheld (scripts/rgb_withheld.py)."""

from __future__ import annotations

import pytest
from evidence_helpers import rule, why

from app.answer.evidence.names import names, names_the_role
from app.answer.evidence.questions import (
    asked_attribute,
    asks_day,
    asks_who,
    entity_terms,
    is_factoid,
    question_focus,
)
from app.answer.evidence.rules.instances import other_category, other_instance
from app.answer.evidence.terms import TermGroup
from app.models import Refusal
from app.settings import override
from app.text.normalize import match_form


@pytest.fixture(autouse=True)
def news_profile():
    """These rules refuse only in the news profile, whatever the default."""
    with override(refusal_profile="news"):
        yield


def test_who_questions_ask_for_a_name_not_a_role():
    assert asks_who("《踏冰逐梦》的主演是谁") and asks_who("谁是北京冬奥会第一棒火炬手")
    assert not asks_who("我想考职业技能等级证书,按人社部的通知由谁来给我们认定?")
    assert not asks_who("合伙里谁说了算？")
    assert asks_who("谁枪击了安倍晋三？") and asks_who("狂飙中的高启强谁演的？")
    assert not asks_who("谁承担工伤赔偿责任？")
    assert asked_attribute("电视剧《不期而至》的主演是谁？") == "主演"
    assert asked_attribute("谁是北京冬奥会第一棒火炬手") == "火炬手"
    assert asked_attribute("个体工商户的诉讼主体是什么？") is None


def test_names_are_new_proper_names():
    question = "北京冬奥会双人滑金牌得主是谁？"
    assert "韩聪" in names("北京冬奥会花样滑冰双人滑决赛中，隋文静和韩聪夺得金牌。", question)
    no_one = "即日起，冰上舞剧《踏冰逐梦》主演动漫IP形象设计作品征集全面开启参赛通道！"
    assert names(no_one, "《踏冰逐梦》的主演是谁") == []
    # Words of a title or a nickname in quotes, and time words jieba takes for names.
    film = "第 95 届奥斯卡颁奖典礼于今天上午落幕，影片《瞬息全宇宙》独揽包括最佳女主角在内的 7 项大奖"
    assert names(film, "2023年奥斯卡最佳女主角", people_only=True) == []
    trio = "不少观众是被中老年“铁三角”幽默风趣的斗嘴场面吸引，这其实是导演故意为之。"
    assert names(trio, "漫长的季节的导演是谁？", people_only=True) == []
    # jieba tags 吴京 a place; a surname and no place suffix make it a person (徐州 stays a place).
    actor = "吴京的个人总票房达到300亿元，成为中国影史首个达到此票房成就的演员。"
    assert names(actor, "谁是中国影史首个票房达到300亿元的演员？", people_only=True) == ["吴京"]
    assert names("徐州、马鞍山发生地震", "地震发生在哪里", people_only=True) == []


def test_a_who_question_needs_the_role_and_a_name():
    assert rule("谁是北京冬奥会第一棒火炬手", "北京冬奥会第一棒火炬手已经确定。") == "news.names_nobody"
    assert rule("谁是北京冬奥会第一棒火炬手", "北京冬奥会火炬传递今天开始。") == "news.attribute_not_named"
    question = "《七人乐队》的导演是谁？"
    no_name = "本届电影节大使郭富城表示，“《七人乐队》是一部很难得的作品，云集了香港七位大导演"
    assert not names_the_role(no_name, "导演", question)
    assert rule(question, no_name) == "news.role_not_named"
    named = "《七人乐队》由洪金宝、许鞍华等七位导演联合执导"
    assert names_the_role(named, "导演", question)


def test_another_instance_or_category_than_the_one_asked():
    groups = [TermGroup(w, (match_form(w),), 1.0) for w in ("北京", "冬奥会", "男子", "500米", "金牌")]
    question = "北京冬奥会男子500米速度滑冰金牌"
    pyeongchang = "武大靖，2018年平昌冬奥会短道速滑男子500米金牌。"
    assert other_instance(question, pyeongchang, groups) == "平昌冬奥会"
    assert why(question, pyeongchang) == Refusal("news.other_instance", "the answer is about 平昌冬奥会")
    beijing = "高亭宇在北京冬奥会速度滑冰男子500米比赛中夺得金牌"
    assert other_instance(question, beijing, groups) is None
    cup = [TermGroup("世界杯", ("世界杯",), 1.0), TermGroup("2022", ("2022",), 1.0)]
    assert other_instance("2022年世界杯吉祥物叫什么", "1998年世界杯吉祥物是公鸡", cup) == "1998世界杯"
    assert other_category("2023年温网男单冠军", "莱巴金娜夺得2022年温网女单冠军") == "女单"
    assert other_category("2023年温网男单冠军", "阿尔卡拉斯夺得温网男单冠军，女单冠军是冯德鲁索娃") is None
    assert rule("2023年温网男单冠军", "莱巴金娜夺得温网女单冠军") == "news.other_category"


def test_factoid_questions_are_short_and_ask_for_one_fact():
    assert is_factoid("2023年温网男单冠军") and is_factoid("《炽道》的主演")
    assert not is_factoid("出售银行卡是犯罪吗")  # yes/no
    assert not is_factoid("我是农民工,国家有没有帮我们提高技能的办法?")
    assert not is_factoid("What is the target for high-skilled workers in Yunnan?")
    assert not is_factoid("以先付定金、履行小额合同、赊账、虚构姓名等方式诱骗签订合同应当如何处理")


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("《炽道》的主演", "主演"),
        ("《心居》的主演有哪些", "主演"),
        ("2022中关村论坛的主题是什么？", "主题"),
        ("谁是北京冬奥会第一棒火炬手", "火炬手"),
        ("CBA2021-2022赛季总冠军", "总冠军"),
        ("《重生之门》的导演", "导演"),  # jieba tags this 导演 a verb; after a final 的 it is a noun
        # The noun after the question word is the kind of answer: 克罗地亚 need not say 球队.
        ("卡塔尔世界杯季军是哪支球队", None),
        ("产品生产者有哪些义务？", None),
        ("人社部提出技能人才工作要坚持哪“三个导向”?", None),  # 工作 is the subject of 坚持
        ("张帅在2022年辛辛那提赛的成绩", None),  # 成绩 is answered by 第二轮, not by 成绩
        ("公积金单位最少要交工资的百分之几？", "工资"),  # 百分之几 is the question word, not the noun
    ],
)
def test_question_focus(question, focus):
    assert question_focus(question) == focus


def test_time_questions_ask_for_a_day_and_entities_must_be_in_the_passage():
    assert asks_day("神舟十六号发射时间？") and asks_day("《阿凡达：水之道》国内上映日期")
    assert not asks_day("养老保险交满多少年") and not asks_day("职业技能培训的时间有多长")
    assert not asks_day("哺乳期每天有多少哺乳时间？")  # an amount of time, not a day
    groups = [TermGroup(w, (w,), 1.0) for w in ("2023", "全英", "羽毛球", "公开赛", "男单", "冠军")]
    named = [g.word for g in entity_terms("2023年全英羽毛球公开赛男单冠军？", groups)]
    assert "全英" in named and not {"2023", "羽毛球", "男单", "冠军"} & set(named)
    assert entity_terms("我是农民工,国家有没有帮我们提高技能的办法?", groups) == []


def test_rgb_training_near_misses_are_refused_by_the_rule_written_for_them():
    other_open = "Wardoyo成功夺得2023年台北羽毛球公开赛男单冠军！"
    assert why("2023年全英羽毛球公开赛男单冠军？", other_open) == Refusal(
        "news.entity_not_in_passage", "the passage is not about 全英"
    )
    assert rule("《流浪地球2》的主演", "《流浪地球2》上映4天，票房已超15亿元；") == "news.focus_not_mentioned"
    assert rule("神舟十六号发射时间？", "一起期待神舟十六号发射！各系统已经准备就绪") == "news.no_day"
    not_yet = (
        "中国东航回应称，“C919 将于2 月28 日执飞商业航班”，确实有计划进行商业首飞，具体时间尚未完全确定。"
    )
    assert rule("C919商业首飞时间", not_yet) == "news.not_yet_known"
    other_subject = "说他们要求德国向波兰偿还上万亿美元的二战赔偿，造成波兰几百万人口的损失"
    assert why("波兰要求德国赔偿二战损失多少钱", other_subject) == Refusal(
        "news.figure_not_the_focus", "the figure stated is not the 损失 asked about"
    )
    answered = "北京时间5月30日9时31分，搭载神舟十六号载人飞船的运载火箭在酒泉卫星发射中心点火发射"
    assert why("神舟十六号发射时间？", answered) is None
    # A clause of nothing but times leads into the subject of the next one.
    summit = "当地时间2022年12月9日下午，首届中国—阿拉伯国家峰会在沙特首都利雅得举行。"
    assert why("首届中国—阿拉伯国家峰会的时间", summit) is None


def test_characters_and_results():
    """An actor without the character played; a match report without the result."""
    cast = "由简川訸执导，雷佳音、袁泉领衔主演，张艺兴、梁冠华等主演的都市情感剧《相逢时节》正在浙江卫视播出"
    assert rule("梁冠华在《相逢时节》中演的谁", cast) == "news.no_character"
    role = "梁冠华在《相逢时节》中饰演张立新，一位国企领导。"
    assert why("梁冠华在《相逢时节》中演的谁", role) is None
    # 导演是谁 asks for a director, not a character.
    assert rule("《七人乐队》的导演是谁？", cast) == "news.attribute_not_named"
    no_result = "中国女篮在2022年女篮世界杯小组赛最后一轮继续高奏凯歌。"
    assert rule("2022年女篮世界杯中国女篮成绩", no_result) == "news.no_result"
    final = "中国女篮在2022年女篮世界杯决赛中以61:83负于美国队，获得亚军。"
    assert why("2022年女篮世界杯中国女篮成绩", final) is None
