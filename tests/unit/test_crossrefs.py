"""Cross-references on the shipped laws: 第四十八条 → 第八十七条 → 第四十七条, 前款, another law's article.

The laws are loaded and chunked as `gongyou build` does (no index, no model: the resolver only
needs the passages and their metadata).
"""

from __future__ import annotations

import pytest
from laws_fixtures import article, law_articles

from app.answer.crossrefs import ArticleIndex, follow_references, paragraphs, pointers
from app.answer.evidence.answer_types import answer_type
from app.answer.evidence.terms import TermGroup
from app.answer.labels import citation_label, law_article
from app.models import Citation, Hit


@pytest.fixture(scope="module")
def articles() -> ArticleIndex:
    return law_articles()


def groups(*words: str) -> list[TermGroup]:
    return [TermGroup(w, (w,), 1.0) for w in words]


def follow(articles: ArticleIndex, hit: Hit, sentence: str, *words: str, question: str = "能赔多少"):
    citations = [Citation(1, hit, [sentence])]
    wanted = answer_type(question)
    refs = follow_references([(citations[0], sentence)], citations, articles, groups(*words),
                             wanted.states if wanted else None, "zh-Hans")  # fmt: skip
    return refs, citations


def test_every_shipped_article_is_indexed_once_by_law_and_number(articles: ArticleIndex) -> None:
    assert len(articles) == 1492
    assert law_article(article(articles, "劳动合同法", "第四十七条")) == ("劳动合同法", "第四十七条")
    assert articles.names["中华人民共和国劳动合同法"] == "劳动合同法"
    assert articles.law_ending("依照劳动合同法") == "劳动合同法"


def test_pointers_name_this_law_another_law_or_a_paragraph(articles: ArticleIndex) -> None:
    found = pointers(
        "依照本法第八十七条规定支付赔偿金；适用《中华人民共和国劳动法》第二十五条第一款", articles
    )
    assert [(p.written, p.law, p.article, p.paragraphs) for p in found] == [
        ("本法第八十七条", None, "第八十七条", ()),
        ("《中华人民共和国劳动法》第二十五条第一款", "劳动法", "第二十五条", (1,)),
    ]
    bare = pointers("符合劳动合同法第十四条规定的，依照前两款处理，并按本条第三款执行", articles)
    assert [(p.law, p.article, p.paragraphs) for p in bare] == [
        ("劳动合同法", "第十四条", ()), (None, None, (-2, -1)), (None, None, (3,)),
    ]  # fmt: skip
    assert pointers("依照《中华人民共和国民事诉讼法》第二百条执行", articles) == []  # not in the corpus


def test_an_unlawful_dismissal_leads_to_the_compensation_figure(articles: ArticleIndex) -> None:
    """第四十八条 says 依照本法第八十七条; 第八十七条 says 第四十七条规定的经济补偿标准的二倍."""
    hit = article(articles, "劳动合同法", "第四十八条")
    sentence = next(s for s in hit.chunk.text.split("；") if "第八十七条" in s)
    refs, citations = follow(articles, hit, sentence, "赔偿", "经济补偿")
    assert [r.label for r in refs] == ["《劳动合同法》第八十七条", "《劳动合同法》第四十七条"]
    assert "二倍" in refs[0].sentence and "每满一年支付一个月工资" in refs[1].sentence
    assert [c.n for c in citations] == [1, 2, 3]
    assert citations[1].via == "[1] 本法第八十七条" and citations[2].via == "[2] 本法第四十七条"
    assert citation_label(citations[2].hit, "zh-Hant") == "《勞動合同法》第四十七條"


def test_a_previous_paragraph_is_shown_from_the_same_article(articles: ArticleIndex) -> None:
    """劳动合同法第二十四条 paragraph 2: 前款规定的人员…竞业限制期限，不得超过二年."""
    hit = article(articles, "劳动合同法", "第二十四条")
    first, second = paragraphs(hit.chunk.text)
    assert first.startswith("竞业限制的人员限于") and "不得超过二年" in second
    refs, citations = follow(articles, hit, second, "竞业限制", "人员", question="哪些人要竞业限制")
    assert [r.label for r in refs] == ["《劳动合同法》第二十四条第一款"]
    assert refs[0].sentence.startswith("竞业限制的人员限于用人单位的高级管理人员")
    assert refs[0].citation is citations[0] and len(citations) == 1  # the same passage, no new citation


def test_another_laws_article_is_resolved_by_its_name(articles: ArticleIndex) -> None:
    """The SPC interpretation (一) cites 劳动合同法第八十五条 by name, without 本法."""
    law = "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）"
    hit = next(
        h
        for number in (f"第{n}条" for n in "一二三四五六七八九十")
        for h in articles.parts(law, number)
        if "劳动合同法第八十五条" in h.chunk.text
    )
    sentence = next(s for s in hit.chunk.text.split("\n") if "劳动合同法第八十五条" in s)
    refs, citations = follow(articles, hit, sentence, "加付赔偿金")
    assert refs[0].label == "《劳动合同法》第八十五条"
    assert citations[1].hit.meta.title == "中华人民共和国劳动合同法"


def test_references_stop_at_the_limits(articles: ArticleIndex) -> None:
    from app.settings import override

    hit = article(articles, "劳动合同法", "第四十八条")
    sentence = next(s for s in hit.chunk.text.split("；") if "第八十七条" in s)
    with override(crossref_depth=1):
        assert [r.label for r in follow(articles, hit, sentence, "赔偿")[0]] == ["《劳动合同法》第八十七条"]
    with override(crossref_max=0):
        assert follow(articles, hit, sentence, "赔偿")[0] == []
