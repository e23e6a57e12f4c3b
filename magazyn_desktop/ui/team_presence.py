"""Team mode in the window: this bench's presence (the conversation open, whether a reply is being typed) kept on
the team's board, and the other benches' shown in the list's rows and above the reply box.

The heartbeat runs off the window's thread (app/team_presence.py); what it reads crosses back as a queued signal.
Typing counts from a keystroke until TYPING_IDLE_MS pass without one, or the reply is sent or its text cleared.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from magazyn_desktop.app.team_presence import PresenceKeeper
from magazyn_desktop.store.presence import BenchPresence, PresenceState
from magazyn_desktop.ui.composer import Composer
from magazyn_desktop.ui.conversation_list_model import ConversationListModel
from magazyn_desktop.ui.presence_marks import header_words

TYPING_IDLE_MS = 4000


class TeamPresence(QObject):
    """Owns the keeper from `start` to `stop`; `line` is the label above the reply box."""

    seen = Signal(list)  # the other benches' fresh rows (BenchPresence), from the keeper's thread

    def __init__(self, *, keeper: Callable[[Callable[[list[BenchPresence]], None]], PresenceKeeper],
                 account_id: int, composer: Composer, model: ConversationListModel, line: QLabel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.account_id = account_id
        self._composer = composer
        self._model = model
        self._line = line
        self._others: list[BenchPresence] = []
        self._open: str | None = None
        self._typing = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(TYPING_IDLE_MS)
        self._idle.timeout.connect(self.stop_typing)
        self.seen.connect(self._show)
        composer.text_edited.connect(self._typed)
        self._keeper = keeper(self.seen.emit)

    def start(self) -> None:
        self._keeper.start()

    def stop(self) -> None:
        """At exit, or before another account: the bench's row leaves the board."""
        self._idle.stop()
        self.seen.disconnect(self._show)
        self._composer.text_edited.disconnect(self._typed)
        self._keeper.stop()
        self._model.set_presence({})
        self._line.clear()
        self._line.hide()

    def opened(self, conversation_id: str | None) -> None:
        """The window shows this conversation now (None: none)."""
        if conversation_id != self._open:
            self._open = conversation_id
            self._typing = False
            self._idle.stop()
            self._announce()
            self._show_line()

    def stop_typing(self) -> None:
        """The reply was sent, or no key was pressed for a while."""
        self._idle.stop()
        if self._typing:
            self._typing = False
            self._announce()

    def refresh(self) -> None:
        """Another bench announced a change: read the board now."""
        self._keeper.refresh()

    def _typed(self) -> None:
        if self._composer.conversation_id != self._open or self._open is None:
            return
        if not self._composer.text().strip():
            self.stop_typing()  # the text was cleared
            return
        self._idle.start()
        if not self._typing:
            self._typing = True
            self._announce()

    def _announce(self) -> None:
        self._keeper.show(PresenceState(self._open, self._typing))

    def _show(self, others: list[BenchPresence]) -> None:
        self._others = others
        by_conversation: dict[str, list[BenchPresence]] = {}
        for person in others:
            if person.conversation_id is not None:
                by_conversation.setdefault(person.conversation_id, []).append(person)
        self._model.set_presence({cid: tuple(people) for cid, people in by_conversation.items()})
        self._show_line()

    def _show_line(self) -> None:
        words = header_words([person for person in self._others
                              if self._open is not None and person.conversation_id == self._open])
        self._line.setText(words)
        self._line.setVisible(bool(words))

    def line_text(self) -> str:
        return self._line.text() if not self._line.isHidden() else ""
