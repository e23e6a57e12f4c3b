"""When to poll next: the plain interval after a good sync, exponential backoff while Allegro cannot be reached,
and never sooner than a Retry-After that stopped the last run.

Qt-free; the window feeds it each sync's outcome (a SyncReport or the exception) and starts a QTimer with the delay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from magazyn_desktop.allegro.errors import RateLimitedError
from magazyn_desktop.domain.failures import FailureKind
from magazyn_desktop.failures import failure_of

if TYPE_CHECKING:
    from magazyn_desktop.sync.engine import SyncReport


def _calls_for_backoff(outcome: SyncReport | BaseException) -> bool:
    """Allegro could not be reached (offline, by the one definition) or answered only with its own failures."""
    if isinstance(outcome, BaseException):
        failure = failure_of(outcome)
        return failure.offline or failure.kind is FailureKind.UNAVAILABLE
    return outcome.offline or outcome.unavailable


class PollSchedule:
    def __init__(self, interval: float = 60.0, max_backoff: float = 900.0) -> None:
        if interval <= 0:
            raise ValueError("the poll interval must be positive")
        self.interval = float(interval)
        self.max_backoff = max(float(max_backoff), self.interval)
        self._failures_in_a_row = 0

    def next_delay(self, report_or_error: SyncReport | BaseException) -> float:
        """Seconds until the next sync, given how the last one ended."""
        if isinstance(report_or_error, RateLimitedError):
            # Over the app's budget Allegro blocks the Client ID for a minute; never come back sooner.
            self._failures_in_a_row += 1
            wait = report_or_error.retry_after or 60.0
            return min(self.max_backoff, max(self.interval, wait, 60.0))
        asked = None if isinstance(report_or_error, BaseException) else report_or_error.retry_after
        if asked is not None:
            # The run stopped at Allegro's Retry-After: the next one comes no sooner.
            self._failures_in_a_row += 1
            return max(self.interval, float(asked))
        if _calls_for_backoff(report_or_error):
            self._failures_in_a_row += 1
            delay = min(self.max_backoff, self.interval * (2 ** (self._failures_in_a_row - 1)))
            if isinstance(report_or_error, BaseException):
                return delay
            until, ended = report_or_error.backoff_until, report_or_error.finished_at
            if until is not None and ended is not None:
                # The engine asks Allegro nothing before its back-off time: polling sooner would only say so.
                delay = max(delay, (until - ended).total_seconds())
            return delay
        self._failures_in_a_row = 0
        return self.interval

    def reset(self) -> None:
        self._failures_in_a_row = 0
