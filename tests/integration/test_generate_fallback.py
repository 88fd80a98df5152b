"""The llm answerer over HTTP against scripted and broken endpoints on 127.0.0.1: streaming,
verification of what comes back, and every fallback to the extractive answer."""

from __future__ import annotations

import json
import time

import pytest
from generate_helpers import assert_supported
from llm_fixtures import ScriptedServer, closed_port, silent_port

from app.generate.answerers import AnswererConfig, make_answerer
from app.generate.backends.openai_http import endpoint, sse_data

QUESTION = "到2035年要培养多少名大国工匠?"
SUPPORTED = "力争到2035年培养造就2000名左右大国工匠[1]。"
INVENTED = "到2035年要培养5000名大国工匠[1]。"
UNCITED = "大国工匠是产业工人的杰出代表。"


@pytest.fixture(scope="module")
def server():
    scripted = ScriptedServer()
    yield scripted
    scripted.close()


def model(url: str, **kw) -> AnswererConfig:
    """A generous deadline unless a test sets one: a loaded CI machine must not turn answers into timeouts."""
    return AnswererConfig(llm=url, **{"deadline_s": 300.0, **kw})


def ask(pipeline, config: AnswererConfig, question: str = QUESTION):
    return pipeline.ask(question, answerer=make_answerer(config))


def test_a_scripted_answer_is_streamed_verified_and_shown(pipeline, server, monkeypatch) -> None:
    monkeypatch.setenv("GONGYOU_LLM_API_KEY", "test-key")
    server.reply = f"{SUPPORTED}{INVENTED}{UNCITED}"
    result = ask(pipeline, model(server.url))
    report = result.report
    assert report.answerer == "llm" and report.writes_text
    assert report.generated_sentences == 3 and report.removed_sentences == 2
    assert {r.check for r in report.removed} == {"figure.unsupported", "citation.missing"}
    assert "2000名" in result.answer.text and "5000" not in result.answer.text
    assert_supported(result)
    request = server.requests[-1]
    assert request["body"]["stream"] is True and request["body"]["model"] == "scripted"
    assert request["headers"]["Authorization"] == "Bearer test-key"
    prompt = request["body"]["messages"][0]["content"]
    assert QUESTION in prompt and "[1]" in prompt and "资料中没有答案" in prompt


def test_the_cited_quote_is_highlighted(pipeline, server) -> None:
    server.reply = SUPPORTED
    result = ask(pipeline, model(server.url))
    assert any("2000名左右大国工匠" in s for c in result.answer.citations for s in c.sentences)


def test_a_reply_that_is_not_streamed_is_read_too(pipeline, server) -> None:
    server.reply, server.stream = SUPPORTED, False
    try:
        result = ask(pipeline, model(server.url))
    finally:
        server.stream = True
    assert result.report.answerer == "llm" and "2000名" in result.answer.text


def test_nothing_supported_falls_back_to_the_extractive_answer(pipeline, server) -> None:
    extractive = pipeline.ask(QUESTION).answer
    server.reply = f"{INVENTED}{UNCITED}"
    result = ask(pipeline, model(server.url))
    assert result.report.answerer == "extractive" and result.report.fallback.startswith("unsupported")
    assert result.report.removed_sentences == 2
    assert result.answer.text == extractive.text


def test_a_decline_falls_back(pipeline, server) -> None:
    server.reply = "资料中没有答案。"
    result = ask(pipeline, model(server.url))
    assert result.report.fallback.startswith("declined") and result.report.removed_sentences == 0


@pytest.mark.parametrize(("status", "kind"), [(500, "server_error"), (401, "server_error")])
def test_server_errors_fall_back(pipeline, server, status: int, kind: str) -> None:
    server.status = status
    try:
        result = ask(pipeline, model(server.url))
    finally:
        server.status = 200
    assert result.report.answerer == "extractive" and result.report.fallback.startswith(kind)
    assert f"HTTP {status}" in result.report.fallback and not result.answer.refused


def test_an_empty_reply_falls_back(pipeline, server) -> None:
    server.reply = ""
    result = ask(pipeline, model(server.url))
    assert result.report.fallback.startswith("empty")


def test_a_refused_connection_falls_back_at_once(pipeline) -> None:
    config = model(f"http://127.0.0.1:{closed_port()}", deadline_s=30)
    started = time.monotonic()
    result = ask(pipeline, config)
    assert result.report.fallback.startswith("refused")
    assert time.monotonic() - started < 15, "a refused connection does not wait for the deadline"


def test_a_silent_server_falls_back_at_the_deadline(pipeline) -> None:
    with silent_port() as port:
        started = time.monotonic()
        result = ask(pipeline, model(f"http://127.0.0.1:{port}", llm_model="m", deadline_s=1.0))
        waited = time.monotonic() - started
    assert result.report.fallback.startswith("timeout") and result.report.answerer == "extractive"
    assert waited < 15, "the deadline stops the wait"


def test_a_refusal_stands_and_the_model_is_not_asked(pipeline, server) -> None:
    asked = len(server.requests)
    result = ask(pipeline, model(server.url), "年终奖怎么发?")  # no shipped text speaks of it
    assert result.answer.refused and len(server.requests) == asked
    assert result.report.fallback.startswith("refused: evidence rule")


def test_an_english_question_gets_an_english_answer_checked_against_chinese(pipeline, server) -> None:
    server.reply = (
        "By 2035, China aims to train about 2,000 great craftsmen [1]. "
        "It also plans 9,000 provincial craftsmen [1]. 大国工匠很重要[1]。"
    )
    result = ask(pipeline, model(server.url), "How many great craftsmen should be trained by 2035?")
    assert result.report.answerer == "llm"
    assert result.answer.text.startswith("By 2035") and "9,000" not in result.answer.text
    assert [r.check for r in result.report.removed] == ["figure.unsupported", "language.other"]
    assert_supported(result)


def test_the_endpoint_forms_and_the_event_stream() -> None:
    assert endpoint("http://127.0.0.1:11434")[1:] == ("127.0.0.1", 11434, "/v1/chat/completions")
    assert endpoint("http://h:8000/v1")[3] == "/v1/chat/completions"
    assert endpoint("https://api.example.org/v1/chat/completions")[2:] == (443, "/v1/chat/completions")
    lines = [
        b": ping\n",
        b'data: {"a": 1}\n',
        b"\n",
        b"data: x\n",
        b"data: y\n",
        b"\n",
        b"data: [DONE]\n",
        b"\n",
    ]
    assert list(sse_data(iter(lines))) == [json.dumps({"a": 1}).replace(" ", " "), "x\ny"]
