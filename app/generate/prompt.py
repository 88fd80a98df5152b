"""What the model is asked: the question, the top passages numbered [1]…[k], and the rules.

The instructions are data (app/data/generate/prompt.json), in the question's language and script:
answer only from the passages, cite [n] after every sentence, keep figures as written, and reply
with one fixed phrase when the passages do not hold the answer. Everything goes in one user
message: small chat models (Gemma) have no system role.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from app.generate.records import ChatMessage
from app.generate.verify import Shown
from app.models import Hit
from app.settings import current

PROMPT_FILE = Path(__file__).resolve().parents[1] / "data" / "generate" / "prompt.json"
LANGUAGES = ("zh-Hans", "zh-Hant", "en")


@cache
def prompt_texts() -> dict:
    return json.loads(PROMPT_FILE.read_text(encoding="utf-8"))


def texts_for(language: str) -> dict[str, str]:
    return prompt_texts()[language if language in LANGUAGES else "zh-Hans"]


def decline_phrases() -> list[str]:
    return list(prompt_texts()["decline_phrases"])


def shown_passages(hits: Sequence[Hit], language: str) -> list[Shown]:
    """The passages the model sees, numbered from 1 in retrieval order."""
    from app.present import citation_label  # app.present imports the pipeline: import when used

    label_language = "zh-Hant" if language == "zh-Hant" else "zh-Hans"
    count = current().llm_passages
    return [Shown(i, hit, citation_label(hit, label_language)) for i, hit in enumerate(hits[:count], 1)]


def passage_block(shown: Shown) -> str:
    limit = current().llm_passage_chars
    text = " ".join(shown.hit.chunk.text.split())
    if len(text) > limit:
        text = text[:limit] + "……"
    heading = f" {shown.hit.chunk.heading}" if shown.hit.chunk.heading else ""
    return f"[{shown.n}] {shown.label}{heading}\n{text}"


def build_messages(question: str, shown: Sequence[Shown], language: str) -> list[ChatMessage]:
    texts = texts_for(language)
    instructions = texts["instructions"].format(decline=texts["decline"])
    passages = "\n\n".join(passage_block(s) for s in shown)
    content = (
        f"{instructions}\n\n{texts['passages']}\n{passages}\n\n"
        f"{texts['question']}{question}\n{texts['answer']}"
    )
    return [ChatMessage("user", content)]
