"""The Help menu: the keyboard shortcuts read from the window's actions, the data folder and logs, and About."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from magazyn_desktop import __version__
from magazyn_desktop.app.context import AppContext

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen, dialogs


def _help_menu_texts(window: Any) -> list[str]:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == "Pomoc":
            return [item.text() for item in action.menu().actions()]
    raise AssertionError("no Help menu")


def test_the_help_menu_has_shortcuts_folders_and_about(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window(start=False)
    texts = _help_menu_texts(window)
    assert texts == ["Skróty klawiszowe", "Folder danych i dzienniki…", "O programie magazyn-desktop"]


def test_the_shortcuts_dialog_lists_every_key_the_window_answers(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window(start=False)
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    shown = dict(dialog.shown_entries())  # keys -> what they do
    keys = ", ".join(shown)
    for expected in ("Ctrl+F", "F3", "Ctrl+R", "R", "Esc", "F5", "F1", "Ctrl+Return", "Ctrl+0", "Ctrl+J"):
        assert expected in keys.split(", "), expected
    for number in range(1, 6):
        assert f"Ctrl+{number}" in shown
    assert shown["Ctrl+2"] == "Pokaż: Do odpowiedzi"
    assert shown["Ctrl+F, F3"] == "Szukaj lub skanuj"
    assert shown["Ctrl+R, R"] == "Napisz odpowiedź"  # one entry for the key in every place it works
    # Every shortcut of every action in the window is listed, and nothing else.
    listed = {key for entry in shown for key in entry.split(", ")}
    actual = {sequence.toString(QKeySequence.SequenceFormat.NativeText)
              for action in window.findChildren(QAction) if action.text() for sequence in action.shortcuts()}
    assert listed == actual
    dialog.close()


def test_a_shortcut_added_to_the_window_appears_in_the_list(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window(start=False)
    added = QAction("Nowe działanie", window)
    added.setShortcut(QKeySequence("Ctrl+Shift+K"))
    window.addAction(added)
    assert ("Nowe działanie", "Ctrl+Shift+K") in window.shortcut_entries()


def test_the_shortcuts_in_the_list_still_work(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    window.list_view().setFocus()
    qtbot.waitUntil(window.list_view().hasFocus, timeout=2000)
    qtbot.keyClick(window.list_view(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_box().hasFocus, timeout=2000)
    qtbot.keyClick(window.search_box(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.list_model().filter.value == "unread"


def test_the_folders_dialog_shows_the_paths_and_opens_them(qtbot: Any, make_window: Callable[..., Any],
                                                           context: AppContext) -> None:
    window = make_window(start=False)
    opened: list[Path] = []
    window.open_folder = opened.append
    dialog = window.show_folders()
    qtbot.addWidget(dialog)
    assert dialog.shown_paths() == [str(context.paths.data), str(context.paths.logs)]
    for button in dialog.open_buttons():
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened == [context.paths.data, context.paths.logs]
    dialog.close()


def test_about_names_the_version(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window(start=False)
    dialog = window.show_about()
    qtbot.addWidget(dialog)
    assert f"magazyn-desktop {__version__}" in dialog.shown_text()
    assert "Allegro" in dialog.shown_text()
    dialog.close()
