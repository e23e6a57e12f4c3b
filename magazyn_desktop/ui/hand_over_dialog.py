"""The short dialog that hands a conversation to someone: a name chosen among the people the team has seen (those
who have a conversation, those at a bench), or typed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from magazyn_desktop.store.records import PERSON_LENGTH
from magazyn_desktop.ui.visible_text import visible_controls


class HandOverDialog(QDialog):
    def __init__(self, buyer: str, people: Sequence[str], holder: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handOverDialog")
        self.setWindowTitle(self.tr("Hand the conversation to…"))
        question = QLabel(self.tr("Who should take over the conversation with %1?").replace("%1", buyer))
        question.setWordWrap(True)
        self._name = QComboBox()
        self._name.setEditable(True)
        self._name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._name.setAccessibleName(self.tr("Person"))
        self._name.addItems([person for person in people if person != holder])
        self._name.setCurrentIndex(-1)
        line = self._name.lineEdit()
        assert line is not None  # an editable combo box has its line
        line.setMaxLength(PERSON_LENGTH)
        line.setPlaceholderText(self.tr("Choose or type a name"))
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Hand over"))
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        if holder:
            layout.addWidget(QLabel(self.tr("Now: %1").replace("%1", visible_controls(holder))))
        layout.addWidget(self._name)
        layout.addWidget(self._buttons)
        self._name.currentTextChanged.connect(self._check)
        self._check()

    def name_box(self) -> QComboBox:
        return self._name

    def chosen_person(self) -> str:
        return self._name.currentText().strip()

    def accept(self) -> None:
        if self.chosen_person():
            super().accept()

    def _check(self) -> None:
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.chosen_person()))
