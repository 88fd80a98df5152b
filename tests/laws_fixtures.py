"""The shipped laws (corpus/laws/) and the script that builds them, for the tests of every tier."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT / "corpus" / "laws"
METADATA: dict[str, dict] = {
    name: entry
    for name, entry in json.loads((LAWS / "metadata.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
LAW_FILES = sorted(METADATA)


def law_articles():
    """The shipped laws' articles as `gongyou build` chunks them (no index, no model)."""
    from app.answer.crossrefs import ArticleIndex
    from app.ingest.chunk import chunk_document
    from app.ingest.clean import clean_document
    from app.ingest.walk import load_corpus

    docs, _ = load_corpus(LAWS)
    chunks = [c for d in docs for c in chunk_document(clean_document(d))]
    return ArticleIndex(chunks, {d.doc_id: d.meta for d in docs})


def article(articles, law: str, number: str):
    """The one passage of an article (劳动法, 第四十四条)."""
    (hit,) = articles.parts(law, number)
    return hit


def load_build_laws() -> ModuleType:
    """scripts/build_laws.py as a module (scripts/ is not a package)."""
    if "build_laws" in sys.modules:
        return sys.modules["build_laws"]
    spec = importlib.util.spec_from_file_location("build_laws", ROOT / "scripts" / "build_laws.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_laws"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module
