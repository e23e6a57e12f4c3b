"""Team mode in the window: what other benches write to the shared store reaches this window's rows within a second.

The team link's change listener (app/team_link.py) runs on a thread of its own; its batches cross to the GUI
thread as a queued signal, and the window updates just the conversations named (as after its own sync).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from magazyn_desktop.app.store_location import StoreLocation
from magazyn_desktop.store.change_log import Change
from magazyn_desktop.store.presence import PRESENCE_TOPIC
from magazyn_desktop.store.repository import OUTBOX_TOPIC

log = logging.getLogger(__name__)


STATUS_REFRESH_MS = 2000  # the leadership is polled this often (app/team_leadership.py)


class TeamChanges(QObject):
    """Listens while the window runs; `changed` carries the conversation ids of the account shown. `status` is a
    label for the status bar saying whether the team database answers and which bench talks to Allegro."""

    changed = Signal(list)
    presence_changed = Signal()
    connection_changed = Signal(bool)
    replies_queued = Signal()  # another bench queued a reply (or moved one): the leader sends without waiting

    def __init__(self, location: StoreLocation, account_id: Callable[[], int],
                 on_changed: Callable[[Collection[str]], None], leads: Callable[[], bool | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._leads = leads  # None: no Allegro sign-in on this bench, it only reads
        self.status = QLabel()
        self._timer = QTimer(self)
        self._timer.setInterval(STATUS_REFRESH_MS)
        self._timer.timeout.connect(self._show_status)
        self.connection_changed.connect(lambda _connected: self._show_status())
        self._account_id = account_id
        self.changed.connect(on_changed)
        self._link = location.team_link()

    def listening(self) -> bool:
        """Whether the listener is connected now (a "database away" state otherwise)."""
        return self._link.connected

    def start(self) -> None:
        self._link.subscribe(self._deliver, self.connection_changed.emit)
        self._link.start()
        self._show_status()
        self._timer.start()

    def stop(self) -> None:
        """Stops hearing the link (the window closes the link itself once everything else has stopped)."""
        self._timer.stop()
        self._link.unsubscribe(self._deliver, self.connection_changed.emit)

    def _show_status(self) -> None:
        if not self._link.connected:
            text = self.tr("No connection to the team database: the conversations shown are those read before")
        else:
            leads = self._leads()
            if leads is None:
                text = self.tr("Team database · this bench is not signed in to Allegro: it reads and queues replies")
            elif leads:
                text = self.tr("Team database · this bench fetches from Allegro for the team")
            else:
                text = self.tr("Team database · another bench fetches from Allegro")
        if text != self.status.text():
            self.status.setText(text)

    def _deliver(self, changes: list[Change]) -> None:
        """On the listener's thread: the ids of the shown account's conversations, once each; a presence change
        (a bench opened a conversation, started or stopped typing) only asks for the board to be read again."""
        shown = self._account_id()
        ids = list(dict.fromkeys(c.conversation_id for c in changes
                                 if c.account_id == shown and c.conversation_id is not None
                                 and c.topic != PRESENCE_TOPIC))
        if ids:
            self.changed.emit(ids)
        if any(c.account_id == shown and c.topic == OUTBOX_TOPIC for c in changes):
            self.replies_queued.emit()
        if any(c.account_id == shown and c.topic == PRESENCE_TOPIC for c in changes):
            self.presence_changed.emit()
