"""What the endpoint handlers work on: the data, the faults, the clock, the random source, the sent log and the
send bucket. Handlers see this and nothing of `DemoAllegro`, so they never reach back into the server."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .data import DemoData
from .faults import Faults
from .request import Reject, Request
from .responses import too_many_requests

SEND_INTERVAL_SECONDS = 1.0  # Allegro: at most one send a second per user


class DemoClock:
    """Demo wall time: the data set's `now` plus the time elapsed on the injected monotonic clock."""

    def __init__(self, start: datetime, monotonic: Callable[[], float]) -> None:
        self.monotonic = monotonic
        self._start = start
        self._started = monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self.monotonic() - self._started)

    def next_time(self, after: datetime) -> datetime:
        """A timestamp for a new entry: now, but never before the conversation's last entry."""
        return max(self.now(), after + timedelta(milliseconds=1))


class IdSource:
    """New ids, deterministic for a given seed so a data set replays the same way."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def new_uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


@dataclass(frozen=True)
class SentMessage:
    """What the seller sent through the API, as the server recorded it (for exactly-once checks)."""

    message_id: str
    conversation_id: str
    text: str
    created_at: datetime
    attachment_ids: tuple[str, ...]
    message_type: str = "REGULAR"  # an issue message's MessageRequest.type


class SentLog:
    """Every message the seller sent, per conversation, in the order they arrived."""

    def __init__(self) -> None:
        self._sent: dict[str, list[SentMessage]] = {}

    def record(self, message: SentMessage) -> None:
        self._sent.setdefault(message.conversation_id, []).append(message)

    def of(self, conversation_id: str) -> list[SentMessage]:
        return list(self._sent.get(conversation_id, []))


class SendBucket:
    """One send a second; one account per demo, so one bucket shared by messaging and issue sends."""

    def __init__(self, monotonic: Callable[[], float]) -> None:
        self._monotonic = monotonic
        self._last_send: float | None = None

    def take(self, req: Request) -> None:
        """Counts this send, or rejects it with Allegro's 429 when it comes too soon after the last one."""
        now = self._monotonic()
        if self._last_send is not None and now - self._last_send < SEND_INTERVAL_SECONDS:
            raise Reject(too_many_requests(req.media))
        self._last_send = now


@dataclass
class ServerState:
    """Everything a handler may read or change. The server holds it and calls handlers under its lock."""

    data: DemoData
    faults: Faults
    clock: DemoClock
    ids: IdSource
    sent: SentLog
    send_bucket: SendBucket
    # What a wrong-kind id answers; the defaults mirror the production outage (422) and the spec (404).
    issue_id_at_messaging_status: int = 422
    thread_id_at_issues_status: int = 404
