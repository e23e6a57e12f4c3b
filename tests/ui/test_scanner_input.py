"""A barcode scanner types a burst of characters ending in Enter. Wherever the focus is -- the list, the reply box,
the search box, the conversation -- a burst is a scan: it opens the matching conversation and leaves nothing in a
draft or in the list's type-ahead. Keys typed at a person's speed reach the widget as they always did.

Key events are synthetic; their timing comes from a clock the test moves, at scanner speed (8 ms a key) and at
typing speed (150 ms a key).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from ui_sample_data import ANNA, CLAIM_ID, MAREK, MAREK_WAYBILL, ORDER_ANNA

from magazyn_desktop.ui.scanner_input import ScannerInput, ScannerTiming

SCANNER_GAP_MS = 8.0
TYPING_GAP_MS = 150.0


class StepClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _type(qtbot: QtBot, clock: StepClock, text: str, gap_ms: float, *, enter: bool) -> None:
    for character in text:
        clock.now += gap_ms
        qtbot.keyClick(QApplication.focusWidget(), character)
    if enter:
        clock.now += gap_ms
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def _window_with_clock(make_window: Callable[..., Any]) -> tuple[Any, StepClock]:
    window = make_window()
    clock = StepClock()
    window.scanner()._clock = clock
    window.activateWindow()
    return window, clock


def _focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=3000)


def _selected_id(window: Any) -> str | None:
    index = window.list_view().currentIndex()
    row = window.list_model().conversation_at(index.row()) if index.isValid() else None
    return row.id if row is not None else None


def _opened(qtbot: QtBot, window: Any, conversation_id: str) -> None:
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(conversation_id)


def test_a_scan_with_focus_in_the_list_opens_and_selects_its_conversation(qtbot: QtBot,
                                                                          make_window: Callable[..., Any]) -> None:
    window, clock = _window_with_clock(make_window)
    _opened(qtbot, window, MAREK)
    _focus(qtbot, window.list_view())
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000) as opened:
        _type(qtbot, clock, ORDER_ANNA, SCANNER_GAP_MS, enter=True)
    assert opened.args == [ANNA]
    qtbot.waitUntil(lambda: _selected_id(window) == ANNA, timeout=3000)
    assert window.search_box().text() == ""


def test_a_scan_in_the_reply_box_leaves_the_draft_as_it_was(qtbot: QtBot, make_window: Callable[..., Any]) -> None:
    window, clock = _window_with_clock(make_window)
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(MAREK)  # its parcel number is cached once its order was shown
    _opened(qtbot, window, ANNA)
    window.composer().set_text("Dzień dobry")
    _focus(qtbot, window.composer().editor())
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000) as opened:
        _type(qtbot, clock, MAREK_WAYBILL, SCANNER_GAP_MS, enter=True)
    assert opened.args == [MAREK]
    _opened(qtbot, window, ANNA)
    assert window.composer().text() == "Dzień dobry"


def test_typing_at_a_persons_speed_reaches_the_reply_box(qtbot: QtBot, make_window: Callable[..., Any]) -> None:
    window, clock = _window_with_clock(make_window)
    _opened(qtbot, window, ANNA)
    window.composer().set_text("")
    _focus(qtbot, window.composer().editor())
    _type(qtbot, clock, "Witam", TYPING_GAP_MS, enter=True)
    qtbot.waitUntil(lambda: window.composer().text() == "Witam\n", timeout=3000)
    assert window.current_conversation_id == ANNA


def test_a_short_fast_burst_is_typing_not_a_scan(qtbot: QtBot, make_window: Callable[..., Any]) -> None:
    window, clock = _window_with_clock(make_window)
    _opened(qtbot, window, ANNA)
    window.composer().set_text("")
    _focus(qtbot, window.composer().editor())
    _type(qtbot, clock, "ok", SCANNER_GAP_MS, enter=False)  # two keys rolled over quickly
    qtbot.waitUntil(lambda: window.composer().text() == "ok", timeout=3000)


def test_a_scan_that_matches_nothing_says_so_with_the_code(qtbot: QtBot, make_window: Callable[..., Any]) -> None:
    window, clock = _window_with_clock(make_window)
    _opened(qtbot, window, CLAIM_ID)
    beeps: list[bool] = []
    window._scan_not_found_sound = lambda: beeps.append(True)  # what the settings' sound would play
    window._scan_search._not_found_sound = window._scan_not_found_sound
    _focus(qtbot, window.list_view())
    with qtbot.waitSignal(window.user_message, timeout=5000) as told:
        _type(qtbot, clock, "XX99887766", SCANNER_GAP_MS, enter=True)
    assert "XX99887766" in told.args[0]
    assert beeps == [True]
    assert window.current_conversation_id == CLAIM_ID


@pytest.mark.parametrize("timing, typed, expected", [
    (ScannerTiming(prefix="#"), "#ABC12345", "ABC12345"),
    (ScannerTiming(prefix="#"), "ABC12345", None),  # no prefix: a person typed it
    (ScannerTiming(min_length=10), "ABC12345", None),
])
def test_prefix_and_minimum_length(qtbot: QtBot, timing: ScannerTiming, typed: str, expected: str | None) -> None:
    host = QWidget()
    box = QLineEdit(host)
    qtbot.addWidget(host)
    host.show()
    host.activateWindow()
    clock = StepClock()
    scanner = ScannerInput(host, timing, clock=clock)
    scanner.start()
    seen: list[str] = []
    scanner.scanned.connect(seen.append)
    try:
        _focus(qtbot, box)
        _type(qtbot, clock, typed, SCANNER_GAP_MS, enter=True)
        assert seen == ([expected] if expected else [])
        if expected is None:
            qtbot.waitUntil(lambda: box.text() == typed, timeout=3000)  # given back to the box, in order
        else:
            assert box.text() == ""
    finally:
        scanner.stop()


def test_scanner_settings_are_kept_in_range_and_take_effect(qtbot: QtBot, make_window: Callable[..., Any]) -> None:
    from magazyn_desktop.app.settings import MAX_SCANNER_GAP_MS, load_settings
    from magazyn_desktop.ui.settings_dialog import SettingsDialog

    window = make_window(start=False)
    path = window._paths.settings_file
    path.write_text('{"first_run_done": true, "scanner_max_gap_ms": 100000, "scanner_min_length": 0}',
                    encoding="utf-8")
    loaded = load_settings(path)
    assert (loaded.scanner_max_gap_ms, loaded.scanner_min_length) == (MAX_SCANNER_GAP_MS, 1)
    dialog = SettingsDialog(window.settings.with_changes(scanner_prefix="#", scan_sound=False), window)
    qtbot.addWidget(dialog)
    chosen = dialog.result_settings()
    assert (chosen.scanner_prefix, chosen.scan_sound) == ("#", False)
    window.apply_settings(chosen)
    assert window.scanner().timing.prefix == "#"
    assert load_settings(path).scanner_prefix == "#"
