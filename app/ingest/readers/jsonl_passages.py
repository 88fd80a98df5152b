"""Ready passages (.jsonl): one JSON object per line with "id" and "text".

Other keys fill the passage's metadata (unknown ones go to `extra`, a citation field of the wrong
type is dropped with a warning: app/ingest/meta_fields.py); the file's metadata.json entry fills
what a line leaves out. A passage is kept whole unless it is longer than a document's longest
passage (then chunking splits it like a document); one over MAX_PASSAGE_CHARS is skipped.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from app.ingest.encoding import decode_text
from app.ingest.meta_fields import checked_fields
from app.ingest.report import LoadError, over_limit
from app.limits import MAX_PASSAGE_CHARS
from app.models import DocMeta, Document
from app.text.normalize import detect_document_script

MAX_LINE_WARNINGS = 20  # per .jsonl file; the rest are counted in one last warning
_PASSAGE_FIELDS = frozenset(DocMeta.__dataclass_fields__) - {"extra", "source_path", "title"}


def read_passages(data: bytes, rel: str, entry: dict, warnings: list[str]) -> list[Document]:
    """One passage per valid line; bad lines are skipped with a warning (the first MAX_LINE_WARNINGS)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = decode_text(data)[0]
    defaults = {k: v for k, v in entry.items() if k != "title"}
    docs: list[Document] = []
    bad = noted = 0

    def note(message: str) -> None:
        nonlocal noted
        noted += 1
        if noted <= MAX_LINE_WARNINGS:
            warnings.append(message)

    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        problem = None
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            detail = (
                f"{exc.msg} at column {exc.colno}"
                if isinstance(exc, json.JSONDecodeError)
                else "nested too deep"
            )
            row, problem = None, f"invalid JSON ({detail})"
        if problem is None:
            problem = _passage_problem(row)
        if problem:
            bad += 1
            note(f"line {number}: {problem}; skipped")
            continue
        fields = checked_fields(row, lambda field_problem, n=number: note(f"line {n}: {field_problem}"))
        docs.append(_passage(fields, rel, number, defaults))
    if noted > MAX_LINE_WARNINGS:
        warnings.append(f"{noted - MAX_LINE_WARNINGS} more problems in other lines ({bad} bad lines skipped)")
    if not docs:
        raise LoadError(f"no valid passages ({bad} bad lines)" if bad else "empty file")
    return docs


def _passage_problem(row: Any) -> str | None:
    if not isinstance(row, dict):
        return f"not a JSON object but {type(row).__name__}"
    missing = [k for k in ("id", "text") if row.get(k) in (None, "")]
    if missing:
        return f"missing {' and '.join(missing)}"
    if not isinstance(row["text"], str):
        return "text is not a string"
    if isinstance(row["id"], bool) or not isinstance(row["id"], (str, int)):
        return f"id must be text or a whole number, not {type(row['id']).__name__}"
    if len(row["text"]) > MAX_PASSAGE_CHARS:
        return over_limit("passage too long", len(row["text"]), MAX_PASSAGE_CHARS, "characters").reason
    return None


def _passage(row: dict, rel: str, number: int, defaults: dict) -> Document:
    doc_id = str(row["id"])
    text = row["text"]
    title = row.get("title") or doc_id
    meta = DocMeta(title=title, source_path=rel)
    for key, value in row.items():
        if key in ("id", "text", "title"):
            continue
        if key in _PASSAGE_FIELDS:
            setattr(meta, key, value)
        else:
            meta.extra[key] = value
    meta.extra["line"] = number
    for key, value in defaults.items():  # the file's metadata.json entry fills what the line leaves out
        if key in _PASSAGE_FIELDS:
            if getattr(meta, key) is None:
                setattr(meta, key, value)
        else:
            meta.extra.setdefault(key, value)
    if meta.script is None:
        meta.script = detect_document_script(text)
    content_hash = hashlib.sha256((text + title).encode("utf-8")).hexdigest()
    return Document(doc_id=doc_id, text=text, meta=meta, is_passage=True, content_hash=content_hash)
