"""Keeping a bench's leadership of its account in team mode: the election polled every two seconds on the team
link's thread (app/team_link.py), so the lease is renewed whatever sync is doing, and a question the sync layer asks
before it talks to Allegro: does this bench lead the account now?

A bench that does not lead reads the shared store and queues replies; the leader polls Allegro and sends them.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable

from typing import TYPE_CHECKING

from magazyn_desktop.app.bench_person import person_and_bench
from magazyn_desktop.app.settings import Settings

if TYPE_CHECKING:
    from magazyn_desktop.app.team_link import TeamLink
    from magazyn_desktop.store.change_listener import RawConnection
    from magazyn_desktop.store.leader_election import LeaderElection
    from magazyn_desktop.store.leadership import Fence

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0  # the election's takeover times assume a poll this often (store/leader_election.py)


def holder_name(settings: Settings) -> str:
    """Who works at this bench, as other benches see it: "person @ bench"."""
    person, bench = person_and_bench(settings)
    return f"{person} @ {bench}"[:200]


def new_holder_id() -> str:
    """This process's own id in the leases: a restart is a new holder."""
    return uuid.uuid4().hex


class LeadershipKeeper:
    """Keeps `election` polled for one account on the team link's dedicated connection, every two seconds on the
    link's thread (so the lease is renewed whatever sync is doing); `leads()` answers from the last poll."""

    def __init__(self, election: LeaderElection, account_id: int, link: TeamLink, *,
                 interval: float = POLL_SECONDS, on_change: Callable[[bool], None] | None = None) -> None:
        self._election = election
        self._account_id = account_id
        self._link = link
        self._interval = interval
        self._on_change = on_change
        self._leading = False
        self._polled = threading.Event()

    def start(self) -> None:
        """Poll from now on (the first poll at once, on the link's thread)."""
        self._link.subscribe(on_connection=self._connection_changed)
        self._link.every(self._interval, self._poll_with)

    def wait_for_first_poll(self, timeout: float) -> bool:
        """Whether a poll ran within `timeout` seconds (a headless sync asks before its round)."""
        return self._polled.wait(timeout)

    def leads(self) -> bool:
        return self._leading and self._account_id in self._election.fences

    def fence(self) -> Fence | None:
        """The lease this bench leads the account under, from the last poll (None: it does not lead)."""
        return self._election.fences.get(self._account_id) if self._leading else None

    def stop(self) -> None:
        """Stop polling and give the lease up, so another bench takes over at once rather than when it expires."""
        self._link.stop_every(self._poll_with)
        self._link.unsubscribe(on_connection=self._connection_changed)
        if not self._link.call_soon(lambda _connection: self._election.close(), timeout=5.0):
            log.warning("the lease could not be given up (no connection); it expires by itself")
        self._set_leading(False)

    def _poll_with(self, connection: RawConnection) -> None:
        try:
            leading = self._account_id in self._election.poll_with(connection, [self._account_id])
        except Exception:  # the store refused: no leadership until it answers again
            log.warning("the leadership poll failed; this bench does not lead until the store answers",
                        exc_info=True)
            leading = False
        self._set_leading(leading)
        self._polled.set()

    def _connection_changed(self, connected: bool) -> None:
        if not connected:  # the session went with the connection, and its locks with it
            self._election.forget()
            self._set_leading(False)

    def _set_leading(self, leading: bool) -> None:
        if leading == self._leading:
            return
        log.info("this bench %s account %d", "now leads" if leading else "no longer leads", self._account_id)
        self._leading = leading
        if self._on_change is not None:
            self._on_change(leading)
