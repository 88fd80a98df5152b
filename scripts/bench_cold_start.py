"""`gongyou ask` from process start to printed answer, on the shipped corpus with the default model.

    .venv/bin/python scripts/bench_cold_start.py                      # this checkout
    .venv/bin/python scripts/bench_cold_start.py --compare ../before  # alternating with another one

With --compare, runs of the two checkouts alternate (this one, the other, ...), so a busy machine
slows both alike; both ask the same index, built by this checkout (an older Gongyou reads it too).
Also times what loading adds for the checksums (app/index/integrity.py), in process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "湖北省有多少个技能大师工作室?"


def ask_seconds(checkout: Path, index: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "app", "ask", QUESTION, "--index", str(index)],
                         capture_output=True, text=True, env=env, cwd=checkout, check=True)  # fmt: skip
    elapsed = time.perf_counter() - started
    assert "172" in out.stdout, out.stdout
    return elapsed


def checksum_ms(index: Path, repeats: int = 50) -> float:
    sys.path.insert(0, str(ROOT))
    from app.index.integrity import QUERY_PARTS, verify_checksums
    from app.index.store import current_build, read_manifest

    build, manifest = current_build(index), read_manifest(index)
    started = time.perf_counter()
    for _ in range(repeats):
        verify_checksums(build, manifest, QUERY_PARTS)
    return (time.perf_counter() - started) / repeats * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--compare", type=Path, help="another checkout (its app/ is imported)")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--index", type=Path, help="an index of the shipped corpus (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = args.index or Path(tmp) / "index"
        if args.index is None:
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            command = [sys.executable, "-m", "app", "build", "--index", str(index)]
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
        checkouts = {"this": ROOT, **({"compare": args.compare.resolve()} if args.compare else {})}
        times: dict[str, list[float]] = {name: [] for name in checkouts}
        for checkout in checkouts.values():
            ask_seconds(checkout, index)  # warm the file cache
        for _ in range(args.runs):
            for name, checkout in checkouts.items():
                times[name].append(ask_seconds(checkout, index))
        result = {
            name: {"median_s": round(statistics.median(t), 3), "min_s": round(min(t), 3), "runs": len(t)}
            for name, t in times.items()
        }
        result["checksums_ms"] = round(checksum_ms(index), 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
