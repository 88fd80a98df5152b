"""Benchmark the chat UI server the way users and hotlines reach it: through gradio_client.

    .venv/bin/python scripts/bench_ui.py [--index DIR] [--cpus 2] [--sessions 20] [--json]

Starts `gongyou serve` in a child process (offline index of the shipped corpus, built into a temp
folder unless --index is given), pinned to --cpus cores, then measures:

1. time to first streamed text: submit a question to the chat endpoint (the one the browser uses)
   and wait for the first partial answer, one question at a time, over ~20 questions;
2. 20 concurrent sessions (one gradio_client each, each in its own process as on its own machine;
   they share this machine's cores with the server) asking different questions, started together:
   a) through `/ask` (the hotline API), b) through the streamed chat, to the end of the stream.

Prints a table and a JSON object. Targets (issue): first text <= 300 ms; concurrent p95 <= 2 s,
zero errors.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ["NO_PROXY"] = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1", "localhost"]))

ROOT = Path(__file__).resolve().parent.parent

QUESTIONS = [
    "湖北省高技能人才总量有多少？",
    "技能人才的待遇怎么提高？",
    "每年政府补贴性培训大概多少人次？",
    "产业工人的权益保障有哪些措施？",
    "到2035年要培养多少名大国工匠？",
    "云南到2025年技工院校新增招生多少人？",
    "全国技工院校9月底前招生多少人？",
    "中国参加世界技能大赛累计取得了多少枚金牌？",
    "人社部取消了多少项职业资格许可认定事项？",
    "稳岗返还政策今年1到9月支出了多少失业保险金？",
    "云南省高技能人才总量到2025年要达到多少？",
    "湖北省有多少个技能大师工作室？",
    "雲南省到2025年要新培育多少名雲嶺工匠？",
    "How many great craftsmen should be trained by 2035?",
    "农民工职业技能培训有哪些？",
    "职工技能提升补贴怎么申请？",
    "技能人才评价制度改革",
    "加班费怎么算？",
    "年假有几天？",
    "试用期最长可以约定多久？",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float], errors: int = 0) -> dict[str, float | int]:
    return {
        "n": len(values),
        "errors": errors,
        "p50_ms": round(percentile(values, 0.5) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1) if values else float("nan"),
        "mean_ms": round(statistics.fmean(values) * 1000, 1) if values else float("nan"),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _drain(proc: subprocess.Popen) -> None:
    for line in proc.stdout or ():
        if "Traceback" in line or "ERROR" in line:
            print("server:", line.rstrip(), file=sys.stderr)


def start_server(index: Path, data: Path, port: int, cpus: int | None) -> subprocess.Popen:
    def pin() -> None:
        if cpus:
            os.sched_setaffinity(0, set(range(min(cpus, os.cpu_count() or cpus))))

    cmd = [sys.executable, "-m", "app", "serve", "--index", str(index), "--data", str(data)]
    cmd += ["--port", str(port), "--host", "127.0.0.1", "--embed-model", "offline"]
    env = dict(os.environ)
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=pin
    )
    deadline = time.time() + 120
    assert proc.stdout is not None
    for line in proc.stdout:
        if "is running at" in line:
            threading.Thread(target=_drain, args=(proc,), daemon=True).start()
            return proc
        if time.time() > deadline:
            break
    proc.kill()
    raise SystemExit("the server did not start")


def _has_text(output) -> bool:
    chat = output[0] if isinstance(output, (list, tuple)) and output else None
    if not isinstance(chat, list) or not chat or chat[-1].get("role") != "assistant":
        return False
    content = chat[-1].get("content")
    if isinstance(content, list):
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return bool(content)


def chat_once(client, question: str) -> tuple[float, float]:
    """(seconds to the first streamed text, seconds to the end of the stream)."""
    started = time.perf_counter()
    job = client.submit(question, "zh-Hans", False, False, api_name="/chat")
    first = None
    for output in job:
        if first is None and _has_text(output):
            first = time.perf_counter() - started
    job.result(timeout=60)
    total = time.perf_counter() - started
    return (first if first is not None else total), total


def _session(url: str, question: str, kind: str, barrier, results) -> None:
    """One hotline session in its own process (its own gradio_client, as on its own machine)."""
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, analytics_enabled=False)
        client.predict("你好", api_name="/ask")  # warm the session: lazy imports, first connection
    except Exception as exc:
        barrier.abort()
        results.put(("error", f"connect: {exc}"))
        return
    barrier.wait()
    try:
        if kind == "ask":
            started = time.perf_counter()
            out = client.predict(question, api_name="/ask")
            assert "answer" in out
            first = total = time.perf_counter() - started
        else:
            first, total = chat_once(client, question)
        results.put(("ok", (first, total)))
    except Exception as exc:  # counted, and shown
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def concurrent(url: str, sessions: int, kind: str) -> tuple[list[float], list[float], int]:
    """`sessions` clients in separate processes, released together; each asks a different question."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(sessions)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_session, args=(url, QUESTIONS[i % len(QUESTIONS)], kind, barrier, results))
        for i in range(sessions)
    ]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=300) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    firsts = [v[0] for status, v in outcomes if status == "ok"]
    totals = [v[1] for status, v in outcomes if status == "ok"]
    errors = [v for status, v in outcomes if status != "ok"]
    for err in errors[:5]:
        print("error:", err, file=sys.stderr)
    return totals, firsts, len(errors)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--index", help="index folder (default: build the shipped corpus offline into a temp dir)"
    )
    ap.add_argument("--cpus", type=int, default=2, help="pin the server to this many cores (0: no pinning)")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=1, help="repeat the first-text series this many times")
    ap.add_argument("--json", action="store_true", help="print only the JSON object")
    args = ap.parse_args(argv)

    from gradio_client import Client

    with tempfile.TemporaryDirectory(prefix="gongyou-bench-") as tmp:
        index = Path(args.index) if args.index else Path(tmp) / "index"
        if not args.index:
            from app.index.build import build

            build(ROOT / "corpus", index, "offline", progress=False)
        port = free_port()
        server = start_server(index, Path(tmp) / "data", port, args.cpus or None)
        url = f"http://127.0.0.1:{port}/"
        try:
            client = Client(url, verbose=False, analytics_enabled=False)
            chat_once(client, QUESTIONS[0])  # warm: first connection, first request
            firsts, streams = [], []
            for _ in range(args.rounds):
                for question in QUESTIONS:
                    client = Client(url, verbose=False, analytics_enabled=False)  # a fresh session
                    first, total = chat_once(client, question)
                    firsts.append(first)
                    streams.append(total)
            cpu0 = cpu_seconds(server.pid)
            ask_totals, _, ask_errors = concurrent(url, args.sessions, "ask")
            cpu1 = cpu_seconds(server.pid)
            chat_totals, chat_firsts, chat_errors = concurrent(url, args.sessions, "chat")
            cpu2 = cpu_seconds(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()

    report = {
        "machine": {"cpus_visible": os.cpu_count(), "server_pinned_to": args.cpus or None},
        "mode": "offline embedder, shipped corpus",
        "first_streamed_text_sequential": summary(firsts),
        "stream_complete_sequential": summary(streams),
        f"concurrent_{args.sessions}_ask_api": summary(ask_totals, ask_errors),
        f"concurrent_{args.sessions}_chat_stream_complete": summary(chat_totals, chat_errors),
        f"concurrent_{args.sessions}_chat_first_text": summary(chat_firsts, chat_errors),
        # The clients share the cores with the server here; this is the server's own share
        # (including each session connecting and one warm-up request).
        "server_cpu_ms_per_session": {
            "ask_api": round((cpu1 - cpu0) * 1000 / args.sessions, 1),
            "chat_stream": round((cpu2 - cpu1) * 1000 / args.sessions, 1),
        },
    }
    if not args.json:
        print(f"{'measure':44} {'n':>3} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, row in report.items():
            if isinstance(row, dict) and "p50_ms" in row:
                print(
                    f"{name:44} {row['n']:>3} {row['errors']:>4} {row['p50_ms']:>8} {row['p95_ms']:>8} "
                    f"{row['max_ms']:>8}"
                )
        print("server CPU per session (ms):", report["server_cpu_ms_per_session"])
    print(json.dumps(report, ensure_ascii=False))
    ok = (
        report["first_streamed_text_sequential"]["p95_ms"] <= 300
        and report[f"concurrent_{args.sessions}_ask_api"]["p95_ms"] <= 2000
        and report[f"concurrent_{args.sessions}_chat_stream_complete"]["p95_ms"] <= 2000
        and ask_errors == 0
        and chat_errors == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
