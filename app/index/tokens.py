"""BM25 token ids kept with each build, so a rebuild segments only new or edited passages.

A build stores every passage's token ids (`token_ids.npy`, row offsets in `token_offsets.npy`)
and the words they index (`token_vocab.txt`). The next build reuses a passage's ids when its
vector key is unchanged and the tokens fingerprint (tokenizer and glossary words) still matches.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from app.index.store import Index
    from app.index.workers import BuildWorkers

TOKENIZER = "jieba-words+han-bigrams-v3"


def tokens_fingerprint() -> str:
    """What BM25 tokens depend on besides the text: the tokenizer, the segmenter's extra words
    and the stopwords it drops."""
    from app.text.glossary import domain_words
    from app.text.segment import STOPWORDS

    parts = [TOKENIZER, *domain_words(), "\x1fstopwords", *sorted(STOPWORDS)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def _read_token_ids(
    previous: Index | None, fingerprint: str
) -> tuple[dict[str, int], np.ndarray, np.ndarray, list[str]] | None:
    """The previous build's token ids: (row by vector key, flat ids, row offsets, vocabulary).

    None when it has none, used another tokenizer, or its files fail their checksums.
    """
    if previous is None or previous.manifest.get("tokens_fingerprint") != fingerprint:
        return None
    if not previous.intact("token_ids.npy", "token_offsets.npy", "token_vocab.txt"):
        return None  # damaged since its build: tokenize again rather than reuse wrong ids
    try:
        ids = np.load(previous.folder / "token_ids.npy")
        offsets = np.load(previous.folder / "token_offsets.npy")
        words = (previous.folder / "token_vocab.txt").read_text(encoding="utf-8").split("\n")
    except (OSError, ValueError):
        return None
    keys = previous.vector_keys()
    if len(keys) + 1 != len(offsets) or (ids.size and int(ids.max()) >= len(words)):
        return None
    return {k: r for r, k in enumerate(keys)}, ids, offsets, words


def token_ids_with_reuse(
    texts: list[str],
    keys: list[str],
    previous: Index | None,
    fingerprint: str,
    workers: BuildWorkers | None = None,
) -> tuple[list[np.ndarray], list[str]]:
    """BM25 token ids of each text and the vocabulary they index.

    Passages the previous build tokenized keep their ids (jieba runs only on new text, on
    `workers`, default this process); the vocabulary is then compacted to the words still used,
    so document frequencies stay exact. Tokens are mapped to ids as they come, in text order
    (ids do not depend on who tokenized): no build holds every token as a string at once.
    """
    from app.index.workers import LocalWorkers

    workers = workers or LocalWorkers()
    store = _read_token_ids(previous, fingerprint)
    row_of, old_ids, offsets, words = store or ({}, np.zeros(0, np.int32), np.zeros(1, np.int64), [""])
    vocab = {w: i for i, w in enumerate(words)}
    parts: list[np.ndarray] = []
    todo: list[int] = []
    for i, key in enumerate(keys):
        row = row_of.get(key)
        if row is None:
            todo.append(i)
            parts.append(old_ids[:0])
        else:
            parts.append(old_ids[offsets[row] : offsets[row + 1]])
    for i, tokens in zip(todo, workers.tokenize([texts[i] for i in todo]) if todo else ()):
        parts[i] = np.array([vocab.setdefault(t, len(vocab)) for t in tokens or [""]], dtype=np.int32)
    vocab.setdefault("", len(vocab))
    words = list(vocab)  # insertion order is id order
    used = np.zeros(len(words), dtype=bool)
    for part in parts:
        used[part] = True
    used[vocab[""]] = True  # kept for empty passages, as BM25Index.build does
    if not used.all():
        remap = (np.cumsum(used) - 1).astype(np.int32)
        parts = [remap[p] for p in parts]
        words = [w for w, keep in zip(words, used) if keep]
    return parts, words


def save_token_ids(folder: Path, parts: list[np.ndarray], words: list[str]) -> None:
    """Tokens never contain whitespace (the tokenizer splits on it): one word per line is faithful."""
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([p.size for p in parts], out=offsets[1:])
    np.save(folder / "token_ids.npy", np.concatenate(parts) if parts else np.zeros(0, np.int32))
    np.save(folder / "token_offsets.npy", offsets)
    (folder / "token_vocab.txt").write_text("\n".join(words), encoding="utf-8")
