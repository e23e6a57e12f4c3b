"""Team mode's send-time check in the window: what the user had seen of each conversation when it opened, and the
warning shown when the store refused a reply because something arrived since (store/send_check.py).

The warning names what arrived (who, and the text) and holds the reply, nothing more: "Wyślij mimo to" queues it
as it is, against a mark that now covers what was shown; "Edytuj" puts the cursor back in the reply box. A single
bench has nobody to collide with: its check is off and its replies are queued as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from magazyn_desktop.domain.vocabulary import Role
from magazyn_desktop.store.inbox_records import ConversationDetail
from magazyn_desktop.ui.composer import Composer
from magazyn_desktop.ui.held_reply_dialog import HeldReplyDialog
from magazyn_desktop.ui.visible_text import visible_controls

if TYPE_CHECKING:  # the store's SQLAlchemy stays off the single bench's first paint
    from magazyn_desktop.store.send_check import ArrivedSince, Arrival, SeenMark

log = logging.getLogger(__name__)

SHOWN_CHARACTERS = 300  # of each text that arrived: enough to see what it says


class ArrivalsWarningDialog(HeldReplyDialog):
    def __init__(self, arrived: ArrivedSince, parent: QWidget | None = None) -> None:
        super().__init__(name="arrivalsWarning", title=self.tr("Something new in this conversation"),
                         intro=self.tr("Since you opened this conversation:"),
                         lines=[self._line(arrival) for arrival in arrived.arrivals],
                         edit_label=self.tr("Edit"), question=self.tr("Send your reply anyway?"), parent=parent)

    def _line(self, arrival: Arrival) -> str:
        words = visible_controls(" ".join(arrival.text.split()))
        if len(words) > SHOWN_CHARACTERS:
            words = words[:SHOWN_CHARACTERS - 1] + "…"
        who = visible_controls(arrival.who or "")
        if arrival.queued:
            line = (self.tr("• A reply queued by %1: “%2”").replace("%1", who) if who
                    else self.tr("• A reply queued at another bench: “%2”"))
        elif arrival.role == Role.BUYER.value:
            line = self.tr("• The buyer %1 wrote: “%2”").replace("%1", who or "?")
        else:
            line = self.tr("• A reply from the shop (%1) sent: “%2”").replace("%1", who or "?")
        return line.replace("%2", words)

    def arrivals_text(self) -> str:
        return self.findings_text()


class SendCheck(QObject):
    """The marks of the conversations opened (team mode only), and the warning when a reply was refused."""

    warning_shown = Signal(object)  # ArrivalsWarningDialog

    def __init__(self, *, enabled: bool, composer: Composer, dialog_parent: QWidget,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._enabled = enabled
        self._composer = composer
        self._dialog_parent = dialog_parent
        self._marks: dict[str, SeenMark] = {}

    def remember(self, detail: ConversationDetail | None) -> None:
        """The conversation was opened showing `detail`: what arrives after it is new."""
        if not self._enabled or detail is None:
            return
        from magazyn_desktop.store.send_check import SeenMark

        self._marks[detail.conversation.id] = SeenMark(detail.newest_message_rowid,
                                                       max((entry.id for entry in detail.outbox), default=0))

    def mark(self, conversation_id: str) -> SeenMark | None:
        """What the reply is checked against; None: no check (a single bench, or a conversation not opened)."""
        return self._marks.get(conversation_id) if self._enabled else None

    def queued(self, conversation_id: str, entry_id: int) -> None:
        """This bench's own reply is not news to it."""
        from magazyn_desktop.store.send_check import SeenMark

        mark = self._marks.get(conversation_id)
        if mark is not None:
            self._marks[conversation_id] = mark.covering(SeenMark(0, entry_id))

    def hold(self, arrived: ArrivedSince, send_anyway: Callable[[], None]) -> None:
        """Show what arrived; "send anyway" moves the mark over it and runs `send_anyway`."""
        conversation_id = arrived.conversation_id
        log.info("a reply was held: %d new item(s) in the conversation since it was opened", len(arrived.arrivals))
        dialog = ArrivalsWarningDialog(arrived, self._dialog_parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def anyway() -> None:
            mark = self._marks.get(conversation_id)
            self._marks[conversation_id] = arrived.newest if mark is None else mark.covering(arrived.newest)
            send_anyway()

        dialog.accepted.connect(anyway)
        dialog.rejected.connect(lambda: self._edit(conversation_id))
        dialog.open()  # window-modal, without a nested event loop
        self.warning_shown.emit(dialog)

    def _edit(self, conversation_id: str) -> None:
        if self._composer.conversation_id == conversation_id:
            self._composer.focus_editor()
