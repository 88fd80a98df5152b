"""Walking a corpus: turn the files of a folder into `Document`s, never crash on bad input.

One bad file never stops the rest: `load_corpus` records why each file was skipped (or what was
odd about it) in a `LoadReport`, which the terminal shows with `LoadReport.summary()`. Which
files are read is tree.py's concern (links, unreadable folders); files are prechecked (format,
size, emptiness), read by the reader of their suffix (readers/), given metadata (metadata.py)
and unique ids. Every limit applied is in app/limits.py.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from app.errors import MissingDependency
from app.ingest.metadata import METADATA_FILE, apply_metadata, extract_meta, metadata_entry, read_metadata
from app.ingest.readers import READERS, SUPPORTED_SUFFIXES
from app.ingest.report import LoadError, LoadReport, over_limit
from app.ingest.tree import relative as _relative
from app.ingest.tree import walk_corpus
from app.limits import MAX_DOCUMENT_CHARS, MAX_FILE_BYTES
from app.models import PAGE_BREAK, Document

__all__ = ["MAX_FILE_BYTES", "load_corpus", "load_file"]

log = logging.getLogger(__name__)


def load_corpus(
    path: Path, max_file_bytes: int = MAX_FILE_BYTES, follow_links: bool = False
) -> tuple[list[Document], LoadReport]:
    """A folder (walked recursively, sorted, hidden files and metadata.json ignored) or a single file.

    Never raises for bad input: every problem ends up in the report. A missing path is reported as
    skipped, a broken metadata.json as a warning (the documents then load without it), and so is
    every path the walk passes over (app/ingest/tree.py): symbolic links out of the folder are
    followed only with `follow_links`. A single file named by the caller is always read.
    """
    path = Path(path)
    report = LoadReport()
    docs: list[Document] = []
    if not path.exists():
        report.skipped.append((str(path), "no such file or folder"))
        return docs, report

    if path.is_dir():
        root = path
        tree = walk_corpus(root, follow_links)
        files = tree.files
        report.skipped += tree.skipped
        metadata = _collect_metadata(root, report, tree.metadata)
    else:
        root = path.parent
        files = [path]
        metadata = _collect_metadata(root, report, [root / METADATA_FILE])

    seen_hashes: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    for file in files:
        rel = _relative(file, root)
        try:
            reason = _precheck(file, max_file_bytes)
            if reason:
                report.skipped.append((rel, reason))
                continue
            data = file.read_bytes()
            file_hash = hashlib.sha256(data).hexdigest()
            if file_hash in seen_hashes:
                report.skipped.append((rel, f"duplicate of {seen_hashes[file_hash]}"))
                continue
            file_docs, file_warnings = _load_bytes(file, data, rel, metadata, file_hash)
        except LoadError as exc:
            report.skipped.append((rel, exc.reason))
            continue
        except OSError as exc:  # unreadable (permissions), or gone since the walk
            report.skipped.append((rel, f"cannot read: {exc.strerror or exc}"))
            continue
        except ImportError as exc:  # not this file's fault: this Python lacks Gongyou's packages
            raise MissingDependency.of(exc) from exc
        except Exception as exc:  # one bad file must never stop the rest
            report.skipped.append((rel, f"unexpected error: {type(exc).__name__}: {exc}"))
            continue
        seen_hashes[file_hash] = rel
        report.warnings += [(rel, w) for w in file_warnings]
        kept = _unique_ids(file_docs, rel, seen_ids, report)
        if kept:
            report.loaded.append(rel)
            docs += kept
    report.documents = len(docs)
    return docs, report


def load_file(path: Path, root: Path | None = None) -> list[Document]:
    """One file → its documents (a .jsonl gives one per line). Raises LoadError(reason) if unreadable.

    `root` is the corpus folder (default: the file's folder); doc_id and source_path are relative to
    it and its metadata.json applies (a broken metadata.json is ignored here; load_corpus reports it).
    Problems that do not stop the file (bad .jsonl lines, pages without text) are only logged.
    """
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    rel = _relative(path, root)
    if not path.is_file():
        raise LoadError("no such file")
    reason = _precheck(path, MAX_FILE_BYTES)
    if reason:
        raise LoadError(reason)
    report = LoadReport()
    metadata = _collect_metadata(root, report, [root / METADATA_FILE])
    for where, problem in report.warnings:
        log.warning("%s: %s", where, problem)
    data = path.read_bytes()
    docs, warnings = _load_bytes(path, data, rel, metadata, hashlib.sha256(data).hexdigest())
    for warning in warnings:
        log.warning("%s: %s", rel, warning)
    return docs


def _collect_metadata(root: Path, report: LoadReport, files: list[Path]) -> dict[str, dict]:
    """The given metadata.json files (the root's first), keys made relative to root."""
    folders = sorted({f.parent for f in files if f.is_file()}, key=lambda f: (f != root, _relative(f, root)))
    merged: dict[str, dict] = {}
    for folder in folders:
        prefix = _relative(folder, root) + "/" if folder != root else ""
        where = prefix + METADATA_FILE
        try:
            entries = read_metadata(
                folder, lambda problem, where=where: report.warnings.append((where, problem))
            )
        except LoadError as exc:
            report.warnings.append((where, f"{exc.reason}; metadata ignored"))
            continue
        merged.update({prefix + key: entry for key, entry in entries.items()})
    return merged


def _precheck(path: Path, max_file_bytes: int) -> str | None:
    """Reasons to skip a file without reading it."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        what = f"format {suffix}" if suffix else "file without suffix"
        return f"unsupported {what} (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"
    size = path.stat().st_size
    limit = reader.max_bytes or max_file_bytes
    if size > limit:
        return f"too large: {_size(size)} > {_size(limit, limit=True)} limit"
    if size == 0:
        return "empty file"
    return None


def _size(n: int, limit: bool = False) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            value = n / scale
            return f"{value:g} {unit}" if limit else f"{value:.1f} {unit}"
    return f"{n} bytes"


def _unique_ids(docs: list[Document], rel: str, seen: dict[str, str], report: LoadReport) -> list[Document]:
    """doc_ids must be unique: a file whose id is taken keeps its suffix; a passage id taken is dropped."""
    kept = []
    for doc in docs:
        if doc.doc_id in seen:
            if not doc.is_passage and rel not in seen:
                taken_by = seen[doc.doc_id]
                report.warnings.append((rel, f"doc_id {doc.doc_id!r} already used by {taken_by}: id {rel!r}"))
                doc.doc_id = rel
            else:
                taken_by = seen[doc.doc_id]
                report.warnings.append((rel, f"id {doc.doc_id!r} already used by {taken_by}: skipped"))
                continue
        seen[doc.doc_id] = rel
        kept.append(doc)
    return kept


def _load_bytes(
    path: Path, data: bytes, rel: str, metadata: dict[str, dict], file_hash: str
) -> tuple[list[Document], list[str]]:
    """Dispatch on the suffix. Returns the documents and non-fatal warnings; raises LoadError."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise LoadError(f"unsupported format {suffix}")
    if not data.strip():
        raise LoadError("empty file")
    warnings: list[str] = []
    entry = metadata_entry(metadata, rel)
    if reader.read_passages is not None:
        return reader.read_passages(data, rel, entry, warnings), warnings

    page = reader.read(data, warnings)
    text = _normalise_newlines(page.text)
    if not text.replace(PAGE_BREAK, "").strip():
        raise LoadError(reader.empty_reason)
    if len(text) > MAX_DOCUMENT_CHARS:
        raise over_limit("too much text", len(text), MAX_DOCUMENT_CHARS, "characters per document")

    meta = extract_meta(text, rel, title=page.title, site=page.site, hints=page.hints)
    apply_metadata(meta, entry)
    doc_id = rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel
    return [Document(doc_id=doc_id, text=text, meta=meta, content_hash=file_hash)], warnings


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
