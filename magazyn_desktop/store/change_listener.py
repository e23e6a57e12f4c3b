"""The one connection a team bench listens on for every account: LISTEN, catch up from the log, then wait for
notifications, with a slow poll of the log as a safety net. A notification is not replayed after a disconnect, so
each new connection LISTENs first and then catches up.

Other periodic work that needs a session of its own (the leader election's advisory locks) can run on the same
connection and thread between the waits (`every`), so that a bench keeps one such connection, not one per job."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

import psycopg
from psycopg.rows import TupleRow
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from magazyn_desktop.store.change_log import CHANGES_CHANNEL, Change, ChangeCursor, read_notice

log = logging.getLogger(__name__)

APPLICATION_NAME = "magazyn-changes"

RawConnection = psycopg.Connection[TupleRow]
# Work run between the waits, on the listener's thread, with its (autocommit) connection.
PeriodicWork = Callable[[RawConnection], None]


@dataclass
class _Periodic:
    interval: float
    action: PeriodicWork
    due: float = 0.0  # time.monotonic() when it runs next


class ChangeListener:
    """Delivers the store's changes to `on_changes` from a thread of its own (`start`, then `stop` once).

    `url` is the server's postgresql:// address. `on_changes` gets lists of changes, each in seq order and
    delivered once, of the `accounts` asked for (None: all); `on_connection` is told when the connection comes and
    goes (also readable as `connected`). Both are called on the listener's thread and must not block it for long.
    `cursor` is where to start: made with ChangeCursor.from_store before the bench reads the store's state, so that
    nothing committed after that read is missed; None starts at the store's state when the listener connects.
    `connect`, when given, opens the connection instead of `url` (an autocommit psycopg connection: the leader
    election's, whose server settings the work run by `every` needs).
    """

    def __init__(self, url: str, on_changes: Callable[[list[Change]], None], *,
                 cursor: ChangeCursor | None = None, accounts: Collection[int] | None = None,
                 on_connection: Callable[[bool], None] | None = None, poll_interval: float = 30.0,
                 wake_interval: float = 0.2, reconnect_delays: tuple[float, float] = (0.5, 30.0),
                 connect_timeout: int = 10, connect: Callable[[], RawConnection] | None = None) -> None:
        self._engine = _engine(url, connect_timeout) if connect is None else _engine_over(connect)
        self._periodic: list[_Periodic] = []
        self._periodic_lock = threading.Lock()
        self._on_changes = on_changes
        self._cursor = cursor
        self._accounts = None if accounts is None else frozenset(accounts)
        self._on_connection = on_connection
        self._poll_interval = poll_interval
        self._wake_interval = wake_interval
        self._reconnect_delays = reconnect_delays
        self._stopping = threading.Event()
        self._connected = False
        self._thread: threading.Thread | None = None

    @property
    def connected(self) -> bool:
        return self._connected

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def cursor(self) -> ChangeCursor | None:
        """How far it has read (None until it first connects, when started without a cursor)."""
        return self._cursor

    def every(self, interval: float, action: PeriodicWork) -> None:
        """Run `action` with the listener's connection every `interval` seconds while connected, first at once (or
        as soon as it connects). A psycopg error that leaves the connection broken replaces the connection; any
        other error is logged and the action runs again next time."""
        with self._periodic_lock:
            self._periodic.append(_Periodic(interval, action))

    def stop_every(self, action: PeriodicWork) -> None:
        with self._periodic_lock:
            self._periodic = [work for work in self._periodic if work.action is not action]

    def call_soon(self, action: PeriodicWork) -> threading.Event:
        """Run `action` once with the connection at the listener's next wake (within `wake_interval` while
        connected; never without a connection); the event is set when it ran."""
        ran = threading.Event()

        def once(connection: RawConnection) -> None:
            self.stop_every(once)
            try:
                action(connection)
            finally:
                ran.set()

        self.every(3600.0, once)
        return ran

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="change-listener")
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ends the listening within about `wake_interval` (a connection attempt under way may take up to
        `connect_timeout`) and waits up to `timeout` for the thread."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """Listens until stop(); a lost connection is replaced, waiting longer after each failed attempt."""
        first_delay, longest_delay = self._reconnect_delays
        delay = first_delay
        try:
            while not self._stopping.is_set():
                try:
                    with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                        # LISTEN before the catch-up: what commits in between is announced, not lost.
                        connection.exec_driver_sql(f"LISTEN {CHANGES_CHANNEL}")
                        self._set_connected(True)
                        delay = first_delay
                        self._listen(connection)
                except (DBAPIError, psycopg.Error, OSError) as exc:
                    log.warning("the change listener has no connection to the database (next try in %.1f s): %s",
                                delay, exc)
                    self._set_connected(False)
                    self._stopping.wait(delay)
                    delay = min(delay * 2, longest_delay)
        finally:
            self._set_connected(False)
            self._engine.dispose()

    def _listen(self, connection: Connection) -> None:
        if self._cursor is None:
            self._cursor = ChangeCursor.from_store(connection)
        cursor = self._cursor
        self._catch_up(connection, cursor)
        next_poll = time.monotonic() + self._poll_interval
        raw = connection.connection.driver_connection
        assert isinstance(raw, psycopg.Connection)
        for work in self._periodic_snapshot():
            work.due = 0.0  # a new connection: each action runs on it at once
        while not self._stopping.is_set():
            self._run_periodic(raw)
            # Short waits, so that stop() from another thread is seen promptly.
            wait = max(0.0, min(self._wake_interval, next_poll - time.monotonic(), self._next_periodic_due()))
            notifies = list(raw.notifies(timeout=wait, stop_after=1))
            if notifies:
                notifies += raw.notifies(timeout=0)
            notices = [read_notice(notify.payload) for notify in notifies]
            for notice in notices:
                self._deliver(cursor.accept(notice.changes))
            if any(notice.catch_up for notice in notices) or time.monotonic() >= next_poll:
                self._catch_up(connection, cursor)
                next_poll = time.monotonic() + self._poll_interval

    def _periodic_snapshot(self) -> list[_Periodic]:
        with self._periodic_lock:
            return list(self._periodic)

    def _next_periodic_due(self) -> float:
        """Seconds until the next periodic action is due (an hour when none is registered)."""
        now = time.monotonic()
        return min((work.due - now for work in self._periodic_snapshot()), default=3600.0)

    def _run_periodic(self, raw: RawConnection) -> None:
        for work in self._periodic_snapshot():
            if time.monotonic() < work.due:
                continue
            try:
                work.action(raw)
            except psycopg.Error:
                if raw.closed or raw.broken:
                    raise  # the connection is gone: listen again on a new one
                log.exception("periodic work on the listener's connection failed")
            except Exception:  # its bug must not end the listening
                log.exception("periodic work on the listener's connection failed")
            if raw.closed:  # the action closed it (the election does when a poll fails): listen again
                raise psycopg.OperationalError("the connection was closed by periodic work")
            work.due = time.monotonic() + work.interval

    def _catch_up(self, connection: Connection, cursor: ChangeCursor) -> None:
        for batch in cursor.catch_up(connection):
            self._deliver(batch)

    def _deliver(self, changes: list[Change]) -> None:
        if self._accounts is not None:
            changes = [c for c in changes if c.account_id in self._accounts]
        if not changes:
            return
        try:
            self._on_changes(changes)
        except Exception:  # the receiver's bug must not end the listening of every later change
            log.exception("the receiver of %d changes failed", len(changes))

    def _set_connected(self, connected: bool) -> None:
        if connected == self._connected:
            return
        self._connected = connected
        if self._on_connection is not None:
            self._on_connection(connected)


def _engine_over(connect: Callable[[], RawConnection]) -> Engine:
    return create_engine("postgresql+psycopg://", creator=connect, poolclass=NullPool)


def _engine(url: str, connect_timeout: int) -> Engine:
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    # Keepalives: a connection whose network went away (no reset from the server) is noticed within a minute.
    return create_engine(url, poolclass=NullPool, connect_args={
        "application_name": APPLICATION_NAME, "connect_timeout": connect_timeout,
        "keepalives": 1, "keepalives_idle": 20, "keepalives_interval": 5, "keepalives_count": 4,
        "tcp_user_timeout": 60_000})
