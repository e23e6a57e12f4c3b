"""The search box: typed text filters the list after a short pause; Enter on a scanned or pasted code (an order,
a parcel number, a conversation id) opens that conversation and empties the box for the next scan."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLineEdit

from magazyn_desktop.app.backend_types import Backend
from magazyn_desktop.domain.limits import UUID_SHAPE
from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.ui.conversation_list_model import ConversationListModel
from magazyn_desktop.store.read_connection import database_errors

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
_THREAD_ID = re.compile(r"[A-Za-z0-9]{20,64}")


class ScanSearch(QObject):
    def __init__(self, *, box: QLineEdit, model: ConversationListModel, account_id: Callable[[], int],
                 backend: Callable[[], Backend | None], list_changed: Callable[[], None],
                 update_counts: Callable[[], None], open_conversation: Callable[[str], None],
                 show_message: Callable[[str], None], not_found_sound: Callable[[], None] = lambda: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._box = box
        self._model = model
        self._account_id = account_id
        self._backend = backend
        self._list_changed = list_changed  # reselect the open conversation and recount the filters
        self._update_counts = update_counts
        self._open_conversation = open_conversation  # opens it and moves the focus to its messages
        self._show_message = show_message
        self._not_found_sound = not_found_sound  # a beep when the settings ask for one
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply)
        box.textChanged.connect(lambda _text: self._timer.start())
        box.returnPressed.connect(self._on_enter)

    def set_text(self, text: str) -> None:
        self._box.setText(text)
        self.apply()

    def apply(self) -> None:
        self._timer.stop()
        if self._box.text().strip() == self._model.search:
            return
        self._model.set_query(search=self._box.text())
        self._list_changed()

    def stop(self) -> None:
        self._timer.stop()

    def _on_enter(self) -> None:
        """Enter in the search box: a scanned or pasted code opens its conversation; other text just searches."""
        code = self._box.text().strip()
        if code:
            self.look_up(code, scanned=False)

    def look_up(self, code: str, *, scanned: bool = True) -> bool:
        """Open the conversation `code` names (a conversation id, an order id, a waybill). Without one, the code
        is searched for like typed text; when that finds nothing either, the user is told, with the code."""
        found = self._find(code)
        if found is None:
            self._box.blockSignals(True)
            self._box.setText(code)
            self._box.blockSignals(False)
            self.apply()
            if self._model.rowCount() == 0:
                if scanned:
                    self._show_message(self.tr("The scanned code \u201c%1\u201d matches no conversation.")
                                       .replace("%1", code))
                    self._not_found_sound()
                else:
                    self._show_message(self.tr("Nothing found for \u201c%1\u201d.").replace("%1", code))
            return False
        # A scanner user wants the conversation, and the next scan to start from an empty box.
        self._box.blockSignals(True)
        self._box.clear()
        self._box.blockSignals(False)
        self._model.set_query(search="")
        self._update_counts()
        self._open_conversation(found)
        return True

    def _find(self, code: str) -> str | None:
        connection = self._model.connection()
        found = None
        if connection is not None:
            try:
                found = queries.find_exact(connection, code, self._account_id())
            except database_errors() as exc:
                log.warning("scanner look-up failed: %s", exc)
        if found is None and _looks_like_conversation_id(code) and self._backend() is not None:
            found = code  # not cached: open_conversation asks Allegro, which works out the kind
        return found


def _looks_like_conversation_id(text: str) -> bool:
    """A thread id (long base62) or an issue id (a UUID): worth asking Allegro about when not cached."""
    return bool(UUID_SHAPE.fullmatch(text) or _THREAD_ID.fullmatch(text))
