"""Cleaning on real snippets of the shipped documents, in both scripts."""

from __future__ import annotations

import re

from conftest import CORPUS

from app.ingest.clean import clean_text, remove_glosses
from app.models import PAGE_BREAK


def _doc(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


WORKERS_DAILY = "2019-11-14-workers-daily-industrial-worker-reform.txt"
CENTRAL = "2024-10-21-central-opinions-industrial-worker-reform.txt"
HUBEI = "2020-12-09-hubei-industrial-worker-reform-meeting.txt"
YUNNAN = "yunnan-14th-five-year-plan-industrial-workers.txt"
MOHRSS = "2019-09-30-mohrss-notice-skilled-talent.txt"


def test_pinyin_glosses_and_placeholders_removed_from_traditional_text() -> None:
    assert remove_glosses("湖北省對(duì)于工人建設(shè)隊(duì)伍") == "湖北省對于工人建設隊伍"
    # A gloss half-swallowed by a lost character, and '?' placeholders; the garbled span the Hubei
    # page left there is repaired (app/data/ingest/garbled_repairs.tsv), no longer shown as 獎碌仍u選.
    assert remove_glosses("勞動(dòng)獎(jiǎng)?wù)碌仍u(píng)選") == "勞動獎章等評選"
    # Real parentheses stay: numbering, notes, years.
    kept = "(一)指導思想 職工(勞模、工匠)創新 《方案(2019—2021年)》 副主席(兼)"
    assert remove_glosses(kept) == kept


def test_site_navigation_leaders_captions_counter_and_footer_removed() -> None:
    text = clean_text(_doc(WORKERS_DAILY))
    assert text.startswith("不断把产业工人队伍建设改革引向深入")
    for debris in ["中工网首页", "王东明 全国总工会主席", "杨登峰 摄", "1 2 共2页", "京ICP证", "Copyright",
                   "扫码关注", "友情链接", "2019-11-14 08:15:29", "编辑: 尹文卓"]:  # fmt: skip
        assert debris not in text, debris
    # The article itself is intact, including its last sentence.
    assert "年均开展政府补贴性培训1500万人次左右。" in text
    assert text.rstrip().endswith("推动产业工人队伍建设取得新发展。")


def test_visit_counter_and_editor_line_removed() -> None:
    text = clean_text(_doc(CENTRAL))
    assert "访问量" not in text and "编辑整理" not in text
    assert "力争到2035年,培养造就2000名左右大国工匠" in text


def test_traditional_page_loses_glosses_and_footer_but_keeps_its_script() -> None:
    text = clean_text(_doc(HUBEI))
    assert "(duì)" not in text and "(shè)" not in text
    assert "高技能人才總量達270.5萬人" in text  # still traditional: display keeps the original script
    assert "ICP" not in text and "關於我們" not in text and "來源于長江網" not in text

    yunnan = clean_text(_doc(YUNNAN))
    assert "?" not in yunnan
    assert "kmsjzsh" not in yunnan and "郵編" not in yunnan
    assert "專欄三 素質提升" in yunnan


def test_print_prompt_removed_and_signature_kept() -> None:
    text = clean_text(_doc(MOHRSS))
    assert "打印本页" not in text and "发布日期" not in text
    assert text.rstrip().endswith("2019年9月30日")


def test_page_breaks_survive_cleaning() -> None:
    text = clean_text(f"第一页的内容。{PAGE_BREAK}第二页的内容。")
    assert text.split(PAGE_BREAK) == ["第一页的内容。", "第二页的内容。"]


def test_full_width_letters_and_digits_folded() -> None:
    assert clean_text("到２０２５年，ＡＢＣ") == "到2025年，ABC"


def _cleaned_shipped_documents() -> dict[str, str]:
    return {p.name: clean_text(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))}


def test_the_garbled_spans_of_the_yunnan_and_hubei_pages_are_repaired() -> None:
    """The spans the issue names (獎芦@得者, 貞產業, 或m集體) read as the documents meant them."""
    texts = _cleaned_shipped_documents()
    yunnan = texts["yunnan-14th-five-year-plan-industrial-workers.txt"]
    hubei = texts["2020-12-09-hubei-industrial-worker-reform-meeting.txt"]
    assert yunnan.count("五一勞動獎章獲得者") == 3
    assert "簽訂集體合同或專項集體合同" in yunnan
    assert "消除信息孤島。回應產業工人關切" in yunnan
    assert "實訓基地總結推廣產教融合" in yunnan
    assert "五一勞動獎章等評選表彰" in hubei


def test_no_shipped_document_shows_debris_or_an_unreadable_mark() -> None:
    debris = re.compile(r"[\u4e00-\u9fff][a-z@]|[a-z@][\u4e00-\u9fff]|[芦碌偨貞]|□|\?")
    for name, text in _cleaned_shipped_documents().items():
        found = [text[max(0, m.start() - 6) : m.end() + 6] for m in debris.finditer(text)]
        assert not found, (name, found)


def test_debris_no_repair_knows_is_marked_unreadable_only_in_glossed_text() -> None:
    assert remove_glosses("勞動(dòng)者m簽訂(dìng)合同") == "勞動者□簽訂合同"
    assert remove_glosses("獲(huò)得者@表(biǎo)彰") == "獲得者□表彰"
    # Words of ordinary text: no gloss, nothing lost.
    for text in ("大连人vs成都蓉城", "证券时报e公司讯", "微博@人世间", "X光检查", "5G网络"):
        assert remove_glosses(text) == text
