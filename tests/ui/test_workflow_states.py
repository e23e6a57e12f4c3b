"""Done (no reply needed, undoable), internal notes and reminders from the window: keys, the row menu, dialogs, the
note cards, the row marks and the "Przypomnienia" filter."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any, Callable

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QMenu
from ui_sample_data import ANNA, MAREK

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.ui.message_card_model import NOTE_STYLE

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen dialogs


def _column(context: AppContext, conversation_id: str, column: str) -> Any:
    db = sqlite3.connect(context.paths.database)
    try:
        return db.execute(f"SELECT {column} FROM conversations WHERE id=?", (conversation_id,)).fetchone()[0]
    finally:
        db.close()


def _menu(window: Any, conversation_id: str) -> QMenu:
    position = window.list_model().row_of(conversation_id)
    assert position is not None
    menu = window.row_menu(position)
    assert menu is not None
    return menu


def _texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if a.text()]


def _trigger(menu: QMenu, text: str) -> None:
    next(a for a in menu.actions() if a.text() == text).trigger()


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def _select(qtbot: Any, window: Any, conversation_id: str) -> None:
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(conversation_id)
    window._list.setFocus()
    qtbot.waitUntil(window._list.hasFocus, timeout=2000)


def test_ctrl_e_marks_no_reply_needed_and_ctrl_z_right_after_undoes_it(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext) -> None:
    window = make_window()
    assert _column(context, ANNA, "needs_reply") == 1
    _select(qtbot, window, ANNA)
    qtbot.keyClick(window._list, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _column(context, ANNA, "needs_reply") == 0, timeout=5000)
    assert _column(context, ANNA, "done_at") is not None
    qtbot.waitUntil(lambda: "bez odpowiedzi" in window.list_model().index(
        window.list_model().row_of(ANNA), 0).data(Qt.ItemDataRole.AccessibleTextRole), timeout=5000)
    qtbot.keyClick(window._list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _column(context, ANNA, "needs_reply") == 1, timeout=5000)
    assert _column(context, ANNA, "done_at") is None
    _idle(qtbot, window)


def test_the_row_menu_entry_toggles_no_reply_needed(qtbot: Any, make_window: Callable[..., Any],
                                                    context: AppContext) -> None:
    window = make_window()
    assert "Wymaga jednak odpowiedzi" not in _texts(_menu(window, ANNA))
    _trigger(_menu(window, ANNA), "Nie wymaga odpowiedzi")
    qtbot.waitUntil(lambda: "Wymaga jednak odpowiedzi" in _texts(_menu(window, ANNA)), timeout=5000)
    assert _column(context, ANNA, "needs_reply") == 0
    _trigger(_menu(window, ANNA), "Wymaga jednak odpowiedzi")
    qtbot.waitUntil(lambda: _column(context, ANNA, "needs_reply") == 1, timeout=5000)
    _idle(qtbot, window)


def test_a_note_is_shown_as_typed_in_a_card_of_its_own(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    _select(qtbot, window, ANNA)
    qtbot.keyClick(window._list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(object, "noteDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.editor().setPlainText("<b>Zadzwonić</b> do kupującej po 15:00")
    dialog.accept()

    def note_cards() -> list[Any]:
        cards = window.conversation_view().message_list().model().cards()
        return [card for card in cards if card.style == NOTE_STYLE]

    qtbot.waitUntil(lambda: len(note_cards()) == 1, timeout=5000)
    card = note_cards()[0]
    assert card.text == "<b>Zadzwonić</b> do kupującej po 15:00"
    assert card.header.startswith("Notatka wewnętrzna · ")
    _idle(qtbot, window)


def test_a_note_of_100000_characters_cannot_be_saved_and_says_why(qtbot: Any,
                                                                 make_window: Callable[..., Any]) -> None:
    window = make_window()
    dialog = window.add_note(ANNA)
    dialog.editor().setPlainText("x" * 100_000)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    assert not ok.isEnabled()
    assert "10 000" in dialog.problem_text().replace("\xa0", " ")
    dialog.editor().setPlainText("krótka notatka")
    assert ok.isEnabled() and dialog.problem_text() == ""
    dialog.reject()
    _idle(qtbot, window)


def test_a_reminder_in_the_past_is_due_at_once_in_the_reminders_filter_and_can_be_removed(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext) -> None:
    window = make_window()
    assert window.filter_button(Filter.REMINDERS).text().startswith("Przypomnienia")
    _trigger(_menu(window, MAREK), "Przypomnij…")
    dialog = window.findChild(object, "reminderDialog")
    assert dialog is not None and dialog.date_edit().calendarPopup()
    yesterday = date.today() - timedelta(days=1)
    dialog.date_edit().setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    dialog.accept()
    qtbot.waitUntil(lambda: _column(context, MAREK, "remind_on") == yesterday.isoformat(), timeout=5000)
    # Ctrl+6 shows it (focus after a closed dialog is the window manager's: the action is triggered here).
    [show_reminders] = [action for action in window.findChildren(QAction) if action.text() == "Pokaż: Przypomnienia"]
    assert show_reminders.shortcut().toString() == "Ctrl+6"
    show_reminders.trigger()
    assert window.list_model().filter is Filter.REMINDERS
    qtbot.waitUntil(lambda: window.list_model().row_of(MAREK) is not None
                    and window.list_model().row_of(ANNA) is None, timeout=5000)
    assert "przypomnienie" in window.list_model().index(window.list_model().row_of(MAREK), 0).data(
        Qt.ItemDataRole.AccessibleTextRole)
    _trigger(_menu(window, MAREK), "Usuń przypomnienie")
    qtbot.waitUntil(lambda: _column(context, MAREK, "remind_on") is None, timeout=5000)
    qtbot.waitUntil(lambda: window.list_model().row_of(MAREK) is None, timeout=5000)
    _idle(qtbot, window)
