"""The prompt a generating answerer sends holds the question and the numbered passages retrieved
from the shipped index (in the integration tier: it needs the shipped index built)."""

from __future__ import annotations

from app.generate.prompt import build_messages


def test_messages_hold_the_question_and_numbered_passages(pipeline) -> None:
    from app.generate.prompt import shown_passages

    hits = pipeline.search("湖北省有多少个技能大师工作室?", k=5).hits
    shown = shown_passages(hits, "en")
    (message,) = build_messages("How many master studios does Hubei have?", shown, "en")
    assert message.role == "user" and "How many master studios" in message.content
    assert all(f"[{s.n}] {s.label}" in message.content for s in shown)
    assert "reply only: The passages do not answer this question." in message.content
