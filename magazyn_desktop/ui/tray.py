"""The tray icon: a way back to the window, the unread count in its tooltip, new-message notifications, and the
notice that a claim's or dispute's deadline is less than a working day away."""

from __future__ import annotations

import html
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from magazyn_desktop.ui.app_icon import app_icon
from magazyn_desktop.ui.labels import format_datetime, kind_label
from magazyn_desktop.ui.visible_text import visible_controls

if TYPE_CHECKING:
    from magazyn_desktop.store.deadline_notices import DeadlineNotice
    from magazyn_desktop.sync.engine import NewBuyerMessage

MAX_NOTIFICATIONS_PER_SYNC = 3


def notification_text(item: NewBuyerMessage) -> tuple[str, str]:
    """Who wrote a new message and its start, on one line, with bidi controls shown.

    On Linux the notification goes to a desktop notification server, which may render a subset of HTML in its
    body (the "body-markup" capability), so buyer text is escaped there; elsewhere it is shown as plain text."""
    login = item.author_login or ""
    text = " ".join(item.text.split())[:120]
    login, text = visible_controls(login), visible_controls(text)
    if sys.platform.startswith("linux"):
        login, text = html.escape(login, quote=False), html.escape(text, quote=False)
    return login, text


class InboxTray(QObject):
    """Does nothing where the platform has no system tray, so callers never need to ask."""

    def __init__(self, window: QWidget, show_inbox: Callable[[], None], quit_: Callable[[], object]) -> None:
        super().__init__(window)
        self._icon: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        self._icon = QSystemTrayIcon(app_icon(), window)
        menu = QMenu(window)
        menu.addAction(self.tr("Show the inbox"), show_inbox)
        menu.addAction(self.tr("Quit"), quit_)
        self._icon.setContextMenu(menu)
        self._icon.activated.connect(lambda _reason: show_inbox())
        self._icon.show()

    def show_unread(self, unread: int) -> None:
        if self._icon is not None:
            self._icon.setToolTip(self.unread_tooltip(unread))

    def notify_new_messages(self, new_messages: Sequence[NewBuyerMessage]) -> None:
        """A few messages are shown one by one, the rest summed up."""
        if self._icon is None or not new_messages:
            return
        title = self.tr("New message from a buyer")
        items = list(new_messages)
        for item in items[:MAX_NOTIFICATIONS_PER_SYNC]:
            login, text = notification_text(item)
            self._icon.showMessage(f"{title}: {login}" if login else title, text)
        if len(items) > MAX_NOTIFICATIONS_PER_SYNC:
            self._icon.showMessage(title, self.more_messages_text(len(items) - MAX_NOTIFICATIONS_PER_SYNC))

    def notify_deadlines(self, notices: Sequence[DeadlineNotice]) -> None:
        """Each near deadline once (the store remembers which were announced); past a few, their number."""
        if self._icon is None or not notices:
            return
        items = list(notices)
        for notice in items[:MAX_NOTIFICATIONS_PER_SYNC]:
            title, text = self.deadline_notice_text(notice)
            self._icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning)
        if len(items) > MAX_NOTIFICATIONS_PER_SYNC:
            self._icon.showMessage(self.tr("Deadlines within a working day"),
                                   self.more_deadlines_text(len(items) - MAX_NOTIFICATIONS_PER_SYNC),
                                   QSystemTrayIcon.MessageIcon.Warning)

    def deadline_notice_text(self, notice: DeadlineNotice) -> tuple[str, str]:
        login = visible_controls(notice.interlocutor_login or "")
        if sys.platform.startswith("linux"):
            login = html.escape(login, quote=False)
        title = self.tr("%1: deadline within a working day").replace("%1", kind_label(notice.sub_kind))
        text = self.tr("%1, due %2").replace("%1", login or self.tr("(unknown buyer)")).replace(
            "%2", format_datetime(notice.due_at))
        return title, text

    def more_deadlines_text(self, count: int) -> str:
        return self.tr("%n more deadlines within a working day", None, count)

    def unread_tooltip(self, unread: int) -> str:
        """Polish puts the noun in one of three forms by the number: tr's %n picks it."""
        return self.tr("magazyn-desktop: %n unread", None, unread)

    def more_messages_text(self, count: int) -> str:
        return self.tr("%n more new messages", None, count)

    def hide(self) -> None:
        if self._icon is not None:
            self._icon.hide()
