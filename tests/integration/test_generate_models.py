"""Real models write answers; whatever they write, only supported sentences are shown.

Gemma 3 270M (a weak model on purpose: it echoes the prompt and invents figures) runs in-process
through llama-cpp-python and behind llama-cpp-python's OpenAI-compatible server on 127.0.0.1; a
tiny random transformers model runs through the transformers back-end. They skip with the install
command when their packages are absent (CI installs them: scripts/setup.sh --test).
"""

from __future__ import annotations

import pytest
from conftest import CORPUS
from generate_helpers import assert_supported
from llm_fixtures import LlamaServer, gemma_file, need_llama_cpp, tiny_transformers_folder

from app.generate.answerers import AnswererConfig, AnswerJob, make_answerer
from app.generate.figures import figures, supports
from app.generate.prompt import shown_passages
from app.models import Answer, Chunk, DocMeta, Hit

QUESTIONS = [
    "到2035年要培养多少名大国工匠?",
    "湖北省有多少个技能大师工作室?",
    "云南到2025年技工院校新增招生多少人?",
    "雲南省到2025年要新培育多少名雲嶺工匠?",
    "How many great craftsmen should be trained by 2035?",
    "技能人才的待遇怎么提高?",
]
DEADLINE_S = 300.0  # generous: these tests check what is shown, not speed (scripts/bench_generate.py)

OVERTIME = (
    "有下列情形之一的，用人单位应当按照下列标准支付高于劳动者正常工作时间工资的工资报酬：（一）安排劳动者"
    "延长工作时间的，支付不低于工资的百分之一百五十的工资报酬；（二）休息日安排劳动者工作又不能安排补休的，"
    "支付不低于工资的百分之二百的工资报酬；（三）法定休假日安排劳动者工作的，支付不低于工资的百分之三百的工资报酬。"
)
# Questions on the overtime article that the 270M model answers with figures of its own.
OVERTIME_QUESTIONS = [
    "How much overtime pay do I get on a normal workday?",
    "加班费是工资的多少?",
    "国庆节加班，工资怎么算?",
]


@pytest.fixture(scope="module")
def gemma():
    need_llama_cpp()
    return gemma_file()


def overtime_job(question: str) -> AnswerJob:
    from app.search.question import language_of

    chunk = Chunk("labour#44", "labour", OVERTIME, 0, len(OVERTIME), article="第四十四条")
    hit = Hit(chunk, DocMeta(title="中华人民共和国劳动法"), score=1.0, rank=1)
    extractive = Answer(question, OVERTIME + "[1]", refused=False, citations=[])
    return AnswerJob(question, [hit], language_of(question), extractive)


def invented(raw: str, sources: list[str]) -> list:
    known = [f for text in sources for f in figures(text)]
    return [f for f in figures(raw) if not supports(f, known)]


def test_gemma_in_process_shows_only_supported_sentences(pipeline, gemma) -> None:
    answerer = make_answerer(AnswererConfig(llm=str(gemma), deadline_s=DEADLINE_S))
    assert answerer.describe()["llm"]["kind"] == "llama-cpp"
    # The questions the server test does not ask (each costs about 16 s here): the six between them.
    results = [pipeline.ask(q, answerer=answerer) for q in QUESTIONS[3:]]
    for result in results:
        assert_supported(result)
    asked = [r for r in results if r.report.raw is not None]
    assert asked, "the model was asked and wrote something"


def test_figures_the_model_invents_are_never_shown(gemma) -> None:
    answerer = make_answerer(AnswererConfig(llm=str(gemma), deadline_s=DEADLINE_S))
    seen_invented = 0
    for question in OVERTIME_QUESTIONS:
        job = overtime_job(question)
        answered = answerer.answer(job)
        report = answered.report
        assert report.raw, "the model wrote something"
        sources = [s.source for s in shown_passages(job.hits, job.language)]
        made_up = invented(report.raw, sources)
        seen_invented += len(made_up)
        shown = answered.answer.text if report.writes_text else ""
        assert not invented(shown, sources), (question, shown)
        if made_up:
            assert report.removed_sentences >= 1
    assert seen_invented, "the 270M model invents figures for these questions (what this test is about)"


def test_gemma_behind_the_openai_compatible_server(pipeline, gemma) -> None:
    need_llama_cpp(server=True)
    server = LlamaServer(gemma)
    try:
        server.wait()
        answerer = make_answerer(AnswererConfig(llm=server.url, deadline_s=DEADLINE_S))
        assert answerer.describe()["llm"]["kind"] == "openai"
        results = [pipeline.ask(q, answerer=answerer) for q in QUESTIONS[:3]]
    finally:
        server.stop()
    for result in results:
        assert_supported(result)
        assert result.report.raw is not None, result.report.fallback  # the stream was read
    stopped = make_answerer(AnswererConfig(llm=server.url, deadline_s=DEADLINE_S))
    after = pipeline.ask(QUESTIONS[0], answerer=stopped)
    assert after.report.fallback.startswith("refused") and not after.answer.refused


def test_a_transformers_folder_runs_in_process(pipeline, tmp_path) -> None:
    folder = tiny_transformers_folder(tmp_path / "tiny", CORPUS)
    answerer = make_answerer(AnswererConfig(llm=str(folder), deadline_s=DEADLINE_S))
    assert answerer.describe()["llm"]["kind"] == "transformers"
    result = pipeline.ask(QUESTIONS[0], answerer=answerer)
    assert result.report.raw is not None or result.report.fallback.startswith("empty")
    assert_supported(result)  # random weights write noise: it is removed, the quotes are shown
    assert result.report.answerer == "extractive" and not result.answer.refused
