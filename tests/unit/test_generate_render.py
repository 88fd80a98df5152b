"""What a person sees of a model-written answer: a note, the quotes, and the mode line."""

from __future__ import annotations

from app.generate.records import AnswerReport
from app.models import Answer, Chunk, Citation, DocMeta, Hit
from app.pipeline import AskResult
from app.present import ask_json, ask_text
from app.web.answerer import Turn
from app.web.i18n import t
from app.web.render import mode_markdown, render_turn

PASSAGE = "力争到2035年，培养造就2000名左右大国工匠。"


def result(report: AnswerReport) -> AskResult:
    hit = Hit(Chunk("d#0", "d", PASSAGE, 0, len(PASSAGE)), DocMeta(title="意见"), score=1.0, rank=1)
    answer = Answer("q", "到2035年要培养约2000名大国工匠。[1]", False, [Citation(1, hit, [PASSAGE])])
    return AskResult("q", "q", "zh-Hans", answer, [hit], {"total": 1.0}, report)


WRITTEN = AnswerReport(
    answerer="llm", requested="llm", writes_text=True, removed_sentences=1, generated_sentences=2
)


def test_a_model_answer_carries_the_note_and_still_shows_the_quote() -> None:
    messages = render_turn(Turn("q", "ask", result=result(WRITTEN)), 1, "en")
    assert t("en", "model_note") in messages[1]["content"]
    assert "<mark>" in messages[2]["content"]  # the cited passage, its supporting sentence highlighted
    plain = render_turn(Turn("q", "ask", result=result(AnswerReport())), 1, "en")
    assert t("en", "model_note") not in plain[1]["content"]


def test_json_and_text_say_which_answerer_answered() -> None:
    data = ask_json(result(WRITTEN), {"embedder": "e5"})
    assert data["mode"]["answerer"] == "llm" and data["mode"]["removed_sentences"] == 1
    assert data["mode"]["embedder"] == "e5" and data["generation"]["removed"] == []
    assert "written by a model, checked against the sources, 1 unsupported" in ask_text(result(WRITTEN), {})
    fell_back = AnswerReport(requested="llm", fallback="timeout: no complete reply before the deadline")
    assert "the model's answer was not used: timeout" in ask_text(result(fell_back), {})


def test_the_mode_line_names_the_model() -> None:
    line = mode_markdown(
        {"embedder": "e5", "offline": False, "llm": {"kind": "openai", "model": "qwen"}}, "en"
    )
    assert "qwen" in line and "checked against the sources" in line
