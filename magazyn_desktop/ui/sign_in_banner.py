"""The banner over the inbox while an account that was connected has no usable sign-in: it says why, and "Połącz
ponownie" runs the device flow again. The cached conversations stay readable below it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from magazyn_desktop.app.backend_types import SignInNeed
from magazyn_desktop.ui.visible_text import visible_controls


class SignInBanner(QFrame):
    reconnect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInBanner")
        self.setStyleSheet("#signInBanner { background: #fde2e1; border-bottom: 1px solid #c9302c; }"
                           "#signInBanner QLabel { color: #5c1412; }")
        self._text = QLabel()
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        self._reconnect = QPushButton(self.tr("Connect again"))
        self._reconnect.clicked.connect(self.reconnect_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._reconnect, 0, Qt.AlignmentFlag.AlignVCenter)
        self.need: SignInNeed | None = None
        self.hide()

    def show_need(self, need: SignInNeed, login: str | None) -> None:
        self.need = need
        account = visible_controls(login) if login else self.tr("the Allegro account")
        if need is SignInNeed.NO_KEYRING:
            text = self.tr("Sign in again to fetch and send messages: this computer has no working password store, "
                           "so the sign-in of %1 cannot be kept when the program closes. The saved conversations "
                           "can be read meanwhile.")
        elif need is SignInNeed.REFUSED:
            text = self.tr("Allegro no longer accepts the sign-in of %1. The saved conversations can be read and "
                           "replies wait in the queue; connect the account again to go on.")
        else:
            text = self.tr("%1 is signed out. The saved conversations can be read; connect the account again to "
                           "fetch and send messages.")
        self._text.setText(text.replace("%1", account))
        self.show()

    def clear(self) -> None:
        self.need = None
        self.hide()

    def text(self) -> str:
        return self._text.text()

    def reconnect_button(self) -> QPushButton:
        return self._reconnect
