"""Sustained load on `gongyou serve`: N concurrent sessions asking for S seconds, then errors,
latency percentiles and the server's memory before and after.

    .venv/bin/python scripts/bench_load.py [--sessions 50] [--seconds 60] [--think 0]
                                           [--embed-model offline] [--index DIR] [--json]

Starts `gongyou serve` in a child process (the shipped corpus, built into a temp folder with the
default model unless --index is given), warms it, and records its resident memory. Then each
session, its own gradio_client as if on its own machine, asks question after question until the
time is up: even-numbered sessions through the streamed chat the browser uses (to the end of the
stream), odd-numbered ones through `/ask` (the hotline API). Sessions run as threads spread over a
few client processes, released together, and wait up to TIMEOUT_S for an answer; `--think`
seconds (±50%) pass between a session's questions (0: back to back, a stress test). Afterwards:
the server's memory again (and its peak), every error with its message, and p50/p95/max per
endpoint.

The clients share this machine's cores with the server, so latencies are upper bounds for a
server with its cores to itself. Target (issue 18): 0 errors over 50 sessions × 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_ui import QUESTIONS, chat_once, cpu_seconds, free_port, summary

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

ROOT = Path(__file__).resolve().parent.parent
SESSIONS_PER_PROCESS = 10
# A request still unanswered after this long is an error. gradio_client's default (5 s for its
# connection requests) is shorter than a person waits; on a machine shared with other jobs, 50
# clients connecting at once to a 2-core server took longer than that.
TIMEOUT_S = 60.0


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now and at its peak (Linux /proc), in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_rss_mb": fields.get("VmHWM", 0.0)}


def start_server(index: Path, data: Path, port: int, embed_model: str | None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "app", "serve", "--index", str(index), "--data", str(data)]
    cmd += ["--port", str(port), "--host", "127.0.0.1"]
    if embed_model:
        cmd += ["--embed-model", embed_model]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    deadline = time.time() + 300
    for line in proc.stdout:
        if "is running at" in line:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()  # drain
            return proc
        if time.time() > deadline:
            break
    proc.kill()
    raise SystemExit("the server did not start")


def _session(url: str, number: int, seconds: float, think: float, start, results) -> None:
    from gradio_client import Client

    kind = "chat" if number % 2 == 0 else "ask"
    try:
        client = Client(url, verbose=False, analytics_enabled=False, httpx_kwargs={"timeout": TIMEOUT_S})
    except Exception as exc:
        results.append(("connect", 0.0, 0.0, f"{type(exc).__name__}: {exc}"))
        start.wait()
        return
    start.wait()
    deadline = time.perf_counter() + seconds
    asked = number
    rng = random.Random(number)
    while time.perf_counter() < deadline:
        question = QUESTIONS[asked % len(QUESTIONS)]
        asked += 1
        began = time.perf_counter()
        try:
            if kind == "ask":
                out = client.predict(question, api_name="/ask")
                if "answer" not in out:
                    raise ValueError(f"no answer in {str(out)[:80]}")
                first = total = time.perf_counter() - began
            else:
                first, total = chat_once(client, question)
                client.reset_session()  # a new conversation each time: no follow-up resolution
            results.append((kind, first, total, ""))
        except Exception as exc:  # counted and shown
            results.append((kind, 0.0, time.perf_counter() - began, f"{type(exc).__name__}: {exc}"))
        if think:
            time.sleep(think * rng.uniform(0.5, 1.5))


def _client_process(url: str, numbers: list[int], seconds: float, think: float, barrier, queue) -> None:
    """One client machine: a thread per session; results go back when the time is up."""
    results: list[tuple] = []
    start = threading.Event()
    threads = [
        threading.Thread(target=_session, args=(url, n, seconds, think, start, results)) for n in numbers
    ]
    for thread in threads:
        thread.start()
    time.sleep(2)  # let every session connect before the common start
    barrier.wait()
    start.set()
    for thread in threads:
        thread.join()
    queue.put(results)


def run_load(url: str, sessions: int, seconds: float, think: float) -> list[tuple]:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    groups = [
        list(range(i, min(i + SESSIONS_PER_PROCESS, sessions)))
        for i in range(0, sessions, SESSIONS_PER_PROCESS)
    ]
    barrier = ctx.Barrier(len(groups))
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_client_process, args=(url, g, seconds, think, barrier, queue)) for g in groups
    ]
    for proc in procs:
        proc.start()
    results = [item for _ in procs for item in queue.get(timeout=seconds + 600)]
    for proc in procs:
        proc.join(timeout=30)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", help="index folder (default: build the shipped corpus into a temp dir)")
    ap.add_argument("--embed-model", help="as for gongyou (default: the default model; 'offline')")
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--think", type=float, default=0.0, help="seconds between a session's questions")
    ap.add_argument("--json", action="store_true", help="print only the JSON object")
    args = ap.parse_args(argv)

    from gradio_client import Client

    with tempfile.TemporaryDirectory(prefix="gongyou-load-") as tmp:
        index = Path(args.index) if args.index else Path(tmp) / "index"
        if not args.index:
            from app.index.build import build

            build(ROOT / "corpus", index, args.embed_model, progress=False)
        port = free_port()
        server = start_server(index, Path(tmp) / "data", port, args.embed_model)
        url = f"http://127.0.0.1:{port}/"
        try:
            warm = Client(url, verbose=False, analytics_enabled=False)
            for question in QUESTIONS:  # every question once: caches, lazy imports, first connections
                warm.predict(question, api_name="/ask")
                chat_once(warm, question)
            time.sleep(1)
            before, cpu0, started = memory_mb(server.pid), cpu_seconds(server.pid), time.perf_counter()
            results = run_load(url, args.sessions, args.seconds, args.think)
            wall = time.perf_counter() - started
            after, cpu1 = memory_mb(server.pid), cpu_seconds(server.pid)
            alive = server.poll() is None
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()

    errors = [r for r in results if r[3]]
    report = {
        "machine": {"cpus": os.cpu_count(), "note": "clients share the cores with the server"},
        "embed_model": args.embed_model or "default",
        "sessions": args.sessions,
        "seconds": args.seconds,
        "think_s": args.think,
        "requests": len(results),
        "errors": len(errors),
        "error_kinds": sorted({e[3].split(":")[0] for e in errors}),
        "requests_per_s": round(len(results) / wall, 1),
        "ask_api": summary([r[2] for r in results if r[0] == "ask" and not r[3]]),
        "chat_stream_complete": summary([r[2] for r in results if r[0] == "chat" and not r[3]]),
        "chat_first_text": summary([r[1] for r in results if r[0] == "chat" and not r[3]]),
        "server_memory_before": before,
        "server_memory_after": after,
        "server_cpu_s": round(cpu1 - cpu0, 1),
        "server_alive_after": alive,
    }
    if not args.json:
        for err in errors[:5]:
            print("error:", err[0], err[3][:300], file=sys.stderr)
        print(f"{'measure':24} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name in ("ask_api", "chat_stream_complete", "chat_first_text"):
            row = report[name]
            print(f"{name:24} {row['n']:>6} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8}")
        print(f"errors: {len(errors)} of {len(results)}; memory before {before}, after {after}")
    print(json.dumps(report, ensure_ascii=False))
    return 0 if not errors and alive else 1


if __name__ == "__main__":
    sys.exit(main())
