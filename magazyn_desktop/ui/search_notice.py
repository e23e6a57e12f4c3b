"""The list's "nothing found" state: while a search shows no rows, a notice over the list says so, naming the search,
with a hint how to get out of it. An empty inbox without a search is not this state: the notice is then hidden.

The notice lies over the list's viewport, centred, and lets the mouse through to the list; it follows the model
(rows arriving after a sync hide it) and the viewport's size (a long search text is shortened with an ellipsis).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QLabel, QVBoxLayout, QWidget

from magazyn_desktop.domain.text import folded_text
from magazyn_desktop.ui.conversation_list_model import ConversationListModel
from magazyn_desktop.ui.visible_text import visible_controls
from magazyn_desktop.ui.zoom import relative_font

MARGIN = 16  # between the notice's text and the list's edges


class NothingFoundNotice(QWidget):
    def __init__(self, view: QAbstractItemView, model: ConversationListModel) -> None:
        super().__init__(view.viewport())
        self.setObjectName("nothingFound")
        self._model = model
        self._viewport = view.viewport()
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # clicks and the wheel reach the list

        self._title = QLabel()
        self._title.setObjectName("nothingFoundTitle")
        relative_font(self._title, 1.0, bold=True)
        self._hint = QLabel()
        self._hint.setObjectName("nothingFoundHint")
        self._hint.setWordWrap(True)
        self._hint.setStyleSheet("color: #555555;")
        for label in (self._title, self._hint):
            label.setTextFormat(Qt.TextFormat.PlainText)  # the search text is whatever was typed or scanned
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.addStretch(1)
        layout.addWidget(self._title)
        layout.addWidget(self._hint)
        layout.addStretch(1)

        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.search_changed):
            signal.connect(self.refresh)
        self._viewport.installEventFilter(self)
        self.hide()
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._viewport and event.type() == QEvent.Type.Resize and self.isVisibleTo(self._viewport):
            self._place()
        return False

    def refresh(self) -> None:
        """Shown while the list has a search and no rows; hidden otherwise."""
        if self._model.search and self._model.rowCount() == 0:
            self._place()
            self.show()
            self.raise_()
        else:
            self.hide()

    def _place(self) -> None:
        self.setGeometry(self._viewport.rect())
        width = max(0, self._viewport.width() - 2 * MARGIN)
        title = self.tr("Nothing found for \u201c%1\u201d")
        metrics = QFontMetrics(self._title.font())
        room = max(0, width - metrics.horizontalAdvance(title.replace("%1", "")))
        # One line, whatever was pasted; bidi controls shown, not obeyed; shortened, keeping the quotes around it.
        searched = visible_controls(folded_text(self._model.search))
        self._title.setText(title.replace("%1", metrics.elidedText(searched, Qt.TextElideMode.ElideRight, room)))
        self._hint.setText(self.tr("Check the spelling or clear the search (Esc)."))

    def title(self) -> str:
        return self._title.text()

    def hint(self) -> str:
        return self._hint.text()
