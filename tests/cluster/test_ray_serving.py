"""`gongyou serve --ray`: one actor per shard, answering replicas, the same answers as one process.

The shipped corpus in 3 shards (conftest `sharded_index`, default model) is served through a
local Ray: every top-10 list, score and answer must equal the unsharded index's in this process;
the CLI and the UI's answerer reach the cluster through the same pipeline interface; a killed
shard actor leaves answers partial (and saying so) until Ray has restarted it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from cluster_fixtures import local_ray  # noqa: F401 - the session's Ray
from conftest import ROOT, SHIPPED_SHARDS

from app.cli import main
from app.pipeline import IN_PROCESS, Pipeline, serve_with
from app.search.coverage import incomplete_notice
from app.search.question import QuestionError

pytestmark = pytest.mark.cluster

QUESTION = "到2035年要培养多少名大国工匠?"


def _questions() -> list[str]:
    with open(ROOT / "eval" / "questions.jsonl", encoding="utf-8") as lines:
        return [json.loads(line)["question"] for line in lines if line.strip()]


def _ranked(result) -> list[tuple]:
    return [(h.chunk.chunk_id, h.score, h.bm25_score, h.dense_score) for h in result.hits]


@pytest.fixture(scope="module")
def served(local_ray, sharded_index: Path):  # noqa: F811
    from app.cluster.frontend import RemotePipeline

    remote = RemotePipeline(sharded_index, None, replicas=2)
    yield remote
    remote._stop()


def test_answers_through_ray_equal_one_index_in_this_process(pipeline: Pipeline, served) -> None:
    questions = _questions()
    differing = [q for q in questions if _ranked(pipeline.search(q, k=10)) != _ranked(served.search(q, k=10))]
    assert differing == [], f"{len(differing)} of {len(questions)} top-10 lists differ"
    for question in questions[:30]:
        one, remote = pipeline.ask(question), served.ask(question)
        assert remote.answer.text == one.answer.text
        assert remote.coverage.complete and remote.coverage.distributed
        assert remote.coverage.shards == SHIPPED_SHARDS
        assert "gather" in remote.timings_ms
    assert served.mode["replicas"] == 2 and served.mode["embedder"] == pipeline.mode["embedder"]
    assert served.index.build_id == Pipeline(served.index.folder.parent.parent).index.build_id


def test_bad_input_through_ray_is_the_users_message(served) -> None:
    with pytest.raises(QuestionError, match="empty"):
        served.ask("   ")


def test_the_cli_and_the_ui_answer_through_ray(local_ray, sharded_index: Path, capsys) -> None:  # noqa: F811
    from app.cluster.frontend import RayServing
    from app.web.answerer import Answerer

    assert main(["ask", QUESTION, "--index", str(sharded_index), "--ray", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "2000名" in data["answer"]
    assert data["mode"]["shards"]["distributed"] is True and data["mode"]["shards"]["complete"] is True
    serve_with(RayServing(replicas=1))
    try:
        turn = Answerer(sharded_index).turn(QUESTION, [], search_only=False, hotline=True)
    finally:
        serve_with(IN_PROCESS)
    assert turn.kind == "ask" and "2000名" in turn.result.answer.text
    assert turn.result.coverage.distributed and len(turn.top) == 10


def test_a_killed_shard_actor_leaves_answers_partial_until_ray_restarts_it(
    local_ray,  # noqa: F811
    sharded_index: Path,
) -> None:
    from app.cluster.frontend import RemotePipeline

    remote = RemotePipeline(sharded_index, None, replicas=1, deadline_ms=300)
    try:
        assert remote.ask(QUESTION).coverage.complete
        victim = remote.shards[1][0]
        local_ray.kill(victim, no_restart=False)  # as a crash: Ray restarts the actor
        partial, recovered = [], None
        give_up = time.monotonic() + 180
        while recovered is None and time.monotonic() < give_up:
            result = remote.ask(QUESTION)  # never raises, never hangs past the deadline
            if not result.coverage.complete:
                partial.append(result)
            elif partial:
                recovered = result
        assert partial, "no answer ever missed the killed shard"
        assert all(r.coverage.missing == (1,) for r in partial)
        first = partial[0]
        assert first.answer.text.endswith(incomplete_notice("zh-Hans"))
        assert {"shard1_failed", "shard1_timeout"} & first.timings_ms.keys()
        assert recovered is not None, "the shard never came back"
        assert local_ray.get(victim.ready.remote()) > 0  # the same handle: restarted, shard reloaded
        assert "2000名" in recovered.answer.text and incomplete_notice("zh-Hans") not in recovered.answer.text
    finally:
        remote._stop()


def test_a_second_copy_of_each_shard_stands_in_for_a_killed_one(local_ray, sharded_index: Path) -> None:  # noqa: F811
    from app.cluster.frontend import RemotePipeline

    remote = RemotePipeline(sharded_index, None, replicas=1, deadline_ms=300, shard_copies=2)
    try:
        expected = remote.ask(QUESTION).answer.text
        local_ray.kill(remote.shards[2][0], no_restart=False)
        answers = [remote.ask(QUESTION) for _ in range(8)]
        partial = [a for a in answers if not a.coverage.complete]
        assert len(partial) <= 1  # only a question sent to the dead copy before it was suspected
        assert all(a.answer.text == expected for a in answers if a.coverage.complete)
        assert answers[-1].coverage.complete
    finally:
        remote._stop()
