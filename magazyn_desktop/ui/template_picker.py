"""Ctrl+T in the reply box: the templates listed by name, narrowed as the user types (any part of the name, in any
case, with or without Polish letters); Enter or a double click inserts the selected one, Esc closes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from magazyn_desktop.domain.search_text import folded
from magazyn_desktop.store.records import StoredTemplate
from magazyn_desktop.ui.visible_text import visible_controls

_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
_PREVIEW_CHARACTERS = 300
_MOVES = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class TemplatePicker(QDialog):
    chosen = Signal(str)  # the template's name

    def __init__(self, templates: Sequence[StoredTemplate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatePicker")
        self.setWindowTitle(self.tr("Insert a template"))
        self._templates = list(templates)
        self._search = QLineEdit()
        self._search.setPlaceholderText(self.tr("Type part of the name…"))
        self._search.setAccessibleName(self.tr("Template name"))
        self._search.setClearButtonEnabled(True)
        self._list = QListWidget()
        self._list.setAccessibleName(self.tr("Templates"))
        self._list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the cursor stays in the search; arrows move the list
        self._empty = QLabel(self.tr("No template has that in its name."))
        self._empty.hide()
        hint = QLabel(self.tr("Enter inserts, Esc closes."))
        hint.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self._search)
        layout.addWidget(self._list, 1)
        layout.addWidget(self._empty)
        layout.addWidget(hint)
        self._search.textChanged.connect(self._filter)
        self._search.returnPressed.connect(self._choose_current)
        self._search.installEventFilter(self)
        self._list.itemActivated.connect(lambda _item: self._choose_current())
        self.resize(420, 320)
        self._filter("")

    def search_box(self) -> QLineEdit:
        return self._search

    def shown_names(self) -> list[str]:
        items = (self._list.item(row) for row in range(self._list.count()))
        return [str(item.data(_NAME_ROLE)) for item in items if item is not None]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in _MOVES:
            QCoreApplication.sendEvent(self._list, event)  # the list moves its selection
            return True
        return super().eventFilter(watched, event)

    def _filter(self, typed: str) -> None:
        wanted = folded(typed.strip())
        self._list.clear()
        for template in self._templates:
            if wanted in folded(template.name):
                item = QListWidgetItem(visible_controls(template.name))
                item.setData(_NAME_ROLE, template.name)
                item.setToolTip(visible_controls(template.body[:_PREVIEW_CHARACTERS]))
                self._list.addItem(item)
        self._empty.setVisible(self._list.count() == 0)
        if self._list.count():
            self._list.setCurrentRow(0)

    def _choose_current(self) -> None:
        if self._list.currentRow() < 0:  # nothing matches what was typed
            return
        item = self._list.currentItem()
        self.accept()
        self.chosen.emit(str(item.data(_NAME_ROLE)))
