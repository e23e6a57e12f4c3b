"""A filter's button: its name and, outside a search, how many conversations it shows.

The button keeps the width its longest label has needed: a search hides the numbers, and a button that shrank
then would narrow the list's pane and shift the panes beside it while the user types (and make Qt lay out the
whole window on every search).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QToolButton, QWidget


class FilterButton(QToolButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widest = 0  # the widest size hint any of its labels has had, at the current font

    def show_label(self, name: str, number: int | None) -> None:
        self.setText(f"{name} ({number})" if number is not None else name)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        self._widest = max(self._widest, hint.width())
        return QSize(self._widest, hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._widest = 0  # zoomed: widths are measured again in the new font
        super().changeEvent(event)
