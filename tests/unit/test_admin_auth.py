"""Administrators' sign-in pieces: the --auth file, password hashes, the per-client throttle, sessions,
the guard's reading of event bodies, and `gongyou hash-password`."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.web import accounts, guard, sessions
from app.web.throttle import LoginThrottle

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_scrypt_hashes_verify_and_differ_by_salt() -> None:
    first, second = accounts.hash_password("s3cret"), accounts.hash_password("s3cret")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert accounts.verify_password(first, "s3cret") and accounts.verify_password(second, "s3cret")
    assert not accounts.verify_password(first, "s3cret ") and not accounts.verify_password(first, "")


def test_pbkdf2_hashes_from_other_tools_and_plain_passwords_verify() -> None:
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", "密码".encode(), salt, 1000)
    stored = f"pbkdf2_sha256$1000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    accounts.check_secret(stored)
    assert accounts.verify_password(stored, "密码") and not accounts.verify_password(stored, "密")
    assert accounts.verify_password("plain:with:colons", "plain:with:colons")


@pytest.mark.parametrize(
    "bad",
    [
        "scrypt$16384$8$1$onlysalt",
        "scrypt$1000$8$1$AAAA$AAAA",
        "scrypt$x$8$1$AAAA$AAAA",
        "pbkdf2_sha256$0$AA$AA",
    ],
)
def test_malformed_hashes_are_refused_when_the_file_is_read(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "users"
    path.write_text(f"admin:{bad}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"users:1: malformed"):
        accounts.read_auth_file(path)


def test_auth_file_lines_and_warnings(tmp_path: Path) -> None:
    path = tmp_path / "users"
    hashed = accounts.hash_password("pw")
    path.write_text(f"# hotline admins\nalice:s3cret:with-colon\n\nbob:{hashed}\n", encoding="utf-8")
    assert accounts.read_auth_file(path) == [("alice", "s3cret:with-colon"), ("bob", hashed)]
    os.chmod(path, 0o644)
    notes = accounts.file_warnings(path, accounts.load_accounts(path))
    assert any("alice" in n and "in clear" in n and "bob" not in n for n in notes)
    assert any("chmod 600" in n for n in notes)
    os.chmod(path, 0o600)
    path.write_text(f"bob:{hashed}\n", encoding="utf-8")
    assert accounts.file_warnings(path, accounts.load_accounts(path)) == []
    path.write_text("nobody\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected 'user:password'"):
        accounts.read_auth_file(path)


def test_accounts_check_names_the_user_only_with_the_right_password() -> None:
    admins = accounts.Accounts.from_pairs([("admin", accounts.hash_password("pw"))])
    assert admins.check("admin", "pw") == "admin"
    assert admins.check(" admin ", "pw") == "admin"
    assert admins.check("admin", "PW") is None
    assert admins.check("nobody", "pw") is None  # checked against a dummy hash: same cost


def test_the_throttle_backs_off_per_client_and_forgives_a_success() -> None:
    clock = Clock()
    throttle = LoginThrottle(free_failures=5, base_s=1.0, max_s=8.0, clock=clock)
    lockouts = [throttle.failed("10.0.0.1") for _ in range(10)]
    assert lockouts == [0, 0, 0, 0, 0, 1, 2, 4, 8, 8]  # doubling, capped
    assert throttle.wait_s("10.0.0.1") == 8
    assert throttle.wait_s("10.0.0.2") == 0  # another client is not affected
    clock.now += 8
    assert throttle.wait_s("10.0.0.1") == 0
    throttle.succeeded("10.0.0.1")
    assert throttle.failed("10.0.0.1") == 0  # a success starts the count again


def test_the_throttle_forgets_old_failures() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(5):
        throttle.failed("c")
    clock.now += 25 * 3600
    assert throttle.failed("c") == 0


def test_sessions_expire_when_idle_or_too_old_and_end_on_sign_out() -> None:
    clock = Clock()
    store = sessions.AdminSessions(clock=clock)
    token = store.start("admin")
    assert store.user(token) == "admin" and store.user("forged") is None and store.user(None) is None
    clock.now += sessions.IDLE_S - 1
    assert store.user(token) == "admin"  # touched: the idle time starts again
    clock.now += sessions.IDLE_S + 1
    assert store.user(token) is None
    old = store.start("admin")
    for _ in range(int(sessions.MAX_AGE_S // (sessions.IDLE_S / 2)) + 1):
        clock.now += sessions.IDLE_S / 2
        store.user(old)
    assert store.user(old) is None  # never idle, but older than MAX_AGE_S
    ended = store.start("admin")
    store.end(ended)
    assert store.user(ended) is None


def test_the_session_token_is_read_from_a_cookie_header() -> None:
    header = f"other=1; {sessions.COOKIE}=abc-DEF_123; x=y"
    assert sessions.token_from_cookie_header(header) == "abc-DEF_123"
    assert sessions.token_from_cookie_header("garbage;;=") is None
    assert sessions.token_from_cookie_header(None) is None


def test_the_guard_finds_file_objects_however_deep_and_escaped() -> None:
    import json

    file = {"path": "https://x/y", "meta": {"_type": "gradio.FileData"}}
    body = json.loads(
        json.dumps({"data": [[{"a": [file]}], "zh-Hans"]}).replace("FileData", "File\\u0044ata")
    )
    assert guard._files_in(body) == [file]
    assert guard._files_in({"data": ["gradio.FileData", {"meta": "gradio.FileData"}]}) == []
    assert guard._is_url("HTTPS://x") and guard._is_url("//host/x") and not guard._is_url("/tmp/gradio/x")


def test_hash_password_command_prints_an_auth_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "hash-password", "admin"],
        input="长城-2024\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    user, secret = done.stdout.strip().split(":", 1)
    assert user == "admin" and accounts.verify_password(secret, "长城-2024")
    refused = subprocess.run(
        [sys.executable, "-m", "app", "hash-password", "a:b"],
        input="x\n",
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "contain no ':'" in refused.stderr
