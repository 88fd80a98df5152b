"""The general refusal rules (any question): the key terms, the identifiers and years asked, and a
figure of the type asked for, about the thing, year and place asked. Examples are real questions
from the development set, LeCoQA and RGB (training ids), with sentences from their passages."""

from __future__ import annotations

from evidence_helpers import case, hit, rule

from app.answer.evidence.answer_types import ANSWER_TYPES
from app.answer.evidence.registry import first_refusal
from app.answer.evidence.rules.figures import contradicted_years, narrower_places
from app.answer.evidence.rules.identity import identifiers, other_identifier, years_not_concerned
from app.answer.evidence.terms import key_terms
from app.index.bm25 import BM25Index
from app.models import Refusal
from app.text.normalize import match_form
from app.text.segment import content_words, tokenize


def states(name: str):
    return next(t.states for t in ANSWER_TYPES if t.name == name)


def test_identifiers_are_numbers_periods_and_ordinals():
    assert "1500米" in identifiers("北京冬奥会男子1500米速度滑冰比赛中谁获得了金牌？")
    assert identifiers("2022年8月我国汽车出口量") == ["8月"]  # the year is checked on its own
    assert "上半年" in identifiers("汤臣倍健2022年上半年的营收为多少？")
    assert "mix4" in identifiers("小米MIX4的处理器是什么")
    assert "第七届" in identifiers("第七届香港立法会议员宣誓仪式的时间")
    assert "五次" in identifiers("全国政协十三届五次会议闭幕时间")
    assert identifiers("业主需要承担二次供水费用吗？") == []
    assert identifiers("By 2025, how many technical experts does Yunnan plan?") == []


def test_an_identifier_the_passage_lacks_or_another_of_its_kind_refuses():
    question = "北京冬奥会男子1500米速度滑冰比赛中谁获得了金牌？"
    beijing = "高亭宇在北京冬奥会速度滑冰男子500米比赛中夺得金牌"
    assert rule(question, beijing) == "identity.identifier_missing"
    other = "张虹，2014年索契冬奥会速度滑冰女子1000米金牌"
    assert other_identifier("北京冬奥会男子500米速度滑冰金牌", match_form(other)) == "1000米"
    # The passage names 500米 (so the identifier is there) but the sentence is about 1000米.
    tried = case("北京冬奥会男子500米速度滑冰金牌", other)
    tried.hits[0].chunk.text = "男子500米的比赛在前一天结束。" + other
    found = first_refusal("answer", tried)
    assert found == Refusal("identity.other_identifier", "the answer is about 1000米")


def test_a_figure_of_another_year_or_a_narrower_place_refuses():
    figure = states("figure")
    sentence = "北京大兴机场2020年旅客吞吐量突破1600万人次"
    assert contradicted_years(sentence, "2021年北京大兴机场年旅客吞吐量", figure) == ["2021"]
    assert rule("2021年北京大兴机场年旅客吞吐量", sentence) == "figures.other_year"
    # A year after 比 compares; it does not date the figure.
    compared = "人口出生率为7.52‰，比2020年下降1.0个千分点"
    assert contradicted_years(compared, "我国2021年人口出生率", states("share")) == []
    sichuan = "报告显示，四川省近三年高考报名人数呈上涨趋势，2022年高考报名人数达77万人"
    assert narrower_places(sichuan, "2022年高考报名人数", figure) == ["四川省"]
    assert narrower_places(sichuan, "2022年四川高考报名人数", figure) == []
    assert rule("2022年高考报名人数", sichuan) == "figures.narrower_place"
    assert rule("2022年高考报名人数", "2022年高考报名人数达1193万人") is None


def test_a_year_compared_with_or_spanned_is_not_the_year_of_the_figure():
    compared = "人口出生率为6.77‰，比2021年下降0.75个千分点；"
    assert years_not_concerned("我国2021年人口出生率", compared, hit(compared)) == ["2021"]
    assert rule("我国2021年人口出生率", compared) == "identity.other_year"
    spanned = "2013—2021年,我国工业增加值年均增长6.1%，远高于世界其他主要经济体增长水平。"
    assert years_not_concerned("2021年我国工业增加值增长了多少？", spanned, hit(spanned)) == ["2021"]
    # Dated elsewhere in the sentence, or a span the question asks about itself: fine.
    dated = "2014-2022年中国电影票房收入统计，2022年国产电影总票房完成255.11亿元"
    assert years_not_concerned("2022年中国电影的总票房收入", dated, hit(dated)) == []
    season = "辽宁队4-0横扫广厦夺得2021-2022赛季CBA总冠军"
    assert years_not_concerned("CBA2021-2022赛季总冠军", season, hit(season)) == []


def test_a_sentence_must_state_the_type_asked_and_count_the_people_asked():
    assert rule("德余高速乌江特大桥主桥多长", "德余高速乌江特大桥正在建设中") == "figures.not_stated"
    assert rule("德余高速乌江特大桥主桥多长", "德余高速乌江特大桥主桥长504米") is None
    terms = "北京冬奥会结束后，澳大利亚奥委会运动员委员会选出新任主席——四届奥运会选手凯特·坎贝尔。"
    assert rule("北京冬奥会澳大利亚运动员数量", terms) == "figures.not_people"
    assert rule("北京冬奥会澳大利亚运动员数量", "澳大利亚派出44名运动员参加北京冬奥会。") is None
    web = "《报告》显示，截至2022年6月，我国网民规模为10.51亿，互联网普及率达74.4%。"
    assert rule("2022年6月我国网民规模有多少人？", web) is None
    # A rate is stated by its stem and a percentage.
    assert rule("2022年重庆的GDP增长率", "2022年重庆GDP同比增长2.6%") is None


def test_a_figure_about_something_else_refuses():
    """2.5亿元 is stated beside 送温暖资金, though the sentence also names 医疗互助缴费."""
    question = "医疗互助的缴费标准是多少？"
    sentence = "全国总工会筹集送温暖资金2.5亿元，走访慰问困难职工，医疗互助缴费另行规定。"
    assert rule(question, sentence) == "figures.about_something_else"
    assert rule(question, "医疗互助缴费标准为每人每年30元。") is None


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


def test_kinds_of_leave_stay_whole_words():
    """Split, 陪产假 would become 陪/产假 and be answered with the 98 days of maternity leave."""
    assert "陪产假" in content_words("陪产假有几天？")
    assert "育儿假" in content_words("育儿假每年有几天？")
