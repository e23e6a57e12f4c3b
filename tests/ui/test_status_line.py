"""The status bar: notices go away on their own, errors stay until staff dismiss them (close button or Esc)."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt

SHORT_MS = 50  # the notices' life in these tests, instead of the window's ten seconds


def _an_error(qtbot: Any, window: Any) -> str:
    """A search typed and confirmed with Enter that finds nothing: the window names it as a problem."""
    window.focus_search()
    with qtbot.waitSignal(window.user_message, timeout=5000) as told:
        qtbot.keyClicks(window.search_box(), "zzzbrak")
        qtbot.keyClick(window.search_box(), Qt.Key.Key_Return)
    return str(told.args[0])


def test_a_notice_goes_away_after_its_time(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    assert "Aktualne" in window.status_text()  # the first sync's notice, still within its ten seconds
    window.status_line().notice_timeout_ms = SHORT_MS
    with qtbot.waitSignal(window.sync_finished, timeout=10000):
        window.sync_now()
    assert "Aktualne" in window.status_text()
    qtbot.waitUntil(lambda: window.status_text() == "", timeout=2000)


def test_an_error_outlives_notices_until_its_close_button_is_clicked(
        qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    window.status_line().notice_timeout_ms = SHORT_MS
    message = _an_error(qtbot, window)
    assert "zzzbrak" in message
    with qtbot.waitSignal(window.sync_finished, timeout=10000):
        window.sync_now()  # its notices come and go
    qtbot.waitUntil(lambda: window.status_line().notice_text() == "", timeout=2000)
    assert message in window.status_text()
    assert window.status_line().error_box().isVisible()
    qtbot.mouseClick(window.status_line().dismiss_button(), Qt.MouseButton.LeftButton)
    assert window.status_text() == ""
    assert not window.status_line().error_box().isVisible()


def test_esc_on_the_error_dismisses_it(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    _an_error(qtbot, window)
    button = window.status_line().dismiss_button()
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus, timeout=2000)
    qtbot.keyClick(button, Qt.Key.Key_Escape)
    assert window.status_line().error_text() == ""
    assert not button.hasFocus()


def test_esc_elsewhere_leaves_the_error_standing(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    message = _an_error(qtbot, window)
    qtbot.keyClick(window.search_box(), Qt.Key.Key_Escape)  # clears the search: the window's own Esc
    assert window.search_box().text() == ""
    assert message in window.status_line().error_text()


def test_a_newer_error_replaces_the_older_and_says_when_it_happened(
        qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    _an_error(qtbot, window)
    window.search_box().clear()
    with qtbot.waitSignal(window.user_message, timeout=5000):
        qtbot.keyClicks(window.search_box(), "qqqinny")
        qtbot.keyClick(window.search_box(), Qt.Key.Key_Return)
    shown = window.status_line().error_text()
    assert "qqqinny" in shown and "zzzbrak" not in shown
    assert shown[:5].replace(":", "").isdigit()  # "HH:mm – ...": an error from the morning does not read as news


def test_a_long_error_keeps_the_status_bar_one_line_high(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window(start=False)
    line = window.status_line()
    before = window.statusBar().sizeHint().height()
    long_text = "Nie udało się wysłać odpowiedzi, bo " + "bardzo długi powód " * 30
    window._show_message(long_text)  # as any controller's show_message does
    assert long_text in line.error_text()  # the whole text is kept, and shown in the tooltip
    assert long_text in line._error.toolTip()
    assert window.statusBar().sizeHint().height() <= before + 2 * line.fontMetrics().height()
    assert window.minimumSizeHint().width() <= window.width()  # the text does not widen the window
