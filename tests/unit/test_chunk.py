"""Chunk spans, headings, pages and law articles."""

from __future__ import annotations

from conftest import CORPUS

from app.ingest.chunk import chunk_document
from app.ingest.clean import clean_text
from app.models import PAGE_BREAK, CleanDocument, DocMeta
from app.settings import override


def _clean(name: str) -> CleanDocument:
    path = CORPUS / name
    return CleanDocument(path.stem, clean_text(path.read_text(encoding="utf-8")), DocMeta(title=path.stem))


def test_every_chunk_span_points_at_its_text_in_every_shipped_document() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        doc = _clean(path.name)
        chunks = chunk_document(doc, chunk_size=300, chunk_overlap=50)
        assert chunks, path.name
        for chunk in chunks:
            assert doc.text[chunk.start : chunk.end] == chunk.text
            assert len(chunk.text) <= 300
        # Nothing is lost between chunks: a line no span covers is a short heading, never a sentence.
        covered = set()
        for chunk in chunks:
            covered.update(range(chunk.start, chunk.end))
        for offset, line in _lines_with_offsets(doc.text):
            if line.strip() and not covered.intersection(range(offset, offset + len(line))):
                assert len(line) <= 60 and line.strip()[-1] not in "。；！？", line


def _lines_with_offsets(text: str):
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def test_chunks_keep_nearest_section_heading() -> None:
    chunks = chunk_document(_clean("yunnan-14th-five-year-plan-industrial-workers.txt"))
    by_text = {c.text[:20]: c.heading for c in chunks}
    heading_of_target = next(
        c.heading for c in chunks if "新增取得職業資格證書或職業技能等級證書100萬人" in c.text
    )
    assert heading_of_target == "專欄三 素質提升"
    assert any(h == "(一)指導思想" for h in by_text.values())


def test_chunks_end_on_sentence_boundaries_where_possible() -> None:
    chunks = chunk_document(_clean("2024-10-21-central-opinions-industrial-worker-reform.txt"), 120, 20)
    endings = [c.text[-1] for c in chunks]
    assert sum(e in "。；！？" for e in endings) >= 0.8 * len(endings)


def test_page_numbers_counted_from_page_breaks() -> None:
    text = f"夜班补贴规定\n\n第一页讲适用范围。{PAGE_BREAK}第二页讲夜班补贴每晚30元。"
    doc = CleanDocument("night", text, DocMeta(title="夜班补贴规定", source_path="night.pdf"))
    chunks = chunk_document(doc)
    page_of = {c.text: c.page for c in chunks}
    assert page_of["第二页讲夜班补贴每晚30元。"] == 2
    assert any(p == 1 for p in page_of.values())


def test_laws_are_chunked_one_article_per_chunk_with_the_chapter() -> None:
    law = "\n".join([
        "中华人民共和国劳动合同法",
        "第一章 总则",
        "第一条 为了完善劳动合同制度，制定本法。",
        "第二条 中华人民共和国境内的企业建立劳动关系，适用本法。",
        "第七章 法律责任",
        "第八十二条 用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，"
        "应当向劳动者每月支付二倍的工资。",
        "第八十三条 用人单位违反本法规定与劳动者约定试用期的，由劳动行政部门责令改正。",
    ])  # fmt: skip
    chunks = chunk_document(CleanDocument("law", law, DocMeta(title="劳动合同法")))
    article = next(c for c in chunks if c.article == "第八十二条")
    assert article.heading == "第七章 法律责任"
    assert "二倍的工资" in article.text and "第八十三条" not in article.text
    assert {c.article for c in chunks} >= {"第一条", "第二条", "第八十二条", "第八十三条"}


def test_ready_passages_are_kept_whole_up_to_twice_the_chunk_size() -> None:
    text = "劳动者" * 200  # 600 characters: an article-sized passage
    chunks = chunk_document(CleanDocument("p1", text, DocMeta(title="p1"), is_passage=True))
    assert len(chunks) == 1 and chunks[0].text == text and chunks[0].chunk_id == "p1#0"


def test_a_long_ready_passage_is_split_like_a_document() -> None:
    """Issue 18, defect 2: one 60 MB .jsonl line was one passage; every answer citing it was 180 MB."""
    sentence = "劳动者依法享有获得劳动报酬的权利，用人单位不得克扣或者无故拖欠劳动者的工资。"
    text = sentence * 500  # 19,000 characters
    chunks = chunk_document(CleanDocument("p1", text, DocMeta(title="p1"), is_passage=True))
    assert len(chunks) > 60 and max(len(c.text) for c in chunks) <= 300
    assert [c.chunk_id for c in chunks[:2]] == ["p1#0", "p1#1"]
    assert all(text[c.start : c.end] == c.text for c in chunks)
    assert chunks[-1].end == len(text)  # nothing lost at the end


def test_spans_of_periodic_text_advance() -> None:
    """The splitter's pieces of "劳动者劳动者…" used to be found one character after the last one."""
    text = "劳动者" * 1000  # beyond article_max_chars, so it is split
    chunks = chunk_document(CleanDocument("p1", text, DocMeta(title="p1"), is_passage=True))
    starts = [c.start for c in chunks]
    assert starts == sorted(starts) and starts[1] >= 250 and chunks[-1].end == len(text)


def _law(title: str, *articles: str, meta: DocMeta | None = None) -> list:
    text = "\n".join([title, "", *articles])  # as the shipped laws: the title, a blank line, the articles
    return chunk_document(CleanDocument("law", text, meta or DocMeta(title=title)))


def test_a_law_is_known_by_its_title_or_metadata_not_by_how_many_articles_it_has() -> None:
    two = ("第一条 为了保护劳动者的合法权益，制定本规定。", "第二条 用人单位应当按月支付工资。")
    assert [c.article for c in _law("工资支付规定", *two)] == ["第一条", "第二条"]
    excerpt = DocMeta(title="刑法节选", extra={"type": "法律", "law": "刑法"})
    one = _law(
        "刑法节选", "第二百七十六条之一 以转移财产、逃匿等方法逃避支付劳动者的劳动报酬……", meta=excerpt
    )
    assert [c.article for c in one] == ["第二百七十六条之一"]
    # A notice that quotes one article in passing is no law: its text stays in ordinary passages.
    notice = "\n".join(
        [
            "关于做好工资支付工作的通知",
            "各单位：",
            "依照劳动法规定，",
            "第五十条 工资应当以货币形式按月支付。",
            "请遵照执行。",
        ]
    )
    chunks = chunk_document(CleanDocument("n", notice, DocMeta(title="关于做好工资支付工作的通知")))
    assert all(c.article is None for c in chunks)


def test_a_long_article_stays_whole_and_a_giant_one_keeps_its_label_on_every_part() -> None:
    items = "".join(
        f"（{n}）从事第{n}类有毒有害作业的，用人单位应当提供防护用品并组织职业健康检查；"
        for n in "一二三四五六七八九十"
    )
    long_article = (
        "第十六条 女职工禁忌从事的劳动范围：" + items * 2
    )  # about 800 characters, like the shipped one
    chunks = _law(
        "女职工劳动保护特别规定",
        "第一条 为了减少和解决女职工在劳动中因生理特点造成的特殊困难，制定本规定。",
        long_article,
    )
    assert len(long_article) > 600 and [c.article for c in chunks] == ["第一条", "第十六条"]
    with override(article_max_chars=300):
        parts = _law("女职工劳动保护特别规定", long_article)
    assert len(parts) >= 3 and {c.article for c in parts} == {"第十六条"}
    assert "".join(p.text for p in parts).count("（十）") >= 2
