"""What a team bench keeps open to its team's store: two connections, however much it does.

- the store's pool, for the writer and every read (the window's list, counts, a conversation's messages): one
  connection kept, more opened only while reads overlap a write and closed again after;
- one dedicated connection, the change listener's: it LISTENs for other benches' changes and, between the waits,
  runs the leader election, whose advisory locks need a session of their own (store/leader_election.py).
Both are opened on first use and closed by `close`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from magazyn_desktop.store.store_address import StoreAddress

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from magazyn_desktop.store.change_listener import ChangeListener, PeriodicWork
    from magazyn_desktop.store.change_log import Change

log = logging.getLogger(__name__)

ChangesReceiver = Callable[[list["Change"]], None]
ConnectionReceiver = Callable[[bool], None]


class TeamLink:
    """One per process and team store (StoreLocation.team_link). Subscribers are called on the listener's thread."""

    def __init__(self, address: StoreAddress, password: str | None, *, holder: str, holder_name: str) -> None:
        self._address = address
        self._password = password
        self.holder = holder  # this process's id in the leases and presence
        self.holder_name = holder_name  # "person @ bench", as other benches see it
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._listener: ChangeListener | None = None
        self._started = False
        self._on_changes: list[ChangesReceiver] = []
        self._on_connection: list[ConnectionReceiver] = []

    @property
    def name_prefix(self) -> str:
        """What all this bench's connections are named with in the server's pg_stat_activity."""
        return f"magazyn-desktop {self.holder[:12]}"

    def application_name(self, role: str) -> str:
        """A connection's name: the bench's prefix, what it is for ("store", "changes"), and "person @ bench"."""
        return f"{self.name_prefix} {role} {self.holder_name}"[:63]

    def engine(self) -> Engine:
        """The store's pool (Store and readers)."""
        with self._lock:
            if self._engine is None:
                from magazyn_desktop.store.team_engine import create_team_engine

                self._engine = create_team_engine(self._address, self._password, pool_size=1, max_overflow=2,
                                                  application=self.application_name("store"))
            return self._engine

    def subscribe(self, on_changes: ChangesReceiver | None = None,
                  on_connection: ConnectionReceiver | None = None) -> None:
        with self._lock:
            if on_changes is not None:
                self._on_changes.append(on_changes)
            if on_connection is not None:
                self._on_connection.append(on_connection)

    def unsubscribe(self, on_changes: ChangesReceiver | None = None,
                    on_connection: ConnectionReceiver | None = None) -> None:
        with self._lock:
            if on_changes in self._on_changes:
                self._on_changes.remove(on_changes)
            if on_connection in self._on_connection:
                self._on_connection.remove(on_connection)

    def every(self, interval: float, action: PeriodicWork) -> None:
        """Run `action` on the dedicated connection every `interval` seconds (its listener's thread); starts it."""
        self._listener_now().every(interval, action)
        self.start()

    def stop_every(self, action: PeriodicWork) -> None:
        self._listener_now().stop_every(action)

    def call_soon(self, action: PeriodicWork, timeout: float) -> bool:
        """Run `action` once on the dedicated connection's thread; whether it ran within `timeout` seconds."""
        ran = self._listener_now().call_soon(action)
        self.start()
        return ran.wait(timeout)

    def seen_seq(self) -> int | None:
        """The highest change-log number the listener has delivered (None before it first connected)."""
        listener = self._listener
        cursor = listener.cursor if listener is not None else None
        return cursor.last_seq if cursor is not None else None

    @property
    def connected(self) -> bool:
        listener = self._listener
        return listener is not None and listener.connected

    def start(self) -> None:
        listener = self._listener_now()
        with self._lock:
            if self._started:
                return
            self._started = True
        listener.start()

    def close(self) -> None:
        """Stop listening and close both; safe to call twice and before anything was opened."""
        with self._lock:
            listener, self._listener = self._listener, None
            engine, self._engine = self._engine, None
            started, self._started = self._started, False
        if listener is not None and started:
            listener.stop()
        if engine is not None:
            engine.dispose()

    def _listener_now(self) -> ChangeListener:
        with self._lock:
            if self._listener is None:
                from magazyn_desktop.store.change_listener import ChangeListener
                from magazyn_desktop.store.leader_election import dedicated_connection

                url = self._address.libpq_url(self._password)
                self._listener = ChangeListener(
                    url, self._deliver, on_connection=self._connection_changed,
                    connect=partial(dedicated_connection, url, application_name=self.application_name("changes")))
            return self._listener

    def _deliver(self, changes: list[Change]) -> None:
        with self._lock:
            receivers = list(self._on_changes)
        for receiver in receivers:
            try:
                receiver(changes)
            except Exception:  # one receiver's bug must not keep the changes from the others
                log.exception("a receiver of the team's changes failed")

    def _connection_changed(self, connected: bool) -> None:
        with self._lock:
            receivers = list(self._on_connection)
        for receiver in receivers:
            try:
                receiver(connected)
            except Exception:
                log.exception("a receiver of the team connection's state failed")
