"""The window's search feedback: the open conversation highlights what the search matched, and a search that
finds nothing says so over the list, until rows come or the search is cleared."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from ui_sample_data import ANNA, add_thread, message, thread_id

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro

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


def test_a_search_that_finds_nothing_says_so_until_it_is_cleared(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    notice = window.nothing_found_notice()
    assert not notice.isVisible()
    qtbot.keyClicks(window.search_box(), "zzyzx")
    qtbot.waitUntil(lambda: notice.isVisible(), timeout=3000)
    assert notice.title() == "Nic nie znaleziono dla \u201ezzyzx\u201d"
    assert notice.hint() == "Sprawdź pisownię albo wyczyść wyszukiwanie (Esc)."
    viewport = window.list_view().viewport()
    assert notice.geometry() == viewport.rect()  # over the whole list, its text centred in it
    qtbot.keyClick(window.search_box(), Qt.Key.Key_Escape)
    assert not notice.isVisible()
    assert window.list_model().rowCount() == 4


def test_the_notice_names_a_long_search_shortened_and_leaves_when_rows_come(
        qtbot: Any, make_window: Callable[..., Any], fake_allegro: DemoAllegro) -> None:
    window = make_window()
    notice = window.nothing_found_notice()
    long_search = "kaloryfer " + "x" * 300
    window.set_search(long_search)
    assert notice.isVisible()
    assert "\u2026" in notice.title() and notice.title().endswith("\u201d")
    title = notice.findChild(QLabel, "nothingFoundTitle")
    viewport = window.list_view().viewport()
    assert title.fontMetrics().horizontalAdvance(notice.title()) <= viewport.width()
    wide = notice.title()
    window.splitter().setSizes([260, 700, 320])  # a narrower list: shortened again, still centred on it
    qtbot.waitUntil(lambda: notice.geometry() == viewport.rect(), timeout=3000)
    assert len(notice.title()) < len(wide)
    assert title.fontMetrics().horizontalAdvance(notice.title()) <= viewport.width()
    window.set_search("kaloryfer")
    assert notice.isVisible()
    data = fake_allegro.data
    add_thread(data, thread_id("kaloryferNowy"), "zofia_k", [message(data, "Kaloryfer przyszedł wgnieciony", 0,
                                                                      "zofia_k")])
    with qtbot.waitSignal(window.sync_finished, timeout=10000):
        window.sync_now()
    qtbot.waitUntil(lambda: window.list_model().rowCount() == 1, timeout=3000)
    assert not notice.isVisible()
    _idle(qtbot, window)


def test_an_empty_inbox_without_a_search_shows_no_notice(qtbot: Any, make_window: Callable[..., Any],
                                                         fake_allegro: DemoAllegro) -> None:
    fake_allegro.data.threads.clear()
    fake_allegro.data.issues.clear()
    window = make_window()
    assert window.list_model().rowCount() == 0
    assert not window.nothing_found_notice().isVisible()
    window.set_search("paczka")
    assert window.nothing_found_notice().isVisible()
    window.set_search("")
    assert not window.nothing_found_notice().isVisible()


def test_the_notice_is_in_english_in_english(qtbot: Any, make_window: Callable[..., Any],
                                             context: AppContext) -> None:
    window = make_window(AppContext(paths=context.paths, language="en", demo=True))
    window.set_search("zzyzx")
    assert window.nothing_found_notice().title() == "Nothing found for \u201czzyzx\u201d"
    assert window.nothing_found_notice().hint() == "Check the spelling or clear the search (Esc)."
