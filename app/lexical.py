"""The lexical leg: tokenization of the matching form and BM25 scoring with bm25s.

Tokens are jieba words of the simplified, lower-cased text plus the character bigrams of every
run of Chinese characters, so "技能人才" also matches "高技能人才" and a question that jieba cuts
differently from the document still meets it. Measured on LeCoQA train (Recall@10, BM25 alone):
words only with sub-word bigrams 0.452, bigrams only 0.493, words + all bigrams 0.527.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from app.textnorm import match_form_spaced

# Function words and question words: they carry no evidence in either questions or documents.
STOPWORDS = frozenset(
    """的 了 和 与 及 以及 或 或者 是 在 有 对 为 等 把 被 将 要 就 都 也 而 并 其 之 这 那 这个 那个
    这些 那些 我 我们 你 你们 他 他们 她 它 咱 咱们 俺 自己 吗 呢 吧 啊 呀 哦 嘛 么 个 些 从 向 到
    由 于 给 让 能 会 可 可以 能够 应该 应当 怎么 怎样 怎么样 如何 什么 啥 哪 哪些 哪个 哪里 多少 几
    几个 是否 是不是 有没有 有无 没有 请问 请 谁 为什么 么样 一下 一些 还 又 再 很 最 吧 嗯 如果
    因为 所以 但是 但 还是 还有 里 中 上 下 得 地 着 过 the a an of to in on for and or is are was
    were be do does did what which who how many much when where there their they i we you my our
    your it its can could should would will with about any""".split()
)

_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_TOKEN_CHARS = re.compile(r"[0-9a-z\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    from app.glossary import domain_words

    jieba.setLogLevel(60)
    jieba.initialize()
    # Without these jieba cuts 年假 into 年 + 假 and the question loses its topic.
    for word in domain_words():
        jieba.add_word(word)
    return jieba


def pos_tags(text: str) -> list[tuple[str, str]]:
    """jieba's (word, part-of-speech) pairs: "n" nouns, "v" verbs, "nr" people, "ns" places..."""
    _jieba()
    import jieba.posseg

    return [(pair.word, pair.flag) for pair in jieba.posseg.lcut(text)]


def _words_of(norm: str) -> list[str]:
    words = (w.strip() for w in _jieba().lcut(norm))
    return [w for w in words if w and w not in STOPWORDS and _TOKEN_CHARS.search(w)]


def _tokens_of(norm: str) -> list[str]:
    tokens = _words_of(norm)
    for run in _HAN_RUN.findall(norm):
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def content_words(text: str) -> list[str]:
    """The jieba words of the matching form, without stopwords (no sub-word bigrams)."""
    return _words_of(match_form_spaced(text))


def tokenize(text: str) -> list[str]:
    return _tokens_of(match_form_spaced(text))


def tokenize_many(texts: Sequence[str], batch: int = 2000) -> Iterator[list[str]]:
    """Tokens of each text, lazily. OpenCC converts a batch at a time: one call per text is slow."""
    for start in range(0, len(texts), batch):
        part = texts[start : start + batch]
        joined = match_form_spaced("\u0001".join(t.replace("\u0001", " ") for t in part))
        yield from (_tokens_of(p) for p in joined.split("\u0001"))


def _bm25_matrix(parts: list[np.ndarray], n_vocab: int, k1: float, b: float, dtype, int_dtype) -> dict:
    """bm25s's "lucene" scores as its CSC matrix (token columns, passage rows), vectorised.

    Term frequencies are counted a block of passages at a time, so memory stays near that of
    the (passage, token) pairs themselves, as in bm25s.
    """
    n_docs = len(parts)
    lengths = np.fromiter((p.size for p in parts), dtype=np.int64, count=n_docs)
    docs, toks, tfs = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for start in range(0, n_docs, 4096):
        block = parts[start : start + 4096]
        keys = np.concatenate(block).astype(np.int64)  # passage * n_vocab + token, sorted
        keys += np.repeat(
            np.arange(start, start + len(block), dtype=np.int64) * n_vocab,
            lengths[start : start + len(block)],
        )
        keys.sort()
        first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        pairs = keys[first]
        docs.append(pairs // n_vocab)
        toks.append(pairs % n_vocab)
        tfs.append(np.diff(np.append(first, keys.size)))
    pair_doc, pair_tok, tf = np.concatenate(docs), np.concatenate(toks), np.concatenate(tfs).astype(dtype)
    df = np.bincount(pair_tok, minlength=n_vocab)
    idf = np.zeros(n_vocab, dtype=dtype)
    seen = df > 0
    idf[seen] = np.log(1 + (n_docs - df[seen] + 0.5) / (df[seen] + 0.5))
    tfc = tf / (k1 * ((1 - b) + b * lengths[pair_doc] / lengths.mean()) + tf) if n_docs else tf
    data = (idf[pair_tok] * tfc).astype(dtype)
    order = np.argsort(pair_tok, kind="stable")
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    indices = pair_doc[order].astype(int_dtype)
    return {"data": data[order], "indices": indices, "indptr": indptr, "num_docs": n_docs}


class BM25Index:
    """bm25s over our own tokens; scores every passage for a query (sparse, milliseconds at 100k)."""

    def __init__(self, model) -> None:
        self.model = model
        self.vocab: dict[str, int] = model.vocab_dict

    @classmethod
    def build(cls, token_lists: Iterable[list[str]], k1: float = 1.2, b: float = 0.75) -> BM25Index:
        """Index token lists; ids replace strings as they come, so 100k passages need no
        20 million string objects at once (that was 1.5 GB of the build's peak memory)."""
        vocab: dict[str, int] = {"": 0}
        ids = [
            np.array([vocab.setdefault(t, len(vocab)) for t in tokens or [""]], np.int32)
            for tokens in token_lists
        ]
        return cls.from_ids(ids, vocab, k1, b)

    @classmethod
    def from_ids(
        cls, ids: list[np.ndarray], vocab: dict[str, int], k1: float = 1.2, b: float = 0.75
    ) -> BM25Index:
        """Index passages given as arrays of ids into vocab (ids 0..len(vocab)-1; an empty
        passage counts as the one token ""). Used by incremental builds that keep token ids."""
        import bm25s

        empty = vocab.setdefault("", len(vocab))
        ids = [p if p.size else np.array([empty], dtype=np.int32) for p in ids]
        model = bm25s.BM25(k1=k1, b=b)
        # bm25s's own index() loops in Python per passage (~1 s at 12k passages, most of a
        # `gongyou add`); _bm25_matrix computes the same matrix, bit for bit, with numpy.
        model.scores = _bm25_matrix(ids, len(vocab), k1, b, model.dtype, model.int_dtype)
        model.vocab_dict = vocab
        model.unique_token_ids_set = set(vocab.values())
        model.nonoccurrence_array = None
        return cls(model)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        known = [t for t in query_tokens if t in self.vocab]
        if not known:
            return np.zeros(self.model.scores["num_docs"], dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)

    def idf(self, token: str) -> float:
        """Inverse document frequency of a token (0 for unknown tokens), for evidence weighting."""
        tid = self.vocab.get(token)
        if tid is None:
            return 0.0
        df = self._doc_freq()[tid]
        n = self.model.scores["num_docs"]
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    @lru_cache(maxsize=1)  # noqa: B019 - one index object lives as long as its pipeline
    def _doc_freq(self) -> np.ndarray:
        indptr = self.model.scores["indptr"]
        return np.diff(indptr)

    def save(self, folder: Path) -> None:
        self.model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        import bm25s

        return cls(bm25s.BM25.load(str(folder), show_progress=False, verbosity=0))
