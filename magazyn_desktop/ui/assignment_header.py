"""Team mode's part of the open conversation's header: who has the conversation, and "Take" / "Release" /
"Hand to…". Hidden on a single bench, where one person answers everything."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from magazyn_desktop.store.inbox_records import ConversationRow
from magazyn_desktop.ui.plain_label import plain_label
from magazyn_desktop.ui.row_menu import TAKE_KEYS
from magazyn_desktop.ui.visible_text import visible_controls


class AssignmentHeader(QWidget):
    take_requested = Signal(str)  # the conversation's id
    release_requested = Signal(str)
    hand_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignmentHeader")
        self._person: Callable[[], str] | None = None  # set in team mode
        self._conversation_id: str | None = None
        self._holder = plain_label("", wrap=False)
        self._holder.setObjectName("assignee")
        self._take = QPushButton(self.tr("Take"))
        self._take.setObjectName("takeConversation")
        self._take.setToolTip(self.tr("Take the conversation: it shows in “Mine” here and as yours on every bench (%1)")
                              .replace("%1", TAKE_KEYS))
        self._release = QPushButton(self.tr("Release"))
        self._release.setObjectName("releaseConversation")
        self._hand = QPushButton(self.tr("Hand to…"))
        self._hand.setObjectName("handConversation")
        for button, signal in ((self._take, self.take_requested), (self._release, self.release_requested),
                               (self._hand, self.hand_requested)):
            button.clicked.connect(lambda _checked=False, signal=signal: self._request(signal))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._holder)
        layout.addWidget(self._take)
        layout.addWidget(self._release)
        layout.addWidget(self._hand)
        self.hide()

    def enable(self, person: Callable[[], str]) -> None:
        """Team mode: the header shows who has each conversation opened; `person` is the one at this bench."""
        self._person = person

    def show_row(self, row: ConversationRow | None) -> None:
        self._conversation_id = row.id if row is not None else None
        if self._person is None or row is None:
            self.hide()
            return
        mine = row.assignee is not None and row.assignee == self._person()
        if row.assignee is None:
            self._holder.setText("")
        elif mine:
            self._holder.setText(self.tr("Yours"))
        else:
            self._holder.setText(self.tr("Taken by %1").replace("%1", visible_controls(row.assignee)))
        self._holder.setVisible(row.assignee is not None)
        self._take.setVisible(not mine)
        self._release.setVisible(mine)
        self.show()

    def holder_text(self) -> str:
        return self._holder.text() if not self._holder.isHidden() else ""

    def _request(self, signal: SignalInstance) -> None:
        if self._conversation_id is not None:
            signal.emit(self._conversation_id)
