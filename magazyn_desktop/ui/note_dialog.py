"""The small dialog for an internal note: plain text (markup is kept as typed and shown as typed), with its limit."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from magazyn_desktop.domain.notes import NOTE_MAX_CHARS, NoteProblem, note_problem


class NoteDialog(QDialog):
    def __init__(self, buyer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(self.tr("Add a note"))
        explanation = QLabel(self.tr("Only your team sees this note; it is never sent to %1.").replace("%1", buyer))
        explanation.setWordWrap(True)
        self._editor = QPlainTextEdit()  # plain text only: a pasted page arrives as its text
        self._editor.setAccessibleName(self.tr("Note"))
        self._editor.setTabChangesFocus(True)
        self._problem = QLabel()
        self._problem.setObjectName("noteProblem")
        self._problem.setWordWrap(True)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self._editor, 1)
        layout.addWidget(self._problem)
        layout.addWidget(self._buttons)
        self._editor.textChanged.connect(self._check)
        self.resize(460, 260)
        self._check()

    def editor(self) -> QPlainTextEdit:
        return self._editor

    def text(self) -> str:
        return self._editor.toPlainText()

    def problem_text(self) -> str:
        return self._problem.text()

    def accept(self) -> None:
        if note_problem(self.text()) is None:
            super().accept()

    def _check(self) -> None:
        problem = note_problem(self.text())
        self._buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(problem is None)
        self._problem.setText(self.tr("A note can be at most %1 characters long; this one has %2.")
                              .replace("%1", QLocale().toString(NOTE_MAX_CHARS))
                              .replace("%2", QLocale().toString(len(self.text().strip())))
                              if problem is NoteProblem.TOO_LONG else "")
