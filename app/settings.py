"""Every tuning constant in one place, recorded in each index manifest and each `metrics.json`.

Each figure says where it was measured. Change a value here (or with `override` in an
experiment) rather than in the module that uses it, so a report always says what produced it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Settings:
    # --- chunking and indexing
    chunk_size: int = 300  # characters per passage (laws: one article per passage, see below)
    # An article longer than this is split (each part keeps its article label). The longest of the
    # 1,492 shipped articles has 802 characters; 4 exceed the old limit of 600. MEASURED-ARTICLE
    article_max_chars: int = 2000
    chunk_overlap: int = 50
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    hnsw_threshold: int = 50_000  # below it exact search is fast enough and exact (scripts/bench_core.py)
    hnsw_m: int = 32
    hnsw_ef_construction: int = 64
    hnsw_ef_search: int = 96
    # Batches of at least this many passages go to the torch engine of the bundled model (it needs a
    # few seconds to load, then embeds several times faster than the C engine); smaller ones to C.
    torch_min_batch: int = 64

    # --- retrieval
    # Tuned with the bundled multilingual-e5-small on training questions only
    # (scripts/tune_retrieval.py: LeCoQA train in 5 folds for the learned expansion table, the dev
    # set, the labour set's train half, RGB even ids). Plain equal-weight RRF (k 60, 50 candidates,
    # expansion 0.5) gave Recall@10 0.640 / dev Hit@5 0.946 / labour 0.955 / RGB 0.740; these give
    # 0.661 / 0.989 / 0.955 / 0.732. Score fusion (fusion="scores") peaked at 0.656.
    rrf_k: int = 10
    candidates: int = 100  # per leg, before fusion (50 → 100: +0.003 Recall@10)
    # Weight of the dense leg in the fusion. The offline hashing embedder only re-finds surface
    # matches BM25 already has: any real weight lowered every figure we measured (LeCoQA train
    # Hit@1 0.541 at 0, 0.483 at 0.1, 0.428 at 0.25; dev Hit@1 0.871, 0.849, 0.806), so offline it
    # only breaks ties and fills in when BM25 finds nothing. The model: 0.5 → 0.645, 0.75 → 0.661,
    # 1.0 → 0.661, 1.5 → 0.640 Recall@10 (dev Hit@5 0.989 at 0.75, 0.978 at 1.0).
    dense_weight_offline: float = 0.002
    dense_weight_model: float = 0.75
    fusion: str = "rrf"  # "rrf" (reciprocal rank) or "scores" (min-max normalised scores)
    # The dense leg embeds the question with its glossary terms: without them LeCoQA gains 0.002
    # Recall@10 and the labour set loses a question (0.955 → 0.909).
    dense_query_expansion: bool = True
    expansion_weight: float = 0.75  # BM25 weight of expansion terms: 0.5 → 0.657, 0.75 → 0.661
    learned_terms: int = 10  # LeCoQA train (5-fold): 6 → 0.613, 10 → 0.614 Recall@10 (BM25 alone)

    # --- choosing the answer sentences
    # Passages an answer is built from. 8, not 5: a worker's words often rank the article that
    # answers 6th-8th (加班费怎么算 → 劳动法第四十四条 at 8th). Training sets (scripts/tune_answers.py,
    # meaning_weight 8): dev accuracy 0.839 → 0.857, labour set train half (shipped corpus)
    # 0.636 → 0.682; 10 measured the same as 8.
    answer_passages: int = 8
    rank_prior: float = 0.15  # how much a passage's retrieval rank counts when picking sentences
    own_cover_share: float = 0.3  # a sentence's own coverage, beside that with its title and section
    states_bonus: float = 0.5  # for a sentence that states what is asked (a figure, a date, a place)
    list_bonus: float = 0.15  # for an enumeration, when the question asks for a list
    max_sentences: int = 3
    # A law's numbered items are all shown with their lead-in up to this many (工伤保险条例第十四条
    # has 7, 劳动合同法第四十条 3); a longer list shows the lead-in and the items chosen.
    list_items_max: int = 8
    tier_sentence_chars: int = 200  # a sentence of ；-clauses up to this long is quoted whole
    lead_max_chars: int = 40  # a direct-answer line longer than this is not short: none is shown
    second_sentence_share: float = 0.8  # a further sentence scores at least this share of the best
    # ... and its cosine with the question is at most this much lower than the best's (real models)
    second_sentence_meaning_gap: float = 0.02
    # The best sentence may fail an evidence test that a close second (within 5% of its score) passes.
    sentences_tried: int = 2
    stating_considered: int = 8  # a figure question also tries the best stating sentences among these
    tried_score_share: float = 0.95
    max_sentence_chars: int = 140  # longer sentences are cut to their best run of clauses
    trim_states_bonus: float = 0.5  # when cutting, a run that states what is asked counts this more
    # × (the sentence's cosine with the question − the median sentence's). With 8 passages: labour
    # train false refusals 0.182 → 0.136 and dev accuracy unchanged (0.857; false refusals 0.036 →
    # 0.054); 6-10 measure the same, 16 worse (dev 0.848). It picks 大国工匠's sentence for "national-
    # level craftsmen" (eval/english_rewordings.jsonl).
    meaning_weight: float = 8.0
    # Cross-references (app/answer/crossrefs.py): a quoted 依照本法第八十七条 adds article 87, whose
    # 第四十七条 adds article 47 (3 steps); at most this many added passages per answer.
    crossref_depth: int = 3
    crossref_max: int = 3

    # --- evidence tests (refusal)
    # A sentence whose cosine with the question is lower does not answer (rule meaning.far). 0: on
    # the training sets 0.80-0.86 changed no answer (the model's cosines rarely fall that low).
    meaning_min: float = 0.0
    coverage_min: float = 0.3  # calibrated on eval/questions.jsonl (README: refusal vs false refusal)
    unknown_weight: float = 2.5  # a key term the corpus never uses
    unknown_english_share: float = 0.4  # of unknown_weight, for an English word with no translation
    figure_clause_min: float = 0.25
    lead_in_chars: int = 6  # a clause this short before a figure leads into its subject
    year_weight: float = 1.5  # about the IDF of a common word: years are frequent in dated documents
    synonym_credit: float = 0.6  # a glossary synonym is weaker evidence than the question's own word
    factoid_max_chars: int = 20  # a question this short asking for one fact is a factoid
    # Which refusal rules run (app/answer/evidence/registry.py): "news" runs them all, "general"
    # leaves out those written for news questions (names, roles, results, other instances).
    # "general" answers more labour questions (labour test accuracy 0.304 → 0.348, false refusal
    # 0.391 → 0.348) but refuses far fewer unanswerable news questions (RGB test 0.595 → 0.286).
    refusal_profile: str = "news"

    # --- the trained reader (app/reader/; weights in app/data/reader/, scripts/train_reader.py)
    # "auto": on where the index was built with the bundled model it was trained on; "on", "off".
    # Reranking wins on training data (dev Hit@1 0.714 -> 0.893, labour train 0.636 -> 0.909, held-out
    # LeCoQA train slice MRR@10 0.641 -> 0.667), but rerank-only leaves answer accuracy where it was
    # on both training sets (dev 0.857, labour train 0.682): off.
    reader: str = "off"
    reader_candidates: int = 30  # fused candidates the reader rereads (features only: no model call)
    reader_rerank: bool = True  # reorder passages by the reader's passage head
    # Refuse (rule reader.unanswerable) below its threshold? Not by default: on training data it
    # refused more answerable questions than unanswerable ones (dev set 3 vs 1, labour train 1 vs 1).
    reader_answerability: bool = False

    # --- generated answers (app/generate; only with --llm)
    llm_passages: int = 5  # passages numbered for the model: the ones the extractive answer is built from
    llm_passage_chars: int = 600  # a longer passage is cut (a law article rarely is)
    llm_max_tokens: int = 256  # three sentences in Chinese or English
    llm_temperature: float = 0.0
    llm_context_tokens: int = 4096  # in-process models: 5 passages of 600 characters and the rules fit
    # The request's deadline: past it the extractive answer is shown (mode.fallback = "timeout").
    llm_deadline_s: float = 10.0
    # Ask the model when the evidence rules refused? No: verification checks that each sentence is
    # supported, not that the question is answered, so the rules keep deciding whether to answer.
    llm_after_refusal: bool = False
    # Support of a generated sentence by its cited passage (app/generate/support.py): cosine
    # (bundled multilingual-e5-small, "query: " on both sides; the best of the passage and its
    # sentences) + support_coverage_weight × the share of the sentence's content words the passage
    # holds. Calibrated on training data by scripts/calibrate_support.py (dev set, labour train
    # half, 100 LeCoQA train questions; 235 supporting and 705 non-supporting pairs): ROC AUC,
    # Chinese statements, cosine alone 0.937, + 0.05 × coverage 0.954 (0.1: 0.954, 0.2: 0.949);
    # English statements 0.794 → 0.809 (0.1: 0.770: the English glossary covers few words). Each
    # threshold is the lowest accepting at most 5% of non-supporting pairs: Chinese 0.965 keeps
    # 72% of supporting statements (accepts 4.2%), English 0.895 keeps 40% (accepts 4.4%). The old
    # cosine-alone 0.85 accepted sentences about other matters of the same law (0.87-0.90).
    support_coverage_weight: float = 0.05
    support_min: float = 0.965
    # The same for an English sentence against Chinese passages (cross-lingual cosines run lower).
    support_min_english: float = 0.895

    # --- distributed serving and builds (Ray: app/cluster/)
    # How long a question waits for a shard before answering without it (and saying so). A shard
    # of the LeCoQA × 8.4 index (100k passages in 4 shards) ranks a question in a few ms and a
    # round trip through Ray costs about 1 ms here, so only a failed or restarting shard waits this
    # long; 1.5 s keeps a partial answer inside the 2 s budget of `gongyou ask`
    # (scripts/bench_scale.py).
    shard_deadline_ms: float = 1500.0
    # Ray resources each actor reserves: one core per shard and per answering replica.
    ray_shard_cpus: float = 1.0
    ray_replica_cpus: float = 1.0
    ray_replica_concurrency: int = 4  # questions one replica interleaves while it waits on shards
    build_batch_attempts: int = 3  # a batch whose worker died this often stops the build
    tokenize_batch: int = 1000  # passages per tokenizing task on a Ray worker

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_current = Settings()


def current() -> Settings:
    """The settings in force (the defaults unless an experiment overrides them)."""
    return _current


@contextmanager
def override(**changes: Any) -> Iterator[Settings]:
    """Run a block with some settings changed (tuning scripts and tests); restored afterwards."""
    global _current
    previous = _current
    _current = replace(previous, **changes)
    try:
        yield _current
    finally:
        _current = previous
