"""What a refusal says the documents hold, worked out from the shipped corpus; labels of laws.

The corpus is loaded and chunked as `gongyou build` does (no index, no model needed).
"""

from __future__ import annotations

import pytest
from laws_fixtures import METADATA, ROOT

from app.answer.holdings import Holdings, shared_theme, summarise_holdings
from app.answer.labels import book_title, citation_label
from app.answer.messages import holdings_phrase, refusal_text
from app.ingest.chunk import chunk_document
from app.ingest.clean import clean_document
from app.ingest.walk import load_corpus
from app.models import Chunk, DocMeta, Hit


@pytest.fixture(scope="module")
def shipped() -> Holdings:
    docs, _ = load_corpus(ROOT / "corpus")
    chunks = [c for d in docs for c in chunk_document(clean_document(d))]
    return summarise_holdings(chunks, {d.doc_id: d.meta for d in docs})


def test_the_shipped_corpus_holds_the_national_laws_and_five_policy_documents(shipped: Holdings) -> None:
    assert len(shipped.laws) == len(METADATA) and shipped.laws_national
    # 法律 first, the larger first: 安全生产法 (119 articles), 劳动法 (107), then 98 each
    assert shipped.laws[:4] == ("安全生产法", "劳动法", "劳动合同法", "社会保险法")
    assert shipped.laws.index("工伤保险条例") < shipped.laws.index(
        "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）"
    )
    assert shipped.documents == 5
    assert shipped.theme == "产业工人队伍建设改革"  # in four of the five titles
    assert shipped.regions == ("全国", "云南省", "湖北省")  # 全国 first, then by count and name
    assert shipped.years == (2019, 2024)


def test_the_refusal_says_what_the_index_holds_in_the_workers_script(shipped: Holdings) -> None:
    simplified = refusal_text("zh-Hans", shipped)
    assert (
        f"本系统收录的是{len(METADATA)}部全国性法律法规（安全生产法、劳动法、劳动合同法、社会保险法等）"
        in simplified
    )
    assert "和5份关于产业工人队伍建设改革的文件（全国、" in simplified and "2019—2024年）" in simplified
    assert "12351" in simplified and "工资待遇与权益保障" not in simplified
    traditional = refusal_text("zh-Hant", shipped)
    assert (
        "全國性法律法規（安全生產法、勞動法、勞動合同法" in traditional
        and "產業工人隊伍建設改革" in traditional
    )
    english = refusal_text("en", shipped)
    laws = f"The documents here are {len(METADATA)} national laws and regulations (安全生产法, 劳动法"
    assert laws in english
    assert "5 documents on 产业工人队伍建设改革" in english


def test_an_index_of_other_documents_is_described_by_them() -> None:
    docs = {
        "a": DocMeta(title="夜班补贴发放办法通知", region="广东省", date="2021-03-01"),
        "b": DocMeta(title="高温津贴发放办法通知", region="广东省", date="2021-07-01"),
    }
    chunks = [Chunk("a#0", "a", "夜班补贴每晚30元。", 0, 10), Chunk("b#0", "b", "高温津贴每月300元。", 0, 11)]
    held = summarise_holdings(chunks, docs)
    assert held.laws == () and held.documents == 2 and held.theme == "发放办法通知"
    assert holdings_phrase(held, "zh-Hans") == "2份关于发放办法通知的文件（广东省；2021年）"
    assert shared_theme(["劳动合同", "工伤保险", "社会保险法"]) is None  # nothing in more than half


def test_laws_are_cited_short_in_answers_and_in_full_in_source_lines() -> None:
    meta = DocMeta(title="中华人民共和国劳动合同法", extra={"law": "劳动合同法"})
    hit = Hit(
        chunk=Chunk("l#46", "l", "第四十七条 经济补偿…", 0, 9, article="第四十七条"), meta=meta, score=1.0
    )
    assert citation_label(hit) == "《劳动合同法》第四十七条"
    assert citation_label(hit, full=True) == "《中华人民共和国劳动合同法》第四十七条"
    assert citation_label(hit, "zh-Hant", full=True) == "《中華人民共和國勞動合同法》第四十七條"
    nested = "最高人民法院关于在民事审判工作中适用《中华人民共和国工会法》若干问题的解释"
    assert (
        book_title(nested) == "《最高人民法院关于在民事审判工作中适用〈中华人民共和国工会法〉若干问题的解释》"
    )
