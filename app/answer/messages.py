"""What the answerer says besides quotations: the refusals and the lead of an English answer.

A refusal says what the documents do hold (`Holdings`, worked out from the index) and where to
ask instead: the union hotline 12351, and for an amount local rules set (rule
local.rule_decides), the local 12333. The texts are data (app/data/messages/refusal.json), so
they can be reworded without code.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.answer.holdings import Holdings
from app.text.normalize import to_script

MESSAGES_FILE = Path(__file__).resolve().parents[1] / "data" / "messages" / "refusal.json"
_MESSAGES = json.loads(MESSAGES_FILE.read_text(encoding="utf-8"))

HOTLINE: str = _MESSAGES["hotline"]  # the national trade union's workers' hotline
LOCAL_HOTLINE: str = _MESSAGES["local_hotline"]  # the local human resources and social security hotline
VARIANTS: tuple[str, ...] = ("refusal", "local")
LANGUAGES: tuple[str, ...] = ("zh-Hans", "zh-Hant", "en")
EN_LEAD: str = _MESSAGES["english_lead"]


def _language(language: str) -> str:
    return language if language in LANGUAGES else "zh-Hans"


def _phrases(language: str) -> dict[str, str]:
    return _MESSAGES["holdings"]["en" if language == "en" else "zh-Hans"]


def holdings_phrase(holdings: Holdings, language: str) -> str:
    """32部全国性法律法规（劳动法、劳动合同法…等）和5份关于产业工人队伍建设改革的文件（全国、湖北省…；2019—2024年）."""
    say = _phrases(language)
    parts = []
    if holdings.laws:
        shown = holdings.laws[:4]
        parts.append(
            say["laws"].format(
                count=len(holdings.laws),
                national=say["national"] if holdings.laws_national else "",
                names=say["names_separator"].join(shown),
                more=say["more"] if len(holdings.laws) > len(shown) else "",
            )
        )
    if holdings.documents:
        details = []
        if holdings.regions:
            details.append(say["regions_separator"].join(holdings.regions))
        if holdings.years:
            first, last = holdings.years
            years = say["years"] if first != last else say["one_year"]
            details.append(years.format(first=first, last=last))
        joined = say["details_separator"].join(details)
        parts.append(
            say["documents"].format(
                count=holdings.documents,
                theme=say["theme"].format(theme=holdings.theme) if holdings.theme else "",
                details=say["details"].format(details=joined) if details else "",
            )
        )
    return say["and"].join(parts)


def _fill(template: str, language: str, holdings: Holdings | None, **names: str) -> str:
    say = _phrases(language)
    inserted = dict(names)
    inserted["holdings_sentence"] = (
        say["sentence"].format(holdings=holdings_phrase(holdings, language)) if holdings else ""
    )
    if language == "zh-Hant":  # names and titles come in simplified script
        inserted = {k: to_script(v, "traditional") for k, v in inserted.items()}
    return template.format(hotline=HOTLINE, local_hotline=LOCAL_HOTLINE, **inserted)


def refusal_text(language: str, holdings: Holdings | None = None) -> str:
    """The refusal in the question's language (zh-Hans, zh-Hant or en; simplified otherwise),
    saying what the documents hold when `holdings` is given."""
    language = _language(language)
    return _fill(_MESSAGES["refusal"][language], language, holdings)


def local_refusal_text(
    language: str, topic: str, english_topic: str, place: str | None, holdings: Holdings | None = None
) -> str:
    """Local rules set this amount (最低工资标准): ask the local 12333 or the union hotline."""
    language = _language(language)
    where = place or _phrases(language)["everywhere"]
    shown_topic = english_topic if language == "en" else topic
    return _fill(_MESSAGES["local"][language], language, holdings, topic=shown_topic, where=where)
