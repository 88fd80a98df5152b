"""Training the reader (scripts/train_reader.py): examples from training splits, the adapter, the heads.

Every question is retrieved once with the reader off; what the features need (the fused list, the
question vector, the key terms, which passages are gold) is kept, so the adapter and heads can be
refitted and compared without retrieving again. Validation questions (a seeded 1-in-5 slice by id)
choose the adapter's steps, the heads' penalties and the refusal threshold; nothing else does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from app.answer.evidence.terms import key_terms
from app.models import Hit
from app.reader.features import PASSAGE_FEATURES, QUESTION_FEATURES, Signals, passage_matrix, question_vector
from app.reader.head import LogisticHead, fit_logistic
from app.reader.model import adapt


@dataclass
class Example:
    """One training question: its fused list and which of it is gold."""

    source: str
    id: str
    question: str
    answerable: bool
    hits: list[Hit]
    vector: np.ndarray
    groups: list
    gold_rows: set[int]  # rows of the index (of this source) that answer it, retrieved or not
    validation: bool
    index: object = field(repr=False, default=None)

    @property
    def labels(self) -> np.ndarray:
        return np.array([h.row in self.gold_rows for h in self.hits], dtype=float)


def in_validation(item_id: str, seed: int) -> bool:
    return int(hashlib.sha256(f"{seed}:{item_id}".encode()).hexdigest(), 16) % 5 == 0


def collect(source: str, dataset, pipeline, unit_of, unit: str, pool: int, seed: int) -> list[Example]:
    """Retrieve every question of a dataset (reader off) and keep what training needs."""
    rows_of: dict[str, set[int]] = {}
    for row, chunk in enumerate(pipeline.index.chunks):
        hit = Hit(chunk, pipeline.index.docs[chunk.doc_id], 0.0, row=row)
        rows_of.setdefault(unit_of(hit, unit), set()).add(row)
    examples = []
    for item in dataset.items:
        retrieval = pipeline.retriever.search(item.question, k=pool)
        gold = set().union(*(rows_of.get(g, set()) for g in item.gold)) if item.answerable else set()
        groups = key_terms(item.question, pipeline.index.term_stats, pipeline.occurs)
        examples.append(
            Example(
                source,
                item.id,
                item.question,
                item.answerable,
                retrieval.hits,
                retrieval.query_vector,
                groups,
                gold,
                in_validation(f"{source}:{item.id}", seed),
                pipeline.index,
            )
        )
    return examples


def fit_adapter(examples: list[Example], steps: int, l2: float, temperature: float, seed: int):
    """A dim × dim map of question vectors (from the identity), trained with a softmax over every
    passage of each source's index; returns (adapter, validation MRR per checkpoint)."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    by_index: dict[int, list[Example]] = {}
    for ex in examples:
        if ex.gold_rows:
            by_index.setdefault(id(ex.index), []).append(ex)
    groups = []
    for exs in by_index.values():
        index = exs[0].index
        passages = torch.from_numpy(index.dense.reconstruct_n(0, index.dense.ntotal).astype(np.float32))
        questions = torch.from_numpy(np.stack([e.vector for e in exs]).astype(np.float32))
        gold = torch.zeros(len(exs), passages.shape[0], dtype=torch.bool)
        for i, e in enumerate(exs):
            gold[i, sorted(e.gold_rows)] = True
        val = torch.tensor([e.validation for e in exs])
        groups.append((passages, questions, gold, val))
    dim = groups[0][0].shape[1]
    weight = torch.eye(dim, requires_grad=True)
    optimiser = torch.optim.Adam([weight], lr=1e-3)
    history: list[tuple[int, float, np.ndarray]] = []
    for step in range(steps + 1):
        if step % 10 == 0:
            history.append((step, _validation_mrr(weight.detach(), groups), weight.detach().numpy().copy()))
        if step == steps:
            break
        optimiser.zero_grad()
        loss = l2 * ((weight - torch.eye(dim)) ** 2).sum()
        for passages, questions, gold, val in groups:
            q = torch.nn.functional.normalize(questions[~val] @ weight, dim=1)
            logits = q @ passages.T / temperature
            positive = torch.logsumexp(logits.masked_fill(~gold[~val], -1e9), dim=1)
            loss = loss + (torch.logsumexp(logits, dim=1) - positive).mean()
        loss.backward()
        optimiser.step()
    return history


def _validation_mrr(weight, groups) -> float:
    import torch

    scores = []
    with torch.no_grad():
        for passages, questions, gold, val in groups:
            if not val.any():
                continue
            q = torch.nn.functional.normalize(questions[val] @ weight, dim=1)
            order = torch.argsort(q @ passages.T, dim=1, descending=True)[:, :10]
            for i, row in enumerate(order):
                hit = gold[val][i][row].nonzero()
                scores.append(1.0 / (int(hit[0]) + 1) if len(hit) else 0.0)
    return float(np.mean(scores)) if scores else 0.0


def features(ex: Example, adapter: np.ndarray, hits: list[Hit] | None = None) -> np.ndarray:
    q = np.asarray(ex.vector, dtype=np.float32).reshape(-1)
    return passage_matrix(
        ex.hits if hits is None else hits, Signals(q, adapt(q, adapter), ex.groups), ex.index
    )


def fit_passage_head(examples: list[Example], adapter: np.ndarray, l2: float) -> LogisticHead:
    """Each question with a gold passage in its list weighs the same, whatever the list's length."""
    xs, ys, ws = [], [], []
    for ex in examples:
        labels = ex.labels
        if labels.any() and not labels.all():
            xs.append(features(ex, adapter))
            ys.append(labels)
            ws.append(np.full(len(labels), 1.0 / len(labels)))
    return fit_logistic(np.vstack(xs), np.concatenate(ys), PASSAGE_FEATURES, l2, np.concatenate(ws))


def ranking_scores(
    examples: list[Example], adapter: np.ndarray, head: LogisticHead | None
) -> dict[str, float]:
    """Recall@5, Recall@10 and MRR@10 of the lists (fused order when head is None)."""
    recall5, recall10, mrr = [], [], []
    for ex in examples:
        if not ex.gold_rows:
            continue
        labels = ex.labels
        order = (
            np.arange(len(labels))
            if head is None
            else np.argsort(-head.logits(features(ex, adapter)), kind="stable")
        )
        ranked = labels[order]
        total = len(ex.gold_rows)
        recall5.append(ranked[:5].sum() / total)
        recall10.append(ranked[:10].sum() / total)
        first = np.flatnonzero(ranked[:10])
        mrr.append(1.0 / (first[0] + 1) if len(first) else 0.0)
    return {
        "recall@5": float(np.mean(recall5)),
        "recall@10": float(np.mean(recall10)),
        "mrr@10": float(np.mean(mrr)),
    }


def answerability_rows(
    ex: Example, adapter: np.ndarray, head: LogisticHead
) -> list[tuple[np.ndarray, float]]:
    """(question features, answerable) for the list as retrieved, and for an answerable question
    also for the list with its gold passages withheld (an unanswerable question, as RGB builds them)."""
    rows = []
    lists = [(ex.hits, float(ex.answerable and bool(ex.labels.any())))]
    if ex.answerable and ex.labels.any():
        lists.append(([h for h in ex.hits if h.row not in ex.gold_rows], 0.0))
    for hits, label in lists:
        if not hits:
            continue
        matrix = features(ex, adapter, hits)
        rows.append((question_vector(head.logits(matrix), matrix, hits, ex.groups), label))
    return rows


def fit_answer_head(
    examples: list[Example], adapter: np.ndarray, head: LogisticHead, l2: float
) -> LogisticHead:
    rows = [r for ex in examples for r in answerability_rows(ex, adapter, head)]
    matrix = np.stack([r[0] for r in rows])
    labels = np.array([r[1] for r in rows])
    return fit_logistic(matrix, labels, QUESTION_FEATURES, l2)


def choose_threshold(
    examples: list[Example],
    adapter: np.ndarray,
    head: LogisticHead,
    answer: LogisticHead,
    max_false_refusal: float,
) -> tuple[float, dict[str, float]]:
    """The highest threshold whose false refusals on validation lists stay within the budget."""
    from app.reader.head import sigmoid

    rows = [r for ex in examples for r in answerability_rows(ex, adapter, head)]
    probs = sigmoid(answer.logits(np.stack([r[0] for r in rows])))
    labels = np.array([r[1] for r in rows])
    best = (0.0, {"refusal": 0.0, "false_refusal": 0.0})
    for t in np.round(np.arange(0.02, 0.9, 0.01), 2):
        false_refusal = float((probs[labels == 1] < t).mean())
        refusal = float((probs[labels == 0] < t).mean())
        if false_refusal <= max_false_refusal:
            best = (float(t), {"refusal": refusal, "false_refusal": false_refusal, "lists": len(labels)})
    return best
