"""The national labour laws shipped in corpus/laws/: their files parse and their metadata is complete.

Needs nothing outside the repository. That each file holds exactly LeCoQA's articles is checked in
tests/benchmark/test_laws_from_lecoqa.py; how the app chunks and cites them in
tests/integration/test_laws_shipped.py.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from laws_fixtures import LAWS, METADATA, load_build_laws

build_laws = load_build_laws()
FILES = sorted(p.name for p in LAWS.glob("*.txt"))

# Who may enact each type of text.
ISSUERS = {
    "法律": {"全国人民代表大会", "全国人民代表大会常务委员会"},
    "行政法规": {"国务院"},
    "司法解释": {"最高人民法院"},
    "部门规章": {"人力资源和社会保障部"},
    "部门规范性文件": {"人力资源和社会保障部", "劳动部（现人力资源和社会保障部）"},
}
REQUIRED = {"title", "publisher", "date", "region", "script", "source_site", "law", "type", "articles",
            "excerpt", "note", "source"}  # fmt: skip
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.txt$")


def short_name(title: str) -> str:
    """中华人民共和国劳动合同法 → 劳动合同法; …适用《中华人民共和国工会法》… → …适用工会法…"""
    return re.sub(r"《中华人民共和国(.+?)》", r"\1", title).removeprefix("中华人民共和国")


def test_chinese_numbers_and_article_order() -> None:
    numbers = ("一", "十", "十二", "八十二", "一百零五", "二百一十", "一千零一十", "一千一百九十二")
    assert [build_laws.chinese_number(t) for t in numbers] == [1, 10, 12, 82, 105, 210, 1010, 1192]
    articles = ["第二百七十六条之一", "第二百四十四条", "第二百七十六条", "第二百四十四条之一", "第十条"]
    assert sorted(articles, key=build_laws.article_key) == [
        "第十条", "第二百四十四条", "第二百四十四条之一", "第二百七十六条", "第二百七十六条之一",
    ]  # fmt: skip
    with pytest.raises(ValueError):
        build_laws.article_key("第十二章")


def test_a_rendered_law_parses_back_to_the_same_articles() -> None:
    articles = [
        build_laws.Article("第一条", "为了保护劳动者的合法权益，制定本法。"),
        build_laws.Article("第二条", "用人单位应当：\n（一）按时支付工资；\n\n（二）缴纳社会保险费。"),
        build_laws.Article("第二条之一", "本条说的“第三条”不是新的一条。"),
    ]
    text = build_laws.render_law("中华人民共和国刑法", articles, excerpt=True)
    assert text.startswith("中华人民共和国刑法（节选）\n\n第一条 为了")
    assert build_laws.parse_law_text(text) == ("中华人民共和国刑法（节选）", articles)


def test_every_shipped_file_has_metadata_and_a_readable_ascii_name() -> None:
    assert FILES, "corpus/laws/ holds no law"
    assert sorted(METADATA) == FILES
    assert all(SLUG.match(name) for name in FILES), FILES


@pytest.mark.parametrize("name", FILES)
def test_a_law_parses_into_articles_in_order_without_duplicates(name: str) -> None:
    entry = METADATA[name]
    text = (LAWS / name).read_text(encoding="utf-8")
    assert "\r" not in text and not text.startswith("\ufeff") and text.endswith("\n")
    title, articles = build_laws.parse_law_text(text)
    assert title == entry["title"] + ("（节选）" if entry["excerpt"] else "")
    keys = [build_laws.article_key(a.number) for a in articles]
    assert keys == sorted(set(keys)), "articles out of order or repeated"
    assert len(articles) == entry["articles"]
    assert all(a.text and a.text == a.text.strip() for a in articles)
    if not entry["excerpt"]:  # a whole law starts at its first article
        assert articles[0].number == "第一条"


@pytest.mark.parametrize("name", FILES)
def test_law_metadata_has_every_field_with_allowed_values(name: str) -> None:
    entry = METADATA[name]
    assert not REQUIRED - set(entry), f"missing {REQUIRED - set(entry)}"
    assert entry["publisher"] in ISSUERS[entry["type"]]
    assert entry["law"] == short_name(entry["title"])
    assert (entry["region"], entry["script"]) == ("全国", "simplified")
    if entry["date"] is not None:
        date = dt.date.fromisoformat(entry["date"])
        assert dt.date(1990, 1, 1) < date <= dt.date.today()
    assert isinstance(entry["articles"], int) and entry["articles"] > 0
    assert isinstance(entry["excerpt"], bool)
    assert ("excerpt_note" in entry) == entry["excerpt"]
    if entry["excerpt"]:
        assert "节选" in entry["excerpt_note"]
    assert "全国" in entry["note"] and "地方" in entry["note"]


def test_the_catalogue_says_why_each_text_is_shipped_or_kept_out() -> None:
    catalogue = build_laws.read_catalogue()
    assert len({e["law"] for e in catalogue}) == len(catalogue)
    shipped = build_laws.shipped(catalogue)
    assert sorted(e["file"] for e in shipped) == FILES
    for entry in catalogue:
        assert entry["group"] in ("labour", "protects_workers"), entry["law"]
        assert entry["date_evidence"], entry["law"]
        if entry["group"] != "labour":  # a text beyond the benchmark's 28 says what workers need it for
            assert entry["why"], entry["law"]
        if not entry.get("ship", True):
            assert entry["not_shipped_because"], entry["law"]
    for entry in shipped:
        meta = METADATA[entry["file"]]
        assert (meta["title"], meta["publisher"], meta["date"], meta["type"], meta["law"]) == (
            entry["title"], entry["publisher"], entry["date"], entry["type"], entry["short"],
        )  # fmt: skip


def test_the_build_fails_clearly_without_the_benchmark(tmp_path: Path, capsys) -> None:
    absent = tmp_path / "lecoqa"
    assert build_laws.main(["--lecoqa", str(absent), "--out", str(tmp_path / "laws")]) == 2
    message = capsys.readouterr().err
    assert str(absent) in message and "--lecoqa" in message
    assert not (tmp_path / "laws").exists()
