"""Team mode while the team's database does not answer: a banner over the inbox, and the spool's replies moved into
the shared outbox once it answers again.

The window keeps what it has on screen meanwhile. A reply sent then waits in the bench's spool
(app/reply_spool.py) and shows on its conversation as "waiting for the database". The move runs on the window's
writer when the change listener connects again, and every few seconds while replies wait (the listener may be back
before the store's own connections are).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from magazyn_desktop.app.reply_spool import ReplySpool, SpooledReply, database_away
from magazyn_desktop.store.inbox_records import ConversationDetail, OutboxRow
from magazyn_desktop.ui.labels import WAITING_FOR_DATABASE
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

if TYPE_CHECKING:
    from magazyn_desktop.store.repository import Store

log = logging.getLogger(__name__)

SPOOL_RETRY_MS = 5000


class TeamAwayBanner(QFrame):
    """"No connection to the team database — replies wait on this bench (N)"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamAwayBanner")
        self.setStyleSheet("#teamAwayBanner { background: #fde2e1; border-bottom: 1px solid #c9302c; }"
                           "#teamAwayBanner QLabel { color: #5c1412; }")
        self._text = QLabel()
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self._text, 1)
        self.hide()

    def show_away(self, waiting: int) -> None:
        if waiting:
            text = self.tr("No connection to the team database — replies wait on this bench (%1). The conversations "
                           "shown are those read before.").replace("%1", str(waiting))
        else:
            text = self.tr("No connection to the team database. The conversations shown are those read before; "
                           "a reply sent now waits on this bench.")
        self._text.setText(text)
        self.show()

    def text(self) -> str:
        return self._text.text()


def waiting_rows(replies: list[SpooledReply], conversation_id: str) -> tuple[OutboxRow, ...]:
    """The spooled replies of a conversation as outbox cards (negative ids: no outbox row has them yet)."""
    return tuple(
        OutboxRow(id=-(position + 1), text=reply.text, state=WAITING_FOR_DATABASE, attempts=0,
                  created_at=reply.created_at, sent_at=None, error_code=None, error_message=None)
        for position, reply in enumerate(replies) if reply.conversation_id == conversation_id)


def with_waiting(detail: ConversationDetail, rows: tuple[OutboxRow, ...]) -> ConversationDetail:
    shown = tuple(row for row in detail.outbox if row.state != WAITING_FOR_DATABASE)
    return replace(detail, outbox=shown + rows) if rows or len(shown) != len(detail.outbox) else detail


class TeamAway(QObject):
    """The banner's state and the spool's moves. `away(bool)` is the change listener's word on the connection."""

    moved = Signal(list)  # (conversation id, outbox entry id) of each spooled reply in the outbox now

    def __init__(self, *, spool: ReplySpool, banner: TeamAwayBanner, writer: WorkerPool,
                 store: Callable[[], Store | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._spool = spool
        self._banner = banner
        self._writer = writer
        self._store = store  # the backend's, once it is built
        self._away = False
        self._moving = False
        self._waiting: list[SpooledReply] = spool.replies()  # left by an earlier run too
        self._retry = QTimer(self)
        self._retry.setInterval(SPOOL_RETRY_MS)
        self._retry.timeout.connect(self.move_now)

    @property
    def away(self) -> bool:
        return self._away

    def waiting(self) -> list[SpooledReply]:
        return list(self._waiting)

    def waiting_rows(self, conversation_id: str) -> tuple[OutboxRow, ...]:
        return waiting_rows(self._waiting, conversation_id)

    def start(self) -> None:
        if self._waiting:
            self.move_now()
            self._retry.start()

    def stop(self) -> None:
        self._retry.stop()

    def set_connected(self, connected: bool) -> None:
        self._away = not connected
        self._show()
        if connected:
            self.move_now()

    def kept(self, reply: SpooledReply) -> None:
        """A reply went to the spool: the database does not answer, whatever the listener thought."""
        self._waiting.append(reply)
        self._away = True
        self._show()
        if not self._retry.isActive():
            self._retry.start()

    def move_now(self) -> None:
        store = self._store()
        if self._moving or store is None or not (self._waiting or self._spool.replies()):
            return
        self._moving = True
        spool = self._spool

        def run(_token: CancelToken) -> list[tuple[SpooledReply, int]]:
            return spool.move_into(store)

        self._writer.submit(run, on_result=self._moved, on_error=self._not_moved)

    def _moved(self, replies: list[tuple[SpooledReply, int]]) -> None:
        self._moving = False
        self._waiting = self._spool.replies()
        if not self._waiting:
            self._retry.stop()
            self._away = False  # it answered the whole move
        self._show()
        if replies:
            log.info("%d reply(ies) kept on this bench are in the team's outbox now", len(replies))
            self.moved.emit([(reply.conversation_id, entry_id) for reply, entry_id in replies])

    def _not_moved(self, error: BaseException) -> None:
        self._moving = False
        if not database_away(error):
            log.warning("moving the spooled replies into the outbox failed: %s", error)
        else:
            log.info("the team database does not answer yet; the spooled replies wait: %s", error)
        self._away = True
        self._show()

    def _show(self) -> None:
        if self._away:
            self._banner.show_away(len(self._waiting))
        else:
            self._banner.hide()
