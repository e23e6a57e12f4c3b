"""The change log of team mode: writers number each change in their own transaction and announce it with a NOTIFY
sent on commit; benches read what they missed after the last number they saw.

On SQLite (a single bench, nobody to tell) recording is a no-op, so the table stays empty as revision 0017 says;
reading and pruning work on either engine.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from magazyn_desktop.store.models import ChangeLogEntry, utc_now

CHANGES_CHANNEL = "magazyn_changes"
# PostgreSQL refuses payloads of 8000 bytes or more; well under that, a notification names its rows.
PAYLOAD_LIMIT = 4000
TOPIC_LENGTH = 32
DEFAULT_BATCH = 500
GAPS_PER_QUERY = 100

Database = Session | Connection


@dataclass(frozen=True)
class Change:
    """One row of the log: change number `seq` of `topic` ("conversation", "outbox", ...) in an account."""

    seq: int
    account_id: int
    topic: str
    conversation_id: str | None


@dataclass(frozen=True)
class Notice:
    """What a notification said: the account's new rows, or (`catch_up`) only that the log must be read."""

    account_id: int | None
    changes: tuple[Change, ...]
    catch_up: bool


def _dialect_name(db: Database) -> str:
    bind = db.get_bind() if isinstance(db, Session) else db
    return bind.dialect.name


def record_changes(db: Database, account_id: int, topic: str,
                   conversation_ids: Iterable[str | None] = (None,)) -> list[Change]:
    """Logs one change of `topic` per distinct conversation id (None: the account as a whole) inside the caller's
    transaction, and on PostgreSQL queues the NOTIFY that goes out when it commits. Returns the rows, in seq order;
    nothing on SQLite."""
    if len(topic) > TOPIC_LENGTH:
        raise ValueError(f"topic longer than {TOPIC_LENGTH} characters: {topic!r}")
    ids = list(dict.fromkeys(conversation_ids))
    if not ids or _dialect_name(db) != "postgresql":
        return []
    at = utc_now()
    rows = db.execute(insert(ChangeLogEntry).returning(ChangeLogEntry.seq, ChangeLogEntry.conversation_id), [
        {"account_id": account_id, "topic": topic, "conversation_id": cid, "changed_at": at} for cid in ids])
    changes = sorted((Change(seq, account_id, topic, cid) for seq, cid in rows), key=lambda c: c.seq)
    db.execute(select(func.pg_notify(CHANGES_CHANNEL, notice_payload(account_id, changes))))
    return changes


def notice_payload(account_id: int, changes: Sequence[Change]) -> str:
    """Compact JSON naming the account's new rows: {"a": account, "c": [[seq, topic, conversation id], ...]}, or
    {"a": account, "catch_up": true} when that would exceed PAYLOAD_LIMIT bytes."""
    named = _compact({"a": account_id, "c": [[c.seq, c.topic, c.conversation_id] for c in changes]})
    if len(named.encode()) <= PAYLOAD_LIMIT:
        return named
    return _compact({"a": account_id, "catch_up": True})


def _compact(data: object) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def read_notice(payload: str) -> Notice:
    """The notification's content; one it cannot read asks for a catch-up, which never misses anything."""
    try:
        data = json.loads(payload)
        account_id = data["a"]
        if not isinstance(account_id, int) or isinstance(account_id, bool):
            raise ValueError(account_id)
        if data.get("catch_up") is True:
            return Notice(account_id, (), True)
        changes = tuple(_change_from_payload(account_id, item) for item in data["c"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return Notice(None, (), True)
    return Notice(account_id, changes, False)


def _change_from_payload(account_id: int, item: Any) -> Change:
    seq, topic, conversation_id = item
    if not isinstance(seq, int) or not isinstance(topic, str) or not isinstance(conversation_id, str | None):
        raise ValueError(item)
    return Change(seq, account_id, topic, conversation_id)


def _selected() -> Any:
    return select(ChangeLogEntry.seq, ChangeLogEntry.account_id, ChangeLogEntry.topic,
                  ChangeLogEntry.conversation_id)


def changes_after(db: Database, after_seq: int, *, accounts: Collection[int] | None = None,
                  limit: int = DEFAULT_BATCH) -> list[Change]:
    """At most `limit` rows numbered above `after_seq`, in seq order, of the given accounts (None: all)."""
    query = _selected().where(ChangeLogEntry.seq > after_seq)
    if accounts is not None:
        query = query.where(ChangeLogEntry.account_id.in_(list(accounts)))
    return [Change(*row) for row in db.execute(query.order_by(ChangeLogEntry.seq).limit(limit))]


def highest_seq(db: Database) -> int:
    """The highest number committed so far; 0 for an empty log."""
    return int(db.execute(select(func.coalesce(func.max(ChangeLogEntry.seq), 0))).scalar_one())


def prune_changes(db: Database, *, older_than: timedelta, now: datetime | None = None) -> int:
    """Deletes the rows older than `older_than`, except the newest row (SQLite would hand its number out again);
    returns how many went."""
    cutoff = (now or utc_now()) - older_than
    newest = select(func.max(ChangeLogEntry.seq)).scalar_subquery()
    result = db.execute(delete(ChangeLogEntry).where(ChangeLogEntry.changed_at < cutoff,
                                                     ChangeLogEntry.seq < newest))
    return int(getattr(result, "rowcount", 0))


def _changes_in(db: Database, gaps: Sequence[tuple[int, int]], after_seq: int, limit: int) -> list[Change]:
    """At most `limit` rows numbered above `after_seq` inside the inclusive ranges `gaps`, in seq order."""
    query = _selected().where(or_(*(ChangeLogEntry.seq.between(low, high) for low, high in gaps)),
                              ChangeLogEntry.seq > after_seq)
    return [Change(*row) for row in db.execute(query.order_by(ChangeLogEntry.seq).limit(limit))]


@dataclass
class _Gap:
    """Numbers low..high handed out but not seen committed when the cursor passed them (noticed at `noticed`)."""

    low: int
    high: int
    noticed: float


class ChangeCursor:
    """Where a reader of the log stands, so that it sees every committed change exactly once.

    Numbers are handed out at insert but become visible at commit, in any order: having seen 7, a reader may later
    find 6. The cursor remembers such gaps below the highest number seen and reads them again at each catch-up for
    `patience` seconds; a gap still open then was a rolled-back transaction (or numbers a crash skipped), and is
    no longer read. It is still remembered (the newest MAX_GAPS), so a notification of it is taken rather than
    thrown away as a repeat. Serialising the writers per account would avoid the gaps but make every bench's
    write wait for the leader's, and the numbers are shared by all accounts anyway.
    """

    MAX_GAPS = 1000

    def __init__(self, last_seq: int = 0, *, patience: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._last_seq = last_seq
        self._patience = patience
        self._clock = clock
        self._gaps: list[_Gap] = []  # in seq order, disjoint

    @classmethod
    def from_store(cls, db: Database, *, window: int = 1000, patience: float = 600.0,
                   clock: Callable[[], float] = time.monotonic) -> ChangeCursor:
        """A cursor at the store's highest number, for a reader that has just read the store's state: numbers of
        the last `window` missing below it may belong to transactions still running, so they are gaps."""
        cursor = cls(highest_seq(db), patience=patience, clock=clock)
        low = max(1, cursor._last_seq - window + 1)
        present = set(db.execute(select(ChangeLogEntry.seq).where(ChangeLogEntry.seq >= low)).scalars())
        now = clock()
        for seq in range(low, cursor._last_seq):
            if seq not in present:
                cursor._add_gap(seq, seq, now)
        return cursor

    @property
    def last_seq(self) -> int:
        """The highest number seen."""
        return self._last_seq

    @property
    def open_gaps(self) -> list[tuple[int, int]]:
        """The inclusive ranges below last_seq still read again at a catch-up."""
        return [(gap.low, gap.high) for gap in self._reread()]

    def _reread(self) -> list[_Gap]:
        now = self._clock()
        return [gap for gap in self._gaps if now - gap.noticed <= self._patience]

    def _add_gap(self, low: int, high: int, noticed: float) -> None:
        last = self._gaps[-1] if self._gaps else None
        if last is not None and last.high == low - 1 and last.noticed == noticed:
            last.high = high
        else:
            self._gaps.append(_Gap(low, high, noticed))
        del self._gaps[:-self.MAX_GAPS]

    def _fill(self, seq: int) -> bool:
        """Takes `seq` out of its gap; False when it is in none (delivered before)."""
        for index, gap in enumerate(self._gaps):
            if gap.low <= seq <= gap.high:
                pieces = [_Gap(low, high, gap.noticed)
                          for low, high in ((gap.low, seq - 1), (seq + 1, gap.high)) if low <= high]
                self._gaps[index:index + 1] = pieces
                return True
        return False

    def accept(self, changes: Iterable[Change]) -> list[Change]:
        """The changes not delivered before, in seq order; the cursor moves past them, noting what it skipped."""
        new: list[Change] = []
        now = self._clock()
        for change in sorted(changes, key=lambda c: c.seq):
            if change.seq > self._last_seq:
                if change.seq > self._last_seq + 1:
                    self._add_gap(self._last_seq + 1, change.seq - 1, now)
                self._last_seq = change.seq
                new.append(change)
            elif self._fill(change.seq):
                new.append(change)
        return new

    def catch_up(self, db: Database, *, batch: int = DEFAULT_BATCH) -> Iterator[list[Change]]:
        """The changes committed since, in batches of at most `batch`: first those that filled a gap, then those
        above the highest number seen."""
        gaps = [(gap.low, gap.high) for gap in self._reread()]
        for start in range(0, len(gaps), GAPS_PER_QUERY):
            after_seq = 0
            while rows := _changes_in(db, gaps[start:start + GAPS_PER_QUERY], after_seq, batch):
                if new := self.accept(rows):
                    yield new
                if len(rows) < batch:
                    break
                after_seq = rows[-1].seq
        while rows := changes_after(db, self._last_seq, limit=batch):
            if new := self.accept(rows):
                yield new
            if len(rows) < batch:
                return
