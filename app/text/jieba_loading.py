"""Loading jieba's two dictionaries fast: they are most of the time `gongyou ask` takes to start.

- The word dictionary. jieba caches its prefix dictionary in the temporary folder and reads it back
  with `marshal.load(file)`, which reads a 498k-entry dictionary item by item from the file object:
  0.7-1.0 s here, where `marshal.loads` of the same bytes takes 0.24 s. We read jieba's own cache
  file that way when it exists; otherwise jieba builds (and caches) it as usual.
- The part-of-speech table. `import jieba.posseg` parses the 349k-line dictionary file at import
  (0.55-0.9 s here). We keep the table in the temporary folder as two strings, words in order and
  their tags, which load in 60 ms, and let the import read an empty file instead.

Both give jieba exactly the tables it would have built itself (tests/integration/test_jieba_loading.py).
"""

from __future__ import annotations

import io
import marshal
import os
import sys
import tempfile
from bisect import bisect_left
from pathlib import Path
from typing import Any


def initialize(jieba: Any) -> None:
    """jieba.initialize(), reading the default dictionary's cache in one piece when there is one."""
    tokenizer = jieba.dt
    if tokenizer.initialized:
        return
    cache = _cache_dir(tokenizer) / (tokenizer.cache_file or "jieba.cache")
    if tokenizer.dictionary == jieba.DEFAULT_DICT and cache.is_file():
        try:
            tokenizer.FREQ, tokenizer.total = marshal.loads(cache.read_bytes())
            tokenizer.initialized = True
            return
        except (OSError, ValueError, EOFError, TypeError):
            pass  # a damaged cache: jieba rebuilds it below
    jieba.initialize()


def pos_tagger(jieba: Any) -> Any:
    """jieba.posseg, its module tagger loaded with the part-of-speech table from our cache."""
    if "jieba.posseg" in sys.modules:
        return sys.modules["jieba.posseg"]
    tokenizer = jieba.dt
    cache = _tag_cache(tokenizer, jieba)
    table = _read_tags(cache)
    if table is None:
        import jieba.posseg

        _write_tags(cache, jieba.posseg.dt.word_tag_tab)
        return jieba.posseg
    # The import builds jieba.posseg.dt from tokenizer.get_dict_file(): an empty file costs nothing.
    tokenizer.get_dict_file = lambda: io.BytesIO(b"")
    try:
        import jieba.posseg
    finally:
        del tokenizer.get_dict_file
    jieba.posseg.dt.word_tag_tab = table
    return jieba.posseg


def _tag_cache(tokenizer: Any, jieba: Any) -> Path:
    """The cache file for the dictionary in use, named after its size and modification time."""
    dictionary = Path(tokenizer.dictionary or Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME)
    stamp = dictionary.stat()
    name = f"gongyou-jieba-tags-sorted-{stamp.st_size}-{int(stamp.st_mtime)}.marshal"
    return _cache_dir(tokenizer) / name


def _cache_dir(tokenizer: Any) -> Path:
    """Where jieba keeps its cache, and so do we."""
    return Path(tokenizer.tmp_dir or tempfile.gettempdir())


class SortedTags:
    """jieba.posseg's word → tag table as two lists sorted by word. Splitting the cached strings
    takes 60 ms where building the 349k-entry dict took 170 ms; jieba.posseg only calls get()
    and update() (with the tags of words added to the dictionary)."""

    def __init__(self, words: list[str], tags: list[str]) -> None:
        self.words, self.tags = words, tags
        self.added: dict[str, str] = {}

    def get(self, word: str, default: str | None = None) -> str | None:
        if word in self.added:
            return self.added[word]
        at = bisect_left(self.words, word)
        return self.tags[at] if at < len(self.words) and self.words[at] == word else default

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __getitem__(self, word: str) -> str:
        tag = self.get(word)
        if tag is None:
            raise KeyError(word)
        return tag

    def update(self, other: dict[str, str]) -> None:
        self.added.update(other)


def _read_tags(cache: Path) -> SortedTags | None:
    try:
        words, tags = marshal.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    words, tags = words.split("\n"), tags.split("\n")
    return SortedTags(words, tags) if len(words) == len(tags) else None


def _write_tags(cache: Path, table: dict[str, str]) -> None:
    """Written to a temporary name and renamed, so a reader never sees half a file."""
    try:
        fd, temporary = tempfile.mkstemp(dir=cache.parent, prefix=".gongyou-tags-")
        with os.fdopen(fd, "wb") as out:
            ordered = sorted(table.items())
            words, tags = "\n".join(w for w, _ in ordered), "\n".join(t for _, t in ordered)
            out.write(marshal.dumps((words, tags)))
        os.replace(temporary, cache)
    except OSError:
        pass  # a read-only temporary folder: the next start parses the dictionary again
