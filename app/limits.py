"""Every limit on what Gongyou accepts as input, in one place: they bound memory and time.

These are not tuning constants (app/settings.py holds those, and they change answers); they
stop one hostile or mistaken input (a zip bomb, a 60 MB line, a million-page PDF) from taking
a build or a server down. An input over a limit is refused, and the message names the limit.
Each figure says what it allows and why it was chosen.
"""

from __future__ import annotations

MB = 1024 * 1024

# --- documents (app/ingest)
# A document file (.txt, .md, .html, .pdf, .docx): 50 MB holds ~17 million characters of UTF-8
# Chinese, far beyond any policy document; PDFs with scanned images are the large ones.
MAX_FILE_BYTES = 50 * MB
# A .jsonl of ready passages: 100 MB is ~16 times LeCoQA's 11,908 articles (6.3 MB), about 190k
# passages; the 100k-passage benchmark corpus (scripts/bench_core.py) is 53 MB.
MAX_PASSAGES_FILE_BYTES = 100 * MB
# One ready passage (a .jsonl line): LeCoQA's longest article has 925 characters, RGB's longest
# passage 1,745. A longer one is split like a document; one over this limit is skipped.
MAX_PASSAGE_CHARS = 100_000
# The text read from one document: 2 million characters is about 1,500 pages. Reading stops at
# the limit (a PDF's remaining pages are not extracted) and the document is skipped.
MAX_DOCUMENT_CHARS = 2_000_000
# Pages of one PDF: text is extracted page by page (pypdf caps each stream at 75 MB itself); a
# PDF of more pages is refused before any is read.
MAX_PDF_PAGES = 5_000
# Passages cut from one document: 5,000 passages of 300 characters (app/settings.py chunk_size)
# hold 1.5 million characters; a law such as the Civil Code gives 1,260. Headings every few
# characters can make far more passages than the text's size suggests: such a document is skipped.
MAX_PASSAGES_PER_DOCUMENT = 5_000
# Zipped formats (.docx) are measured before they are parsed: every member decompressed, in
# total, and the XML that python-docx parses (it holds about 5 bytes of memory per byte of XML:
# 6 MB of document.xml took 28 MB). A 232 KB .docx once expanded to 1.3 GB without these.
MAX_UNZIPPED_BYTES = 100 * MB
MAX_UNZIPPED_XML_BYTES = 30 * MB

# --- questions (app/search/question.py, the CLI, the web UI)
MAX_QUESTION_CHARS = 1000
# A line of `gongyou ask --input FILE`: longer lines are answered with an error object, unread.
MAX_INPUT_LINE_BYTES = 64 * 1024
# Passages a search or an answer may ask for (-k): the hotline view shows 10.
MAX_K = 100

# --- chunking flags (gongyou build --chunk-size / --chunk-overlap)
MIN_CHUNK_SIZE = 20  # characters: a passage must hold at least a sentence
MAX_CHUNK_SIZE = 20_000  # the dense model reads only its first ~500 characters anyway
