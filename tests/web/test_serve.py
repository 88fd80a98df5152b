"""`gongyou serve` as an operator runs it: messages that name our flags (a busy port, a bad --auth
file, passwords in clear), and a served app where workers ask anonymously and administrators sign in."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from browser_fixtures import free_port

from app.web.accounts import hash_password

ROOT = Path(__file__).resolve().parents[2]


def _serve(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", "serve", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def offline_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.index.build import build

    index = tmp_path_factory.mktemp("serve") / "index"
    build(ROOT / "corpus", index, "offline", progress=False)
    return index


def test_a_busy_port_is_reported_with_our_flag_not_gradios_variable(
    offline_index: Path, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.perf_counter()
        done = _serve("--index", str(offline_index), "--data", str(tmp_path), "--port", str(port))
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr
    assert f"--port {port + 1}" in done.stderr
    assert "GRADIO_SERVER_PORT" not in done.stderr + done.stdout  # before: Gradio's own advice
    assert time.perf_counter() - started < 30  # told before loading anything


def test_a_port_out_of_range_is_bad_input(offline_index: Path, tmp_path: Path) -> None:
    done = _serve("--index", str(offline_index), "--data", str(tmp_path), "--port", "70000")
    assert done.returncode == 2 and "--port: 70000 is outside 0..65535" in done.stderr


def test_a_malformed_auth_file_is_refused_with_its_line(offline_index: Path, tmp_path: Path) -> None:
    users = tmp_path / "users"
    users.write_text("admin:scrypt$16384$8$1$bad\n", encoding="utf-8")
    done = _serve(
        "--index",
        str(offline_index),
        "--data",
        str(tmp_path),
        "--port",
        str(free_port()),
        "--auth",
        str(users),
    )
    assert done.returncode == 1 and f"{users}:1: malformed scrypt hash" in done.stderr


def test_served_with_auth_workers_ask_and_administrators_sign_in(offline_index: Path, tmp_path: Path) -> None:
    users = tmp_path / "users"
    users.write_text(f"admin:{hash_password('pw-admin')}\nclerk:plain-pw\n", encoding="utf-8")
    os.chmod(users, 0o640)
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "app",
        "serve",
        "--index",
        str(offline_index),
        "--data",
        str(tmp_path / "data"),
    ]
    cmd += ["--port", str(port), "--auth", str(users)]
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if httpx.get(url + "config", timeout=2).status_code == 200:  # anonymous: open
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        from gradio_client import Client

        out = Client(url, verbose=False, analytics_enabled=False).predict(
            "湖北省高技能人才总量有多少?", api_name="/ask"
        )
        assert "270.5万人" in out["answer"]
        signed = httpx.post(
            url + "admin", data={"action": "login", "username": "admin", "password": "pw-admin"}
        )
        assert signed.status_code == 303 and "gongyou_admin" in signed.cookies
        plain = httpx.post(
            url + "admin", data={"action": "login", "username": "clerk", "password": "plain-pw"}
        )
        assert plain.status_code == 303  # still read, with a warning
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "clerk in clear" in err and "admin in clear" not in err and "hash-password" in err
    assert f"chmod 600 {users}" in err
