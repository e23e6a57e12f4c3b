"""Choosing the day a conversation comes back in the reminders filter: a date with a calendar, in the locale's
format. A day already past is allowed: the reminder is due at once."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


class ReminderDialog(QDialog):
    def __init__(self, current: date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderDialog")
        self.setWindowTitle(self.tr("Remind me"))
        label = QLabel(self.tr("On this day the conversation shows in “Reminders”:"))
        label.setWordWrap(True)
        chosen = current or date.today() + timedelta(days=1)
        self._date = QDateEdit(QDate(chosen.year, chosen.month, chosen.day))
        self._date.setCalendarPopup(True)
        self._date.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
        self._date.setAccessibleName(self.tr("Reminder date"))
        label.setBuddy(self._date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self._date)
        layout.addWidget(buttons)

    def date_edit(self) -> QDateEdit:
        return self._date

    def chosen_date(self) -> date:
        chosen = self._date.date()
        return date(chosen.year(), chosen.month(), chosen.day())
