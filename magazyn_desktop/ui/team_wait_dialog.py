"""The launch waiting for the team's database: why it cannot connect, a countdown to the next attempt, and Cancel.

Shown before the window exists (so before its Qt translations are installed): its texts come from launch_texts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLayout, QVBoxLayout, QWidget

from magazyn_desktop.launch_texts import launch_text

RETRY_SECONDS = 5


class TeamWaitDialog(QDialog):
    """exec() returns Accepted when it is time for the next attempt (the countdown ran out or "Try now"), Rejected
    on Cancel."""

    def __init__(self, reason: str, language: str, *, seconds: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self.setObjectName("teamWaitDialog")
        self.setWindowTitle(launch_text("team_connecting_title", language))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._reason = QLabel(reason)
        self._reason.setTextFormat(Qt.TextFormat.PlainText)  # addresses and the server's words as they are
        self._reason.setWordWrap(True)
        self._countdown = QLabel()
        buttons = QDialogButtonBox()
        self._try_now = buttons.addButton(launch_text("team_try_now", language), QDialogButtonBox.ButtonRole.AcceptRole)
        self._cancel = buttons.addButton(launch_text("team_cancel", language), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(launch_text("team_connecting_title", language)))
        layout.addWidget(self._reason)
        layout.addWidget(self._countdown)
        layout.addWidget(buttons)
        # A fixed size instead of one recomputed from the layout: platforms without size hints would warn each time.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.resize(480, 200)
        self._left = max(1, RETRY_SECONDS if seconds is None else seconds)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)
        self.finished.connect(lambda _result: self._tick.stop())
        self._show_left()
        self._tick.start()

    def countdown_text(self) -> str:
        return self._countdown.text()

    def reason_text(self) -> str:
        return self._reason.text()

    def cancel_button(self) -> QWidget:
        return self._cancel

    def _count_down(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self.accept()
            return
        self._show_left()

    def _show_left(self) -> None:
        self._countdown.setText(launch_text("team_next_attempt", self._language, seconds=self._left))
