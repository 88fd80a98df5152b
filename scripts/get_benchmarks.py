"""Download LeCoQA and RGB from their public sources and convert them to the shared benchmark format.

    .venv/bin/python scripts/get_benchmarks.py              # download, convert into ../shared/benchmarks
    .venv/bin/python scripts/get_benchmarks.py --from DIR   # convert the originals in DIR, no network
    .venv/bin/python scripts/get_benchmarks.py --out DIR    # write somewhere else

Downloads (pinned commits, listed in scripts/benchmark_sources.json) land in OUT/originals/, laid out
as `--from` expects: lecoqa/{queries,train,test}.json and the licences, rgb/zh_refine.json and its
licence, and lawrefbook.tar.gz (LawRefBook's statute texts; a clone or extracted copy of that
repository in DIR/lawrefbook/ works too). Writes OUT/lecoqa/{corpus,queries,queries_labor}.jsonl and
OUT/rgb_zh/{corpus,queries}.jsonl, with the licence files beside them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from convert_lecoqa import convert_lecoqa  # noqa: E402
from convert_rgb import convert_rgb  # noqa: E402

ROOT = HERE.parent
DEFAULT_OUT = ROOT.parent / "shared" / "benchmarks"
SOURCES = HERE / "benchmark_sources.json"
TIMEOUT_S = 60  # per network read; the LawRefBook archive is about 15 MB
LICENCES = {"lecoqa": ["LICENSE-LeCoQA.txt", "LICENSE-STARD.txt"], "rgb_zh": ["LICENSE.txt"]}


class SourceProblem(Exception):
    """An original file is missing, damaged or cannot be downloaded; the message says what to do."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(entry: dict, originals: Path) -> None:
    """Fetch one file (skipped when already there with the pinned checksum) and print its sha256."""
    target = originals / entry["to"]
    if target.exists() and entry["sha256"] in (None, sha256(target)):
        print(f"have {entry['to']}  sha256 {sha256(target)}")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(entry["url"], timeout=TIMEOUT_S) as response, open(partial, "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as error:  # URLError, HTTPError and timeouts are all OSErrors
        partial.unlink(missing_ok=True)
        raise SourceProblem(
            f"Could not download {entry['url']}: {error}.\nDownload it by hand (a browser, or git clone of "
            f"the repository at that commit) to {target}, then run again with --from {originals}."
        ) from error
    digest = sha256(partial)
    if entry["sha256"] and digest != entry["sha256"]:
        partial.unlink()
        raise SourceProblem(
            f"{entry['url']} has sha256 {digest}, expected {entry['sha256']}: not the pinned file"
        )
    partial.replace(target)
    print(f"got  {entry['to']}  sha256 {digest}")


class LawLibrary:
    """LawRefBook's Markdown files, from its tar.gz archive or from a folder (clone or extracted)."""

    def __init__(self, originals: Path):
        folder, archive = originals / "lawrefbook", originals / "lawrefbook.tar.gz"
        self._texts: dict[str, str] = {}
        if folder.is_dir():
            for path in folder.rglob("*.md"):
                if ".git" not in path.parts:
                    self._texts[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
        elif archive.is_file():
            with tarfile.open(archive, "r:gz") as tar:
                for member in tar:
                    if member.isfile() and member.name.endswith(".md"):
                        inner = member.name.split("/", 1)[1]  # drop the archive's Laws-<commit>/ folder
                        self._texts[inner] = tar.extractfile(member).read().decode("utf-8")
        else:
            raise SourceProblem(f"No LawRefBook statute texts: neither {folder}/ nor {archive} exists.")

    def paths(self) -> list[str]:
        return sorted(self._texts)

    def read(self, path: str) -> str:
        return self._texts[path]


def read_json(path: Path) -> list[dict]:
    if not path.is_file():
        raise SourceProblem(f"{path} is missing: download it (run without --from) or put the original there.")
    return json.loads(path.read_text(encoding="utf-8"))


def read_json_lines(path: Path) -> list[dict]:
    """zh_refine.json is one JSON object per line despite its name."""
    if not path.is_file():
        raise SourceProblem(f"{path} is missing: download it (run without --from) or put the original there.")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def copy_licences(originals: Path, out: Path) -> None:
    for folder, names in LICENCES.items():
        source_folder = originals / ("rgb" if folder == "rgb_zh" else folder)
        for name in names:
            if (source_folder / name).is_file():
                shutil.copyfile(source_folder / name, out / folder / name)
            else:
                print(
                    f"warning: {source_folder / name} missing; the licence belongs with the data",
                    file=sys.stderr,
                )


def convert_all(originals: Path, out: Path, sources: dict) -> dict:
    """Convert both sets from `originals` into `out`; returns the counts that were written."""
    leco_dir = originals / "lecoqa"
    library = LawLibrary(originals)
    leco = convert_lecoqa(
        read_json(leco_dir / "queries.json"),
        read_json(leco_dir / "train.json"),
        read_json(leco_dir / "test.json"),
        library.paths(),
        library.read,
        sources,
    )
    for law in leco.missing_laws:
        print(f"warning: LawRefBook lacks {law}: only its gold articles are in the corpus", file=sys.stderr)
    write_jsonl(out / "lecoqa" / "corpus.jsonl", leco.corpus)
    write_jsonl(out / "lecoqa" / "queries.jsonl", leco.queries)
    write_jsonl(out / "lecoqa" / "queries_labor.jsonl", [q for q in leco.queries if q["domain_labor"]])
    rgb = convert_rgb(read_json_lines(originals / "rgb" / "zh_refine.json"))
    write_jsonl(out / "rgb_zh" / "corpus.jsonl", rgb.corpus)
    write_jsonl(out / "rgb_zh" / "queries.jsonl", rgb.queries)
    copy_licences(originals, out)
    return {
        "lecoqa": {"passages": len(leco.corpus), "questions": len(leco.queries),
                   "labour": sum(q["domain_labor"] for q in leco.queries), "missing_laws": leco.missing_laws},
        "rgb_zh": {"passages": len(rgb.corpus), "questions": len(rgb.queries),
                   "unanswerable": sum(not q["answerable"] for q in rgb.queries)},
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    parser.add_argument("--from", dest="originals", type=Path,
                        help="convert the original files in this folder instead of downloading")  # fmt: skip
    args = parser.parse_args(argv)
    sources = json.loads(SOURCES.read_text(encoding="utf-8"))
    originals = args.originals or args.out / "originals"
    try:
        if args.originals is None:
            for entry in sources["downloads"]:
                download(entry, originals)
        counts = convert_all(originals, args.out, sources)
    except SourceProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(json.dumps(counts, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
