"""The pipeline object that the CLI and the UI share: open an index once, then search and ask.

What the index holds (for refusals) and its articles (for cross-references) are worked out once
per pipeline, on first use. `get_pipeline` caches one pipeline per index folder and reloads it
when a new build becomes current (after `gongyou add`, `remove` or `build`), so a running
server needs no restart. It opens pipelines through the process's `Serving` choice: `IN_PROCESS`
(the default: this process searches every shard) or, after `serve_with(...)`, a Ray cluster's
(app/cluster/frontend.py), whose pipelines have the same interface.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

from app.answer.compose import compose_answer
from app.answer.crossrefs import ArticleIndex
from app.answer.holdings import Holdings, summarise_holdings
from app.answer.meaning import Meaning
from app.generate.answerers import Answerer, AnswererConfig, AnswerJob, make_answerer
from app.generate.records import AnswerReport
from app.index.store import (
    Index,
    check_embedder,
    current_build,
    index_embedder,
    load_index,
)
from app.models import Answer, Hit
from app.reader.model import Reading
from app.reader.registry import make_reader
from app.search.coverage import Coverage, incomplete_notice
from app.search.question import clean_question, language_of, standalone_question
from app.search.retriever import Retrieval, Retriever
from app.search.scatter import ShardSet
from app.settings import current


@dataclass
class SearchResult:
    question: str
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    coverage: Coverage = field(default_factory=lambda: Coverage(1))


@dataclass
class AskResult:
    question: str  # as asked
    standalone: str  # after resolving a follow-up against the conversation
    language: str
    answer: Answer
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    report: AnswerReport = field(default_factory=AnswerReport)  # which answerer answered (mode)
    coverage: Coverage = field(default_factory=lambda: Coverage(1))  # which shards answered


class Pipeline:
    """Searches and answers over one build; `shards` opens what it searches (default: every shard
    in this process, app/search/scatter.py `LocalShards`)."""

    def __init__(
        self,
        index_dir: Path,
        embed_model: str | None = None,
        answerer: AnswererConfig | None = None,
        shards: Callable[[Index], ShardSet] | None = None,
        reader: str | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.index = load_index(self.index_dir)
        check_embedder(self.index, self.index_dir, embed_model)
        self.embedder = index_embedder(self.index, self.index_dir)
        self.retriever = Retriever(self.index, self.embedder, shards(self.index) if shards else None)
        self.answerer = make_answerer(answerer)  # app/generate/answerers.py: extractive or llm
        self.reader = make_reader(reader, self.index)  # app/reader/registry.py: trained or none
        self._corpus_form: str | None = None

    def occurs(self, term: str) -> bool:
        """Whether a term (in the matching form) appears anywhere in the indexed text."""
        if self._corpus_form is None:
            from app.index.corpus_form import corpus_form, read_corpus_form

            stored = read_corpus_form(self.index.folder)  # written by the build (older ones: none)
            self._corpus_form = (
                stored if stored is not None else corpus_form(self.index.chunks, self.index.docs)
            )
        return term in self._corpus_form

    @cached_property
    def holdings(self) -> Holdings:
        """What the index holds, in the terms a refusal states it (app/answer/holdings.py)."""
        return summarise_holdings(self.index.chunks, self.index.docs)

    @cached_property
    def articles(self) -> ArticleIndex:
        """Every law article of the index, for cross-references (app/answer/crossrefs.py)."""
        return ArticleIndex(self.index.chunks, self.index.docs)

    @property
    def mode(self) -> dict[str, object]:
        return {
            "embedder": self.index.embedder_name,
            "offline": self.embedder.offline,
            "retrieval": (
                "hybrid (BM25 + dense tie-break: the offline embedder gets no real weight)"
                if self.embedder.offline
                else "hybrid (BM25 + dense, reciprocal rank fusion)"
            ),
            **self.answerer.describe(),
            **self.reader.describe(),
        }

    def _retrieve(self, question: str, k: int, mode: str = "hybrid") -> tuple[Retrieval, Reading | None]:
        """The top k passages, reread and reordered by the reader when one is in force."""
        retrieval = self.retriever.search(question, k=self.reader.pool(k), mode=mode)
        started = time.perf_counter()
        reading = self.reader.read(question, retrieval.hits, retrieval.query_vector, self.index, self.occurs)
        if reading is not None:
            retrieval.timings_ms["reader"] = (time.perf_counter() - started) * 1000
            retrieval.hits = reading.hits
        retrieval.hits = retrieval.hits[:k]
        return retrieval, reading

    def search(self, question: str, k: int = 5, mode: str = "hybrid") -> SearchResult:
        started = time.perf_counter()
        question = clean_question(question)
        retrieval, _ = self._retrieve(question, k, mode)
        timings = {**retrieval.timings_ms, "total": (time.perf_counter() - started) * 1000}
        return SearchResult(question, retrieval.hits, _rounded(timings), retrieval.coverage)

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        k: int | None = None,
        answerer: Answerer | None = None,
    ) -> AskResult:
        """Retrieve, answer (extractively, then with `answerer` or the pipeline's own), and time it."""
        started = time.perf_counter()
        started_monotonic = time.monotonic()
        question = clean_question(question)
        standalone = standalone_question(question, history)
        language = language_of(question)
        retrieval, reading = self._retrieve(standalone, k or current().answer_passages)
        retrieved = time.perf_counter()
        semantics = Meaning.of(retrieval.query_vector, self.index)
        answer = compose_answer(
            standalone,
            retrieval.hits,
            self.index.term_stats,
            language,
            self.occurs,
            semantics,
            self.holdings,
            self.articles,
            reading,
        )
        job = AnswerJob(standalone, retrieval.hits, language, answer, started_monotonic)
        answered = (answerer or self.answerer).answer(job)
        answer = answered.answer
        answer.question = question
        if not retrieval.coverage.complete:  # some shards' passages could not be considered
            answer.text = f"{answer.text}\n\n{incomplete_notice(language)}"
        done = time.perf_counter()
        timings = {
            **retrieval.timings_ms,
            "retrieve": (retrieved - started) * 1000,
            **answered.report.timings_ms,
            "answer": (done - retrieved) * 1000,
            "total": (done - started) * 1000,
        }
        return AskResult(
            question,
            standalone,
            language,
            answer,
            retrieval.hits,
            _rounded(timings),
            answered.report,
            retrieval.coverage,
        )

    def explain(self, question: str, k: int | None = None):
        """What the answerer saw for a question: terms, type, sentences and every rule's verdict."""
        from app.answer.explain import explain

        question = clean_question(question)
        retrieval, reading = self._retrieve(question, k or current().answer_passages)
        semantics = Meaning.of(retrieval.query_vector, self.index)
        return explain(question, retrieval.hits, self.index.term_stats, self.occurs, semantics, reading)

    def close(self) -> None:
        """Release what searching holds outside this process (nothing for in-process shards)."""
        self.retriever.shards.close()


def _rounded(timings: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in timings.items()}


class Serving(Protocol):
    """How this process opens pipelines (`gongyou serve --ray` chooses a Ray cluster's)."""

    distributed: bool  # whether other processes do the searching

    def open(
        self,
        index_dir: Path,
        embed_model: str | None,
        answerer: AnswererConfig | None = None,
        reader: str | None = None,
    ) -> Pipeline: ...


class InProcess:
    """Pipelines that search every shard in this process (the single-machine default)."""

    distributed = False

    def open(
        self,
        index_dir: Path,
        embed_model: str | None,
        answerer: AnswererConfig | None = None,
        reader: str | None = None,
    ) -> Pipeline:
        return Pipeline(index_dir, embed_model, answerer, reader=reader)


IN_PROCESS = InProcess()
_serving: Serving = IN_PROCESS
_cache: dict[tuple[str, str | None, AnswererConfig | None, str | None], Pipeline] = {}
_lock = threading.Lock()


def serve_with(serving: Serving) -> None:
    """Open this process's pipelines through `serving` from now on (cached ones are closed)."""
    global _serving
    with _lock:
        _serving = serving
        for pipeline in _cache.values():
            pipeline.close()
        _cache.clear()


def get_pipeline(
    index_dir: Path,
    embed_model: str | None = None,
    answerer: AnswererConfig | None = None,
    reader: str | None = None,
) -> Pipeline:
    """The cached pipeline for an index folder, reloaded when a newer build has become current."""
    key = (str(Path(index_dir).resolve()), embed_model, answerer, reader)
    with _lock:
        cached = _cache.get(key)
        build = current_build(Path(index_dir))
        if cached is None or build is None or cached.index.folder != build:
            fresh = _serving.open(Path(index_dir), embed_model, answerer, reader)
            if cached is not None:
                cached.close()  # a remote pipeline lets in-flight questions finish first
            _cache[key] = cached = fresh
        return cached
