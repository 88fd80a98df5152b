"""The shipped national laws through the app's own ingest: one article per passage, cited by short name.

Loads corpus/laws/ with the loader (metadata.json in the sub-folder), cleans and chunks each law
as `gongyou build` does, and checks every article of the file comes out as its own passage, in
order, cited as 《劳动合同法》第四十七条.
"""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path

import pytest
from laws_fixtures import LAW_FILES, LAWS, METADATA, ROOT, load_build_laws

from app.ingest.chunk import chunk_document
from app.ingest.clean import clean_document
from app.ingest.walk import load_corpus
from app.models import Chunk, DocMeta, Hit
from app.present import citation_label
from app.settings import current

build_laws = load_build_laws()

# Its official title holds 《中华人民共和国工会法》: cited with the inner marks as 〈〉.
NESTED_TITLE = "spc-trade-union-law-civil-trials-interpretation.txt"


@pytest.fixture(scope="module")
def laws() -> dict[str, tuple[DocMeta, list[Chunk]]]:
    docs, report = load_corpus(LAWS)
    assert not report.skipped and not report.warnings, report.summary()
    return {Path(d.doc_id).name + ".txt": (d.meta, chunk_document(clean_document(d))) for d in docs}


def test_the_loader_reads_every_law_with_its_metadata(laws) -> None:
    assert sorted(laws) == LAW_FILES
    for name, (meta, _) in laws.items():
        entry = METADATA[name]
        assert (meta.title, meta.publisher, meta.date) == (entry["title"], entry["publisher"], entry["date"])
        assert (meta.region, meta.script, meta.source_site) == ("全国", "simplified", None)
        assert (meta.extra["law"], meta.extra["type"], meta.extra["excerpt"]) == (
            entry["law"], entry["type"], entry["excerpt"],
        )  # fmt: skip


@pytest.mark.parametrize("name", LAW_FILES)
def test_every_article_is_its_own_passage_in_order(laws, name: str) -> None:
    _, chunks = laws[name]
    _, articles = build_laws.parse_law_text((LAWS / name).read_text(encoding="utf-8"))
    assert all(c.article for c in chunks), "a passage outside any article"
    runs = [(article, list(run)) for article, run in groupby(chunks, key=lambda c: c.article)]
    assert [article for article, _ in runs] == [a.number for a in articles]
    # One passage an article: the longest shipped article (802 characters) is far below the limit.
    assert max(len(a.text) for a in articles) < current().article_max_chars
    for number, pieces in runs:
        assert len(pieces) == 1, f"{number} cut into {len(pieces)} passages"
        assert pieces[0].text.startswith(number + " ")


@pytest.mark.parametrize("name", LAW_FILES)
def test_passages_are_cited_by_the_short_name_in_answers_and_the_full_title_in_sources(laws, name) -> None:
    meta, chunks = laws[name]
    chunk = chunks[-1]
    hit = Hit(chunk=chunk, meta=meta, score=1.0)
    label, full = citation_label(hit), citation_label(hit, full=True)
    if name == NESTED_TITLE:
        inner = meta.title.replace("《", "〈").replace("》", "〉")
        assert label == full == f"《{inner}》{chunk.article}" and "〈中华人民共和国工会法〉" in label
    else:
        assert label == f"《{METADATA[name]['law']}》{chunk.article}"
        assert full == f"《{meta.title}》{chunk.article}"


def test_a_labour_contract_law_article_reads_as_a_worker_sees_it(laws) -> None:
    meta, chunks = laws["labour-contract-law.txt"]
    chunk = next(c for c in chunks if c.article == "第四十七条")
    assert citation_label(Hit(chunk=chunk, meta=meta, score=1.0)) == "《劳动合同法》第四十七条"
    assert "经济补偿按劳动者在本单位工作的年限" in chunk.text
    assert citation_label(Hit(chunk=chunk, meta=meta, score=1.0), "zh-Hant") == "《勞動合同法》第四十七條"


def test_the_shipped_corpus_still_holds_the_policy_documents() -> None:
    """The laws sit beside the five policy documents, never in their place."""
    docs, report = load_corpus(ROOT / "corpus")
    assert not report.skipped, report.summary()
    top_level = [d for d in docs if "/" not in d.doc_id]
    assert len(top_level) == 5
    assert len(docs) == 5 + len(METADATA)


def test_the_labour_statutes_set_holds_on_the_shipped_corpus(laws) -> None:
    """`gongyou eval --set eval/labour_statutes.jsonl` scores against the shipped corpus: every gold
    article is shipped and states the answer, and no shipped text says what an unanswerable
    question asks (the policy documents included)."""
    from app.evaluation.datasets import norm

    articles = {}
    for meta, chunks in laws.values():
        for chunk in chunks:
            articles[meta.extra["law"] + chunk.article] = norm(chunk.text)
    docs, _ = load_corpus(ROOT / "corpus")
    everything = norm("\n".join(clean_document(d).text for d in docs))
    rows = [json.loads(line) for line in (ROOT / "eval" / "labour_statutes.jsonl").open(encoding="utf-8")]
    assert len(rows) == 56
    for row in rows:
        for gold in row["gold_ids"]:
            assert gold in articles, (row["id"], gold)
        for part in row["answer_parts"]:
            assert any(norm(alt) in articles[g] for g in row["answer_bearing_ids"] for alt in part), row["id"]
        for phrase in row.get("absent", []):
            assert norm(phrase) not in everything, (row["id"], phrase)
