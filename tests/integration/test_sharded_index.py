"""A sharded index searched in this process: the same answers as one index, kept through updates.

The shipped corpus is built in 3 shards over a copy of the shipped index (conftest
`sharded_index`), with the default model, so the dense leg has its real weight: top-10 lists,
each hit's BM25, dense and fused scores and the answers must equal the unsharded index's.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, SHIPPED_SHARDS

from app.cli import main
from app.index.build import add, remove
from app.index.store import current_build, load_index, read_manifest
from app.pipeline import Pipeline
from app.present import ask_json, search_json


def _questions() -> list[str]:
    with open(ROOT / "eval" / "questions.jsonl", encoding="utf-8") as lines:
        return [json.loads(line)["question"] for line in lines if line.strip()]


def _ranked(result) -> list[tuple]:
    return [(h.chunk.chunk_id, h.score, h.bm25_score, h.dense_score) for h in result.hits]


@pytest.fixture(scope="module")
def sharded(sharded_index: Path) -> Pipeline:
    return Pipeline(sharded_index)


def test_one_manifest_whole_documents_and_the_same_passages(shipped_index: Path, sharded_index: Path) -> None:
    one, many = load_index(shipped_index), load_index(sharded_index)
    record = many.manifest["shards"]
    assert record["count"] == SHIPPED_SHARDS == many.shard_count
    assert sum(record["passages"]) == len(many.chunks) == len(one.chunks)
    assert sum(record["documents"]) == len(many.docs)  # a document lies in exactly one shard
    assert [c.chunk_id for c in many.chunks] == [c.chunk_id for c in one.chunks]  # same global rows
    build = current_build(sharded_index)
    assert sorted(p.name for p in (build / "shards").iterdir()) == ["000", "001", "002"]
    assert not (build / "dense.faiss").exists() and not (build / "bm25").exists()
    assert many.vectors().tobytes() == one.vectors().tobytes()  # vectors moved, not recomputed


def test_sharded_search_equals_one_index_with_the_real_model(pipeline: Pipeline, sharded: Pipeline) -> None:
    questions = _questions()
    differing = [
        q for q in questions if _ranked(pipeline.search(q, k=10)) != _ranked(sharded.search(q, k=10))
    ]
    assert differing == [], f"{len(differing)} of {len(questions)} top-10 lists differ"
    for mode in ("bm25", "dense"):
        for question in questions[:30]:
            assert _ranked(pipeline.search(question, 10, mode)) == _ranked(sharded.search(question, 10, mode))


def test_sharded_answers_equal_one_index_and_report_their_shards(
    pipeline: Pipeline, sharded: Pipeline
) -> None:
    for question in _questions()[:40]:
        one, many = pipeline.ask(question), sharded.ask(question)
        assert many.answer.text == one.answer.text and many.answer.refused == one.answer.refused
        assert many.coverage.complete
    asked = ask_json(sharded.ask("到2035年要培养多少名大国工匠?"), sharded.mode)
    shards = asked["mode"]["shards"]
    assert shards["count"] == shards["answered"] == SHIPPED_SHARDS
    assert shards["missing"] == [] and shards["complete"] is True and shards["distributed"] is False
    assert "shards" not in ask_json(pipeline.ask("到2035年要培养多少名大国工匠?"), pipeline.mode)["mode"]
    assert "shards" not in search_json(pipeline.search("技工院校"))  # the unsharded contract is unchanged
    assert search_json(sharded.search("技工院校"))["shards"]["complete"] is True


def test_add_and_remove_keep_the_shards(sharded_index: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(sharded_index, index_dir)
    notice = tmp_path / "夜班补贴.txt"
    notice.write_text("夜班补贴规定\n每个夜班发放夜班补贴六十元，由车间每月汇总发放。\n", encoding="utf-8")
    added = add([notice], index_dir)
    assert added.manifest["shards"]["count"] == SHIPPED_SHARDS
    assert added.manifest["embedded_chunks"] == 1  # only the new passage is embedded
    answer = Pipeline(index_dir).ask("每个夜班的补贴是多少钱？")
    assert "六十元" in answer.answer.text
    removed = remove(["夜班补贴"], index_dir)
    assert removed.manifest["shards"]["count"] == SHIPPED_SHARDS
    assert removed.manifest["embedded_chunks"] == 0
    assert read_manifest(index_dir)["chunk_count"] == load_index(sharded_index).manifest["chunk_count"]


def test_cli_builds_shards_and_refuses_a_bad_count(tmp_path: Path, capsys) -> None:
    index_dir, seeds = tmp_path / "index", tmp_path / "seeds"
    seeds.mkdir()
    for path in CORPUS.iterdir():  # the five seed documents, not the laws' folder
        if path.is_file():
            shutil.copy(path, seeds / path.name)
    with pytest.raises(SystemExit) as refused:
        main(["build", "--corpus", str(seeds), "--index", str(index_dir), "--shards", "0"])
    assert refused.value.code == 2 and "at least 1" in capsys.readouterr().err
    args = ["--index", str(index_dir), "--embed-model", "offline"]
    assert main(["build", "--corpus", str(seeds), *args, "--shards", "9"]) == 0  # 5 documents: 5 shards
    assert read_manifest(index_dir)["shards"]["count"] == 5
    capsys.readouterr()
    assert main(["search", "技工院校招生", "--json", *args]) == 0
    assert json.loads(capsys.readouterr().out)["shards"]["count"] == 5
    assert main(["explain", "技工院校招生", *args]) == 0
    assert main(["list", "--index", str(index_dir)]) == 0
