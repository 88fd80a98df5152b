"""What loading found: `LoadError` for one file that cannot be read, `LoadReport` for a whole corpus."""

from __future__ import annotations

from dataclasses import dataclass, field


class LoadError(Exception):
    """A file that cannot be turned into documents; the message is the reason shown to people."""

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else "unreadable"


def over_limit(what: str, found: int, limit: int, unit: str) -> LoadError:
    """The error of an input over one of app/limits.py's limits, naming the limit.

    over_limit("too much text", 2_400_000, 2_000_000, "characters per document") →
    "too much text: 2,400,000 > 2,000,000 characters per document (limit in app/limits.py)"
    """
    return LoadError(f"{what}: {found:,} > {limit:,} {unit} (limit in app/limits.py)")


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)  # paths relative to the corpus root
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, what was odd)
    documents: int = 0  # documents produced (a .jsonl file gives many)

    def summary(self) -> str:
        """Counts on the first line, then one line per skipped file and per warning, with the reason."""
        counts = _plural(len(self.loaded), "file")
        if self.documents:  # 0 when the caller merged reports without counting documents
            counts += f" ({_plural(self.documents, 'document')})"
        lines = [f"Loaded {counts}; skipped {len(self.skipped)}; {_plural(len(self.warnings), 'warning')}."]
        lines += [f"  skipped {path}: {reason}" for path, reason in self.skipped]
        lines += [f"  warning {path}: {reason}" for path, reason in self.warnings]
        return "\n".join(lines)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
