"""Keeping this bench on the team's presence board: a heartbeat on a thread of its own (off the window's thread)
writes what the bench shows (the conversation open, typing or not) and reads who else is where. A change the window
asks for is written at once, not at the next beat; at exit the bench's row goes, so the others stop showing it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from magazyn_desktop.app.settings import Settings
from magazyn_desktop.app.bench_person import person_and_bench
from magazyn_desktop.app.team_leadership import new_holder_id
from magazyn_desktop.store.presence import BenchPresence, PresenceBoard, PresenceState
from magazyn_desktop.store.repository import Store

log = logging.getLogger(__name__)

BEAT_SECONDS = 5.0
STALE_AFTER = timedelta(seconds=20)  # four beats missed: the bench is gone (or asleep)


class PresenceKeeper:
    """Beats until stopped; `on_seen` hears the other benches' fresh rows after each beat, on the keeper's thread."""

    def __init__(self, board: PresenceBoard, on_seen: Callable[[list[BenchPresence]], None], *,
                 interval: float = BEAT_SECONDS) -> None:
        self._board = board
        self._on_seen = on_seen
        self._interval = interval
        self._state = PresenceState()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def show(self, state: PresenceState) -> None:
        """What this bench shows from now on: written at once when it differs from what it showed."""
        with self._lock:
            changed, self._state = state != self._state, state
        if changed:
            self._wake.set()

    def refresh(self) -> None:
        """Read the board now (another bench announced a change)."""
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="magazyn-presence", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.beat_now()
            self._wake.wait(self._interval)
            self._wake.clear()

    def beat_now(self) -> None:
        """One beat on the caller's thread."""
        with self._lock:
            state = self._state
        try:
            others = self._board.beat(state)
        except Exception:  # the store away: the others' rows go stale here as everywhere; the next beat retries
            log.warning("the presence heartbeat failed", exc_info=True)
            return
        if not self._stopping.is_set():
            self._on_seen(others)

    def stop(self) -> None:
        """Stop beating and take this bench's row off the board."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            self._board.leave()
        except Exception:  # the row goes stale by itself
            log.warning("removing this bench's presence failed", exc_info=True)


def presence_keeper(store: Store, account_id: int, settings: Settings,
                    on_seen: Callable[[list[BenchPresence]], None], *, interval: float = BEAT_SECONDS,
                    stale_after: timedelta = STALE_AFTER,
                    seen_seq: Callable[[], int | None] = lambda: None) -> PresenceKeeper:
    """A keeper for this process (a holder of its own) on the team's store, not started yet; `seen_seq` says how
    far the bench's listener has read the change log (each beat writes it, for doctor)."""
    person, bench = person_and_bench(settings)
    board = PresenceBoard(store.engine, holder=new_holder_id(), account_id=account_id, person=person, bench=bench,
                          stale_after=stale_after, seen_seq=seen_seq)
    return PresenceKeeper(board, on_seen, interval=interval)
