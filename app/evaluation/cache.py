"""The index a question set is evaluated on, cached per corpus, settings and builder code.

Indexes are cached under `eval/.cache/<dataset>-<fingerprint>-<embedder>/`; the fingerprint covers the
corpus bytes, the chunk settings and the source of the modules that build an index.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

from app import config
from app.evaluation.datasets import DEV_CORPUS, Dataset
from app.evaluation.errors import EvalError
from app.index.embedders.registry import DEFAULT_MODEL, name_for
from app.settings import current

CACHE = config.PROJECT_ROOT / "eval" / ".cache"
CACHE_KEEP = 3  # cached builds kept per dataset and embedder
# What decides what an index holds: a change to any of these invalidates cached builds (a code
# folder counts every module in it; a data folder every file). Query-time data (answer types,
# messages, UI strings, the learned expansion table) is left out, so editing it costs no rebuild.
BUILD_SOURCES = (
    "ingest", "index", "text", "models.py", "datafiles.py", "limits.py",
    "data/ingest", "data/glossary", "data/stopwords.txt", "data/provinces.txt",
)  # fmt: skip


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "default"


def builder_code_hash() -> str:
    """Hash of the source and data that decide an index's content (see BUILD_SOURCES)."""
    app_dir = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    files: list[Path] = []
    for name in BUILD_SOURCES:
        path = app_dir / name
        pattern = "*" if name.startswith("data") else "*.py"
        files += sorted(p for p in path.rglob(pattern) if p.is_file()) if path.is_dir() else [path]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(app_dir)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def settings_key(embedder: str) -> dict:
    from app.index.store import FORMAT_VERSION
    from app.index.tokens import TOKENIZER, tokens_fingerprint

    return {
        "chunk_size": current().chunk_size,
        "chunk_overlap": current().chunk_overlap,
        "article_max_chars": current().article_max_chars,
        "tokenizer": TOKENIZER,
        "tokens": tokens_fingerprint(),
        "format": FORMAT_VERSION,
        "embedder": embedder,
        "code": builder_code_hash(),
    }


def corpus_key(corpus: Path, embedder: str) -> str:
    """sha256 of the corpus bytes (every file of a folder, by relative path) and of the settings."""
    digest = hashlib.sha256()
    files = sorted(p for p in corpus.rglob("*") if p.is_file()) if corpus.is_dir() else [corpus]
    for path in files:
        digest.update(str(path.relative_to(corpus) if corpus.is_dir() else path.name).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(json.dumps(settings_key(embedder), sort_keys=True).encode())
    return digest.hexdigest()[:16]


def cache_root(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "cache_dir", None) or os.environ.get("GONGYOU_EVAL_CACHE") or CACHE)


def usable_index(index_dir: Path, corpus: Path, embed_model: str | None) -> bool:
    """Whether index_dir holds a current build of corpus (same documents; same embedder if one is named)."""
    from app.index.store import IndexProblem, corpus_fingerprint, read_manifest
    from app.ingest.walk import load_corpus

    try:
        manifest = read_manifest(index_dir)
    except IndexProblem:
        return False
    built = manifest.get("embedder", {})
    if embed_model and embed_model != built.get("requested") and name_for(embed_model) != built.get("name"):
        return False
    docs, _ = load_corpus(corpus)
    return manifest.get("corpus_fingerprint") == corpus_fingerprint({d.doc_id: d.content_hash for d in docs})


def cached_index(dataset: Dataset, embed_model: str, root: Path, progress: bool) -> Path:
    """The cached index of dataset.corpus for this embedder, built when missing or out of date."""
    from app.index.build import build
    from app.index.embedders.base import EmbedderUnavailable
    from app.index.embedders.registry import load_embedder
    from app.index.store import IndexProblem, read_manifest

    folder = root / f"{dataset.cache_name}-{corpus_key(dataset.corpus, embed_model)}-{slug(embed_model)}"
    try:
        read_manifest(folder)
        print(f"Using the cached index {folder}", file=sys.stderr)
        return folder
    except IndexProblem:
        pass
    print(f"Indexing {dataset.corpus} into {folder} ({embed_model} embedder)...", file=sys.stderr)
    try:
        embedder = load_embedder(embed_model, fallback=False)
    except EmbedderUnavailable as exc:
        raise EvalError(f"{exc} (or evaluate with --embed-model offline)") from exc
    result = build(dataset.corpus, folder, embed_model, progress=progress, embedder=embedder)
    print(result.summary(), file=sys.stderr)
    prune_cache(root, dataset.cache_name, embed_model, keep=folder)
    return folder


def prune_cache(root: Path, dataset: str, embed_model: str, keep: Path) -> None:
    """Keep the CACHE_KEEP most recent builds of one dataset and embedder."""
    pattern = re.compile(rf"^{re.escape(dataset)}-[0-9a-f]{{16}}-{re.escape(slug(embed_model))}$")
    siblings = [p for p in root.iterdir() if p.is_dir() and pattern.match(p.name) and p != keep]
    siblings.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in siblings[CACHE_KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def prepare_index(dataset: Dataset, args: argparse.Namespace, progress: bool) -> Path:
    """Benchmarks: the cached index. Shipped corpus (dev set, --set): --index when it is current,
    else the cached index."""
    embed_model = getattr(args, "embed_model", None)
    if dataset.corpus == DEV_CORPUS and getattr(args, "index", None):
        index_dir = Path(args.index)
        if usable_index(index_dir, dataset.corpus, embed_model):
            print(f"Using the index at {index_dir}", file=sys.stderr)
            return index_dir
    return cached_index(dataset, embed_model or DEFAULT_MODEL, cache_root(args), progress)
