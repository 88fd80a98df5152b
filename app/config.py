"""Settings: a few command-line flags whose defaults come from environment variables.

| flag             | environment variable   | default                                   |
|------------------|------------------------|-------------------------------------------|
| --corpus         | GONGYOU_CORPUS         | ./corpus if present, else the shipped one |
| --index          | GONGYOU_INDEX          | ./index                                   |
| --embed-model    | GONGYOU_EMBED_MODEL    | intfloat/multilingual-e5-small            |
| --data           | GONGYOU_DATA           | ./data (feedback database)                |
| --host / --port  | GONGYOU_HOST / _PORT   | 127.0.0.1 / 7860                          |
| --feedback-days  | GONGYOU_FEEDBACK_DAYS  | 90 (days feedback is kept; 0 keeps it)    |
| --answerer       | GONGYOU_ANSWERER       | auto (llm when --llm is set, else extractive) |
| --llm            | GONGYOU_LLM            | none: no model is loaded or contacted     |
| --llm-model      | GONGYOU_LLM_MODEL      | the server's first model                  |
| --llm-key-env    | GONGYOU_LLM_KEY_ENV    | GONGYOU_LLM_API_KEY (the variable holding the key) |

`--embed-model offline` selects the built-in offline embedder explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_corpus() -> Path:
    if os.environ.get("GONGYOU_CORPUS"):
        return Path(os.environ["GONGYOU_CORPUS"])
    local = Path("corpus")
    return local if local.is_dir() else PROJECT_ROOT / "corpus"


def default_index() -> Path:
    return Path(os.environ.get("GONGYOU_INDEX", "index"))


def default_embed_model() -> str | None:
    return os.environ.get("GONGYOU_EMBED_MODEL") or None


def default_data() -> Path:
    return Path(os.environ.get("GONGYOU_DATA", "data"))


def default_host() -> str:
    return os.environ.get("GONGYOU_HOST", "127.0.0.1")


def default_port() -> str:
    """As text: `gongyou serve` checks it (a bad GONGYOU_PORT must not break every other command)."""
    return os.environ.get("GONGYOU_PORT", "7860")


def default_feedback_days() -> int:
    from app.web.feedback import DEFAULT_RETENTION_DAYS

    value = os.environ.get("GONGYOU_FEEDBACK_DAYS", "").strip()
    return int(value) if value.isdigit() else DEFAULT_RETENTION_DAYS


def default_answerer() -> str:
    return os.environ.get("GONGYOU_ANSWERER", "auto")


def default_llm() -> str | None:
    return os.environ.get("GONGYOU_LLM") or None


def default_llm_model() -> str | None:
    return os.environ.get("GONGYOU_LLM_MODEL") or None


def default_llm_key_env() -> str:
    return os.environ.get("GONGYOU_LLM_KEY_ENV", "GONGYOU_LLM_API_KEY")


def default_reader() -> str | None:
    """`--reader` (auto, on, off); None leaves it to the setting `reader` (app/settings.py)."""
    return os.environ.get("GONGYOU_READER") or None
