"""The screen shown before any account is set up: connect an Allegro account, or try the demo.

Connecting uses the OAuth device flow: the screen shows the user code and a button that opens Allegro's
verification page; the window runs the polling in a worker and tells this screen how it went.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

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

from magazyn_desktop.allegro.errors import SignInError
from magazyn_desktop.ui import errors
from magazyn_desktop.ui.zoom import relative_font

log = logging.getLogger(__name__)


class FirstRunPage(QWidget):
    demo_requested = Signal()
    connect_requested = Signal(dict)  # environment, client_id, client_secret, api_url, auth_url
    cancel_requested = Signal()
    back_requested = Signal()  # connecting an account again: back to the saved conversations

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._verification_url: str | None = None
        # Replaceable so tests never launch a browser.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl

        title = QLabel(self.tr("Welcome to magazyn-desktop"))
        relative_font(title, 1.5, bold=True)
        intro = QLabel(self.tr("Connect the shop's Allegro account to see buyers' messages, purchase problems, "
                               "discussions and claims in one place. You can also look around with demo data first."))
        intro.setWordWrap(True)

        self._environment = QComboBox()
        self._environment.addItem(self.tr("Allegro (production)"), "production")
        self._environment.addItem(self.tr("Allegro sandbox (for testing)"), "sandbox")
        self._environment.addItem(self.tr("Custom addresses (test server)"), "custom")
        self._environment.currentIndexChanged.connect(self._update_custom_fields)
        self._api_url = QLineEdit()
        self._api_url.setPlaceholderText("https://api.allegro.pl")
        self._auth_url = QLineEdit()
        self._auth_url.setPlaceholderText(self.tr("the same as the API address"))
        self._client_id = QLineEdit()
        self._client_secret = QLineEdit()
        self._client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self._connect = QPushButton(self.tr("Connect account"))
        self._connect.clicked.connect(self._on_connect)

        form = QFormLayout()
        form.addRow(self.tr("Environment:"), self._environment)
        form.addRow(self.tr("API address:"), self._api_url)
        form.addRow(self.tr("Sign-in address:"), self._auth_url)
        self._form = form
        form.addRow(self.tr("Client ID:"), self._client_id)
        form.addRow(self.tr("Client secret:"), self._client_secret)
        # What is missing from the fields is said beside them, not under the confirmation step below.
        self._form_error = QLabel()
        self._form_error.setTextFormat(Qt.TextFormat.PlainText)
        self._form_error.setWordWrap(True)
        self._form_error.setStyleSheet("color: #a3000b;")
        form.addRow("", self._form_error)
        form.addRow("", self._connect)
        account_box = QGroupBox(self.tr("Connect an Allegro account"))
        account_box.setLayout(form)

        self._code = QLabel()
        self._code.setTextFormat(Qt.TextFormat.PlainText)
        self._code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        relative_font(self._code, 2.0, bold=True)
        self._code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._status = QLabel()
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._status.setWordWrap(True)
        self._note = QLabel()  # the keyring warning: shown beside the code, kept until the page is reset
        self._note.setTextFormat(Qt.TextFormat.PlainText)
        self._note.setWordWrap(True)
        self._note.setStyleSheet("color: #5a4300;")
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
        flow_layout.addWidget(self._note)
        flow_layout.addLayout(flow_buttons)

        self._demo = QPushButton(self.tr("Try the demo"))
        self._demo.clicked.connect(self.demo_requested)
        self._back = QPushButton(self.tr("Back to the conversations"))
        self._back.clicked.connect(self.back_requested)
        self._back.hide()

        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addWidget(account_box)
        column.addWidget(self._flow_box)
        column.addSpacing(12)
        column.addWidget(self._demo, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self._back, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        host = QWidget()
        host.setLayout(column)
        host.setMaximumWidth(560)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(host, 2)
        outer.addStretch(1)
        self._update_custom_fields()
        self.reset()

    def reset(self, message: str = "") -> None:
        """Back to the form; message says why (an error or a cancellation)."""
        self._flow_box.setVisible(bool(message))
        self._code.setText("")
        self._open_page.setVisible(False)
        self._cancel.setVisible(False)
        self._status.setText(message)
        self._note.setText("")
        self._note.hide()
        self._show_form_error("")
        self._connect.setEnabled(True)

    def set_environment(self, name: str, api_url: str = "", auth_url: str = "") -> None:
        """Preselect the environment (from settings)."""
        self._environment.setCurrentIndex(max(0, self._environment.findData(name)))
        self._api_url.setText(api_url)
        self._auth_url.setText(auth_url)

    def fill(self, client_id: str, client_secret: str, environment: str | None = None) -> None:
        if environment is not None:
            self.set_environment(environment, self._api_url.text(), self._auth_url.text())
        self._client_id.setText(client_id)
        self._client_secret.setText(client_secret)

    def set_reconnecting(self, reconnecting: bool) -> None:
        """Shown to connect a known account again: the way back to its saved conversations instead of the demo."""
        self._back.setVisible(reconnecting)
        self._demo.setVisible(not reconnecting)

    def connect_now(self) -> None:
        """Start the device flow with what the form holds, as the Connect button does."""
        self._on_connect()

    def back_button(self) -> QPushButton:
        return self._back

    def _update_custom_fields(self) -> None:
        custom = self._environment.currentData() == "custom"
        for field in (self._api_url, self._auth_url):
            self._form.setRowVisible(field, custom)

    def _on_connect(self) -> None:
        client_id = self._client_id.text().strip()
        secret = self._client_secret.text().strip()
        environment = self._environment.currentData()
        api_url = self._api_url.text().strip() if environment == "custom" else ""
        if environment == "custom" and not api_url.startswith(("https://", "http://")):
            self._show_form_error(self.tr("Enter the API address of the test server, starting with https://."))
            return
        if not client_id or not secret:
            self._show_form_error(self.tr("Enter the Client ID and the Client secret from the Allegro developer "
                                          "portal (apps.developer.allegro.pl)."))
            return
        self._show_form_error("")
        self._connect.setEnabled(False)
        self._flow_box.show()
        self._status.setText(self.tr("Asking Allegro for a code…"))
        self.connect_requested.emit({
            "environment": environment, "client_id": client_id, "client_secret": secret, "api_url": api_url,
            "auth_url": self._auth_url.text().strip() if environment == "custom" else "",
        })

    def show_user_code(self, user_code: str, verification_url: str) -> None:
        self._verification_url = verification_url
        self._flow_box.show()
        self._code.setText(user_code)
        self._status.setText(self.tr("Open the Allegro page, sign in as the shop and confirm this code. "
                                     "This screen continues by itself."))
        self._open_page.setVisible(True)
        self._cancel.setVisible(True)

    def show_session_only_note(self) -> None:
        """No usable keyring: say so before the user confirms, not after a restart loses the sign-in."""
        self._note.setText(self.tr("This computer has no usable password store (keyring): the sign-in tokens are "
                                   "kept for this session only, and you will sign in again after the program "
                                   "is restarted."))
        self._note.show()

    def show_failure(self, error: BaseException) -> None:
        """Back to the form with what went wrong and what to do next."""
        self.reset(self.describe_failure(error))

    def describe_failure(self, error: BaseException) -> str:
        reason = error.reason if isinstance(error, SignInError) else None
        log.info("sign-in did not finish: %s", error)
        if reason == "cancelled":
            return self.tr("Signing in was cancelled.")
        if reason == "access_denied":
            return self.tr("The access was refused on the Allegro page. To connect the account, press "
                           "\u201cConnect account\u201d again and confirm the code.")
        if reason == "expired":
            return self.tr("The code expired before it was confirmed. Press \u201cConnect account\u201d to get "
                           "a new code.")
        if reason in ("invalid_client", "unauthorized_client"):
            return self.tr("Allegro did not accept the Client ID or the Client secret. Check them at "
                           "apps.developer.allegro.pl (the application must be of the \u201cdevice\u201d type) "
                           "and try again.")
        if isinstance(error, ValueError):  # incomplete details, caught before any request
            return self.tr("Enter the Client ID and the Client secret; for custom addresses also the API "
                           "address, starting with https://.")
        if errors.is_offline(error):
            return self.tr("Allegro could not be reached. Check the internet connection and try again.")
        return errors.describe(error, doing="signing in")

    def _show_form_error(self, message: str) -> None:
        self._form_error.setText(message)
        self._form_error.setVisible(bool(message))

    def status_text(self) -> str:
        return self._status.text()

    def form_error_text(self) -> str:
        return self._form_error.text() if not self._form_error.isHidden() else ""

    def confirmation_shown(self) -> bool:
        """Whether the "Confirm on Allegro" step (code, progress, the outcome) is on screen."""
        return not self._flow_box.isHidden()

    def visible_texts(self) -> list[str]:
        """The page's own headings and labels as shown (tests read the wording)."""
        labels = [label.text() for label in self.findChildren(QLabel) if label.text()]
        boxes = [box.title() for box in self.findChildren(QGroupBox)]
        buttons = [button.text() for button in self.findChildren(QPushButton)]
        return [*labels, *boxes, *buttons]

    def note_text(self) -> str:
        return self._note.text() if not self._note.isHidden() else ""

    def user_code(self) -> str:
        return self._code.text()

    def connect_button(self) -> QPushButton:
        return self._connect

    def cancel_button(self) -> QPushButton:
        return self._cancel

    def open_page_button(self) -> QPushButton:
        return self._open_page

    def demo_button(self) -> QPushButton:
        return self._demo

    def _on_open_page(self) -> None:
        if self._verification_url:
            self.open_url(QUrl(self._verification_url))
