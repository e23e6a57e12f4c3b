"""Where the window opens: inside the screen it is given (taskbar excluded) on first start, where it was left on later
starts, and back on a visible screen when the monitor it was on is gone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSize

from magazyn_desktop.app.window_state import WindowState, load_window_state, save_window_state
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.ui.window_geometry import PREFERRED_SIZE, first_geometry, placed_on_screens

# What warehouse PCs have, less a 40 px taskbar at the bottom.
SMALL = QRect(0, 0, 1024, 728)
WIDE = QRect(0, 0, 1366, 728)


@pytest.mark.parametrize("available", [SMALL, WIDE, QRect(0, 0, 1920, 1040)], ids=["1024x768", "1366x768", "1920"])
def test_first_start_fits_the_available_area_and_is_centred(available: QRect) -> None:
    frame = QSize(2, 30)  # what the window manager adds around the client area
    geometry = first_geometry(available, frame)
    outer = geometry.adjusted(-1, -29, 1, 1)
    assert available.contains(outer), (geometry, available)
    assert geometry.width() <= PREFERRED_SIZE.width() and geometry.height() <= PREFERRED_SIZE.height()
    assert abs(outer.center().x() - available.center().x()) <= 1
    assert abs(outer.center().y() - available.center().y()) <= 1


def test_a_saved_place_on_a_screen_that_is_gone_moves_onto_a_visible_one() -> None:
    right_monitor_gone = QRect(1500, 100, 1200, 700)
    placed = placed_on_screens(right_monitor_gone, [SMALL], QSize(2, 30))
    assert SMALL.contains(placed.adjusted(-1, -29, 1, 1)), placed


def test_a_saved_place_too_big_for_the_screen_now_shrinks_to_it() -> None:
    placed = placed_on_screens(QRect(0, 30, 1340, 700), [SMALL], QSize(2, 30))
    assert SMALL.contains(placed.adjusted(-1, -29, 1, 1)), placed


def test_a_saved_place_that_fits_is_kept_as_it_was() -> None:
    second_monitor = QRect(1366, 0, 1920, 1040)
    saved = QRect(1500, 100, 1000, 700)
    assert placed_on_screens(saved, [WIDE, second_monitor], QSize(2, 30)) == saved


def test_window_state_round_trips_and_a_damaged_file_is_ignored(tmp_path: Any) -> None:
    path = tmp_path / "window.json"
    state = WindowState(x=10, y=20, width=1000, height=700, maximized=True, splitter_sizes=(300, 400, 300),
                        filter="needs_reply")
    save_window_state(path, state)
    assert load_window_state(path) == state
    path.write_text("{not json", encoding="utf-8")
    assert load_window_state(path) is None
    path.write_text(json.dumps({"x": "ten", "width": 5}), encoding="utf-8")
    assert load_window_state(path) is None
    assert load_window_state(tmp_path / "missing.json") is None


def test_the_window_opens_inside_a_1024x768_screen_on_first_start(make_window: Any) -> None:
    window = make_window(start=False)
    window.place_on_screens([SMALL])
    assert SMALL.contains(window.geometry()), window.geometry()
    assert window.minimumWidth() <= SMALL.width() and window.minimumHeight() <= SMALL.height()


def test_size_splitter_and_filter_come_back_after_a_restart(make_window: Any, sample_paths: AppPaths) -> None:
    window = make_window(start=False)
    window.place_on_screens([WIDE])
    window.setGeometry(QRect(40, 50, 1100, 640))
    window.set_filter(Filter.UNREAD)
    window.splitter().setSizes([300, 500, 300])
    sizes = window.splitter().sizes()
    window.close()
    saved = load_window_state(sample_paths.window_state_file)
    assert saved is not None and (saved.width, saved.height) == (1100, 640)

    again = make_window(start=False)
    again.place_on_screens([WIDE])
    assert (again.geometry().width(), again.geometry().height()) == (1100, 640)
    assert again.splitter().sizes() == sizes
    assert again.list_model().filter == Filter.UNREAD
    assert again.filter_button(Filter.UNREAD).isChecked()


def test_a_maximised_window_is_shown_maximised_again(make_window: Any, sample_paths: AppPaths) -> None:
    save_window_state(sample_paths.window_state_file,
                      WindowState(x=0, y=0, width=1000, height=600, maximized=True, splitter_sizes=(), filter=None))
    window = make_window(start=False)
    assert window.opens_maximized()
