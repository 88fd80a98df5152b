"""English rewordings of one question get one answer (issue 15): the model, not the glossary, is the
bridge from English to the Chinese passages.

eval/english_rewordings.jsonl groups rewordings of a question about the shipped corpus; within a
group every rewording is answered from the same passage with the expected figure, or every one is
refused (`expect` null). The words differ on purpose ("national-level craftsmen" and "great
craftsmen" for 大国工匠), so a glossary entry alone cannot make a group agree. A group with a
`known_gap` says why it still fails and is expected to fail (strictly: a fix must update the file).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.text.normalize import to_script

GROUPS = Path(__file__).resolve().parents[2] / "eval" / "english_rewordings.jsonl"


def _groups() -> list[dict]:
    with open(GROUPS, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def test_the_groups_file_has_its_schema() -> None:
    groups = _groups()
    assert len(groups) >= 8 and len({g["id"] for g in groups}) == len(groups)
    for group in groups:
        assert set(group) == {"id", "expect", "rewordings", "known_gap"}, group["id"]
        assert len(group["rewordings"]) >= 2 and all(q.isascii() for q in group["rewordings"]), group["id"]
        assert group["expect"] is None or isinstance(group["expect"], str)


def _cases() -> list:
    """Each group; a group with a `known_gap` is expected to fail, strictly (a fix must update it)."""
    return [
        pytest.param(g, marks=pytest.mark.xfail(strict=True, reason=g["known_gap"])) if g["known_gap"] else g
        for g in _groups()
    ]


@pytest.mark.parametrize("group", _cases(), ids=lambda g: g["id"])
def test_rewordings_get_the_same_answer(pipeline, group: dict) -> None:
    results = [pipeline.ask(question) for question in group["rewordings"]]
    refused = [r.answer.refused for r in results]
    assert len(set(refused)) == 1, f"{group['id']}: refused {refused}"
    if group["expect"] is None:
        assert all(refused), group["id"]
        return
    assert not any(refused), group["id"]
    for question, result in zip(group["rewordings"], results):
        quoted = to_script(" ".join(s for c in result.answer.citations for s in c.sentences), "simplified")
        assert group["expect"] in quoted.replace(",", ""), f"{question!r} → {result.answer.text!r}"
    first_sources = {r.answer.citations[0].hit.chunk.chunk_id for r in results}
    assert len(first_sources) == 1, f"{group['id']}: first citations {first_sources}"
