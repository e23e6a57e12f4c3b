"""The check of a reply against Allegro's messaging rules before it is queued: a hit warns, naming the rule and the
phrase; "Popraw" queues nothing and selects the phrase in the box, "Wyślij mimo to" queues the reply as it is; a
reply where the buyer wrote is not held."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Callable

import pytest
from ui_sample_data import ANNA, add_thread, message, sample_data, thread_id

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.ui.messaging_rules_warning import RulesWarningDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen dialogs

SELLER_ONLY = thread_id("olaTylkoSprzedawca")  # only the seller has written here: Allegro's rules apply
ORDER_SENT = "Informacja, że zamówienie jest w realizacji lub zostało wysłane"
TEXT = "Dzień dobry, paczka została wysłana dzisiaj rano."
PHRASE = "paczka została wysłana"


@pytest.fixture
def fake_allegro() -> DemoAllegro:
    data = sample_data()
    add_thread(data, SELLER_ONLY, "ola_p", [message(data, "Dziękujemy za zakupy w naszym sklepie.", 30, "ola_p",
                                                    role="SELLER")])
    return DemoAllegro(data)


def _queued(context: AppContext) -> int:
    db = sqlite3.connect(context.paths.database)
    try:
        return int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])
    finally:
        db.close()


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=10000)


def _type_and_send(qtbot: Any, window: Any, conversation_id: str, text: str) -> None:
    _idle(qtbot, window)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(conversation_id)
    window.composer().set_text(text)
    window.composer().send()


def _warning(qtbot: Any, window: Any) -> RulesWarningDialog:
    qtbot.waitUntil(lambda: window.findChild(RulesWarningDialog) is not None, timeout=2000)
    dialog = window.findChild(RulesWarningDialog)
    assert isinstance(dialog, RulesWarningDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    return dialog


def test_a_hit_warns_naming_the_rule_and_phrase_and_popraw_queues_nothing_and_selects_the_phrase(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext) -> None:
    window = make_window()
    _type_and_send(qtbot, window, SELLER_ONLY, "  " + TEXT)
    dialog = _warning(qtbot, window)
    assert ORDER_SENT in dialog.warning_text()
    assert f"„{PHRASE}”" in dialog.warning_text()
    assert dialog.send_anyway_button().text() == "Wyślij mimo to"
    assert dialog.edit_button().text() == "Popraw"
    dialog.edit_button().click()
    _idle(qtbot, window)
    assert _queued(context) == 0
    editor = window.composer().editor()
    # The window's focus widget: offscreen, the window itself may not be active again after a dialog.
    qtbot.waitUntil(lambda: window.focusWidget() is editor, timeout=2000)
    assert editor.textCursor().selectedText() == PHRASE
    assert window.composer().text() == "  " + TEXT  # the reply stays as typed


def test_wyslij_mimo_to_queues_the_reply(qtbot: Any, make_window: Callable[..., Any], context: AppContext) -> None:
    window = make_window()
    _type_and_send(qtbot, window, SELLER_ONLY, TEXT)
    dialog = _warning(qtbot, window)
    with qtbot.waitSignal(window.reply_queued, timeout=5000):
        dialog.send_anyway_button().click()
    assert _queued(context) == 1


def test_a_fiscal_document_attached_is_named_with_its_file(qtbot: Any, make_window: Callable[..., Any],
                                                           context: AppContext, tmp_path: Path) -> None:
    window = make_window()
    invoice = tmp_path / "FV_2026_03.pdf"
    invoice.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    _idle(qtbot, window)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(SELLER_ONLY)
    assert window.composer().add_attachment(invoice) is None
    window.composer().set_text("Dzień dobry, przesyłam dokument.")
    window.composer().send()
    dialog = _warning(qtbot, window)
    assert "FV_2026_03.pdf" in dialog.warning_text()
    dialog.edit_button().click()
    _idle(qtbot, window)
    assert _queued(context) == 0


def test_a_reply_where_the_buyer_wrote_is_not_held(qtbot: Any, make_window: Callable[..., Any],
                                                   context: AppContext) -> None:
    window = make_window()
    with qtbot.waitSignal(window.reply_queued, timeout=5000):
        _type_and_send(qtbot, window, ANNA, TEXT)
    assert window.findChild(RulesWarningDialog) is None
    assert _queued(context) == 1
