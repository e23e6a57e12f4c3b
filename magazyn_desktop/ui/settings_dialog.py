"""The settings dialog: the connected account (connect again, sign out), language, how often to check Allegro,
reading and notification habits, environment, and how the barcode scanner types."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from magazyn_desktop.app.settings import (
    MAX_MARK_READ_AFTER_MS,
    MAX_POLL_SECONDS,
    MAX_SCANNER_GAP_MS,
    MIN_POLL_SECONDS,
    MIN_SCANNER_GAP_MS,
    Settings,
)


@dataclass(frozen=True)
class AccountShown:
    """What the dialog says of the account: None login for one never named; `signed_in` False with the banner."""

    login: str | None
    environment: str  # production | sandbox | custom | demo
    signed_in: bool


RECONNECT = "reconnect"
SIGN_OUT = "sign_out"


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, account: AccountShown | None = None,
                 only_assignee_sends: bool | None = None) -> None:
        """`only_assignee_sends`: the account's rule as the team store has it (team mode); None leaves it out."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._original = settings
        self.account_action: str | None = None  # RECONNECT or SIGN_OUT, when the user asked for one
        self._account_box = self._account_section(account)
        self._only_assignee: QCheckBox | None = None
        self._only_assignee_shown = only_assignee_sends
        if only_assignee_sends is not None:
            self._only_assignee = QCheckBox(self.tr("Only the person who took a conversation may answer it "
                                                    "(for every bench of the team)"))
            self._only_assignee.setObjectName("onlyAssigneeSends")
            self._only_assignee.setChecked(only_assignee_sends)
            box_layout = self._account_box.layout()
            assert box_layout is not None  # _account_section gave it one
            box_layout.addWidget(self._only_assignee)

        self._language = QComboBox()
        self._language.addItem("Polski", "pl")
        self._language.addItem("English", "en")
        self._language.setCurrentIndex(max(0, self._language.findData(settings.language)))
        self._poll = QSpinBox()
        self._poll.setRange(MIN_POLL_SECONDS, MAX_POLL_SECONDS)
        self._poll.setSuffix(self.tr(" s"))
        self._poll.setValue(settings.poll_interval_seconds)
        self._mark_read = QCheckBox(self.tr("Mark a conversation as read when it has been open for"))
        self._mark_read.setChecked(settings.mark_read_on_open)
        self._mark_read_after = QDoubleSpinBox()
        self._mark_read_after.setRange(0.0, MAX_MARK_READ_AFTER_MS / 1000)
        self._mark_read_after.setDecimals(1)
        self._mark_read_after.setSingleStep(0.5)
        self._mark_read_after.setSuffix(self.tr(" s"))
        self._mark_read_after.setValue(settings.mark_read_after_ms / 1000)
        self._mark_read.toggled.connect(self._mark_read_after.setEnabled)
        self._mark_read_after.setEnabled(settings.mark_read_on_open)
        self._notifications = QCheckBox(self.tr("Show a notification for each new buyer message"))
        self._notifications.setChecked(settings.notifications)
        self._environment = QComboBox()
        self._environment.addItem(self.tr("Allegro (production)"), "production")
        self._environment.addItem(self.tr("Allegro sandbox (for testing)"), "sandbox")
        self._environment.addItem(self.tr("Custom addresses"), "custom")
        self._environment.setCurrentIndex(max(0, self._environment.findData(settings.environment)))
        self._api_url = QLineEdit(settings.api_url)
        self._api_url.setPlaceholderText("https://api.allegro.pl")
        self._auth_url = QLineEdit(settings.auth_url)
        self._auth_url.setPlaceholderText("https://allegro.pl")
        self._environment.currentIndexChanged.connect(self._update_urls)
        self._scanner_gap = QSpinBox()
        self._scanner_gap.setRange(MIN_SCANNER_GAP_MS, MAX_SCANNER_GAP_MS)
        self._scanner_gap.setSuffix(self.tr(" ms"))
        self._scanner_gap.setValue(settings.scanner_max_gap_ms)
        self._scanner_gap.setToolTip(self.tr("Keys that follow each other faster than this, ending in Enter, are "
                                             "taken as a scan wherever the cursor is."))
        self._scanner_prefix = QLineEdit(settings.scanner_prefix)
        self._scanner_prefix.setMaxLength(8)
        self._scanner_suffix = QLineEdit(settings.scanner_suffix)
        self._scanner_suffix.setMaxLength(1)
        self._scanner_suffix.setPlaceholderText(self.tr("Enter"))
        self._scan_sound = QCheckBox(self.tr("Beep when a scanned code matches no conversation"))
        self._scan_sound.setChecked(settings.scan_sound)
        note = QLabel(self.tr("A new language or environment is used after the program is restarted."))
        note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Language:"), self._language)
        form.addRow(self.tr("Check for new messages every:"), self._poll)
        reading = QHBoxLayout()
        reading.addWidget(self._mark_read)
        reading.addWidget(self._mark_read_after)
        reading.addStretch(1)
        form.addRow("", reading)
        form.addRow("", self._notifications)
        form.addRow(self.tr("Environment:"), self._environment)
        form.addRow(self.tr("API address:"), self._api_url)
        form.addRow(self.tr("Sign-in address:"), self._auth_url)
        form.addRow(self.tr("Scanner, longest gap between keys:"), self._scanner_gap)
        form.addRow(self.tr("Scanner prefix:"), self._scanner_prefix)
        form.addRow(self.tr("Scanner ends a code with:"), self._scanner_suffix)
        form.addRow("", self._scan_sound)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._account_box)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._update_urls()

    def _account_section(self, account: AccountShown | None) -> QGroupBox:
        box = QGroupBox(self.tr("Allegro account"))
        environments = {"production": self.tr("Allegro (production)"),
                        "sandbox": self.tr("Allegro sandbox (for testing)"),
                        "custom": self.tr("Custom addresses"), "demo": self.tr("demo data")}
        if account is None:
            text = self.tr("No account is connected.")
        else:
            name = account.login or self.tr("(login not known yet)")
            where = environments.get(account.environment, account.environment)
            state = self.tr("connected") if account.signed_in else self.tr("signed out: connect it again")
            text = self.tr("%1, %2: %3").replace("%1", name).replace("%2", where).replace("%3", state)
        self._account_text = QLabel(text)
        self._account_text.setWordWrap(True)
        self._reconnect = QPushButton(self.tr("Connect again…"))
        self._sign_out = QPushButton(self.tr("Sign out"))
        self._sign_out.setToolTip(self.tr("Removes this computer's sign-in tokens from the password store; the "
                                          "saved conversations stay."))
        real = account is not None and account.environment != "demo"
        self._reconnect.setEnabled(real)
        self._sign_out.setEnabled(real and account is not None and account.signed_in)
        self._reconnect.clicked.connect(lambda: self._finish_with(RECONNECT))
        self._sign_out.clicked.connect(lambda: self._finish_with(SIGN_OUT))
        buttons = QHBoxLayout()
        buttons.addWidget(self._reconnect)
        buttons.addWidget(self._sign_out)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self._account_text)
        layout.addLayout(buttons)
        return box

    def _finish_with(self, action: str) -> None:
        self.account_action = action
        self.accept()

    def account_text(self) -> str:
        return self._account_text.text()

    def reconnect_button(self) -> QPushButton:
        return self._reconnect

    def sign_out_button(self) -> QPushButton:
        return self._sign_out

    def _update_urls(self) -> None:
        custom = self._environment.currentData() == "custom"
        self._api_url.setEnabled(custom)
        self._auth_url.setEnabled(custom)

    def only_assignee_sends(self) -> bool | None:
        """The account's rule as chosen; None when the dialog did not offer it."""
        return self._only_assignee.isChecked() if self._only_assignee is not None else None

    def changed_only_assignee_sends(self) -> bool | None:
        """The account's rule when the user changed it; None when unchanged or not offered."""
        chosen = self.only_assignee_sends()
        return chosen if chosen != self._only_assignee_shown else None

    def result_settings(self) -> Settings:
        return self._original.with_changes(
            language=self._language.currentData(),
            poll_interval_seconds=self._poll.value(),
            mark_read_on_open=self._mark_read.isChecked(),
            mark_read_after_ms=round(self._mark_read_after.value() * 1000),
            notifications=self._notifications.isChecked(),
            environment=self._environment.currentData(),
            api_url=self._api_url.text().strip(),
            auth_url=self._auth_url.text().strip(),
            scanner_max_gap_ms=self._scanner_gap.value(),
            scanner_prefix=self._scanner_prefix.text(),
            scanner_suffix=self._scanner_suffix.text(),
            scan_sound=self._scan_sound.isChecked(),
        )
