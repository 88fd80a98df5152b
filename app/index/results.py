"""What `build`, `add` and `remove` report: the new manifest, what changed, and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.ingest.report import LoadReport


def _names(doc_ids: list[str], shown: int = 20) -> str:
    more = len(doc_ids) - shown
    return ", ".join(doc_ids[:shown]) + (f" and {more} more" if more > 0 else "")


@dataclass
class BuildResult:
    """The outcome of one build, add or remove; `summary()` is what the CLI prints."""

    manifest: dict
    report: LoadReport
    seconds: float
    notes: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # doc_ids new to the index
    replaced: list[str] = field(default_factory=list)  # doc_ids whose content changed
    removed: list[str] = field(default_factory=list)
    changed: bool = True  # False when nothing was written (e.g. every file was a duplicate)

    def summary(self) -> str:
        m = self.manifest
        if self.changed:
            lines = [
                f"Indexed {m['doc_count']} documents as {m['chunk_count']} passages in {self.seconds:.1f} s "
                f"(embedded {m['embedded_chunks']}, reused {m['chunk_count'] - m['embedded_chunks']}).",
                f"Embedder: {m['embedder']['name']} ({m['embedder']['dim']} dimensions), "
                f"dense index: {m['dense_index']}.",
            ]
        else:
            lines = [
                f"No change: the index still holds {m['doc_count']} documents as {m['chunk_count']} "
                f"passages (build {m['build_id']})."
            ]
        if self.added:
            lines.append(f"Added: {_names(self.added)}.")
        if self.replaced:
            lines.append(f"Replaced (content changed): {_names(self.replaced)}.")
        if self.removed:
            lines.append(f"Removed: {_names(self.removed)}.")
        lines += self.notes
        report = self.report.summary()
        if report and (self.report.loaded or self.report.skipped or self.report.warnings):
            lines.append(report)
        return "\n".join(lines)
