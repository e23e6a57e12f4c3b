"""The list row's context menu: what can be done with a conversation without opening it first, with the keys that
do the same from the list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from magazyn_desktop.store.inbox_records import ConversationRow

MARK_UNREAD_KEYS = "Ctrl+U"
MARK_READ_KEYS = "Ctrl+Shift+U"
DONE_KEYS = "Ctrl+E"  # toggles "no reply needed"; Ctrl+Z right after takes it back
NOTE_KEYS = "Ctrl+N"
UNDO_KEYS = "Ctrl+Z"
TAKE_KEYS = "Ctrl+M"  # M: it goes to "Moje" ("Mine")


@dataclass(frozen=True)
class RowActions:
    """What the window does for the menu's entries, each given the conversation's id."""

    open: Callable[[str], None]
    reply: Callable[[str], None]
    mark_read: Callable[[str], None]
    mark_unread: Callable[[str], None]
    toggle_done: Callable[[str], None]
    add_note: Callable[[str], object]  # opens the note's dialog
    remind: Callable[[str], object]  # opens the reminder's dialog
    clear_reminder: Callable[[str], None]
    team: TeamRowActions | None = None  # team mode's; None on a single bench, whose menu has no assignment


@dataclass(frozen=True)
class TeamRowActions:
    """Who has the conversation: the person at this bench, and what the window does to take, release or hand it."""

    person: Callable[[], str]
    take: Callable[[str], None]
    release: Callable[[str], None]
    hand_to: Callable[[str], object]  # opens the dialog choosing the person


def _add_assignment_actions(menu: QMenu, row: ConversationRow, team: TeamRowActions) -> None:
    """"Take" (or "Release" when it is mine) and "Hand to…"."""
    translate = QCoreApplication.translate
    if row.assignee is not None and row.assignee == team.person():
        menu.addAction(translate("RowMenu", "Release"), lambda: team.release(row.id))
    else:
        menu.addAction(translate("RowMenu", "Take"), QKeySequence(TAKE_KEYS), lambda: team.take(row.id))
    menu.addAction(translate("RowMenu", "Hand to…"), lambda: team.hand_to(row.id))


def row_menu(parent: QWidget, row: ConversationRow, actions: RowActions) -> QMenu:
    translate = QCoreApplication.translate
    menu = QMenu(parent)
    menu.setObjectName("rowMenu")
    menu.addAction(translate("RowMenu", "Open"), QKeySequence(Qt.Key.Key_Return), lambda: actions.open(row.id))
    reply = menu.addAction(translate("RowMenu", "Reply"), QKeySequence("R"), lambda: actions.reply(row.id))
    reply.setEnabled(row.can_reply and not row.closed)
    menu.addSeparator()
    if row.read:
        menu.addAction(translate("RowMenu", "Mark as unread"), QKeySequence(MARK_UNREAD_KEYS),
                       lambda: actions.mark_unread(row.id))
    else:
        menu.addAction(translate("RowMenu", "Mark as read"), QKeySequence(MARK_READ_KEYS),
                       lambda: actions.mark_read(row.id))
    done_text = translate("RowMenu", "Needs a reply after all") if row.done else translate("RowMenu", "No reply needed")
    menu.addAction(done_text, QKeySequence(DONE_KEYS), lambda: actions.toggle_done(row.id))
    menu.addAction(translate("RowMenu", "Add a note…"), QKeySequence(NOTE_KEYS), lambda: actions.add_note(row.id))
    menu.addAction(translate("RowMenu", "Remind…"), lambda: actions.remind(row.id))
    if row.remind_on is not None:
        menu.addAction(translate("RowMenu", "Remove the reminder"), lambda: actions.clear_reminder(row.id))
    if actions.team is not None:
        menu.addSeparator()
        _add_assignment_actions(menu, row, actions.team)
    menu.addSeparator()
    if row.interlocutor_login:
        login = row.interlocutor_login
        menu.addAction(translate("RowMenu", "Copy the buyer's login"), lambda: _copy(login))
    if row.order_id:
        order_id = row.order_id
        menu.addAction(translate("RowMenu", "Copy the order number"), lambda: _copy(order_id))
    menu.addAction(translate("RowMenu", "Copy the conversation number"), lambda: _copy(row.id))
    for action in menu.actions():
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # shown as hints; the list has the keys
    return menu


def _copy(text: str) -> None:
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)
