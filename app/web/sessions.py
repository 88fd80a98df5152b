"""Signed-in administrators' sessions, held in the server's memory.

Signing in at /admin sets one cookie, `gongyou_admin`: a random token (HttpOnly, SameSite=Strict,
Secure over HTTPS) whose SHA-256 is the key of the session here. A session ends at sign-out, after
IDLE_S without a request, after MAX_AGE_S in any case, and when the server stops. Workers never
get a cookie: asking needs no session.

SameSite=Strict keeps the cookie off requests that other sites make, so a page elsewhere cannot
upload files with an administrator's session (the upload routes accept nothing else).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

COOKIE = "gongyou_admin"
IDLE_S = 2 * 3600.0
MAX_AGE_S = 12 * 3600.0


@dataclass
class Session:
    user: str
    started: float
    seen: float


def _key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class AdminSessions:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def start(self, user: str) -> str:
        """A new session for user; returns the token the cookie carries."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._drop_expired(now)
            self._sessions[_key(token)] = Session(user, now, now)
        return token

    def user(self, token: str | None) -> str | None:
        """The signed-in user of a live session (and the session is touched), else None."""
        if not token:
            return None
        now = self.clock()
        with self._lock:
            session = self._sessions.get(_key(token))
            if session is None:
                return None
            if now - session.seen > IDLE_S or now - session.started > MAX_AGE_S:
                del self._sessions[_key(token)]
                return None
            session.seen = now
            return session.user

    def end(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._sessions.pop(_key(token), None)

    def _drop_expired(self, now: float) -> None:
        for key, s in list(self._sessions.items()):
            if now - s.seen > IDLE_S or now - s.started > MAX_AGE_S:
                del self._sessions[key]


def token_from_cookie_header(header: str | None) -> str | None:
    if not header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header is simply no session
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel else None


def token_of(request: Any) -> str | None:
    """The session token of a gr.Request (or a Starlette request), if it carries one."""
    if request is None:
        return None
    try:
        cookies = request.cookies
        token = cookies.get(COOKIE) if cookies is not None else None
    except AttributeError:
        token = None
    if token:
        return str(token)
    try:
        return token_from_cookie_header(request.headers.get("cookie"))
    except AttributeError:
        return None
