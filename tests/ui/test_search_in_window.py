"""The window's search feedback: the open conversation highlights what the search matched, and a search that
finds nothing says so over the list, until rows come or the search is cleared."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from PySide6.QtCore import Qt
from ui_sample_data import ANNA

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen, shown views


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def test_a_conversation_opened_from_a_search_highlights_it_until_the_search_is_cleared(
        qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    view = window.conversation_view()
    window.set_search("paczke")
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.list_view().setCurrentIndex(window.list_model().index(window.list_model().row_of(ANNA), 0))
    assert view.search == "paczke"
    window.focus_search()
    qtbot.keyClick(window.search_box(), Qt.Key.Key_Escape)  # Esc in the search box clears it
    assert window.search_box().text() == ""
    assert view.search == ""
    assert view.conversation_id == ANNA  # the conversation stays open, without highlights
    _idle(qtbot, window)
