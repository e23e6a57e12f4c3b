"""`/` at the start of a line in the reply box, then part of a template's name: a completion popup of the names
that hold it (in any case, with or without Polish letters). Enter, Tab or a click picks one, Esc closes the popup;
the window then puts the template in place of the typed `/part`."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QPlainTextEdit

from magazyn_desktop.app.template_file import MAX_NAME_LENGTH
from magazyn_desktop.domain.search_text import folded

_PICKS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


class SlashCompletion(QObject):
    chosen = Signal(str, int, int)  # the name; where the typed `/part` starts and ends, in the editor's positions

    def __init__(self, editor: QPlainTextEdit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._names: list[str] = []
        self._typed: tuple[int, int] | None = None  # the `/part` the popup was offered for
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setWidget(editor)
        # The names are matched here (folded, anywhere in the name); the completer only shows them.
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.activated[str].connect(self._pick)  # type: ignore[index]  # a click
        popup = self._completer.popup()
        assert popup is not None  # a completer always has its default popup
        self._popup: QAbstractItemView = popup
        # Installed after the completer's own filter, so it sees Enter first and no newline reaches the reply.
        popup.installEventFilter(self)

    def set_names(self, names: Sequence[str]) -> None:
        self._names = list(names)

    def popup(self) -> QAbstractItemView:
        return self._popup

    def update(self) -> None:
        """After the user typed: offer the names matching the line's `/part` before the cursor, or close."""
        cursor = self._editor.textCursor()
        if cursor.hasSelection() or not self._names:
            self._close()
            return
        start = cursor.block().position()
        line = QTextCursor(cursor)
        line.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
        before = line.selectedText()  # exact whatever the line holds (positions count UTF-16 units)
        part = before[1:].strip() if before.startswith("/") else None
        if part is None or len(before) > MAX_NAME_LENGTH + 1:
            self._close()
            return
        wanted = folded(part)
        matches = [name for name in self._names if wanted in folded(name)]
        if not matches:
            self._close()
            return
        self._typed = (start, cursor.position())
        self._model.setStringList(matches)
        popup = self._popup
        rect = self._editor.cursorRect()
        rect.setWidth(max(240, popup.sizeHintForColumn(0) + 24))
        self._completer.complete(rect)
        popup.setCurrentIndex(self._model.index(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._popup and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            if event.key() in _PICKS and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                index = self._popup.currentIndex()
                if index.isValid():
                    self._pick(str(index.data()))
                    return True
            elif event.key() == Qt.Key.Key_Escape:
                self._close()
                return True  # not the window's Esc, which would leave the reply box
        return super().eventFilter(watched, event)

    def _pick(self, name: str) -> None:
        typed = self._typed
        self._close()
        if typed is not None:
            self.chosen.emit(name, typed[0], typed[1])

    def _close(self) -> None:
        self._typed = None
        self._popup.hide()
