"""Keeping a bench's leadership of its account in team mode: the election polled every two seconds on a thread of
its own, so the lease is renewed whatever sync is doing, and a question the sync layer asks before it talks to
Allegro: does this bench lead the account now?

A bench that does not lead reads the shared store and queues replies; the leader polls Allegro and sends them.
"""

from __future__ import annotations

import getpass
import logging
import socket
import threading
import uuid
from collections.abc import Callable

from magazyn_desktop.app.settings import Settings
from magazyn_desktop.store.leadership import AccountLeadership, Fence

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0  # the election's takeover times assume a poll this often (store/leader_election.py)


def holder_name(settings: Settings) -> str:
    """Who works at this bench, as other benches see it: "person @ bench"."""
    bench = settings.bench_name.strip() or socket.gethostname()
    return f"{person_name(settings)} @ {bench}"[:200]


def person_name(settings: Settings) -> str:
    """The person at this bench: the settings' name, else the system user."""
    return settings.person_name.strip() or _system_user()


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a container)
        return "?"


def new_holder_id() -> str:
    """This process's own id in the leases: a restart is a new holder."""
    return uuid.uuid4().hex


class LeadershipKeeper:
    """Polls `election` for one account until stopped; `leads()` answers from the last poll."""

    def __init__(self, election: AccountLeadership, account_id: int, *, interval: float = POLL_SECONDS,
                 on_change: Callable[[bool], None] | None = None) -> None:
        self._election = election
        self._account_id = account_id
        self._interval = interval
        self._on_change = on_change
        self._stopping = threading.Event()
        self._leading = False
        self._thread: threading.Thread | None = None

    def poll_now(self) -> bool:
        """One poll on the caller's thread (before the keeper's thread starts: a headless sync asks at once)."""
        try:
            leading = self._account_id in self._election.poll([self._account_id])
        except Exception:  # the store away: no leadership until it answers again
            log.warning("the leadership poll failed; this bench does not lead until the store answers",
                        exc_info=True)
            leading = False
        if leading != self._leading:
            log.info("this bench %s account %d", "now leads" if leading else "no longer leads", self._account_id)
            self._leading = leading
            if self._on_change is not None:
                self._on_change(leading)
        return leading

    def leads(self) -> bool:
        return self._leading and self._account_id in self._election.fences

    def fence(self) -> Fence | None:
        """The lease this bench leads the account under, from the last poll (None: it does not lead)."""
        return self._election.fences.get(self._account_id) if self._leading else None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="magazyn-leadership", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            self.poll_now()

    def stop(self) -> None:
        """Stop polling and give the lease up, so another bench takes over at once rather than when it expires."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._election.close()
