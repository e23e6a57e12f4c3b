"""The first sync's progress in the list area: "Pobieranie rozmów: 120 z około 1000" at the foot of the list, while
the rows come in above it as they are stored.

The count is "about": Allegro's thread listing carries no total, so the figure is what the listing has shown so far,
and it grows until the last page has been read.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLabel, QProgressBar, QVBoxLayout

MARGIN = 8  # from the list's edges


class FillProgressNotice(QFrame):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view.viewport())
        self.setObjectName("fillProgress")
        self._viewport = view.viewport()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._label = QLabel()
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setWordWrap(True)
        self._bar = QProgressBar()
        self._bar.setTextVisible(False)
        self._bar.setMaximumHeight(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN // 2, MARGIN, MARGIN // 2)
        layout.addWidget(self._label)
        layout.addWidget(self._bar)
        self._viewport.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._viewport and event.type() == QEvent.Type.Resize and self.isVisibleTo(self._viewport):
            self._place()
        return False

    def show_count(self, done: int, about: int) -> None:
        about = max(about, done)
        self._label.setText(self.tr("Downloading conversations: %1 of about %2")
                            .replace("%1", str(done)).replace("%2", str(about)))
        self._bar.setRange(0, max(1, about))
        self._bar.setValue(done)
        self._place()
        self.show()
        self.raise_()

    def finish(self) -> None:
        self.hide()

    def text(self) -> str:
        return self._label.text()

    def _place(self) -> None:
        width = max(0, self._viewport.width() - 2 * MARGIN)
        self.setFixedWidth(width)
        self.adjustSize()
        self.move(MARGIN, max(0, self._viewport.height() - self.height() - MARGIN))
