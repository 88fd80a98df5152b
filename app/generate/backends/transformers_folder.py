"""A `transformers` causal language model folder (config.json, weights, tokenizer) run in-process.

transformers and torch are core dependencies already (the bundled model's build engine), so this
back-end needs no extra. The chat template is the tokenizer's own; a tokenizer without one gets
plain "question / answer" turns. Generation is greedy and bounded by `max_time`, so the deadline
holds without a thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.generate.backends.base import BackendConfig, BackendFailed, remaining
from app.generate.records import ChatMessage, Generated, Limits
from app.index.embedders.bundled import cores


def is_model_folder(spec: str) -> bool:
    return (Path(spec) / "config.json").is_file()


def unavailable(spec: str) -> str | None:
    return None if is_model_folder(spec) else f"no transformers model folder (with config.json) at {spec}."


@lru_cache(maxsize=2)
def _load(folder: str) -> tuple[Any, Any, threading.Lock]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(cores())
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    model.eval()
    return model, tokenizer, threading.Lock()


def prompt_text(tokenizer: Any, messages: Sequence[ChatMessage]) -> str:
    turns = [{"role": m.role, "content": m.content} for m in messages]
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=True)
    return "\n\n".join(m.content for m in messages) + "\n"


class TransformersBackend:
    kind = "transformers"
    in_process = True
    streams = False

    def __init__(self, config: BackendConfig) -> None:
        self.folder = str(Path(config.spec).resolve())
        self.model = config.model or Path(self.folder).name

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "model": self.model, "folder": self.folder}

    def load(self) -> None:
        _load(self.folder)

    def generate(self, messages: Sequence[ChatMessage], limits: Limits) -> Generated:
        import torch

        started = time.monotonic()
        model, tokenizer, lock = _load(self.folder)
        if not lock.acquire(timeout=max(0.0, remaining(limits.deadline))):
            raise BackendFailed("busy", "the model was busy with other questions until the deadline")
        try:
            budget = remaining(limits.deadline)
            if budget <= 0:
                raise BackendFailed("timeout", "no time left before the deadline")
            inputs = tokenizer(prompt_text(tokenizer, messages), return_tensors="pt")
            with torch.inference_mode():
                output = model.generate(
                    **inputs,
                    max_new_tokens=limits.max_tokens,
                    do_sample=False,
                    max_time=budget,
                    pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id,
                )
        finally:
            lock.release()
        new_tokens = output[0][inputs["input_ids"].shape[1] :]
        reply = tokenizer.decode(new_tokens, skip_special_tokens=True).strip()
        if remaining(limits.deadline) < 0:
            raise BackendFailed("timeout", "generation ran past the deadline")
        if not reply:
            raise BackendFailed("empty", "the model wrote nothing")
        return Generated(reply, (time.monotonic() - started) * 1000)
