"""Schema of the chat UI's strings (app/data/ui): every language has every key of zh-Hans and the
same `{placeholders}`, zh-Hant is traditional throughout, and reading them needs no Gradio."""

from __future__ import annotations

import json
import string
import subprocess
import sys
from pathlib import Path

import pytest

from app.text.normalize import to_traditional
from app.web.i18n import I18N, LANGS, examples_for, t

ROOT = Path(__file__).resolve().parents[2]
STRINGS = ROOT / "app" / "data" / "ui"
FILES = {"zh-Hans.json", "en.json", "zh-Hant-fixes.json"}


def _raw(name: str) -> dict:
    return json.loads((STRINGS / name).read_text(encoding="utf-8"))


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_the_folder_holds_the_three_files_each_a_flat_object_of_strings_with_a_note() -> None:
    assert {p.name for p in STRINGS.iterdir()} == FILES
    for name in FILES:
        data = _raw(name)
        assert isinstance(data.get("_about"), str) and data["_about"], name
        for key, value in data.items():
            assert isinstance(value, str) and value.strip(), f"{name}: {key}"


def test_every_language_has_exactly_the_keys_of_zh_hans() -> None:
    reference = {k for k in _raw("zh-Hans.json") if not k.startswith("_")}
    assert set(LANGS) == set(I18N)
    for lang in LANGS:
        assert set(I18N[lang]) == reference, lang
    assert {k for k in _raw("en.json") if not k.startswith("_")} == reference
    fixes = {k for k in _raw("zh-Hant-fixes.json") if not k.startswith("_")}
    assert fixes and fixes <= reference


@pytest.mark.parametrize("lang", LANGS)
def test_every_string_has_the_placeholders_of_zh_hans(lang: str) -> None:
    for key, text in I18N["zh-Hans"].items():
        wanted = _placeholders(text)
        assert _placeholders(I18N[lang][key]) == wanted, f"{lang}: {key}"
        if wanted:
            filled = t(lang, key, **{name: "⟨x⟩" for name in wanted})
            assert filled.count("⟨x⟩") >= len(wanted) and "{" not in filled


def test_zh_hant_is_traditional_throughout() -> None:
    for key, text in I18N["zh-Hant"].items():
        assert to_traditional(text) == text, key
    assert "職工" in I18N["zh-Hant"]["title"]


def test_each_language_offers_four_example_questions() -> None:
    for lang in LANGS:
        examples = examples_for(lang)
        assert len(examples) == 4 and all(q.strip() for q in examples), lang


def test_reading_the_strings_does_not_import_gradio() -> None:
    code = "import sys, app.web.i18n; print('gradio' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
