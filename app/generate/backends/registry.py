"""The registry of model back-ends: which kind a `--llm` spec means, and the automatic choice.

A spec is a URL (an OpenAI-compatible server), a .gguf file (in-process: llama-cpp-python if
installed, else nothing can run it), a transformers model folder, or "KIND:SPEC" to name the kind
("llama-cpp:/models/x.gguf", "openai:http://10.0.0.5:8000/v1"). Nothing is loaded or contacted
when no spec is configured. Adding a back-end is a module and one entry in KINDS.
"""

from __future__ import annotations

import importlib.util

from app.generate.backends import llama_cpp, transformers_folder
from app.generate.backends.base import Backend, BackendConfig, BackendKind, BackendUnavailable


def _is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def _make_openai(config: BackendConfig) -> Backend:
    from app.generate.backends.openai_http import OpenAIHTTPBackend

    return OpenAIHTTPBackend(config)


OPENAI = BackendKind(
    name="openai",
    label="OpenAI-compatible chat endpoint over HTTP (Ollama, vLLM, llama.cpp server, providers)",
    answers_to=_is_url,
    make=_make_openai,
    in_process=False,
    streams=True,
    unavailable=lambda spec: None if _is_url(spec) else f"{spec} is not an http(s) URL.",
    fix="Give the server's URL, e.g. --llm http://127.0.0.1:11434/v1.",
)
LLAMA_CPP = BackendKind(
    name="llama-cpp",
    label="GGUF model file in-process (llama-cpp-python)",
    answers_to=lambda spec: spec.lower().endswith(".gguf"),
    make=lambda config: llama_cpp.LlamaCppBackend(config),
    in_process=True,
    streams=True,
    unavailable=llama_cpp.unavailable,
    fix=llama_cpp.FIX,
)
TRANSFORMERS = BackendKind(
    name="transformers",
    label="transformers model folder in-process",
    answers_to=transformers_folder.is_model_folder,
    make=lambda config: transformers_folder.TransformersBackend(config),
    in_process=True,
    streams=False,
    unavailable=transformers_folder.unavailable,
    fix="Give a folder with config.json, the weights and the tokenizer.",
)

KINDS: tuple[BackendKind, ...] = (OPENAI, LLAMA_CPP, TRANSFORMERS)
BY_NAME = {kind.name: kind for kind in KINDS}


def split_spec(spec: str) -> tuple[BackendKind | None, str]:
    """("llama-cpp:/m.gguf") → (LLAMA_CPP, "/m.gguf"); a spec without a known prefix → (None, spec)."""
    prefix, sep, rest = spec.partition(":")
    if sep and prefix in BY_NAME and not rest.startswith("//"):
        return BY_NAME[prefix], rest
    return None, spec


def kind_of(spec: str) -> BackendKind:
    """The kind a spec means (auto: the first kind that answers to it)."""
    named, rest = split_spec(spec)
    if named is not None:
        return named
    found = next((kind for kind in KINDS if kind.answers_to(rest)), None)
    if found is None:
        raise BackendUnavailable(
            f"--llm {spec}: not a URL, a .gguf file or a transformers model folder. "
            "Give one of those, or name the kind: openai:URL, llama-cpp:FILE, transformers:FOLDER."
        )
    return found


def make_backend(config: BackendConfig) -> Backend:
    """The back-end a configuration names, or BackendUnavailable with the reason and the fix."""
    kind = kind_of(config.spec)
    _, spec = split_spec(config.spec)
    if (reason := kind.unavailable(spec)) is not None:
        raise BackendUnavailable(f"The {kind.name} back-end cannot be used: {reason} {kind.fix}".strip())
    return kind.make(BackendConfig(spec, config.model, config.key_env))


def installed() -> dict[str, bool]:
    """Which optional in-process engines are installed (for messages and tests)."""
    return {"llama-cpp": importlib.util.find_spec("llama_cpp") is not None, "transformers": True}
