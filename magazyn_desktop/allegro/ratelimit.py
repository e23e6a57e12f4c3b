"""Client-side pacing shared by every worker thread: the app's request budget and the send rate per account.

Allegro allows 9,000 requests a minute per Client ID (shared by every installation; over it the Client ID is blocked
for a minute) and one message send a second per user. Waiting happens outside the lock, through the injected
sleeper, so tests never sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from magazyn_desktop.domain.limits import SEND_INTERVAL_SECONDS

# The one pacing of message sends in the app (the outbox adds none). A little more than the minimum spacing, so
# that clock skew between us and Allegro never puts two sends in a second.
_SEND_MARGIN_SECONDS = 0.05


class RateLimiter:
    def __init__(
        self,
        *,
        requests_per_minute: int = 6000,
        sends_per_second: float = 1.0 / SEND_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleeper: Callable[[float], None] = time.sleep,
    ) -> None:
        if requests_per_minute <= 0 or sends_per_second <= 0:
            raise ValueError("rates must be positive")
        self._clock = clock
        self._sleeper = sleeper
        self._lock = threading.Lock()
        self._request_interval = 60.0 / requests_per_minute
        # Token bucket: up to one second's worth of requests may go out at once, then they are spaced evenly.
        self._capacity = max(1.0, requests_per_minute / 60.0)
        self._tokens = self._capacity
        self._refilled_at = clock()
        self._send_interval = 1.0 / sends_per_second + _SEND_MARGIN_SECONDS
        self._next_send_at: dict[str, float] = {}

    def acquire(self) -> None:
        """Wait until one more request fits in the budget, then take it."""
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self._capacity, self._tokens + (now - self._refilled_at) / self._request_interval)
                self._refilled_at = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return
                wait = (1.0 - self._tokens) * self._request_interval
            self._sleeper(wait)

    def resume_sends(self, account_key: str, seconds_since_last_send: float) -> None:
        """A new process takes up the send pacing of an account that sent that long ago (kept in the store): a
        send right after a restart must not come within a second of the last one."""
        with self._lock:
            now = self._clock()
            slot = now + max(0.0, self._send_interval - max(0.0, seconds_since_last_send))
            self._next_send_at[account_key] = max(slot, self._next_send_at.get(account_key, now))

    def send_wait(self, account_key: str) -> float:
        """Seconds until this account's next send slot (0: a send may go now)."""
        with self._lock:
            return max(0.0, self._next_send_at.get(account_key, 0.0) - self._clock())

    def acquire_send(self, account_key: str) -> None:
        """Wait for this account's next send slot (strictly more than 1/rate seconds after the previous one)."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_send_at.get(account_key, now))
            self._next_send_at[account_key] = slot + self._send_interval
            wait = slot - now
        if wait > 0:
            self._sleeper(wait)
        self.acquire()
