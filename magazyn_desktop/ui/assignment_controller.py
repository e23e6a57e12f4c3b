"""Team mode's assignment from the window: "Take", "Release" and "Hand to…", from the row menu, the conversation's
header and Ctrl+M. A take of a conversation another person has asks first ("Ania has it: take it anyway?"); the
store refuses it otherwise, so two benches taking at once never both win. Each change is written by the window's
writer and logged for the other benches (store/assignment.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from magazyn_desktop.app.backend_types import Backend
from magazyn_desktop.store.records import Assignment
from magazyn_desktop.store.inbox_records import ConversationRow
from magazyn_desktop.ui.hand_over_dialog import HandOverDialog
from magazyn_desktop.ui.visible_text import visible_controls
from magazyn_desktop.ui.workers import WorkerPool

if TYPE_CHECKING:
    from magazyn_desktop.store.repository import Store

log = logging.getLogger(__name__)


class AssignmentController(QObject):
    take_over_asked = Signal(object)  # the QMessageBox asking whether to take it from its holder
    hand_over_opened = Signal(object)  # the HandOverDialog
    assigned = Signal(str)  # a conversation's assignment was written

    def __init__(self, *, writer: WorkerPool, pool: WorkerPool, backend: Callable[[], Backend | None],
                 person: Callable[[], str], account_id: Callable[[], int],
                 row: Callable[[str], ConversationRow | None], refresh: Callable[[Collection[str]], None],
                 set_status: Callable[[str], None], show_message: Callable[[str], None], dialog_parent: QWidget,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = writer
        self._pool = pool
        self._backend = backend
        self._person = person
        self._account_id = account_id
        self._row = row
        self._refresh = refresh
        self._set_status = set_status
        self._show_message = show_message
        self._dialog_parent = dialog_parent

    def take(self, conversation_id: str, *, take_over: bool = False) -> None:
        person = self._person()
        self._write(conversation_id, lambda store: store.take_conversation(conversation_id, person,
                                                                           take_over=take_over),
                    lambda result: self._taken(conversation_id, person, result))

    def release(self, conversation_id: str) -> None:
        person = self._person()

        def released(result: Assignment) -> None:
            if not result.changed and result.assignee not in (None, person):
                self._show_message(self.tr("%1 has this conversation now: it stays theirs.")
                                   .replace("%1", visible_controls(result.assignee or "")))

        self._write(conversation_id, lambda store: store.release_conversation(conversation_id, person), released)

    def hand_to(self, conversation_id: str) -> None:
        """The dialog choosing the person, once the people the team has seen are read (in a worker)."""
        backend = self._backend()
        if backend is None:
            return
        store, account_id = backend.store, self._account_id()

        def show(people: list[str]) -> None:
            row = self._row(conversation_id)
            buyer = visible_controls(row.interlocutor_login or "") if row is not None else ""
            me = self._person()
            dialog = HandOverDialog(buyer or self.tr("the buyer"), sorted({*people, me}, key=str.casefold),
                                    row.assignee if row is not None else None, self._dialog_parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: self._hand(conversation_id, dialog.chosen_person()))
            dialog.open()  # window-modal, without a nested event loop
            self.hand_over_opened.emit(dialog)

        self._pool.submit(lambda _token: store.team_people(account_id), on_result=show,
                          on_error=lambda error: log.warning("reading the team's people failed: %s", error))

    def _hand(self, conversation_id: str, person: str) -> None:
        def handed(result: Assignment) -> None:
            if result.changed:
                self._set_status(self.tr("Handed to %1.").replace("%1", visible_controls(person)))

        self._write(conversation_id, lambda store: store.hand_conversation(conversation_id, person), handed)

    def _taken(self, conversation_id: str, person: str, result: Assignment) -> None:
        if result.changed or result.assignee in (None, person):
            return
        holder = visible_controls(result.assignee or "")
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Take the conversation"),
                          self.tr("%1 has this conversation. Take it anyway?").replace("%1", holder),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self._dialog_parent)
        box.setObjectName("takeOverQuestion")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        take_it = box.button(QMessageBox.StandardButton.Yes)
        take_it.setText(self.tr("Take it"))
        take_it.clicked.connect(lambda: self.take(conversation_id, take_over=True))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Leave it"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.take_over_asked.emit(box)

    def _write(self, conversation_id: str, write: Callable[[Store], Assignment],
               then: Callable[[Assignment], None]) -> None:
        backend = self._backend()
        if backend is None:
            return
        store = backend.store

        def done(result: Assignment) -> None:
            self._refresh([conversation_id])  # the row says who has it, whatever came of this
            self.assigned.emit(conversation_id)
            then(result)

        self._writer.submit(lambda _token: write(store), on_result=done,
                            on_error=lambda error: self._failed(error))

    def _failed(self, error: BaseException) -> None:
        log.warning("saving who has a conversation failed: %s", error)
        self._show_message(self.tr("Who has the conversation could not be saved. Try again in a moment."))
