"""Administrators' accounts: the `--auth` file and password checks (standard library only).

The file has one `user:secret` line per administrator; blank lines and `#` comments are ignored.
The secret is either a hash made by `gongyou hash-password` (`scrypt$N$r$p$salt$hash`, or
`pbkdf2_sha256$iterations$salt$hash` from other tools) or, discouraged, the password itself. A file
with plain passwords still works, and `serve` warns once naming the users whose password is in clear.

Checks take the same time whether or not the user exists (an unknown user is checked against a
dummy hash), and every comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

# scrypt with N=2^14, r=8, p=1 (16 MB, the cost hashlib's documentation and OWASP suggest): about
# 50 ms a check on this project's 2-core machine, so the login throttle, not the hash, bounds guessing.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SCRYPT_MAXMEM = 64 * 1024 * 1024
SALT_BYTES = 16
SCHEMES = ("scrypt", "pbkdf2_sha256")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """The stored form of a password: `scrypt$N$r$p$salt$hash` (base64 salt and hash)."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=SCRYPT_MAXMEM
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def is_hashed(secret: str) -> bool:
    return secret.split("$", 1)[0] in SCHEMES


def check_secret(secret: str) -> None:
    """Raise ValueError when a stored hash is malformed (so `serve` refuses the file at start)."""
    if not is_hashed(secret):
        return
    parts = secret.split("$")
    try:
        if parts[0] == "scrypt":
            n, r, p = (int(x) for x in parts[1:4])
            if len(parts) != 6 or n < 2 or n & (n - 1) or r < 1 or p < 1 or n * r > 2**20:
                raise ValueError
            _unb64(parts[4]), _unb64(parts[5])
        else:
            if len(parts) != 4 or not 1 <= int(parts[1]) <= 10_000_000:
                raise ValueError
            _unb64(parts[2]), _unb64(parts[3])
    except (ValueError, IndexError):
        raise ValueError(f"malformed {parts[0]} hash (make one with `gongyou hash-password`)") from None


def verify_password(secret: str, password: str) -> bool:
    """Does the password match the stored secret (a hash, or a password in clear)?"""
    given = password.encode("utf-8")
    parts = secret.split("$")
    if parts[0] == "scrypt":
        n, r, p = (int(x) for x in parts[1:4])
        digest = hashlib.scrypt(given, salt=_unb64(parts[4]), n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM)
        return hmac.compare_digest(digest, _unb64(parts[5]))
    if parts[0] == "pbkdf2_sha256":
        digest = hashlib.pbkdf2_hmac("sha256", given, _unb64(parts[2]), int(parts[1]))
        return hmac.compare_digest(digest, _unb64(parts[3]))
    return hmac.compare_digest(secret.encode("utf-8"), given)


_DUMMY = hash_password("an account that does not exist", salt=b"\0" * SALT_BYTES)


@dataclass(frozen=True)
class Accounts:
    """user → stored secret, read from the `--auth` file."""

    secrets: dict[str, str]
    source: str = ""

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]]) -> Accounts:
        for _, secret in pairs:
            check_secret(secret)
        return cls(dict(pairs))

    def check(self, user: str, password: str) -> str | None:
        """The user's name when the password is right, else None (same cost for unknown users)."""
        secret = self.secrets.get(user.strip())
        ok = verify_password(secret if secret is not None else _DUMMY, password)
        return user.strip() if ok and secret is not None else None

    def plain_users(self) -> list[str]:
        return sorted(u for u, s in self.secrets.items() if not is_hashed(s))


def read_auth_file(path: Path) -> list[tuple[str, str]]:
    """'user:secret' lines; blank lines and # comments are ignored. Raises ValueError."""
    pairs = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, secret = line.partition(":")
        if not sep or not user.strip() or not secret:
            raise ValueError(f"{path}:{number}: expected 'user:password' or 'user:<hash>'")
        try:
            check_secret(secret)
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: {exc}") from None
        pairs.append((user.strip(), secret))
    if not pairs:
        raise ValueError(f"{path}: no 'user:password' lines")
    return pairs


def load_accounts(path: Path) -> Accounts:
    return Accounts(dict(read_auth_file(path)), source=str(path))


def file_warnings(path: Path, accounts: Accounts) -> list[str]:
    """What `serve` should tell the operator about the auth file: clear passwords, loose permissions."""
    notes = []
    plain = accounts.plain_users()
    if plain:
        notes.append(
            f"{path} holds the password of {', '.join(plain)} in clear; replace each with the line "
            "`gongyou hash-password USER` prints."
        )
    mode = os.stat(path).st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        notes.append(f"{path} can be read by other users of this machine; run: chmod 600 {path}")
    return notes
