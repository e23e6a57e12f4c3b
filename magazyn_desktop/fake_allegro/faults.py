"""Switchable misbehaviour of the fake server, for tests and benchmarks of the client's error handling.

Counters count down one per API request (auth requests are never faulted, but for `refused_client`). Set fields
directly or use the helpers; `clear()` switches everything off. The server reads and updates them under its lock.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

from .responses import Breakage

# How the spoiled record of a listing page is broken (see bad_bodies.py).
RecordSpoil = Literal["garbage_time", "integer_time", "missing_id", "not_an_object", "odd_optional_fields"]
# The listing endpoints (as request counts name them) and the key of their list in the body.
LISTINGS: dict[str, str] = {
    "GET /messaging/threads": "threads",
    "GET /sale/issues": "issues",
    "GET /messaging/threads/{id}/messages": "messages",
    "GET /sale/issues/{id}/chat": "chat",
}


@dataclass
class Faults:
    server_errors: int = 0  # the next N API requests answer `server_error_status`
    server_error_status: int = 503
    unauthorized: int = 0  # the next N API requests answer 401 invalid_token, whatever the token
    drop_connections: int = 0  # the next N API requests lose their connection before any answer
    # True: the dropped request still took effect (a sent message exists) — the "outcome unknown" case of the outbox.
    drop_after_handling: bool = True
    # While set, every attachment download answers this file: an executable named like an image, a reversed name.
    disguised_download: DisguisedFile | None = None
    truncate_bodies: int = 0  # the next N API answers are cut in the middle of the body
    silent: int = 0  # the next N API requests are taken and never answered
    # In-process a silent request times out at once (there is no socket to wait on). While this is set, it first
    # hangs until the event is set: a request stuck in a read, deaf to any cancelling.
    silent_until: threading.Event | None = None
    rate_limit: int | None = None  # at most this many API requests per `rate_window` seconds, 429 beyond
    rate_window: float = 60.0
    # Bad bodies, per endpoint ("GET /messaging/threads"), on every answer until cleared:
    spoiled_records: dict[str, RecordSpoil] = field(default_factory=dict)  # one record per listing page
    lower_case_times: set[str] = field(default_factory=set)  # date-times as 2026-06-02t10:00:00.000z
    null_lists: set[str] = field(default_factory=set)  # the listing is null: {"threads": null}
    deep_nesting: dict[str, int] = field(default_factory=dict)  # the whole body: this many nested arrays
    retry_after: float | None = None  # the Retry-After header of those 429s (seconds); None sends none
    empty_answers: int = 0  # the next N message lists or issue chats answer no messages at all
    endless_cursor: bool = False  # message pages always name a next page, which repeats the last page's messages
    echo_token: int = 0  # the next N API requests answer 403 with the bearer token quoted in errors[].message
    refused_client: int = 0  # the next N OAuth requests answer 401 invalid_client (a wrong Client ID or secret)
    # Endpoints ("GET /sale/issues/{id}/chat") that answer 403 ACCESS_DENIED until cleared: an account without the
    # permission for them.
    forbidden_endpoints: set[str] = field(default_factory=set)
    # Orders (id -> 403 or 404) that answer so at their checkout form and shipments until cleared: another seller's
    # order, or one deleted since a conversation named it.
    unavailable_orders: dict[str, int] = field(default_factory=dict)
    # Endpoint ("POST /sale/issues/{id}/status") -> how many of its next successful answers are lost: the request
    # takes effect, then the connection drops before the answer. The "outcome unknown" case of a decision.
    lost_answers: dict[str, int] = field(default_factory=dict)
    _recent: deque[float] = field(default_factory=deque, repr=False)

    def clear(self) -> None:
        if self.silent_until is not None:
            self.silent_until.set()  # nothing is left hanging
        self.disguised_download = self.silent_until = None
        self.server_errors = self.unauthorized = self.drop_connections = self.truncate_bodies = 0
        self.silent = self.empty_answers = self.echo_token = self.refused_client = 0
        self.rate_limit = self.retry_after = None
        self.endless_cursor = False
        self._recent.clear()
        self.spoiled_records.clear()
        self.lower_case_times.clear()
        self.null_lists.clear()
        self.deep_nesting.clear()
        self.forbidden_endpoints.clear()
        self.unavailable_orders.clear()
        self.lost_answers.clear()

    def spoil_records(self, endpoint: str, how: RecordSpoil) -> None:
        """The middle record of every page of this listing endpoint comes broken `how`."""
        if endpoint not in LISTINGS:
            raise ValueError(f"{endpoint!r} is not a listing endpoint: one of {', '.join(LISTINGS)}")
        self.spoiled_records[endpoint] = how

    def burst_5xx(self, count: int, status: int = 503) -> None:
        self.server_errors, self.server_error_status = count, status

    def take_server_error(self) -> int | None:
        if self.server_errors > 0:
            self.server_errors -= 1
            return self.server_error_status
        return None

    def take_unauthorized(self) -> bool:
        if self.unauthorized > 0:
            self.unauthorized -= 1
            return True
        return False

    def take_breakage(self) -> Breakage | None:
        if self.silent > 0:
            self.silent -= 1
            return "silent"
        if self.drop_connections > 0:
            self.drop_connections -= 1
            return "drop"
        if self.truncate_bodies > 0:
            self.truncate_bodies -= 1
            return "truncate"
        return None

    def lose_answers(self, endpoint: str, count: int = 1) -> None:
        """The next `count` successful answers of `endpoint` are lost after the request took effect."""
        self.lost_answers[endpoint] = count

    def take_lost_answer(self, endpoint: str) -> bool:
        left = self.lost_answers.get(endpoint, 0)
        if left > 0:
            self.lost_answers[endpoint] = left - 1
            return True
        return False

    def take_empty_answer(self) -> bool:
        if self.empty_answers > 0:
            self.empty_answers -= 1
            return True
        return False

    def take_refused_client(self) -> bool:
        if self.refused_client > 0:
            self.refused_client -= 1
            return True
        return False

    def take_echo_token(self) -> bool:
        if self.echo_token > 0:
            self.echo_token -= 1
            return True
        return False

    def over_budget(self, now: float) -> bool:
        """Sliding-window request budget; a refused request does not use the budget."""
        if self.rate_limit is None:
            return False
        while self._recent and now - self._recent[0] >= self.rate_window:
            self._recent.popleft()
        if len(self._recent) >= self.rate_limit:
            return True
        self._recent.append(now)
        return False


@dataclass(frozen=True)
class DisguisedFile:
    """What a buyer's attachment really is: a name (bidi controls and all), the bytes, the declared Content-Type
    (None: the answer has no Content-Type header at all)."""

    file_name: str
    content: bytes
    content_type: str | None
