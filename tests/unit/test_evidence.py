"""The evidence tests behind refusals (app/evidence.py): what a question asks for, and whether the
picked sentence answers it. Examples are real questions from the development set, LeCoQA and RGB
(training ids), with sentences from their passages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import benchmark_dir

from app.answer.evidence.rules import (
    ANSWER_TYPES,
    TermGroup,
    answer_type,
    asked_attribute,
    asks_day,
    asks_who,
    contradicted_years,
    entity_terms,
    identifiers,
    is_factoid,
    key_terms,
    names,
    names_the_role,
    narrower_places,
    objection,
    other_category,
    other_identifier,
    other_instance,
    question_focus,
    years_not_concerned,
)
from app.index.bm25 import BM25Index
from app.models import Chunk, DocMeta, Hit
from app.text.normalize import match_form
from app.text.segment import content_words, tokenize

ROOT = Path(__file__).resolve().parents[2]


def kind(question: str) -> str | None:
    found = answer_type(match_form(question) + " " + question.lower())
    return found[0] if found else None


def states(name: str):
    return next(pattern for kind_name, _, pattern in ANSWER_TYPES if kind_name == name)


def hit(text: str) -> Hit:
    return Hit(Chunk("d#0", "d", text, 0, len(text)), DocMeta("新闻"), 1.0)


def why(question: str, sentence: str) -> str | None:
    """The objection to `sentence` as an answer to `question`, with every content word a key term."""
    groups = [TermGroup(w, (match_form(w),), 1.0) for w in content_words(question)]
    wanted = answer_type(match_form(question) + " " + question.lower())
    return objection(question, sentence, hit(sentence), groups, wanted)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("德余高速乌江特大桥主桥多长", "length"),
        ("2022年重庆的GDP增长率", "share"),
        ("2022年高考报名人数", "figure"),
        ("台积电美国新厂计划投资多少", "money"),
        ("伊丽莎白二世去世时间", "year"),
        ("云南省到2025年高技能人才总量要达到多少?", "count"),
        # What an employer must pay out is stated relative to wages (二倍, 300%), as laws do.
        ("公司违法辞退我，能赔多少？", "pay"),
        ("年假没休，公司要给多少钱？", "pay"),
        ("老师给多少人上课？", "count"),
        # Legal words that look like the cues but ask no figure.
        ("网络贷款的利率太高怎么办？", None),
        ("高度危险作业责任存在哪些免责事由？", None),
        ("仓单、仓储物多重担保时，怎么确定清偿顺序？", None),
    ],
)
def test_answer_types(question, expected):
    assert kind(question) == expected


def test_figures_need_a_unit_or_a_scale():
    assert states("figure").search("2022年全国棉花总产量597.7万吨")
    assert states("figure").search("同比增长2.6%")
    assert not states("figure").search("国家统计局关于2022年棉花产量的公告")
    assert states("money").search("投资额高达400亿美元")
    # A lone 一 is an article, not a count.
    assert not states("count").search("一条湍急的河流横在救援人员与受困群众之间")
    assert not states("count").search("成为一个中等发达国家")
    assert states("count").search("共有十一个项目") and states("count").search("派出两名选手")
    # An article number is an ordinal; an hour is a count.
    assert not states("count").search("第四十一条 用人单位经与工会协商后可以延长工作时间")
    assert states("count").search("一般每日不得超过一小时")
    assert kind("習近平總書記就我國在第幾屆世界技能大賽上取得佳績作出重要指示?") == "ordinal"
    assert states("length").search("主桥长504米")
    # A time is a year, a month or a day, or in a statute the event that starts or ends a period.
    times = ("2022年", "将于10月开幕", "十月一日", "劳动合同期满", "自用工之日起", "从知道之时起算")
    for time in times:
        assert states("year").search(time), time
    assert not states("year").search("劳动合同应当具备以下条款")
    assert not states("year").search("每月支付二倍的工资")
    # Pay: in yuan, or relative to wages as laws state it.
    assert kind("试用期工资最低是多少？") == "pay" and kind("加班费怎么算？") == "pay"
    for pay in ("百分之八十", "每月支付二倍的工资", "支付一个月工资", "3000元"):
        assert states("pay").search(pay), pay
    assert not states("pay").search("用人单位应当按时足额支付劳动报酬")


def test_identifiers_are_numbers_periods_and_ordinals():
    assert "1500米" in identifiers("北京冬奥会男子1500米速度滑冰比赛中谁获得了金牌？")
    assert identifiers("2022年8月我国汽车出口量") == ["8月"]  # the year is checked on its own
    assert "上半年" in identifiers("汤臣倍健2022年上半年的营收为多少？")
    assert "mix4" in identifiers("小米MIX4的处理器是什么")
    assert "第七届" in identifiers("第七届香港立法会议员宣誓仪式的时间")
    assert identifiers("业主需要承担二次供水费用吗？") == []
    assert identifiers("By 2025, how many technical experts does Yunnan plan?") == []


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


def test_years_and_places_that_do_not_fit_the_figure():
    year = states("figure")
    sentence = "北京大兴机场2020年旅客吞吐量突破1600万人次"
    assert contradicted_years(sentence, "2021年北京大兴机场年旅客吞吐量", year) == ["2021"]
    # A year after 比 compares; it does not date the figure.
    compared = "人口出生率为7.52‰，比2020年下降1.0个千分点"
    assert contradicted_years(compared, "我国2021年人口出生率", states("share")) == []
    sichuan = "报告显示，四川省近三年高考报名人数呈上涨趋势，2022年高考报名人数达77万人"
    assert narrower_places(sichuan, "2022年高考报名人数", year) == ["四川省"]
    assert narrower_places(sichuan, "2022年四川高考报名人数", year) == []


def test_a_year_compared_with_or_spanned_is_not_the_year_of_the_figure():
    compared = "人口出生率为6.77‰，比2021年下降0.75个千分点；"
    assert years_not_concerned("我国2021年人口出生率", compared, hit(compared)) == ["2021"]
    spanned = "2013—2021年,我国工业增加值年均增长6.1%，远高于世界其他主要经济体增长水平。"
    assert years_not_concerned("2021年我国工业增加值增长了多少？", spanned, hit(spanned)) == ["2021"]
    # Dated elsewhere in the sentence, or a span the question asks about itself: fine.
    dated = "2014-2022年中国电影票房收入统计，2022年国产电影总票房完成255.11亿元"
    assert years_not_concerned("2022年中国电影的总票房收入", dated, hit(dated)) == []
    season = "辽宁队4-0横扫广厦夺得2021-2022赛季CBA总冠军"
    assert years_not_concerned("CBA2021-2022赛季总冠军", season, hit(season)) == []


def test_another_instance_category_or_number_than_the_one_asked():
    groups = [TermGroup(w, (match_form(w),), 1.0) for w in ("北京", "冬奥会", "男子", "500米", "金牌")]
    question = "北京冬奥会男子500米速度滑冰金牌"
    pyeongchang = "武大靖，2018年平昌冬奥会短道速滑男子500米金牌。"
    assert other_instance(question, pyeongchang, groups) == "平昌冬奥会"
    beijing = "高亭宇在北京冬奥会速度滑冰男子500米比赛中夺得金牌"
    assert other_instance(question, beijing, groups) is None
    cup = [TermGroup("世界杯", ("世界杯",), 1.0), TermGroup("2022", ("2022",), 1.0)]
    assert other_instance("2022年世界杯吉祥物叫什么", "1998年世界杯吉祥物是公鸡", cup) == "1998世界杯"
    assert other_category("2023年温网男单冠军", "莱巴金娜夺得2022年温网女单冠军") == "女单"
    assert other_category("2023年温网男单冠军", "阿尔卡拉斯夺得温网男单冠军，女单冠军是冯德鲁索娃") is None
    assert other_identifier(question, match_form("张虹，2014年索契冬奥会速度滑冰女子1000米金牌")) == "1000米"
    assert other_identifier(question, match_form(beijing)) is None
    assert "五次" in identifiers("全国政协十三届五次会议闭幕时间")


def test_a_latin_name_the_corpus_uses_is_a_key_term():
    """ "GDP" in a Chinese question is what separates the answer from 人口自然增长率; an English
    word of an English question is still mapped through the glossary."""
    texts = ["2022年重庆GDP同比增长2.6%", "2022年全市人口自然增长率为-2.11‰"]
    bm25 = BM25Index.build(tokenize(t) for t in texts)
    forms = [match_form(t) for t in texts]

    def occurs(term: str) -> bool:
        return any(term in form for form in forms)

    words = [g.word for g in key_terms("2022年重庆的GDP增长率", bm25, occurs)]
    assert "gdp" in words
    english = key_terms("What is the GDP growth rate of Chongqing?", bm25, occurs)
    assert all(g.unknown or g.word != "gdp" for g in english)


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


def test_a_role_needs_a_name_beside_it():
    question = "《七人乐队》的导演是谁？"
    no_name = "本届电影节大使郭富城表示，“《七人乐队》是一部很难得的作品，云集了香港七位大导演"
    assert not names_the_role(no_name, "导演", question)
    named = "《七人乐队》由洪金宝、许鞍华等七位导演联合执导"
    assert names_the_role(named, "导演", question)


def test_time_questions_ask_for_a_day_and_entities_must_be_in_the_passage():
    assert asks_day("神舟十六号发射时间？") and asks_day("《阿凡达：水之道》国内上映日期")
    assert not asks_day("养老保险交满多少年") and not asks_day("职业技能培训的时间有多长")
    groups = [TermGroup(w, (w,), 1.0) for w in ("2023", "全英", "羽毛球", "公开赛", "男单", "冠军")]
    named = [g.word for g in entity_terms("2023年全英羽毛球公开赛男单冠军？", groups)]
    assert "全英" in named and not {"2023", "羽毛球", "男单", "冠军"} & set(named)
    assert entity_terms("我是农民工,国家有没有帮我们提高技能的办法?", groups) == []


def test_objection_on_rgb_training_near_misses():
    """Sentences from passages that stay when the answer is withheld (scripts/rgb_withheld.py)."""

    other_open = "Wardoyo成功夺得2023年台北羽毛球公开赛男单冠军！"
    assert "全英" in why("2023年全英羽毛球公开赛男单冠军？", other_open)
    no_star = "《流浪地球2》上映4天，票房已超15亿元；"
    assert "主演" in why("《流浪地球2》的主演", no_star)
    no_day = "一起期待神舟十六号发射！各系统已经准备就绪"
    assert "day" in why("神舟十六号发射时间？", no_day)
    not_yet = (
        "中国东航回应称，“C919 将于2 月28 日执飞商业航班”，确实有计划进行商业首飞，具体时间尚未完全确定。"
    )
    assert "not known" in why("C919商业首飞时间", not_yet)
    other_subject = "说他们要求德国向波兰偿还上万亿美元的二战赔偿，造成波兰几百万人口的损失"
    assert "损失" in why("波兰要求德国赔偿二战损失多少钱", other_subject)
    answered = "北京时间5月30日9时31分，搭载神舟十六号载人飞船的运载火箭在酒泉卫星发射中心点火发射"
    assert why("神舟十六号发射时间？", answered) is None
    # A rate is stated by its stem and a percentage.
    assert why("2022年重庆的GDP增长率", "2022年重庆GDP同比增长2.6%") is None
    # A clause of nothing but times leads into the subject of the next one.
    summit = "当地时间2022年12月9日下午，首届中国—阿拉伯国家峰会在沙特首都利雅得举行。"
    assert why("首届中国—阿拉伯国家峰会的时间", summit) is None


def test_objection_on_counts_of_people_characters_and_results():
    """RGB training near misses: a count of the wrong things, an actor without the character, a
    match report without the result."""

    terms = "北京冬奥会结束后，澳大利亚奥委会运动员委员会选出新任主席——四届奥运会选手凯特·坎贝尔。"
    assert "people" in why("北京冬奥会澳大利亚运动员数量", terms)
    counted = "澳大利亚派出44名运动员参加北京冬奥会。"
    assert why("北京冬奥会澳大利亚运动员数量", counted) is None
    web = "《报告》显示，截至2022年6月，我国网民规模为10.51亿，互联网普及率达74.4%。"
    assert why("2022年6月我国网民规模有多少人？", web) is None
    cast = "由简川訸执导，雷佳音、袁泉领衔主演，张艺兴、梁冠华等主演的都市情感剧《相逢时节》正在浙江卫视播出"
    assert "character" in why("梁冠华在《相逢时节》中演的谁", cast)
    role = "梁冠华在《相逢时节》中饰演张立新，一位国企领导。"
    assert why("梁冠华在《相逢时节》中演的谁", role) is None
    assert "character" not in (why("《七人乐队》的导演是谁？", cast) or "")
    no_result = "中国女篮在2022年女篮世界杯小组赛最后一轮继续高奏凯歌。"
    assert "result" in why("2022年女篮世界杯中国女篮成绩", no_result)
    final = "中国女篮在2022年女篮世界杯决赛中以61:83负于美国队，获得亚军。"
    assert why("2022年女篮世界杯中国女篮成绩", final) is None


@pytest.mark.benchmark
def test_rgb_withheld_answers_are_refused(tmp_path):
    """RGB's own construction of unanswerable questions, applied to the training split's
    answerable ones (109 more unanswerable questions than RGB ships): the rules were tuned on it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("rgb_withheld", ROOT / "scripts" / "rgb_withheld.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    rows = script.refusals(benchmark_dir("rgb_zh"), "train", tmp_path / "cache")
    assert len(rows) == 109
    assert sum(r["refused"] for r in rows) / len(rows) >= 0.65


@pytest.mark.benchmark
def test_rgb_training_questions_refused_and_answered(capsys, tmp_path, monkeypatch):
    """The refusal goal on the split the rules were tuned on (even ids); odd ids are reported, not
    tested. Guards against a change that quietly undoes the evidence tests."""
    from app.cli import main as cli_main

    folder = benchmark_dir("rgb_zh")
    monkeypatch.setenv("GONGYOU_EVAL_CACHE", str(tmp_path / "cache"))
    argv = ["eval", "--json", "--benchmark", str(folder), "--split", "train", "--out", str(tmp_path / "out")]
    assert cli_main([*argv, "--embed-model", "offline"]) == 0
    answers = json.loads(capsys.readouterr().out)["answers"]
    assert answers["refusal_rate_unanswerable"]["value"] >= 0.6
    assert answers["false_refusal_rate"]["value"] <= 0.15


def test_kinds_of_leave_stay_whole_words():
    """Split, 陪产假 would become 陪/产假 and be answered with the 98 days of maternity leave."""
    assert "陪产假" in content_words("陪产假有几天？")
    assert "育儿假" in content_words("育儿假每年有几天？")
