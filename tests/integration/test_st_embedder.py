"""The sentence-transformers path, for real, with a tiny model built here (no download)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS

from app.index.embedders.registry import load_embedder
from app.index.embedders.sentence_transformers import SentenceTransformerEmbedder


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer BERT with a WordPiece vocabulary trained on the shipped corpus, saved as a
    sentence-transformers folder: the same loading code as a real model, in about 5 s."""
    from sentence_transformers import SentenceTransformer

    try:  # sentence-transformers 6 moved the modules
        from sentence_transformers.sentence_transformer import modules as models
    except ImportError:
        from sentence_transformers import models
    from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers import models as tok_models
    from tokenizers.trainers import WordPieceTrainer
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-st")
    raw = folder / "raw"
    tokenizer = Tokenizer(tok_models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(handle_chinese_chars=True, lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    trainer = WordPieceTrainer(vocab_size=3000, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tokenizer.train_from_iterator(texts, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    fast.save_pretrained(raw)
    config = BertConfig(
        vocab_size=fast.vocab_size, hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=128, max_position_embeddings=512,
    )  # fmt: skip
    import torch

    torch.manual_seed(0)  # an untrained model: its (random) dense ranking must be the same every run
    BertModel(config).save_pretrained(raw)
    word = models.Transformer(str(raw), max_seq_length=256)
    pooling = models.Pooling(config.hidden_size, pooling_mode="mean")
    model_dir = folder / "st"
    SentenceTransformer(modules=[word, pooling], device="cpu").save(str(model_dir))
    return model_dir


def test_local_folder_loads_through_sentence_transformers(tiny_model: Path) -> None:
    embedder = load_embedder(str(tiny_model), fallback=False)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    vectors = embedder.embed_passages(["技工院校招生", "高技能人才总量"])
    assert vectors.shape == (2, 64)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_index_built_with_the_model_answers_and_refuses_other_embedders(
    tiny_model: Path, tmp_path: Path
) -> None:
    from app.index.build import build
    from app.index.store import IndexProblem
    from app.pipeline import Pipeline

    index_dir = tmp_path / "index"
    result = build(CORPUS, index_dir, str(tiny_model), progress=False)
    assert result.manifest["embedder"]["name"] == str(tiny_model.resolve())
    assert result.manifest["embedder"]["dim"] == 64

    pipeline = Pipeline(index_dir)
    answer = pipeline.ask("到2035年要培养多少名大国工匠?").answer
    assert not answer.refused
    assert "2000名" in answer.text
    assert any("2000名左右大国工匠" in c.hit.chunk.text for c in answer.citations)

    with pytest.raises(IndexProblem, match="gongyou build"):
        Pipeline(index_dir, embed_model="offline")
