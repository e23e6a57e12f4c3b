"""Ctrl+plus / Ctrl+minus / Ctrl+0 scale the whole window, the order panel hides and shows with Ctrl+J, and both
are remembered."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_sample_data import ANNA

from magazyn_desktop.app.window_state import load_window_state
from magazyn_desktop.ui import zoom


def test_zoom_steps() -> None:
    assert zoom.step(1.0, 1) == 1.1 and zoom.step(1.0, -1) == 0.9 and zoom.step(1.6, 0) == 1.0
    assert zoom.step(2.0, 1) == 2.0 and zoom.step(0.8, -1) == 0.8  # the ends hold
    assert zoom.step(1.05, 1) == 1.1 and zoom.step(1.05, -1) == 1.0


def test_ctrl_plus_scales_rows_cards_and_titles_and_ctrl_0_goes_back(
        qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    base = QApplication.font().pointSizeF()
    row = window._list.sizeHintForRow(0)
    title = window.conversation_view()._title.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom_factor == 1.25
    assert QApplication.font().pointSizeF() == base * 1.25
    assert window._list.sizeHintForRow(0) > row
    assert window.conversation_view()._title.font().pointSizeF() > title  # its own size scaled, still bold
    assert window.conversation_view()._title.font().bold()
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom_factor == 1.0 and QApplication.font().pointSizeF() == base
    assert window._list.sizeHintForRow(0) == row


def test_zoom_and_the_order_panel_are_remembered(qtbot: Any, make_window: Callable[..., Any], context: Any) -> None:
    window = make_window()
    base = QApplication.font().pointSizeF()
    window.set_zoom(1.4)
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert window.order_panel().isHidden()
    window.close()
    window.shutdown()
    assert QApplication.font().pointSizeF() == base  # given back to the application
    state = load_window_state(context.paths.window_state_file)
    assert state is not None and state.zoom == 1.4 and state.order_panel_visible is False
    again = make_window()
    assert again.zoom_factor == 1.4 and again.order_panel().isHidden()
    again.set_order_panel_visible(True)
    assert not again.order_panel().isHidden()


def test_the_list_never_scrolls_sideways_on_a_narrow_screen(qtbot: Any, make_window: Callable[..., Any]) -> None:
    from PySide6.QtCore import QRect

    window = make_window()
    window.place_on_screens([QRect(0, 0, 1024, 728)])
    window.search_box().setText("paczka")  # the filters lose their numbers: the list may get narrower
    qtbot.waitUntil(lambda: window.list_model().rowCount() > 0)
    window.splitter().setSizes([250, 500, 274])
    qtbot.waitUntil(lambda: window._list.viewport().width() < 320)  # narrower than a row once asked for
    assert not window._list.horizontalScrollBar().isVisible()
    rect = window._list.visualRect(window.list_model().index(0, 0))
    assert rect.right() <= window._list.viewport().width()  # the row, its time and marks, fit the list
