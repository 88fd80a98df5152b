"""Learn lay → legal term associations from LeCoQA's TRAINING questions (never the test split).

For each word a member of the public uses in a question, count the words of the statute
articles a legal team marked as its basis; keep the associations seen at least MIN_COUNT times
with P(legal word | lay word) >= MIN_SHARE. The result, `app/data/lay_legal.json`, is a small
word-association table (no benchmark text), used by app.search.expansion to expand questions.

    .venv/bin/python scripts/learn_lay_legal.py [--lecoqa ../shared/benchmarks/lecoqa]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.text.segment import content_words  # noqa: E402

MIN_COUNT = 2
MIN_SHARE = 0.3
MIN_QUESTIONS = 2
PER_WORD = 10
MAX_ARTICLE_SHARE = 0.1  # legal words in more than 10% of articles ("规定", "不得") say nothing


def learn(questions: list[dict], articles: dict[str, str]) -> dict[str, list[list]]:
    together: defaultdict[str, Counter] = defaultdict(Counter)
    asked = Counter()
    for q in questions:
        # Ordered, not sets: most_common breaks ties by first sight, and a set's order changes with
        # the hash seed, so the table would too.
        lay = dict.fromkeys(content_words(q["question"]))
        legal: dict[str, None] = {}
        for gold in q["gold_ids"]:
            if gold in articles:
                legal.update(dict.fromkeys(content_words(articles[gold])))
        for word in lay:
            asked[word] += 1
            together[word].update(w for w in legal if w not in lay)
    article_freq = Counter(w for text in articles.values() for w in set(content_words(text)))
    generic = {w for w, n in article_freq.items() if n > MAX_ARTICLE_SHARE * len(articles)}
    table: dict[str, list[list]] = {}
    for word, counts in together.items():
        if asked[word] < MIN_QUESTIONS:
            continue
        kept = [
            [term, round(n / asked[word], 3)]
            for term, n in counts.most_common()
            if n >= MIN_COUNT and n / asked[word] >= MIN_SHARE and term not in generic
        ][:PER_WORD]
        if kept:
            table[word] = kept
    return table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lecoqa", default=str(ROOT.parent / "shared" / "benchmarks" / "lecoqa"))
    parser.add_argument("--out", default=str(ROOT / "app" / "data" / "lay_legal.json"))
    args = parser.parse_args()
    folder = Path(args.lecoqa)
    articles = {}
    with open(folder / "corpus.jsonl", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            articles[row["id"]] = f"{row.get('title', '')}\n{row['text']}"
    with open(folder / "queries.jsonl", encoding="utf-8") as lines:
        queries = [json.loads(line) for line in lines]
    train = [q for q in queries if q.get("split") == "train"]
    table = learn(train, articles)
    about = {
        "_about": "lay word -> [[legal word, share of training questions with that word whose gold "
        "articles use it], ...]; learned by scripts/learn_lay_legal.py from LeCoQA (MIT) train split "
        f"({len(train)} questions) only",
    }
    Path(args.out).write_text(json.dumps({**about, **table}, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(table)} lay words, {sum(map(len, table.values()))} associations -> {args.out}")


if __name__ == "__main__":
    main()
