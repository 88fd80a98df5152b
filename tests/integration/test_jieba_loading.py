"""jieba loaded our fast way (app/text/jieba_loading.py) holds the tables jieba builds itself and
cuts and tags text exactly as jieba does, the first time (caches written) and after (caches read)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from pathlib import Path
import jieba
from app.text import jieba_loading

jieba.setLogLevel(60)
cache = Path(sys.argv[1])
jieba.dt.tmp_dir = str(cache)
had_tags = any(cache.glob("gongyou-jieba-tags-*"))
jieba_loading.initialize(jieba)
posseg = jieba_loading.pos_tagger(jieba)

reference = jieba.Tokenizer()
reference.tmp_dir = str(cache)
reference.initialize()
assert reference.FREQ == jieba.dt.FREQ and reference.total == jieba.dt.total
parsed = posseg.POSTokenizer(reference)  # parses the dictionary file, as jieba.posseg's import does
table = posseg.dt.word_tag_tab
assert all(table.get(word) == tag for word, tag in parsed.word_tag_tab.items())
assert table.get("不是一个词") is None and table.get("不是一个词", "x") == "x"

# jieba.posseg tags about 5k characters a second: some questions and a line of each document.
texts = [line[:200] for path in sorted(Path("corpus").rglob("*.txt"))
         for line in path.read_text(encoding="utf-8").splitlines()[:4] if len(line) > 20]
lines = open("eval/questions.jsonl", encoding="utf-8").read().splitlines()
texts += [json.loads(line)["question"] for line in lines[::3]]
for text in texts:
    ours = [(p.word, p.flag) for p in posseg.dt.lcut(text)]
    assert ours == [(p.word, p.flag) for p in parsed.lcut(text)], text
    assert jieba.lcut(text) == reference.lcut(text), text
print(json.dumps({"had_tag_cache": had_tags, "texts": len(texts)}))
"""


def run_probe(cache: Path) -> dict:
    import json

    out = subprocess.run([sys.executable, "-c", PROBE, str(cache)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_fast_loading_gives_jiebas_own_cuts_and_tags(tmp_path: Path) -> None:
    first = run_probe(tmp_path)  # jieba builds its cache; the tag table is parsed and cached
    assert not first["had_tag_cache"] and first["texts"] > 100
    assert list(tmp_path.glob("gongyou-jieba-tags-*")) and (tmp_path / "jieba.cache").is_file()
    second = run_probe(tmp_path)  # both read from the caches
    assert second["had_tag_cache"]


def test_a_damaged_tag_cache_is_rebuilt(tmp_path: Path) -> None:
    run_probe(tmp_path)
    (damaged,) = tmp_path.glob("gongyou-jieba-tags-*")
    damaged.write_bytes(b"not marshal data")
    assert run_probe(tmp_path)["had_tag_cache"]
    assert damaged.read_bytes() != b"not marshal data"
