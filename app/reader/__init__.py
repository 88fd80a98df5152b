"""Gongyou's own reader: a small trained model that reranks passages and judges answerability.

It reads what retrieval already computed (fused rank, BM25, the model's cosines of passage and
sentences, key-term coverage) plus one learned piece on the bundled model: a query-side adapter,
a linear map of the question's e5 vector trained so that it lands near the passages that answer
it (passage vectors stay as the index stored them). Two logistic heads over these features give
each passage a probability of answering the question (reranking) and the whole list a
probability that any passage answers it (refusal). Weights are in app/data/reader/ with a manifest
(scripts/train_reader.py reproduces them); app/reader/registry.py holds the choices (`--reader`).
"""
