"""Damaged indexes (issue 18, defect 9): every part of a build broken in turn, on a copy of the
shipped index. Each must end in the "damaged … Rebuild it: gongyou build …" message with exit 1,
never a traceback and never a wrong answer (an overwritten BM25 once made every question refused).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from app.cli import main
from app.index.build import add, build
from app.index.store import IndexProblem, current_build, load_index

QUESTION = "湖北省有多少个技能大师工作室?"


def _json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def _drop_document(build: Path) -> None:
    docs = _json(build / "docs.json")
    docs.pop(next(iter(docs)))
    _write_json(build / "docs.json", docs)


def _manifest_not_an_object(build: Path) -> None:
    _write_json(build / "manifest.json", ["not", "an", "object"])


def _manifest_not_json(build: Path) -> None:
    (build / "manifest.json").write_text('{"build_id": ', encoding="utf-8")


def _manifest_without_embedder(build: Path) -> None:
    manifest = _json(build / "manifest.json")
    del manifest["embedder"]
    _write_json(build / "manifest.json", manifest)


def _dense_of_another_dimension(build: Path) -> None:
    import faiss

    count = _json(build / "manifest.json")["chunk_count"]
    other = faiss.IndexFlatIP(8)
    other.add(np.eye(count, 8, dtype=np.float32))
    faiss.write_index(other, str(build / "dense.faiss"))


def _bm25_scores_overwritten(build: Path) -> None:
    """Same shape, other numbers: a valid .npy that only a checksum can tell from the real one."""
    path = build / "bm25" / "data.csc.index.npy"
    data = np.load(path)
    np.save(path, np.full_like(data, 1e-9))


def _bm25_garbage(build: Path) -> None:
    (build / "bm25" / "indptr.csc.index.npy").write_bytes(b"\x93NUMPY garbage" * 10)


def _chunks_truncated(build: Path) -> None:
    text = (build / "chunks.jsonl").read_text(encoding="utf-8")
    (build / "chunks.jsonl").write_text(text[: len(text) // 2], encoding="utf-8")


def _chunk_line_not_an_object(build: Path) -> None:
    lines = (build / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    lines[3] = "[1, 2, 3]"
    (build / "chunks.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _dense_empty(build: Path) -> None:
    (build / "dense.faiss").write_bytes(b"")


def _bm25_missing(build: Path) -> None:
    shutil.rmtree(build / "bm25")


def _current_names_no_build(build: Path) -> None:
    (build.parent.parent / "CURRENT").write_text("20990101T000000-gone00", encoding="utf-8")


def _current_escapes_the_index(build: Path) -> None:
    (build.parent.parent / "CURRENT").write_text("../../../etc", encoding="utf-8")


def _checksums_not_an_object(build: Path) -> None:
    manifest = _json(build / "manifest.json")
    manifest["checksums"] = "crc"
    _write_json(build / "manifest.json", manifest)


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "docs.json missing a document": (_drop_document, "docs.json has changed size"),
    "manifest.json not an object": (_manifest_not_an_object, "manifest.json is not an object"),
    "manifest.json cut short": (_manifest_not_json, "manifest.json"),
    "manifest.json without its embedder": (_manifest_without_embedder, "no valid 'embedder'"),
    "vectors of another dimension": (_dense_of_another_dimension, "dense.faiss"),
    "BM25 scores overwritten": (_bm25_scores_overwritten, "data.csc.index.npy does not match"),
    "BM25 file garbage": (_bm25_garbage, "indptr.csc.index.npy"),
    "chunks.jsonl truncated": (_chunks_truncated, "chunks.jsonl"),
    "a chunks.jsonl line not an object": (_chunk_line_not_an_object, "chunks.jsonl"),
    "dense.faiss empty": (_dense_empty, "dense.faiss"),
    "bm25 folder missing": (_bm25_missing, "is missing"),
    "CURRENT names no build": (_current_names_no_build, "CURRENT file names no build"),
    "CURRENT points out of the index": (_current_escapes_the_index, "CURRENT file names no build"),
    "checksums not an object": (_checksums_not_an_object, "checksums are not an object"),
}


@pytest.fixture
def index_copy(shipped_index: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "index"
    shutil.copytree(shipped_index, copy)
    return copy


def _damage(index: Path, how: Callable[[Path], None]) -> None:
    build = current_build(index)
    assert build is not None
    how(build)


@pytest.mark.parametrize("case", list(DAMAGE))
def test_each_damaged_part_names_the_damage_and_the_rebuild_command(
    case: str, index_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    how, detail = DAMAGE[case]
    _damage(index_copy, how)
    for command in (["ask", QUESTION], ["search", QUESTION], ["list"]):
        code = main([*command, "--index", str(index_copy)])
        out, err = capsys.readouterr()
        assert code == 1, (case, command, out)
        assert out == ""  # no answer at all rather than a wrong one
        assert f"The index at {index_copy} is damaged" in err, err
        assert detail in err, err
        assert f"Rebuild it: gongyou build --corpus corpus/ --index {index_copy}" in err


@pytest.mark.parametrize(
    ("how", "detail"),
    [
        (_drop_document, "belongs to a document missing from docs.json"),
        (_dense_of_another_dimension, "its vectors have 8 dimensions, the embedder 384"),
        (_chunks_truncated, "chunks.jsonl"),
    ],
)
def test_an_index_without_checksums_is_still_checked_for_agreement(
    how: Callable[[Path], None], detail: str, index_copy: Path
) -> None:
    """Indexes built before checksums were kept: their parts must still agree with each other."""
    build = current_build(index_copy)
    manifest = _json(build / "manifest.json")
    del manifest["checksums"]
    _write_json(build / "manifest.json", manifest)
    load_index(index_copy)  # sound without checksums
    how(build)
    with pytest.raises(IndexProblem, match="is damaged") as err:
        load_index(index_copy)
    assert detail in str(err.value)


def test_a_sound_index_passes_its_checksums(index_copy: Path) -> None:
    index = load_index(index_copy)
    listed = index.manifest["checksums"]
    assert {"chunks.jsonl", "docs.json", "dense.faiss", "bm25/data.csc.index.npy"} <= listed.keys()
    assert "manifest.json" not in listed and index.intact(*listed)


def test_damaged_reuse_files_are_not_reused_by_a_rebuild(tmp_path: Path) -> None:
    """Vector keys and token ids are read only by rebuilds: damaged, they are recomputed, not trusted."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("工资支付\n劳动者依法享有获得劳动报酬的权利。", encoding="utf-8")
    index = tmp_path / "index"
    build(corpus, index, "offline", progress=False)
    folder = current_build(index)
    (folder / "vector_keys.txt").write_text("0" * 24, encoding="utf-8")
    np.save(folder / "token_ids.npy", np.zeros_like(np.load(folder / "token_ids.npy")))
    assert not load_index(index).intact("vector_keys.txt")
    (corpus / "b.txt").write_text("休息休假\n劳动者享有休息休假的权利。", encoding="utf-8")
    result = add([corpus / "b.txt"], index)
    assert result.manifest["embedded_chunks"] == result.manifest["chunk_count"] == 2  # nothing reused
    rebuilt = load_index(index)
    assert rebuilt.intact(*rebuilt.manifest["checksums"])
    assert main(["search", "劳动报酬", "--index", str(index), "--json"]) == 0
