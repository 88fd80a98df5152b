"""What the answerer says besides quotations: the refusal and the lead of an English answer.

The texts are data (app/data/messages/refusal.json), so they can be reworded without code.
"""

from __future__ import annotations

import json
from pathlib import Path

MESSAGES_FILE = Path(__file__).resolve().parents[1] / "data" / "messages" / "refusal.json"
_MESSAGES = json.loads(MESSAGES_FILE.read_text(encoding="utf-8"))

HOTLINE: str = _MESSAGES["hotline"]  # the national trade union's workers' hotline
REFUSAL: dict[str, str] = {
    language: text.replace("{hotline}", HOTLINE) for language, text in _MESSAGES["refusal"].items()
}
EN_LEAD: str = _MESSAGES["english_lead"]


def refusal_text(language: str) -> str:
    """The refusal in the question's language (zh-Hans, zh-Hant or en; simplified otherwise)."""
    return REFUSAL.get(language, REFUSAL["zh-Hans"])
