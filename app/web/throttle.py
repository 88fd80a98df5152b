"""Failed sign-ins are throttled per client (its IP address), with exponential backoff.

A client may get the password wrong FREE_FAILURES times; each further failure locks it out for
BACKOFF_BASE_S · 2^(failures − FREE_FAILURES − 1) seconds, at most BACKOFF_MAX_S. While locked out
a client is told how long to wait and its attempts are not even checked, so the right password
does not get through either. A successful sign-in clears the client's record; a record with no
failure for FORGET_AFTER_S is forgotten. At 5 free failures and a 15-minute ceiling, 100 guesses
take about 21 hours instead of the 0.2 s the audit measured without a throttle.

The client address is the one uvicorn reports: behind a reverse proxy on the same machine that sets
X-Forwarded-For (uvicorn trusts it from 127.0.0.1 and ::1, FORWARDED_ALLOW_IPS to change), the real
client's; behind a proxy elsewhere, the proxy's for everyone, so that proxy should rate-limit too.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

FREE_FAILURES = 5
BACKOFF_BASE_S = 1.0
BACKOFF_MAX_S = 15 * 60.0
FORGET_AFTER_S = 24 * 3600.0
MAX_CLIENTS = 10_000  # the oldest records are dropped beyond this (memory stays bounded)


@dataclass
class _Record:
    failures: int = 0
    last_failure: float = 0.0
    locked_until: float = 0.0


class LoginThrottle:
    def __init__(
        self,
        free_failures: int = FREE_FAILURES,
        base_s: float = BACKOFF_BASE_S,
        max_s: float = BACKOFF_MAX_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_failures = free_failures
        self.base_s = base_s
        self.max_s = max_s
        self.clock = clock
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def wait_s(self, client: str) -> float:
        """Seconds this client must wait before its next attempt is checked (0 when it may try)."""
        now = self.clock()
        with self._lock:
            record = self._records.get(client)
            if record is None:
                return 0.0
            if now - record.last_failure > FORGET_AFTER_S:
                del self._records[client]
                return 0.0
            return max(0.0, record.locked_until - now)

    def failed(self, client: str) -> float:
        """Record a wrong password; returns the lockout it earned (0 while failures are free)."""
        now = self.clock()
        with self._lock:
            record = self._records.pop(client, None) or _Record()
            if now - record.last_failure > FORGET_AFTER_S:
                record = _Record()
            record.failures += 1
            record.last_failure = now
            over = record.failures - self.free_failures
            lockout = min(self.max_s, self.base_s * 2 ** (over - 1)) if over > 0 else 0.0
            record.locked_until = now + lockout
            self._records[client] = record  # most recent last
            while len(self._records) > MAX_CLIENTS:
                self._records.popitem(last=False)
            return lockout

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._records.pop(client, None)
