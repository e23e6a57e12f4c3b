"""Who else works on the account now (team mode): each running bench's row in `presence` says which conversation it
has open and whether its person is typing a reply, renewed by a heartbeat and timed by the database's clock.

A change others must see at once (another conversation opened, typing started or stopped, the bench gone) is also a
row of the change log (topic "presence"), so the other benches read the board again without waiting for their next
beat. A heartbeat that changes nothing only renews `seen_at`: the log is not flooded. A row not renewed for
`stale_after` is shown to nobody; rows long dead (a bench killed) are removed by the next bench that starts.

A single bench on its SQLite cache has nobody to show: every call does nothing there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

from magazyn_desktop.store.change_log import record_changes
from magazyn_desktop.store.leadership import DATABASE_UTC_NOW
from magazyn_desktop.store.models import UtcDateTime

PRESENCE_TOPIC = "presence"
NAME_LENGTH = 120  # presence.person and presence.bench
FORGOTTEN_AFTER = timedelta(hours=1)  # a row this old belongs to a bench that died without leaving


@dataclass(frozen=True)
class PresenceState:
    """What this bench shows the others: the conversation open (None: none) and whether a reply is being typed."""

    conversation_id: str | None = None
    typing: bool = False


@dataclass(frozen=True)
class BenchPresence:
    """Another bench's fresh row."""

    holder: str
    person: str
    bench: str
    conversation_id: str | None
    typing: bool
    seen_at: datetime


_OWN_ROW = text("SELECT account_id, conversation_id, typing FROM presence WHERE holder = :holder FOR UPDATE")
_INSERT = text(
    "INSERT INTO presence (holder, account_id, person, bench, conversation_id, typing, seen_at, seen_seq)"
    f" VALUES (:holder, :account_id, :person, :bench, :conversation_id, :typing, {DATABASE_UTC_NOW}, :seen_seq)")
_UPDATE = text(
    "UPDATE presence SET account_id = :account_id, person = :person, bench = :bench,"
    f" conversation_id = :conversation_id, typing = :typing, seen_at = {DATABASE_UTC_NOW}, seen_seq = :seen_seq"
    " WHERE holder = :holder")
_RENEW = text(f"UPDATE presence SET seen_at = {DATABASE_UTC_NOW}, seen_seq = :seen_seq WHERE holder = :holder")
_DELETE = text("DELETE FROM presence WHERE holder = :holder RETURNING account_id, conversation_id")
_FORGET = text(f"DELETE FROM presence WHERE seen_at < {DATABASE_UTC_NOW} - make_interval(secs => :seconds)")
_FRESH = text(
    "SELECT holder, person, bench, conversation_id, typing, seen_at FROM presence"
    " WHERE account_id = :account_id AND holder <> :holder"
    f" AND seen_at > {DATABASE_UTC_NOW} - make_interval(secs => :seconds)"
    " ORDER BY person, bench, holder").columns(seen_at=UtcDateTime())


def _on_postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def announce(connection: Connection, *, holder: str, account_id: int, person: str, bench: str,
             state: PresenceState, renew_only: bool = False, seen_seq: int | None = None) -> bool:
    """This bench's row written in the caller's transaction, `seen_at` by the database's clock, `seen_seq` how far
    its listener has read the change log. Returns whether others saw a change (then logged for the conversations it
    concerns). `renew_only`: the caller knows the row shows `state` already; a missing row (removed meanwhile) is
    written whole all the same."""
    if not _on_postgresql(connection):
        return False
    if renew_only and connection.execute(_RENEW, {"holder": holder, "seen_seq": seen_seq}).rowcount:
        return False
    values = {"holder": holder, "account_id": account_id, "person": person[:NAME_LENGTH],
              "bench": bench[:NAME_LENGTH], "conversation_id": state.conversation_id, "typing": state.typing,
              "seen_seq": seen_seq}
    before = connection.execute(_OWN_ROW, {"holder": holder}).first()
    if before is None:
        connection.execute(_INSERT, values)
        changed = state != PresenceState()
        if changed:
            record_changes(connection, account_id, PRESENCE_TOPIC, [state.conversation_id])
        return changed
    connection.execute(_UPDATE, values)
    if (before.account_id, before.conversation_id, bool(before.typing)) == (
            account_id, state.conversation_id, state.typing):
        return False
    if before.account_id != account_id:
        record_changes(connection, before.account_id, PRESENCE_TOPIC, [before.conversation_id])
        record_changes(connection, account_id, PRESENCE_TOPIC, [state.conversation_id])
    else:
        record_changes(connection, account_id, PRESENCE_TOPIC, [before.conversation_id, state.conversation_id])
    return True


def leave(connection: Connection, holder: str) -> None:
    """This bench's row removed (at exit), and the others told."""
    if not _on_postgresql(connection):
        return
    row = connection.execute(_DELETE, {"holder": holder}).first()
    if row is not None:
        record_changes(connection, row.account_id, PRESENCE_TOPIC, [row.conversation_id])


def forget_dead(connection: Connection, older_than: timedelta = FORGOTTEN_AFTER) -> int:
    """Rows of benches that died without leaving, long past showing; how many went."""
    if not _on_postgresql(connection):
        return 0
    return int(connection.execute(_FORGET, {"seconds": older_than.total_seconds()}).rowcount or 0)


def fresh_presence(connection: Connection, account_id: int, *, excluding_holder: str,
                   stale_after: timedelta) -> list[BenchPresence]:
    """The other benches' rows of the account renewed within `stale_after` by the database's clock."""
    if not _on_postgresql(connection):
        return []
    return [BenchPresence(holder=row.holder, person=row.person, bench=row.bench,
                          conversation_id=row.conversation_id, typing=bool(row.typing), seen_at=row.seen_at)
            for row in connection.execute(_FRESH, {"account_id": account_id, "holder": excluding_holder,
                                                   "seconds": stale_after.total_seconds()})]


class PresenceBoard:
    """One bench's side of the board over the store's engine: each `beat` writes its row (a change logged, else
    only renewed) and reads the others' fresh rows, in one short transaction."""

    def __init__(self, engine: Engine, *, holder: str, account_id: int, person: str, bench: str,
                 stale_after: timedelta, seen_seq: Callable[[], int | None] = lambda: None) -> None:
        self._engine = engine
        self._seen_seq = seen_seq  # how far this bench's listener has read the change log
        self._holder = holder
        self._account_id = account_id
        self._person = person
        self._bench = bench
        self._stale_after = stale_after
        self._written: PresenceState | None = None  # what the row showed after the last beat that committed

    @property
    def holder(self) -> str:
        return self._holder

    def beat(self, state: PresenceState) -> list[BenchPresence]:
        with self._engine.begin() as connection:
            if self._written is None:
                forget_dead(connection)
            announce(connection, holder=self._holder, account_id=self._account_id, person=self._person,
                     bench=self._bench, state=state, renew_only=state == self._written, seen_seq=self._seen_seq())
            others = fresh_presence(connection, self._account_id, excluding_holder=self._holder,
                                    stale_after=self._stale_after)
        self._written = state
        return others

    def read(self) -> list[BenchPresence]:
        """The others' fresh rows, without writing this bench's."""
        with self._engine.connect() as connection:
            return fresh_presence(connection, self._account_id, excluding_holder=self._holder,
                                  stale_after=self._stale_after)

    def leave(self) -> None:
        with self._engine.begin() as connection:
            leave(connection, self._holder)
        self._written = None
