"""The list row's menu: open, reply, mark read or unread (kept unread here whatever Allegro says), copy ids."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu
from ui_sample_data import ANNA, MAREK, read_in_cache

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro


def _menu(window: Any, conversation_id: str) -> QMenu:
    position = window.list_model().row_of(conversation_id)
    assert position is not None
    menu = window.row_menu(position)
    assert menu is not None
    return menu


def _trigger(menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    action.trigger()


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def test_mark_unread_keeps_a_conversation_unread_here_through_syncs(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext, fake_allegro: DemoAllegro) -> None:
    window = make_window()
    assert read_in_cache(context.paths, MAREK) and fake_allegro.data.threads[MAREK].read
    texts = [a.text() for a in _menu(window, MAREK).actions() if a.text()]
    assert "Oznacz jako nieprzeczytaną" in texts and "Oznacz jako przeczytaną" not in texts
    _trigger(_menu(window, MAREK), "Oznacz jako nieprzeczytaną")
    qtbot.waitUntil(lambda: not read_in_cache(context.paths, MAREK), timeout=5000)
    # Allegro still says read: a sync does not take the mark away.
    with qtbot.waitSignal(window.sync_finished, timeout=10000):
        window.sync_now()
    _idle(qtbot, window)
    assert not read_in_cache(context.paths, MAREK)
    assert "Oznacz jako przeczytaną" in [a.text() for a in _menu(window, MAREK).actions()]
    _trigger(_menu(window, MAREK), "Oznacz jako przeczytaną")
    qtbot.waitUntil(lambda: read_in_cache(context.paths, MAREK), timeout=5000)
    _idle(qtbot, window)


def test_ctrl_u_in_the_list_marks_the_current_row_unread(qtbot: Any, make_window: Callable[..., Any],
                                                         context: AppContext) -> None:
    window = make_window()
    window.apply_settings(window.settings.with_changes(mark_read_after_ms=60_000))
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(MAREK)
    window._list.setFocus()
    qtbot.keyClick(window._list, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not read_in_cache(context.paths, MAREK), timeout=5000)
    _idle(qtbot, window)


def test_the_menu_copies_ids_and_reply_goes_to_the_reply_box(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    _trigger(_menu(window, ANNA), "Kopiuj login kupującego")
    assert QGuiApplication.clipboard().text() == "anna_k"
    _trigger(_menu(window, ANNA), "Kopiuj numer rozmowy")
    assert QGuiApplication.clipboard().text() == ANNA
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        _trigger(_menu(window, ANNA), "Odpowiedz")
    qtbot.waitUntil(lambda: window.composer().editor().hasFocus() or QGuiApplication.focusObject()
                    is window.composer().editor(), timeout=5000)
    _idle(qtbot, window)
