"""The templates' dialog: add, edit, duplicate, delete, reorder, import and export; a template with placeholder
problems is saved with a warning and its problems highlighted; a bad file is refused and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from magazyn_desktop.app.backend_types import ConnectedBackend

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen dialogs


def _dialog(qtbot: Any, make_window: Callable[..., Any]) -> Any:
    window = make_window()
    qtbot.waitUntil(lambda: bool(window.reply_templates().names()), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.reply_templates().dialog()
    assert dialog is not None and dialog.isVisible()
    return window, dialog


def _stored(window: Any) -> list[tuple[str, str]]:
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)
    return [(t.name, t.body) for t in backend.store.reply_templates()]


def test_add_edit_duplicate_reorder_delete_and_save(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window, dialog = _dialog(qtbot, make_window)
    defaults = dialog.names()
    assert defaults[0] == "Status wysyłki" and len(defaults) == 5
    dialog.add()
    dialog.name_box().setText("Podziękowanie")
    dialog.body_box().setPlainText("Dziękujemy, {login}!")
    dialog.duplicate()
    assert dialog.names()[-2:] == ["Podziękowanie", "Podziękowanie (kopia)"]
    dialog.move_current(-1)
    assert dialog.names()[-2:] == ["Podziękowanie (kopia)", "Podziękowanie"]
    dialog.select(0)
    dialog.delete()
    dialog.save()
    assert not dialog.isVisible()
    assert [name for name, _body in _stored(window)] == [*defaults[1:], "Podziękowanie (kopia)", "Podziękowanie"]
    assert ("Podziękowanie", "Dziękujemy, {login}!") in _stored(window)
    qtbot.waitUntil(lambda: "Podziękowanie" in window.reply_templates().names(), timeout=5000)


def test_a_template_with_problems_is_saved_with_a_warning_and_its_problems_highlighted(
        qtbot: Any, make_window: Callable[..., Any]) -> None:
    window, dialog = _dialog(qtbot, make_window)
    dialog.add()
    dialog.name_box().setText("Zły")
    dialog.body_box().setPlainText("📦 Numer {numer_listu}, kwota {kwota")
    warning = dialog.warning_text()
    assert "{numer_listu}" in warning and "{kwota" in warning
    highlighted = [selection.cursor.selectedText() for selection in dialog.body_box().extraSelections()]
    assert highlighted == ["{numer_listu}", "{"]
    with qtbot.waitSignal(window.user_message, timeout=5000) as told:
        dialog.save()
    assert "Zły" in told.args[0]
    assert ("Zły", "📦 Numer {numer_listu}, kwota {kwota") in _stored(window)


@pytest.mark.parametrize("content, words", [
    (b"{to nie jest json", "JSON"),
    (json.dumps({"format": "magazyn-templates", "version": 7, "templates": []}).encode(), "7"),
    (b" " * 1_048_577, "MB"),
])
def test_a_bad_file_is_refused_with_the_reason_and_changes_nothing(
        qtbot: Any, make_window: Callable[..., Any], tmp_path: Path, content: bytes, words: str) -> None:
    window, dialog = _dialog(qtbot, make_window)
    before, names = _stored(window), dialog.names()
    path = tmp_path / "szablony.json"
    path.write_bytes(content)
    dialog.import_from(path)
    assert words in dialog.problem_text() and "szablony.json" in dialog.problem_text()
    assert dialog.names() == names
    dialog.save()
    assert _stored(window) == before


def test_export_then_import_on_another_bench_gives_the_same_templates(
        qtbot: Any, make_window: Callable[..., Any], tmp_path: Path) -> None:
    window, dialog = _dialog(qtbot, make_window)
    dialog.add()
    dialog.name_box().setText("Własny")
    dialog.body_box().setPlainText("Paczka {numer_przesylki} wyszła {data}.")
    exported = tmp_path / "przekazane" / "szablony.json"
    dialog.export_to(exported)
    assert dialog.problem_text() == ""
    expected = [(d.name, d.body) for d in dialog.drafts()]
    for _ in range(len(dialog.names())):
        dialog.select(0)
        dialog.delete()
    assert dialog.names() == []
    dialog.import_from(exported)
    assert [(d.name, d.body) for d in dialog.drafts()] == expected
    dialog.save()
    assert _stored(window) == expected
