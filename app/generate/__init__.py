"""Generated answers that never invent: a language model writes, Gongyou checks every sentence.

records (what the stages pass), numerals and figures (一百五十 = 150, 百分之一百五十 = 150%),
claims (a generated answer split into sentences with their [n] markers), support (how close a
sentence is in meaning to a passage), verify (the checks), prompt, backends/ (OpenAI-compatible
HTTP, llama-cpp in-process, a transformers folder), llm_answerer (generation with fallback) and
answerers (the registry: extractive, llm).
"""
