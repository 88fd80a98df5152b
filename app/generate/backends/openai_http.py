"""Any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp's server, a provider's API), over
the standard library's http.client, streamed as server-sent events.

`--llm http://127.0.0.1:11434` (or …/v1, or …/v1/chat/completions) names the server; the model is
`--llm-model` or, when not given, the first of the server's `/v1/models`. The key, if any, comes
from an environment variable (GONGYOU_LLM_API_KEY unless `--llm-key-env` names another) and is
sent only to that server. A refused connection fails at once; everything else is bounded by the
request's deadline (app/generate/backends/base.py `run_until`).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from app.generate.backends.base import BackendConfig, BackendFailed, remaining, run_until
from app.generate.records import ChatMessage, Generated, Limits

CHAT_PATH = "/chat/completions"
MODELS_LOOKUP_S = 3.0  # asking the server for its model name when none was configured


def endpoint(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path of chat completions) of a server URL in any of its usual forms."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url}")
    path = parts.path.rstrip("/")
    if not path.endswith(CHAT_PATH):
        path = (path if path.endswith("/v1") else f"{path}/v1") + CHAT_PATH
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, parts.hostname, port, path


def sse_data(lines: Iterator[bytes]) -> Iterator[str]:
    """The `data:` payloads of a server-sent event stream (multi-line data joined), until [DONE]."""
    data: list[str] = []
    for raw in lines:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not line:
            if data:
                payload = "\n".join(data)
                data = []
                if payload.strip() == "[DONE]":
                    return
                yield payload
            continue
        if line.startswith(":"):
            continue  # a comment (keep-alive)
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value[1:] if value.startswith(" ") else value)
    if data and "\n".join(data).strip() != "[DONE]":
        yield "\n".join(data)


def delta_text(payload: str) -> str:
    """The text of one streamed chunk (or of a whole non-streamed reply)."""
    try:
        chunk = json.loads(payload)
    except ValueError as exc:
        raise BackendFailed("bad_reply", f"not JSON: {payload[:80]!r}") from exc
    if isinstance(chunk, dict) and chunk.get("error"):
        raise BackendFailed("server_error", str(chunk["error"])[:200])
    choices = chunk.get("choices") if isinstance(chunk, dict) else None
    if not choices:
        return ""
    choice = choices[0]
    part = choice.get("delta") or choice.get("message") or {}
    return str(part.get("content") or choice.get("text") or "")


class OpenAIHTTPBackend:
    kind = "openai"
    in_process = False
    streams = True

    def __init__(self, config: BackendConfig) -> None:
        self.url = config.spec
        self.scheme, self.host, self.port, self.path = endpoint(config.spec)
        self.key_env = config.key_env
        self._model = config.model
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        return self._model or "(server default)"

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "url": f"{self.scheme}://{self.host}:{self.port}{self.path}",
            "model": self.model,
        }

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=timeout, context=ssl.create_default_context()
            )
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        if key := os.environ.get(self.key_env):
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _model_name(self, deadline: float) -> str | None:
        """The configured model, else the server's first (asked once; None if it will not say)."""
        with self._lock:
            if self._model is not None:
                return self._model
        conn = self._connection(max(0.1, min(MODELS_LOOKUP_S, remaining(deadline))))
        try:
            conn.request("GET", self.path[: -len(CHAT_PATH)] + "/models", headers=self._headers())
            reply = conn.getresponse()
            listing = json.loads(reply.read() or b"{}") if reply.status == 200 else {}
            models = [m.get("id") for m in listing.get("data", []) if isinstance(m, dict)]
        except (OSError, ValueError, http.client.HTTPException):
            return None
        finally:
            conn.close()
        with self._lock:
            if models and models[0]:
                self._model = str(models[0])
            return self._model

    def generate(self, messages: Sequence[ChatMessage], limits: Limits) -> Generated:
        started = time.monotonic()
        budget = remaining(limits.deadline)
        if budget <= 0:
            raise BackendFailed("timeout", "no time left before the deadline")
        conn = self._connection(budget)

        def work(cancelled: threading.Event) -> Generated:
            body: dict[str, Any] = {
                "messages": [{"role": m.role, "content": m.content} for m in messages],
                "max_tokens": limits.max_tokens,
                "temperature": limits.temperature,
                "stream": True,
            }
            if model := self._model_name(limits.deadline):
                body["model"] = model
            try:
                conn.request(
                    "POST", self.path, json.dumps(body, ensure_ascii=False).encode(), self._headers()
                )
                reply = conn.getresponse()
            except ConnectionRefusedError as exc:
                raise BackendFailed("refused", f"nothing listens at {self.host}:{self.port}") from exc
            except TimeoutError as exc:
                raise BackendFailed("timeout", "the server did not answer in time") from exc
            except (OSError, http.client.HTTPException) as exc:
                raise BackendFailed("server_error", f"{type(exc).__name__}: {exc}") from exc
            if reply.status >= 400:
                detail = reply.read(300).decode("utf-8", errors="replace")
                raise BackendFailed("server_error", f"HTTP {reply.status}: {detail}")
            return self._read(reply, started, cancelled)

        def stop() -> None:  # unblock a read waiting on the socket, then close
            if conn.sock is not None:
                conn.sock.shutdown(socket.SHUT_RDWR)
            conn.close()

        try:
            return run_until(limits.deadline, work, stop)
        finally:
            conn.close()

    def _read(self, reply: http.client.HTTPResponse, started: float, cancelled: threading.Event) -> Generated:
        pieces: list[str] = []
        first: float | None = None
        content_type = reply.getheader("Content-Type") or ""
        try:
            if "text/event-stream" not in content_type:  # a server that ignored "stream": one JSON reply
                payloads: Iterator[str] = iter([reply.read().decode("utf-8", errors="replace")])
            else:
                payloads = sse_data(iter(reply.readline, b""))
            for payload in payloads:
                if cancelled.is_set():
                    break
                text = delta_text(payload)
                if text and first is None:
                    first = time.monotonic()
                pieces.append(text)
        except TimeoutError as exc:
            raise BackendFailed("timeout", "the reply stopped before the deadline") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise BackendFailed("server_error", f"{type(exc).__name__}: {exc}") from exc
        text = "".join(pieces).strip()
        if not text:
            raise BackendFailed("empty", "the model wrote nothing")
        now = time.monotonic()
        return Generated(text, (now - started) * 1000, None if first is None else (first - started) * 1000)
