"""Ingest and update performance in offline mode: the figures the README quotes.

1. Ingest: 1,000 generated documents in mixed formats (about 10 MB of text) are indexed with
   `build` (offline embedder). Reports documents/s, MB/s of text and the build's peak memory.
2. Rebuild after changing one document: how many chunks were embedded again, against that
   document's chunk count (only its changed chunks should be).
3. Add to a 12k-passage index (LeCoQA corpus.jsonl): one document added in-process with
   `app.index.build.add` and with the `gongyou add` command (wall time of the whole process).

The documents are written into a temporary folder; nothing is copied into the repository.
Texts are sentences of the shipped corpus and, when ../shared/benchmarks/lecoqa is present,
articles of its laws. Formats follow an office folder: plain text (UTF-8, GBK, Big5), Markdown,
saved web pages, Word files and PDFs. Each measurement runs in its own process, so peak memory
is that step's own and nothing is cached between steps.

    .venv/bin/python scripts/bench_ingest.py                 # everything, table then JSON
    .venv/bin/python scripts/bench_ingest.py --docs 200      # a quicker run
    .venv/bin/python scripts/bench_ingest.py --json-out eval/bench_ingest.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LECOQA = ROOT.parent / "shared" / "benchmarks" / "lecoqa" / "corpus.jsonl"
sys.path.insert(0, str(ROOT))

# Share of each format in the folder (an office folder: mostly Word, text and saved pages).
MIX = [
    ("txt-utf8", 0.20),
    ("txt-gbk", 0.10),
    ("txt-big5", 0.05),
    ("md", 0.05),
    ("html", 0.20),
    ("docx", 0.25),
    ("pdf", 0.15),
]
TARGETS = {"ingest_seconds": 60.0, "add_seconds": 2.0}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "GONGYOU_EMBED_MODEL": "offline"}


def _child(step: str, *args: str) -> dict:
    """Run one step of this script in a fresh process; it prints one JSON line."""
    out = subprocess.run(
        [sys.executable, __file__, "--step", step, *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=1800,
    )
    if out.returncode != 0:
        sys.exit(f"step {step} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --------------------------------------------------------------------------- text material


def _sentences() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))
    found = [s.strip() for s in re.findall(r"[^。！？\n]{8,160}[。！？]", text)]
    return [s for s in found if not s.isascii()]


def _laws() -> dict[str, list[str]]:
    """Articles of each law of LeCoQA, as `第X条 text` lines (in corpus order)."""
    laws: dict[str, list[str]] = {}
    if not LECOQA.exists():
        return laws
    with open(LECOQA, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            law = row.get("law") or ""
            laws.setdefault(law, []).append(f"{row['id'][len(law) :]} {row['text'].strip()}")
    return laws


def _document(
    rng: random.Random, sentences: list[str], laws: dict[str, list[str]], n: int
) -> tuple[str, str]:
    """(title, body) of about 10 KB of UTF-8 text: a notice, or (a third of the time) part of a law."""
    target = int(min(60_000, max(800, rng.lognormvariate(9.0, 0.6))))  # bytes; median ~8 KB, mean ~10 KB
    if laws and rng.random() < 0.33:
        law = rng.choice(sorted(laws))
        articles = laws[law]
        start = rng.randrange(len(articles))
        body, size, i = [], 0, start
        while size < target and i < start + len(articles):
            body.append(articles[i % len(articles)])
            size += len(body[-1].encode("utf-8"))
            i += 1
        return f"{law}（节选{n}）", "\n".join(body)
    paragraphs, size = [], 0
    section = 0
    while size < target:
        if rng.random() < 0.15:
            section += 1
            paragraphs.append(f"{'一二三四五六七八九十'[(section - 1) % 10]}、第{section}部分要求")
        paragraph = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8"))
    title = f"关于做好第{n}号职工权益保障工作的通知"
    date = f"{rng.randint(2015, 2024)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    return title, f"发布日期：{date}\n" + "\n".join(paragraphs)


def _write_pdf(path: Path, title: str, body: str) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    lines = [title]
    for paragraph in body.split("\n"):
        lines += [paragraph[i : i + 38] for i in range(0, len(paragraph), 38)] or [""]
    pdf = canvas.Canvas(str(path))
    for start in range(0, len(lines), 40):
        pdf.setFont("STSong-Light", 11)
        for n, line in enumerate(lines[start : start + 40]):
            pdf.drawString(50, 790 - 18 * n, line)
        pdf.showPage()
    pdf.save()


def _write_docx(path: Path, title: str, body: str) -> None:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for paragraph in body.split("\n"):
        document.add_paragraph(paragraph)
    document.save(str(path))


HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}-维权-中工网</title></head>
<body><nav><a href="/">网站首页</a> <a href="/a">时政</a> <a href="/b">工会</a> <a href="/c">维权</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<footer>版权所有 中工网 京ICP证000000号 联系我们</footer></body></html>"""


def generate(folder: Path, count: int, seed: int = 7) -> dict:
    """Write `count` documents into folder; → what was written (per format, text bytes)."""
    from app.text.normalize import to_traditional

    rng = random.Random(seed)
    sentences, laws = _sentences(), _laws()
    folder.mkdir(parents=True, exist_ok=True)
    formats = [name for name, share in MIX for _ in range(round(share * count))]
    formats = (formats + ["txt-utf8"] * count)[:count]
    rng.shuffle(formats)
    per_format: dict[str, int] = {}
    text_bytes = 0
    for n, kind in enumerate(formats):
        title, body = _document(rng, sentences, laws, n)
        stem = folder / f"{n:04d}-{kind}"
        if kind == "txt-big5":
            title, body = to_traditional(title), to_traditional(body)
        text = f"{title}\n\n{body}\n"
        if kind == "txt-utf8":
            stem.with_suffix(".txt").write_text(text, encoding="utf-8")
        elif kind == "txt-gbk":
            stem.with_suffix(".txt").write_bytes(text.encode("gbk", errors="ignore"))
        elif kind == "txt-big5":
            stem.with_suffix(".txt").write_bytes(text.encode("big5", errors="ignore"))
        elif kind == "md":
            stem.with_suffix(".md").write_text(
                f"# {title}\n\n" + body.replace("\n", "\n\n"), encoding="utf-8"
            )
        elif kind == "html":
            paragraphs = "".join(f"<p>{p}</p>\n" for p in body.split("\n"))
            stem.with_suffix(".html").write_text(HTML.format(title=title, paragraphs=paragraphs), "utf-8")
        elif kind == "docx":
            _write_docx(stem.with_suffix(".docx"), title, body)
        else:
            _write_pdf(stem.with_suffix(".pdf"), title, body)
        per_format[kind] = per_format.get(kind, 0) + 1
        text_bytes += len(text.encode("utf-8"))
    return {
        "documents": count,
        "per_format": per_format,
        "text_mb": round(text_bytes / 1e6, 2),
        "file_mb": round(sum(f.stat().st_size for f in folder.iterdir()) / 1e6, 2),
    }


# --------------------------------------------------------------------------- steps (child processes)


def step_build(corpus: str, index: str) -> dict:
    from app.index.build import build

    started = time.perf_counter()
    result = build(Path(corpus), Path(index), "offline", progress=False)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "loaded": len(result.report.loaded),
        "skipped": result.report.skipped,
        "doc_count": result.manifest["doc_count"],
        "chunk_count": result.manifest["chunk_count"],
        "embedded_chunks": result.manifest["embedded_chunks"],
        "replaced": result.replaced,
        "peak_rss_mb": _peak_mb(),
    }


def step_add(index: str, *paths: str) -> dict:
    """Each path added in turn in this process (the first pays for jieba's dictionary)."""
    from app.index.build import add

    runs = []
    for path in paths:
        started, cpu = time.perf_counter(), time.process_time()
        result = add([Path(path)], Path(index))
        runs.append(
            {
                "seconds": round(time.perf_counter() - started, 3),
                "cpu_seconds": round(time.process_time() - cpu, 3),
                "embedded_chunks": result.manifest["embedded_chunks"],
                "added": result.added,
            }
        )
    return {"runs": runs, "peak_rss_mb": _peak_mb()}


def step_chunks(index: str, doc_id: str) -> dict:
    from app.index.store import load_index

    index_ = load_index(Path(index))
    return {"chunks": sum(c.doc_id == doc_id for c in index_.chunks), "total": len(index_.chunks)}


STEPS = {"build": step_build, "add": step_add, "chunks": step_chunks}


# --------------------------------------------------------------------------- the benchmark


def _new_document(folder: Path, n: int) -> Path:
    """A Word notice of about 4 KB that no index holds yet."""
    rng = random.Random(1000 + n)
    title, body = _document(rng, _sentences(), {}, 9000 + n)
    body = f"本通知编号为第{n}号，{time.time_ns()}。\n" + body[:4000]
    path = folder / f"新通知-{n}.docx"
    _write_docx(path, title, body)
    return path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cli_add(index: Path, path: Path) -> dict:
    """Wall time of the whole `gongyou add` process, and its CPU time (what an idle machine shows)."""
    started, cpu = time.perf_counter(), _children_cpu()
    out = subprocess.run(
        [sys.executable, "-m", "app", "add", str(path), "--index", str(index)],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        timeout=300,
    )
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    if out.returncode != 0:
        sys.exit(f"gongyou add failed:\n{out.stderr[-4000:]}")
    embedded = re.search(r"embedded (\d+)", out.stdout)
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "embedded_chunks": int(embedded.group(1)) if embedded else None,
    }


def run(args: argparse.Namespace) -> dict:
    results: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "targets": TARGETS,
    }
    with tempfile.TemporaryDirectory(prefix="gongyou-bench-ingest-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        corpus = work / "folder"
        results["generated"] = generate(corpus, args.docs)
        results["generated"]["seconds"] = round(time.perf_counter() - started, 1)
        print(f"generated {results['generated']}", file=sys.stderr)

        # 1. ingest the folder
        ingest = _child("build", str(corpus), str(work / "index"))
        ingest["docs_per_s"] = round(ingest["loaded"] / ingest["seconds"], 1)
        ingest["text_mb_per_s"] = round(results["generated"]["text_mb"] / ingest["seconds"], 3)
        ingest["skipped"] = len(ingest["skipped"])
        results["ingest"] = ingest
        print(f"ingest {ingest}", file=sys.stderr)

        # 2. change one document (a paragraph in the middle of a text file) and rebuild
        changed = sorted(corpus.glob("*-txt-utf8.txt"))[len(list(corpus.glob("*-txt-utf8.txt"))) // 2]
        text = changed.read_text(encoding="utf-8").split("\n")
        middle = len(text) // 2
        text[middle] = text[middle] + "本段已于今年修订，补贴标准相应提高。"
        changed.write_text("\n".join(text), encoding="utf-8")
        rebuild = _child("build", str(corpus), str(work / "index"))
        doc_chunks = _child("chunks", str(work / "index"), changed.stem)["chunks"]
        results["rebuild_one_changed"] = {
            "document": changed.name,
            "seconds": rebuild["seconds"],
            "embedded_chunks": rebuild["embedded_chunks"],
            "document_chunks": doc_chunks,
            "chunk_count": rebuild["chunk_count"],
            "replaced": rebuild["replaced"],
        }
        print(f"rebuild {results['rebuild_one_changed']}", file=sys.stderr)

        # 3. add one document to a 12k-passage index
        if LECOQA.exists():
            index12k = work / "index-12k"
            base = _child("build", str(LECOQA), str(index12k))
            results["index_12k"] = {k: base[k] for k in ("seconds", "chunk_count", "peak_rss_mb")}
            docs = work / "new"
            docs.mkdir()
            in_process = _child(
                "add", str(index12k), *(str(_new_document(docs, n)) for n in range(args.repeat))
            )
            cli = [_cli_add(index12k, _new_document(docs, 100 + n)) for n in range(args.repeat)]
            runs = in_process["runs"]
            results["add_12k"] = {
                "document": "a Word notice of about 4,000 characters",
                # The first add in a fresh process pays for imports of the index's parts and
                # jieba's dictionary; later ones are what a running server (UI upload) pays.
                "in_process_cold_seconds": runs[0]["seconds"],
                "in_process_warm_seconds": [r["seconds"] for r in runs[1:]],
                "in_process_peak_rss_mb": in_process["peak_rss_mb"],
                "cli_seconds": [r["seconds"] for r in cli],
                "cli_median": round(statistics.median(r["seconds"] for r in cli), 3),
                "cli_cpu_seconds": [r["cpu_seconds"] for r in cli],
                "cli_cpu_median": round(statistics.median(r["cpu_seconds"] for r in cli), 3),
                "embedded_chunks_per_add": [r["embedded_chunks"] for r in runs + cli],
            }
            print(f"add {results['add_12k']}", file=sys.stderr)
        else:
            results["add_12k"] = f"skipped: {LECOQA} not found"
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def table(results: dict) -> str:
    g, i, r = results["generated"], results["ingest"], results["rebuild_one_changed"]
    rows = [
        ("documents (per format)", f"{g['documents']} {g['per_format']}", ""),
        ("text / files", f"{g['text_mb']} MB text, {g['file_mb']} MB files", ""),
        ("ingest (build, offline)", f"{i['seconds']} s, {i['docs_per_s']} docs/s, {i['text_mb_per_s']} MB/s",
         f"≤ {TARGETS['ingest_seconds']:g} s"),
        ("  passages, skipped, peak RSS", f"{i['chunk_count']}, {i['skipped']}, {i['peak_rss_mb']} MB", ""),
        ("rebuild, one doc changed", f"{r['seconds']} s, embedded {r['embedded_chunks']} of the "
         f"document's {r['document_chunks']} chunks ({r['chunk_count']} in all)", "only its changed chunks"),
    ]  # fmt: skip
    add = results["add_12k"]
    if isinstance(add, dict):
        rows += [
            ("12k index (LeCoQA) build", f"{results['index_12k']['seconds']} s, "
             f"{results['index_12k']['chunk_count']} passages", ""),
            ("add 1 doc to 12k, in-process", f"cold {add['in_process_cold_seconds']} s, "
             f"warm {add['in_process_warm_seconds']} s", f"≤ {TARGETS['add_seconds']:g} s"),
            ("add 1 doc to 12k, gongyou add", f"median {add['cli_median']} s wall {add['cli_seconds']}, "
             f"CPU {add['cli_cpu_seconds']} s", f"≤ {TARGETS['add_seconds']:g} s"),
            ("  embedded per add", str(add["embedded_chunks_per_add"]), ""),
        ]  # fmt: skip
    else:
        rows.append(("add to 12k index", add, ""))
    width = max(len(name) for name, _, _ in rows)
    lines = [f"{'measure':<{width}}  result  [target]", "-" * (width + 40)]
    lines += [
        f"{name:<{width}}  {value}" + (f"  [{target}]" if target else "") for name, value, target in rows
    ]
    m = results["machine"]
    lines.append(f"{m['cpus']} CPUs, load average {m['load_average_at_start']} → {m['load_average_at_end']}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1000, help="documents to generate (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="adds to time, each way (default 3)")
    parser.add_argument("--json-out", help="also write the JSON here")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.step:
        print(json.dumps(STEPS[args.step](*rest), ensure_ascii=False))
        return 0
    results = run(args)
    print(table(results))
    print(json.dumps(results, ensure_ascii=False))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
