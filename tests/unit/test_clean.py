"""Cleaning on real snippets of the shipped documents, in both scripts."""

from __future__ import annotations

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
    # A gloss half-swallowed by a lost character, and '?' placeholders.
    assert remove_glosses("勞動(dòng)獎(jiǎng)?wù)碌仍u(píng)選") == "勞動獎碌仍u選"
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
