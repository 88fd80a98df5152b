"""Answerers and model back-ends are chosen from their registries by what the user configured."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import BadInput
from app.generate.answerers import ANSWERERS, AnswererConfig, resolve
from app.generate.backends.base import BackendConfig, BackendUnavailable
from app.generate.backends.llama_cpp import chat_format_for
from app.generate.backends.registry import KINDS, kind_of, make_backend, split_spec
from app.generate.prompt import decline_phrases, prompt_texts
from app.generate.records import AnswerReport


def test_auto_is_extractive_without_a_model_and_llm_with_one() -> None:
    assert resolve(AnswererConfig()).name == "extractive"
    assert resolve(AnswererConfig(llm="http://127.0.0.1:8080/v1")).name == "llm"
    assert resolve(AnswererConfig("extractive", llm="http://127.0.0.1:8080/v1")).name == "extractive"


def test_answerers_declare_what_they_do() -> None:
    assert not ANSWERERS["extractive"].writes_text and not ANSWERERS["extractive"].needs_model
    assert ANSWERERS["llm"].writes_text and ANSWERERS["llm"].needs_model


def test_llm_without_a_model_or_an_unknown_answerer_is_bad_input() -> None:
    with pytest.raises(BadInput, match="--llm"):
        resolve(AnswererConfig("llm"))
    with pytest.raises(BadInput, match="auto, extractive, llm"):
        resolve(AnswererConfig("quotes"))


def test_specs_pick_their_back_end(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    assert kind_of("http://127.0.0.1:11434").name == "openai"
    assert kind_of("https://api.example.org/v1").name == "openai"
    assert kind_of(str(tmp_path / "m.gguf")).name == "llama-cpp"
    assert kind_of(str(folder)).name == "transformers"
    assert kind_of(f"llama-cpp:{tmp_path / 'x.bin'}").name == "llama-cpp"
    assert split_spec("openai:http://h/v1") == (kind_of("http://h"), "http://h/v1")
    assert all(kind.in_process != (kind.name == "openai") for kind in KINDS)


def test_unusable_specs_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable, match=r"not a URL, a \.gguf file"):
        kind_of(str(tmp_path / "nothing-here"))
    with pytest.raises(BackendUnavailable, match="llama-cpp"):
        make_backend(BackendConfig(str(tmp_path / "missing.gguf")))


def test_a_gguf_without_a_template_gets_its_architectures_format() -> None:
    assert chat_format_for({"general.architecture": "gemma3"}) == "gemma"
    assert chat_format_for({"general.architecture": "gemma3", "tokenizer.chat_template": "{{x}}"}) is None
    assert chat_format_for({"general.architecture": "unknown"}) is None


def test_prompt_file_has_every_language_and_the_decline_phrases() -> None:
    texts = prompt_texts()
    for language in ("zh-Hans", "zh-Hant", "en"):
        entry = texts[language]
        assert {"instructions", "passages", "question", "answer", "decline"} <= set(entry)
        assert "{decline}" in entry["instructions"] and "[1]" in entry["instructions"]
        assert any(p in entry["decline"] for p in decline_phrases())


def test_an_extractive_report_has_no_generation() -> None:
    report = AnswerReport()
    assert report.mode()["answerer"] == "extractive" and report.generation() is None
