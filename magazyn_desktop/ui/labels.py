"""Words the inbox shows for stored codes (conversation kinds, authors, outbox states, order statuses), the
program's name, dates and times, and the time left to a deadline.

Translated at call time (QCoreApplication.translate), so a language installed later is picked up.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QObject

from magazyn_desktop.domain.deadlines import TimeLeft, TimeUnit
from magazyn_desktop.domain.vocabulary import OutboxState, Role, SubKind


def app_display_name() -> str:
    """The program's name in window titles: in Polish a name that reads as Polish, not the package's."""
    return QCoreApplication.translate("Labels", "magazyn-desktop", "the program's name in window titles")


def kind_label(sub_kind: str) -> str:
    if sub_kind == SubKind.COMMON:
        return QCoreApplication.translate("Labels", "Message")
    if sub_kind == SubKind.POST_PURCHASE_ISSUE:
        return QCoreApplication.translate("Labels", "Purchase problem")
    if sub_kind == SubKind.DISPUTE:
        return QCoreApplication.translate("Labels", "Discussion")
    if sub_kind == SubKind.CLAIM:
        return QCoreApplication.translate("Labels", "Claim")
    return sub_kind


def role_label(role: str) -> str:
    if role == Role.BUYER:
        return QCoreApplication.translate("Labels", "Buyer")
    if role == Role.SELLER:
        return QCoreApplication.translate("Labels", "You")
    if role == Role.ALLEGRO:
        return QCoreApplication.translate("Labels", "Allegro")
    return role


# A reply kept on this bench while the team's database was away: not in the outbox yet, so no OutboxState of its own.
WAITING_FOR_DATABASE = "spooled"


def outbox_state_label(state: str, reason: str | None = None) -> str:
    if state == WAITING_FOR_DATABASE:
        return QCoreApplication.translate("Labels", "waiting for the database")
    if state == OutboxState.QUEUED:
        return QCoreApplication.translate("Labels", "queued")
    if state == OutboxState.SENDING:
        return QCoreApplication.translate("Labels", "sending")
    if state == OutboxState.SENT:
        return QCoreApplication.translate("Labels", "sent")
    if state == OutboxState.FAILED:
        text = QCoreApplication.translate("Labels", "error")
        return f"{text}: {reason}" if reason else text
    if state == OutboxState.UNCERTAIN:
        return QCoreApplication.translate("Labels", "uncertain, checking")
    return state


class DeadlineWords(QObject):
    """A QObject only because lupdate reads plural (%n) texts from tr() alone, not from translate()."""

    def time_left(self, left: TimeLeft) -> str:
        count = left.amount  # a plain name: lupdate does not take an attribute for the count
        if left.overdue:
            if left.unit == TimeUnit.DAYS:
                return self.tr("%n day(s) overdue", "", count)
            if left.unit == TimeUnit.HOURS:
                return self.tr("%n h overdue", "", count)
            return self.tr("%n min overdue", "", count)
        if left.unit == TimeUnit.DAYS:
            return self.tr("%n day(s) left", "", count)
        if left.unit == TimeUnit.HOURS:
            return self.tr("%n h left", "", count)
        return self.tr("%n min left", "", count)


_deadline_words: list[DeadlineWords] = []  # one, made at the first use


def time_left_label(left: TimeLeft) -> str:
    """ "2 days left", "3 h overdue"; %n picks the form Polish gives the number (1 dzień, 2 dni, 5 dni)."""
    if not _deadline_words:
        _deadline_words.append(DeadlineWords())
    return _deadline_words[0].time_left(left)


def fulfillment_label(status: str | None) -> str:
    known = {
        "NEW": QCoreApplication.translate("Labels", "new"),
        "PROCESSING": QCoreApplication.translate("Labels", "processing"),
        "READY_FOR_SHIPMENT": QCoreApplication.translate("Labels", "ready for shipment"),
        "READY_FOR_PICKUP": QCoreApplication.translate("Labels", "ready for pickup"),
        "SENT": QCoreApplication.translate("Labels", "sent", "order status"),
        "PICKED_UP": QCoreApplication.translate("Labels", "picked up"),
        "CANCELLED": QCoreApplication.translate("Labels", "cancelled"),
        "SUSPENDED": QCoreApplication.translate("Labels", "suspended"),
        "RETURNED": QCoreApplication.translate("Labels", "returned"),
    }
    if not status:
        return "—"
    return known.get(status, status)


def format_time(value: datetime | None, *, now: datetime | None = None) -> str:
    """Local time in the language's format: hours and minutes for today, day and month this year, else the date."""
    if value is None:
        return ""
    local = QDateTime.fromSecsSinceEpoch(int(value.timestamp())).toLocalTime()
    today = (QDateTime.fromSecsSinceEpoch(int(now.timestamp())) if now else QDateTime.currentDateTime()).toLocalTime()
    locale = QLocale()  # the language's, set by i18n.install_translator
    if local.date() == today.date():
        return locale.toString(local.time(), QLocale.FormatType.ShortFormat)
    if local.date().year() == today.date().year():
        return locale.toString(local.date(), "d MMM")  # Polish and British English both put the day first
    return locale.toString(local.date(), QLocale.FormatType.ShortFormat)


def format_datetime(value: datetime | None) -> str:
    """Local date and time in the language's short format ("1.12.2026 09:05" in Polish)."""
    if value is None:
        return ""
    local = QDateTime.fromSecsSinceEpoch(int(value.timestamp())).toLocalTime()
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)


def format_date(value: date) -> str:
    """A date in the language's short format ("20.11.2026" in Polish)."""
    return QLocale().toString(QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat)


def done_mark() -> str:
    """The list row's mark of a conversation a user marked as needing no reply."""
    return QCoreApplication.translate("Labels", "no reply needed")


def reminder_mark(on: date) -> str:
    return QCoreApplication.translate("Labels", "reminder %1").replace("%1", format_date(on))
