"""UI strings by language (app/data/ui/*.json), `t()`, example questions and the browser's language.

zh-Hans.json is the reference; en.json has the same keys and `{placeholders}`; zh-Hant is converted
from zh-Hans with OpenCC at import, then the keys of zh-Hant-fixes.json replace their conversion.
Keys starting with "_" are notes for people editing the files. Gradio is imported only by
`browser_i18n`, so the strings can be read (and schema-tested) without it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from app.text.normalize import to_traditional

if TYPE_CHECKING:
    import gradio as gr

LANGS = ("zh-Hans", "zh-Hant", "en")
LANG_CHOICES = [("简体", "zh-Hans"), ("繁體", "zh-Hant"), ("English", "en")]
STRINGS_DIR = files("app") / "data" / "ui"
REFERENCE = "zh-Hans"
EXAMPLE_SEPARATOR = "|"


def read_strings(name: str) -> dict[str, str]:
    """One file of app/data/ui without its "_" notes."""
    data = json.loads((STRINGS_DIR / name).read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}


def _traditional(simplified: dict[str, str], fixes: dict[str, str]) -> dict[str, str]:
    strings = {key: to_traditional(value) for key, value in simplified.items()}
    strings.update(fixes)
    return strings


_ZH_HANS = read_strings("zh-Hans.json")
I18N: dict[str, dict[str, str]] = {
    "zh-Hans": _ZH_HANS,
    "zh-Hant": _traditional(_ZH_HANS, read_strings("zh-Hant-fixes.json")),
    "en": read_strings("en.json"),
}
"""Every UI string by language; the language radio re-renders from here on the server."""

STATIC_KEYS = ("title", "subtitle", "notice", "input_label", "hotline_label", "search_only", "lang_label")
"""Labels the browser translates itself on the first paint (see `browser_i18n`)."""

WRONG_CITATION_LABELS = {I18N[lang]["wrong_citation"] for lang in LANGS}


def t(lang: str, key: str, **kw: object) -> str:
    text = I18N.get(lang, I18N[REFERENCE])[key]
    return text.format(**kw) if kw else text


def examples_for(lang: str) -> list[str]:
    return t(lang, "examples").split(EXAMPLE_SEPARATOR)


def busy_messages() -> dict[str, list[str]]:
    """[title, message] of the full-queue toast by language, for the page script."""
    return {lang: [I18N[lang]["busy_title"], I18N[lang]["busy"]] for lang in LANGS}


def pick_language(accept_language: str | None) -> str:
    """Chinese by default; traditional for browsers that prefer zh-TW / zh-HK / zh-MO / zh-Hant."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if not tag:
            continue
        if tag.startswith("zh"):
            return "zh-Hant" if any(x in tag for x in ("tw", "hk", "mo", "hant")) else "zh-Hans"
    return "zh-Hans"


@cache
def browser_i18n() -> gr.I18n:
    """gr.I18n of the static labels for the first paint, by browser locale; the server then applies
    the radio's choice. Gradio needs `zh-CN`, `zh-TW` and `zh` each to cover Chinese browsers."""
    import gradio as gr

    def static(lang: str) -> dict[str, str]:
        return {key: I18N[lang][key] for key in STATIC_KEYS}

    return gr.I18n(
        **{
            "zh-CN": static("zh-Hans"),
            "zh": static("zh-Hans"),
            "zh-TW": static("zh-Hant"),
            "en": static("en"),
        }
    )
