"""The screen shown before any account is set up: connect an Allegro account, or try the demo.

Connecting uses the OAuth device flow: the screen shows the user code and a button that opens Allegro's
verification page; the window runs the polling in a worker and tells this screen how it went.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class FirstRunPage(QWidget):
    demo_requested = Signal()
    connect_requested = Signal(dict)  # environment, client_id, client_secret, api_url, auth_url
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._verification_url: str | None = None

        title = QLabel(self.tr("Welcome to magazyn-desktop"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(self.tr("Connect the shop's Allegro account to see buyers' messages, purchase problems, "
                               "discussions and claims in one place. You can also look around with demo data first."))
        intro.setWordWrap(True)

        self._environment = QComboBox()
        self._environment.addItem(self.tr("Allegro (production)"), "production")
        self._environment.addItem(self.tr("Allegro sandbox (for testing)"), "sandbox")
        self._client_id = QLineEdit()
        self._client_secret = QLineEdit()
        self._client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self._connect = QPushButton(self.tr("Connect account"))
        self._connect.clicked.connect(self._on_connect)

        form = QFormLayout()
        form.addRow(self.tr("Environment:"), self._environment)
        form.addRow(self.tr("Client ID:"), self._client_id)
        form.addRow(self.tr("Client secret:"), self._client_secret)
        form.addRow("", self._connect)
        account_box = QGroupBox(self.tr("Connect an Allegro account"))
        account_box.setLayout(form)

        self._code = QLabel()
        self._code.setTextFormat(Qt.TextFormat.PlainText)
        self._code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        code_font = self._code.font()
        code_font.setPointSizeF(code_font.pointSizeF() * 2)
        code_font.setBold(True)
        self._code.setFont(code_font)
        self._code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._status = QLabel()
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._status.setWordWrap(True)
        self._open_page = QPushButton(self.tr("Open the Allegro page"))
        self._open_page.clicked.connect(self._on_open_page)
        self._cancel = QPushButton(self.tr("Cancel"))
        self._cancel.clicked.connect(self.cancel_requested)
        flow_buttons = QHBoxLayout()
        flow_buttons.addWidget(self._open_page)
        flow_buttons.addWidget(self._cancel)
        self._flow_box = QGroupBox(self.tr("Confirm on Allegro"))
        flow_layout = QVBoxLayout(self._flow_box)
        flow_layout.addWidget(self._code)
        flow_layout.addWidget(self._status)
        flow_layout.addLayout(flow_buttons)

        self._demo = QPushButton(self.tr("Try the demo"))
        self._demo.clicked.connect(self.demo_requested)

        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addWidget(account_box)
        column.addWidget(self._flow_box)
        column.addSpacing(12)
        column.addWidget(self._demo, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        host = QWidget()
        host.setLayout(column)
        host.setMaximumWidth(560)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(host, 2)
        outer.addStretch(1)
        self.reset()

    def reset(self, message: str = "") -> None:
        """Back to the form; message says why (an error or a cancellation)."""
        self._flow_box.setVisible(bool(message))
        self._code.setText("")
        self._open_page.setVisible(False)
        self._cancel.setVisible(False)
        self._status.setText(message)
        self._connect.setEnabled(True)

    def _on_connect(self) -> None:
        client_id = self._client_id.text().strip()
        secret = self._client_secret.text().strip()
        if not client_id or not secret:
            self._flow_box.show()
            self._status.setText(self.tr("Enter the Client ID and the Client secret from the Allegro developer "
                                         "portal (apps.developer.allegro.pl)."))
            return
        self._connect.setEnabled(False)
        self._flow_box.show()
        self._status.setText(self.tr("Asking Allegro for a code…"))
        self.connect_requested.emit({
            "environment": self._environment.currentData(), "client_id": client_id, "client_secret": secret,
        })

    def show_user_code(self, user_code: str, verification_url: str) -> None:
        self._verification_url = verification_url
        self._flow_box.show()
        self._code.setText(user_code)
        self._status.setText(self.tr("Open the Allegro page, sign in as the shop and confirm this code. "
                                     "This screen continues by itself."))
        self._open_page.setVisible(True)
        self._cancel.setVisible(True)

    def _on_open_page(self) -> None:
        if self._verification_url:
            QDesktopServices.openUrl(QUrl(self._verification_url))
