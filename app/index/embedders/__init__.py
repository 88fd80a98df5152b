"""Embedders: swappable passage and query encoders, chosen through `registry.load_embedder`.

base.py declares what every embedder offers; hashing.py is the built-in offline one;
sentence_transformers.py loads models from a folder or the Hugging Face hub (hub.py);
registry.py maps a spec to the kind that makes it.
"""
