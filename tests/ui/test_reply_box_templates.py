"""Reply templates in the reply box: Ctrl+T's picker and `/` completion fill a template from the open conversation
and its order; the cursor lands on the first placeholder left; a template's file joins the reply; a reply that
still holds a placeholder is not sent and the box names it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from ui_sample_data import ANNA, CLAIM_ID, ORDER_ANNA, ORDER_EWA, write_png

from magazyn_desktop.app.backend_types import ConnectedBackend
from magazyn_desktop.app.template_library import TemplateDraft, TemplateLibrary

pytestmark = pytest.mark.qt_log_ignore(  # offscreen dialogs and popups
    "This plugin does not support propagateSizeHints", "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard")

ANNA_WAYBILL = "620999888777666555444333"


def _ready(qtbot: Any, make_window: Callable[..., Any], conversation_id: str) -> Any:
    """A window with its templates loaded and the conversation open beside its order."""
    window = make_window()
    qtbot.waitUntil(lambda: bool(window.reply_templates().names()), timeout=5000)
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(conversation_id)
    window.composer().focus_editor()
    return window


def _library(window: Any) -> TemplateLibrary:
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)
    return TemplateLibrary(backend.store, backend.paths.templates)


def _save_templates(qtbot: Any, window: Any, drafts: list[TemplateDraft]) -> None:
    library = _library(window)
    library.save(library.drafts(library.load()) + drafts)
    window.reply_templates().reload()
    qtbot.waitUntil(lambda: all(d.name in window.reply_templates().names() for d in drafts), timeout=5000)


def test_ctrl_t_picks_the_shipping_status_and_fills_it_from_the_order(qtbot: Any,
                                                                      make_window: Callable[..., Any]) -> None:
    window = _ready(qtbot, make_window, ANNA)
    editor = window.composer().editor()
    qtbot.keyClick(editor, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    picker = window.reply_templates().picker()
    assert picker is not None and picker.isVisible()
    qtbot.keyClicks(picker.search_box(), "status")
    assert picker.shown_names() == ["Status wysyłki"]
    qtbot.keyClick(picker.search_box(), Qt.Key.Key_Return)
    assert not picker.isVisible()
    text = window.composer().text()
    assert ORDER_ANNA in text and ANNA_WAYBILL in text and "InPost" in text and "{" not in text
    assert window.composer().send_button().isEnabled()
    assert window.composer().problem_text() == ""


def test_escape_closes_the_picker_and_leaves_the_reply_as_it_was(qtbot: Any,
                                                                 make_window: Callable[..., Any]) -> None:
    window = _ready(qtbot, make_window, ANNA)
    window.composer().set_text("Dzień dobry")
    window.reply_templates().open_picker()
    picker = window.reply_templates().picker()
    qtbot.keyClick(picker.search_box(), Qt.Key.Key_Escape)
    assert not picker.isVisible() and window.composer().text() == "Dzień dobry"


def test_a_slash_at_the_start_of_a_line_completes_a_name_and_enter_inserts_it(
        qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = _ready(qtbot, make_window, ANNA)
    editor = window.composer().editor()
    window.composer().set_text("Dzień dobry,\n")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, "/zwr")
    popup = window.reply_templates().completion_popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    assert [popup.model().index(row, 0).data() for row in range(popup.model().rowCount())] == ["Zwrot towaru"]
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    text = window.composer().text()
    assert text.startswith("Dzień dobry,\nDzień dobry,\n\ntowar można odesłać") and "/zwr" not in text
    assert ORDER_ANNA in text and text.count("\n") == 1 + 4  # the template's own lines, no Enter added


def test_a_slash_inside_a_line_offers_nothing(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = _ready(qtbot, make_window, ANNA)
    qtbot.keyClicks(window.composer().editor(), "rozmiar 38/zwr")
    assert not window.reply_templates().completion_popup().isVisible()


def test_an_unfilled_placeholder_is_selected_blocks_sending_and_is_named(
        qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = _ready(qtbot, make_window, CLAIM_ID)  # Ewa's order has no parcel yet
    window.reply_templates().insert_named("Status wysyłki")
    composer = window.composer()
    assert ORDER_EWA in composer.text()
    assert composer.editor().textCursor().selectedText() == "{przewoznik}"
    assert not composer.send_button().isEnabled()
    assert "{przewoznik}" in composer.problem_text() and "{numer_przesylki}" in composer.problem_text()
    with qtbot.assertNotEmitted(composer.send_requested):
        composer.send()
    composer.set_text(composer.text().replace("{przewoznik}", "InPost").replace("{numer_przesylki}", "123"))
    assert composer.send_button().isEnabled() and composer.problem_text() == ""


def test_the_cursor_finds_the_placeholder_after_an_emoji(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = _ready(qtbot, make_window, CLAIM_ID)
    _save_templates(qtbot, window, [TemplateDraft(None, "Emoji", "📦 Paczka 📦: {numer_przesylki}.", None)])
    window.reply_templates().insert_named("Emoji")
    assert window.composer().editor().textCursor().selectedText() == "{numer_przesylki}"


def test_a_templates_file_is_added_to_the_reply(qtbot: Any, make_window: Callable[..., Any], tmp_path: Path) -> None:
    window = _ready(qtbot, make_window, ANNA)
    photo = write_png(tmp_path / "jak-zapakowac.png")
    _save_templates(qtbot, window, [TemplateDraft(None, "Pakowanie", "Instrukcja w załączniku.", photo)])
    window.reply_templates().insert_named("Pakowanie")
    attached = window.composer().attachments()
    assert [path.name for path in attached] == ["jak-zapakowac.png"]
    assert attached[0].parent == window.backend.paths.templates  # the template's own copy
