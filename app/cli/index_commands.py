"""Commands that write or read an index: build (with --shards and --ray), add, remove, list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.cluster import cluster_line, on_ray
from app.errors import PROBLEM
from app.terminal import emit_json, printable


def cmd_build(args: argparse.Namespace) -> int:
    from app.index.build import build

    def run(workers=None):
        return build(
            Path(args.corpus),
            Path(args.index),
            args.embed_model,
            chunk_size=args.chunk_size,
            chunk_overlap=args.chunk_overlap,
            follow_links=args.follow_links,
            shards=args.shards,
            workers=workers,
        )

    if args.ray is None:
        result = run()
    else:
        with on_ray(args) as info:
            from app.cluster.build import RayWorkers

            print(cluster_line(info), file=sys.stderr)
            workers = RayWorkers(args.workers)
            try:
                result = run(workers)
            finally:
                workers.close()
        facts = result.manifest.get("build", {})
        if facts.get("workers"):
            rate = facts.get("embed_passages_per_second")
            result.notes.append(
                f"Ray: {facts['workers']} workers"
                + (f", {rate:g} passages/s embedded" if rate else "")
                + f", {facts.get('retried_batches', 0)} batches sent again."
            )
    print(printable(result.summary(), keep="\n\t"))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from app.index.build import add

    result = add([Path(p) for p in args.paths], Path(args.index), follow_links=args.follow_links)
    print(printable(result.summary(), keep="\n\t"))
    if not result.changed and not result.report.loaded:
        return PROBLEM  # no readable document at any of the paths (each named in the summary)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from app.index.build import remove

    result = remove(args.doc_ids, Path(args.index))
    print(printable(result.summary(), keep="\n\t"))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from app.index.build import document_rows
    from app.index.store import load_index

    index = load_index(Path(args.index))
    rows = document_rows(index)
    if args.json:
        emit_json(
            {
                "index": str(args.index),
                "build": index.build_id,
                "built_at": index.manifest.get("built_at"),
                "doc_count": len(rows),
                "chunk_count": len(index.chunks),
                "documents": rows,
            }
        )
        return 0
    for row in rows:  # names from the file system may hold control characters: shown escaped
        indexed = printable((row["indexed_at"] or "")[:10]) or "?"
        print(
            f"{printable(row['doc_id'])}\t{row['chunks']} chunks\t{printable(row['date']) or '日期不详'}\t"
            f"indexed {indexed}\t{printable(row['title'])}"
        )
    print(f"{len(rows)} documents, {len(index.chunks)} chunks, build {index.build_id}")
    return 0
