"""Citation metadata: metadata.json beside the documents, and the title/date/publisher/region heuristics."""

from __future__ import annotations

import json

import pytest
from fixtures_docs import SIMPLIFIED, TRADITIONAL

from app.ingest.metadata import (
    extract_meta,
    find_date,
    find_publisher,
    guess_region,
    guess_title,
    read_metadata,
    split_web_title,
)
from app.ingest.report import LoadError
from app.ingest.walk import load_corpus
from app.text.normalize import detect_document_script

# --------------------------------------------------------------------------- metadata and paths


def test_metadata_json_overrides_field_by_field_in_subfolders(tmp_path):
    laws = tmp_path / "法律"
    laws.mkdir()
    (laws / "劳动合同法.txt").write_text(
        "中华人民共和国劳动合同法（2012年修正） 第一章 总则\n第一条 为了完善劳动合同制度……",
        encoding="utf-8",
    )
    (laws / "metadata.json").write_text(
        json.dumps({"劳动合同法.txt": {"date": "2012-12-28", "publisher": "全国人大常委会", "law_no": 73}}),
        encoding="utf-8",
    )
    [doc], report = load_corpus(tmp_path)
    assert doc.doc_id == "法律/劳动合同法"
    assert doc.meta.source_path == "法律/劳动合同法.txt"
    assert doc.meta.title == "中华人民共和国劳动合同法（2012年修正）"  # from the law name on the first line
    assert doc.meta.region == "全国"
    assert (doc.meta.date, doc.meta.publisher) == ("2012-12-28", "全国人大常委会")
    assert doc.meta.extra["law_no"] == 73
    assert report.loaded == ["法律/劳动合同法.txt"]


def test_read_metadata(tmp_path):
    assert read_metadata(tmp_path) == {}
    (tmp_path / "metadata.json").write_text('{"_about": "x", "a.txt": {"title": "甲"}}', encoding="utf-8")
    assert read_metadata(tmp_path) == {"a.txt": {"title": "甲"}}
    (tmp_path / "metadata.json").write_text('{"a.txt": {"title": "甲",}}', encoding="utf-8")
    with pytest.raises(LoadError, match=r"metadata.json is not valid JSON: .* line 1 column"):
        read_metadata(tmp_path)
    (tmp_path / "metadata.json").write_text('["a.txt"]', encoding="utf-8")
    with pytest.raises(LoadError, match="must be a JSON object"):
        read_metadata(tmp_path)


def test_broken_metadata_is_a_warning_and_documents_still_load(tmp_path):
    (tmp_path / "a.txt").write_text("工会法\n内容", encoding="utf-8")
    (tmp_path / "metadata.json").write_text("{broken", encoding="utf-8")
    docs, report = load_corpus(tmp_path)
    assert docs[0].meta.title == "工会法"
    assert report.warnings[0][0] == "metadata.json"
    assert "not valid JSON" in report.warnings[0][1] and "metadata ignored" in report.warnings[0][1]


# --------------------------------------------------------------------------- heuristics


def test_title_heuristics():
    assert guess_title("\n\n  关于做好工资支付工作的通知  \n正文", "f") == "关于做好工资支付工作的通知"
    assert guess_title("长" * 61 + "\n正文", "file-name") == "file-name"
    assert guess_title("会议于昨日召开。\n正文", "file-name") == "file-name"  # a sentence is no title
    assert guess_title("中华人民共和国劳动法 第一章 总则 " + "第一条" * 30, "f") == "中华人民共和国劳动法"
    assert guess_title("中华人民共和国劳动合同法实施条例\n", "f") == "中华人民共和国劳动合同法实施条例"
    assert split_web_title("不断把产业工人队伍建设改革引向深入-工会-中工网") == (
        "不断把产业工人队伍建设改革引向深入",
        "中工网",
    )
    assert split_web_title("2021-2025年职业技能提升规划") == ("2021-2025年职业技能提升规划", None)


def test_date_heuristics():
    assert find_date("发布日期:2019-10-12   打印本页") == "2019-10-12"
    assert find_date("2024年10月21日，《意见》发布") == "2024-10-21"
    assert find_date("发布时间：２０２３年５月６日") == "2023-05-06"  # full-width digits
    assert find_date("2019/9/3 更新") == "2019-09-03"
    assert (
        find_date("编号 2019-13-45 之后 2020-02-30 再 2021-1-2") == "2021-01-02"
    )  # impossible dates skipped
    assert find_date("12月9日召开") is None
    meta = extract_meta("标题\n" + "正文" * 800 + "2020-01-01", "x.txt")
    assert meta.date is None  # beyond the first 1500 characters


def test_publisher_region_and_script_heuristics():
    assert find_publisher("正文\n来源: 中工网——《工人日报》\n") == "中工网——《工人日报》"
    assert find_publisher("2019-11-14 08:15 來源：長江網  作者：某某") == "長江網"
    assert find_publisher("资金来源于财政拨款") is None  # not a source line
    assert guess_region("湖北省2020年全省产业工人队伍建设改革会议") == "湖北省"
    assert guess_region("雲南省新時代產業工人隊伍建設改革規劃") == "云南省"
    assert guess_region("广西出台新规") == "广西壮族自治区"
    assert guess_region("中共中央、国务院关于深化产业工人队伍建设改革的意见") == "全国"
    assert guess_region("关于加班的通知") is None
    assert detect_document_script(TRADITIONAL) == "traditional"
    assert detect_document_script(SIMPLIFIED) == "simplified"
    assert detect_document_script("Article 1") is None
