"""A GGUF model file run in this process by llama-cpp-python (`pip install 'gongyou[llm]'`).

The model is loaded once per file and shared; one generation runs at a time (a llama.cpp context
is not thread-safe), and a request that cannot get the model before its deadline falls back. The
reply is streamed token by token so the deadline can stop it. A file without a chat template gets
the chat format of its architecture (app/data/generate/chat_formats.tsv).
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.datafiles import read_table
from app.generate.backends.base import BackendConfig, BackendFailed, remaining, run_until
from app.generate.records import ChatMessage, Generated, Limits
from app.index.embedders.bundled import cores
from app.settings import current

FIX = "Install the in-process back-end with `pip install 'gongyou[llm]'` (builds llama-cpp-python, ~4 min)."


def unavailable(spec: str) -> str | None:
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed."
    if not Path(spec).is_file():
        return f"no model file at {spec}."
    return None


def chat_format_for(metadata: dict[str, str]) -> str | None:
    """None when the file has its own chat template, else the format its architecture uses."""
    if metadata.get("tokenizer.chat_template"):
        return None
    formats = read_table("generate/chat_formats.tsv")
    found = formats.get(metadata.get("general.architecture", ""))
    return found[0] if found else None


@lru_cache(maxsize=2)
def _load(path: str) -> tuple[Any, threading.Lock]:
    from llama_cpp import Llama

    model = Llama(model_path=path, n_ctx=current().llm_context_tokens, n_threads=cores(), verbose=False)
    chat_format = chat_format_for(dict(model.metadata or {}))
    if chat_format:
        model.chat_format = chat_format
    return model, threading.Lock()


class LlamaCppBackend:
    kind = "llama-cpp"
    in_process = True
    streams = True

    def __init__(self, config: BackendConfig) -> None:
        self.path = str(Path(config.spec).resolve())
        self.model = config.model or Path(self.path).name

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "model": self.model, "file": self.path}

    def load(self) -> None:
        _load(self.path)

    def generate(self, messages: Sequence[ChatMessage], limits: Limits) -> Generated:
        started = time.monotonic()
        model, lock = _load(self.path)
        if not lock.acquire(timeout=max(0.0, remaining(limits.deadline))):
            raise BackendFailed("busy", "the model was busy with other questions until the deadline")

        def work(cancelled: threading.Event) -> Generated:
            try:
                pieces: list[str] = []
                first: float | None = None
                finish = None
                stream = model.create_chat_completion(
                    messages=[{"role": m.role, "content": m.content} for m in messages],
                    max_tokens=limits.max_tokens,
                    temperature=limits.temperature,
                    stream=True,
                )
                for chunk in stream:
                    if cancelled.is_set():
                        break
                    choice = chunk["choices"][0]
                    text = choice.get("delta", {}).get("content") or ""
                    if text and first is None:
                        first = time.monotonic()
                    pieces.append(text)
                    finish = choice.get("finish_reason") or finish
            finally:
                lock.release()
            reply = "".join(pieces).strip()
            if not reply:
                raise BackendFailed("empty", "the model wrote nothing")
            now = time.monotonic()
            return Generated(reply, (now - started) * 1000, first and (first - started) * 1000, finish)

        return run_until(limits.deadline, work, lambda: None)
