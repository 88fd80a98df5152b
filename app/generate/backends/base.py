"""What every model back-end offers, how a kind of back-end is registered, and how it fails."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.errors import GongyouError
from app.generate.records import ChatMessage, Generated, Limits


class Backend(Protocol):
    """A model that continues a chat. Callers read these attributes and never compare names."""

    kind: str  # the registry's name for it, recorded in `mode.llm`
    model: str  # the model's name or file
    in_process: bool  # runs in this process (loads weights) rather than calling a server
    streams: bool  # receives the reply in pieces (a deadline can stop it mid-way)

    def describe(self) -> dict[str, Any]:
        """What `mode.llm` shows (never a key)."""
        ...

    def generate(self, messages: Sequence[ChatMessage], limits: Limits) -> Generated:
        """The reply, or BackendFailed (timeout, refused, server error, empty reply)."""
        ...


class BackendFailed(Exception):
    """One generation failed; the answerer falls back to extractive. `kind` names why for `mode`."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind  # "timeout" | "refused" | "server_error" | "empty" | "bad_reply" | "busy"
        self.detail = detail


class BackendUnavailable(GongyouError, RuntimeError):
    """A configured back-end cannot be used here (a package or a file is missing): the fix is named."""


@dataclass(frozen=True)
class BackendConfig:
    """What the user configured: `--llm SPEC`, `--llm-model NAME`, the key's environment variable."""

    spec: str  # a URL, a .gguf file, a transformers folder, or "KIND:..." to name the kind
    model: str | None = None
    key_env: str = "GONGYOU_LLM_API_KEY"


@dataclass(frozen=True)
class BackendKind:
    """One kind of back-end the registry can make (app/generate/backends/registry.py)."""

    name: str  # "openai", "llama-cpp", "transformers"
    label: str
    answers_to: Callable[[str], bool]  # whether a spec (without a "KIND:" prefix) means this kind
    make: Callable[[BackendConfig], Backend]
    in_process: bool
    streams: bool
    unavailable: Callable[[str], str | None] = lambda spec: None
    fix: str = ""


def remaining(deadline: float) -> float:
    return deadline - time.monotonic()


def run_until(
    deadline: float, work: Callable[[threading.Event], Generated], stop: Callable[[], None]
) -> Generated:
    """Run `work(cancelled)` in a thread and return its result, or raise BackendFailed("timeout") at
    the deadline after setting `cancelled` and calling `stop` (which closes a socket, say)."""
    outcome: dict[str, Any] = {}
    cancelled = threading.Event()

    def target() -> None:
        try:
            outcome["result"] = work(cancelled)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="gongyou-llm", daemon=True)
    thread.start()
    thread.join(max(0.0, remaining(deadline)))
    if thread.is_alive():
        cancelled.set()
        with contextlib.suppress(Exception):  # closing an already broken connection
            stop()
        raise BackendFailed("timeout", "no complete reply before the deadline")
    if "error" in outcome:
        error = outcome["error"]
        if isinstance(error, BackendFailed):
            raise error
        raise BackendFailed("server_error", f"{type(error).__name__}: {error}") from error
    return outcome["result"]
