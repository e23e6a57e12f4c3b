"""The dialog that holds a reply back and lets staff choose: a title, what it is about, one line per finding, and
"Send anyway" / an edit button (Enter edits: sending anyway is a choice made on purpose). The messaging rules' warning and
the send-time check's both are this dialog with their own words."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class HeldReplyDialog(QDialog):
    def __init__(self, *, name: str, title: str, intro: str, lines: Sequence[str], edit_label: str,
                 question: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        self._findings = QLabel("\n".join(lines))
        self._findings.setObjectName(f"{name}Findings")
        self._findings.setTextFormat(Qt.TextFormat.PlainText)
        self._findings.setWordWrap(True)
        # Named context: self.tr would look these up under the subclass's name.
        self._send_anyway = QPushButton(QCoreApplication.translate("HeldReplyDialog", "Send anyway"))
        self._send_anyway.clicked.connect(self.accept)
        self._edit = QPushButton(edit_label)
        self._edit.setDefault(True)
        self._edit.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._send_anyway)
        buttons.addWidget(self._edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addWidget(self._findings)
        if question is not None:
            layout.addWidget(QLabel(question))
        layout.addLayout(buttons)
        self.resize(520, 240 if question is not None else 220)

    def findings_text(self) -> str:
        return self._findings.text()

    def send_anyway_button(self) -> QPushButton:
        return self._send_anyway

    def edit_button(self) -> QPushButton:
        return self._edit
