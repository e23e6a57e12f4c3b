"""The main window over the real backend and the fake Allegro: opening, switching, searching, scanning, drafts,
replies through the outbox, activation, the offline banner, the order panel and attachments.

No sleeps: every wait is on a signal or a condition.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pytest
from PySide6.QtCore import Qt
from ui_sample_data import (
    ANNA,
    ANNA_ATTACHMENT,
    CLAIM_ID,
    CLOSED,
    MAREK,
    MAREK_WAYBILL,
    ORDER_ANNA,
    ORDER_MAREK,
    add_issue,
    add_thread,
    message,
    thread_id,
)

from magazyn_desktop.app.backend_types import ConnectedBackend
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.fake_allegro.files import content_of
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import Filter

ORDER_REQUEST = "GET /order/checkout-forms/{id}"


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def test_selecting_a_conversation_loads_it_through_a_worker(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    model = window.list_model()
    row = model.row_of(ANNA)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000) as blocker:
        window.list_view().setCurrentIndex(model.index(row, 0))
        assert window.conversation_view().detail is None  # still loading: the GUI thread did not read it
    assert blocker.args == [ANNA]
    texts = window.conversation_view().message_texts()
    assert texts == ["Dzień dobry, kiedy wyślecie paczkę?", "<b>Proszę</b> o szybką odpowiedź"]  # HTML stays text
    _idle(qtbot, window)


def test_switching_quickly_shows_only_the_last_one(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    shown: list[str] = []
    window.conversation_displayed.connect(shown.append)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000,
                          check_params_cb=lambda cid: cid == CLOSED):
        for conversation_id in (ANNA, MAREK, CLAIM_ID, CLOSED):
            window.open_conversation(conversation_id)
    _idle(qtbot, window)
    assert shown == [CLOSED]
    assert window.conversation_view().conversation_id == CLOSED


def test_filters_and_search(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    model = window.list_model()
    window.set_filter(Filter.NEEDS_REPLY)
    assert {model.index(r, 0).data(Qt.ItemDataRole.UserRole + 2) for r in range(model.rowCount())} == {
        ANNA, CLAIM_ID}
    window.set_filter(Filter.ALL)
    window.set_search("marek")
    assert model.rowCount() == 1
    window.set_search("adres dostawy")
    assert model.rowCount() == 1
    window.set_search("")
    assert model.rowCount() == 4


def test_scanning_a_waybill_opens_its_conversation(qtbot: Any, make_window: Callable[..., Any],
                                                   fake_allegro: DemoAllegro) -> None:
    window = make_window()
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(MAREK)  # the order, and its parcel numbers, are cached once it was shown
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    _idle(qtbot, window)
    asked = fake_allegro.request_counts()
    window.focus_search()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000) as blocker:
        qtbot.keyClicks(window.search_box(), MAREK_WAYBILL)
        qtbot.keyClick(window.search_box(), Qt.Key.Key_Return)
    assert blocker.args == [MAREK]
    assert window.search_box().text() == ""  # ready for the next scan
    _idle(qtbot, window)
    assert fake_allegro.request_counts()[ORDER_REQUEST] == asked[ORDER_REQUEST]  # found in the cache


def test_an_unknown_conversation_id_is_asked_from_allegro(qtbot: Any, make_window: Callable[..., Any],
                                                          fake_allegro: DemoAllegro) -> None:
    window = make_window()
    new_id = "0a1b2c3d-0000-4000-8000-00000000abcd"  # opened on Allegro after the last sync
    add_issue(fake_allegro.data, new_id, "tomasz_b", "Zamówiłem niebieski, przyszedł czerwony.", kind="DISPUTE",
              status="DISPUTE_ONGOING", minutes_ago=1)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000) as blocker:
        window.set_search(new_id)
        qtbot.keyClick(window.search_box(), Qt.Key.Key_Return)
    assert blocker.args == [new_id]
    assert fake_allegro.request_counts().get("GET /sale/issues/{id}", 0) >= 1
    assert window.conversation_view().message_texts() == ["Zamówiłem niebieski, przyszedł czerwony."]
    assert window.list_model().row_of(new_id) is not None
    _idle(qtbot, window)


def test_a_draft_survives_closing_and_reopening(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(MAREK)
    window.composer().focus_editor()
    qtbot.keyClicks(window.composer().editor(), "Paczka wyjdzie jutro")
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        pass  # the debounce timer fires on its own
    qtbot.keyClicks(window.composer().editor(), " rano")  # typed just before closing: saved by shutdown
    window.shutdown()
    window.close()

    reopened = make_window()  # a new backend over the same cache
    with qtbot.waitSignal(reopened.conversation_displayed, timeout=5000):
        reopened.open_conversation(MAREK)
    assert reopened.composer().text() == "Paczka wyjdzie jutro rano"
    _idle(qtbot, reopened)


def test_a_reply_goes_through_the_outbox(qtbot: Any, make_window: Callable[..., Any], context: AppContext,
                                         fake_allegro: DemoAllegro) -> None:
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    editor = window.composer().editor()
    editor.setFocus()
    text = "Wysłaliśmy dziś, numer w zamówieniu."
    editor.insertPlainText(text)  # QTest types ASCII only
    with qtbot.waitSignal(window.reply_queued, timeout=5000):
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.composer().text() == ""
    qtbot.waitUntil(lambda: len(fake_allegro.sent_messages(ANNA)) > 0, timeout=5000)
    assert [sent.text for sent in fake_allegro.sent_messages(ANNA)] == [text]
    # Shown once: as the seller's message once the conversation was read again, or as the sent card until then.
    qtbot.waitUntil(lambda: window.conversation_view().message_texts().count(text)
                    + window.conversation_view().outbox_states().count("wysłano") == 1, timeout=5000)
    _idle(qtbot, window)
    db = sqlite3.connect(context.paths.database)
    assert db.execute("SELECT text, state FROM outbox").fetchall() == [(text, "sent")]
    assert db.execute("SELECT text FROM drafts WHERE conversation_id=?", (ANNA,)).fetchone() is None  # no draft left
    db.close()


def test_sending_is_disabled_with_a_reason_when_closed(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(CLOSED)
    composer = window.composer()
    assert not composer.editor().isEnabled()
    assert "zamknięta" in composer._reason.text()
    _idle(qtbot, window)


def test_activate_opens_the_conversation(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000) as blocker:
        window.activate(CLAIM_ID)
    assert blocker.args == [CLAIM_ID]
    assert window.list_view().currentIndex().row() == window.list_model().row_of(CLAIM_ID)
    window.activate(None)  # only raises
    _idle(qtbot, window)


def test_offline_then_online_banner(qtbot: Any, make_window: Callable[..., Any],
                                    fake_allegro: DemoAllegro) -> None:
    window = make_window()
    assert not window.is_offline_banner_visible()
    fake_allegro.faults.silent = 10  # taken and never answered: after one more try, Allegro counts as unreachable
    with qtbot.waitSignal(window.sync_finished, timeout=10000) as blocker:
        window.sync_now()
    assert blocker.args[0].offline
    assert window.is_offline_banner_visible()
    assert "Brak połączenia" in window._banner.text()
    fake_allegro.faults.clear()
    with qtbot.waitSignal(window.sync_finished, timeout=10000) as blocker:
        window.sync_now()
    assert blocker.args[0].ok
    assert not window.is_offline_banner_visible()
    _idle(qtbot, window)


@pytest.mark.allow_error_logs  # a bug is logged with its traceback
def test_a_sync_error_is_shown_in_the_users_language(qtbot: Any, make_window: Callable[..., Any],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)

    def broken(progress: Any, cancelled: Any) -> Any:
        raise RuntimeError("boom\nTraceback (most recent call last)")

    # The engine ends every failure it knows in a report; this is the one it does not know.
    monkeypatch.setattr(backend.sync, "run_once", broken)
    with qtbot.waitSignal(window.user_message, timeout=5000) as blocker:
        window.sync_now()
    assert blocker.args[0].startswith("Wystąpił nieoczekiwany błąd")
    assert "Traceback" not in window.status_text()
    _idle(qtbot, window)


def test_order_panel_fetches_an_order_missing_from_the_cache_and_keeps_it(
        qtbot: Any, make_window: Callable[..., Any], context: AppContext, fake_allegro: DemoAllegro) -> None:
    window = make_window(start=False)
    with qtbot.waitSignal(window.orders_prefetched, timeout=10000):
        window.start_background_work()
    db = connect(context.paths.database)  # with the functions the search indexes' triggers call
    with db:
        db.execute("DELETE FROM orders")  # as before the fetch after the sync got to them
    db.close()
    fetched = fake_allegro.request_counts()[ORDER_REQUEST]
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(ANNA)
    assert window.order_panel().shown_items() == [("Kubek ceramiczny 300 ml", "KUB-300-BIA", "2")]
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)
    stored = backend.store.load_order(ORDER_ANNA)
    assert stored is not None and stored.delivery_method == "Allegro Paczkomaty InPost"
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(MAREK)
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(ANNA)  # sent, and in the window's cache: no third request
    assert fake_allegro.request_counts()[ORDER_REQUEST] == fetched + 2
    assert backend.store.load_order(ORDER_MAREK) is not None
    _idle(qtbot, window)


def test_opening_marks_read(qtbot: Any, make_window: Callable[..., Any], context: AppContext,
                            fake_allegro: DemoAllegro) -> None:
    window = make_window()
    assert not fake_allegro.data.threads[ANNA].read
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    qtbot.waitUntil(lambda: fake_allegro.data.threads[ANNA].read, timeout=5000)  # on Allegro too
    _idle(qtbot, window)
    db = sqlite3.connect(context.paths.database)
    assert db.execute("SELECT read FROM conversations WHERE id=?", (ANNA,)).fetchone() == (1,)
    db.close()


def test_attachment_downloads_under_a_safe_name(qtbot: Any, make_window: Callable[..., Any],
                                                context: AppContext, fake_allegro: DemoAllegro) -> None:
    window = make_window()
    opened: list[Path] = []
    window.open_file = opened.append
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    attachment = window.conversation_view().detail.messages[1].attachments[0]
    with qtbot.waitSignal(window.attachment_saved, timeout=5000) as blocker:
        window.conversation_view().attachment_requested.emit(attachment)
    path: Path = blocker.args[0]
    # Sent as "../../etc/zdjęcie paczki.jpg": the folders are dropped.
    assert path.parent == context.paths.attachments and path.name == "zdjęcie paczki.jpg"
    assert path.read_bytes() == content_of(fake_allegro.data.attachments[ANNA_ATTACHMENT])
    assert opened == [path]
    _idle(qtbot, window)


def test_keyboard_search_reply_and_back(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    window.activateWindow()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(ANNA)
    window.focus_search()
    assert window.search_box().hasFocus() or window.focusWidget() is window.search_box()
    window.back_to_list()
    assert window.focusWidget() is window.list_view()
    window.focus_composer()
    assert window.focusWidget() is window.composer().editor()
    _idle(qtbot, window)


def test_launch_contract(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    assert window.conversation_count() == 4
    assert window.first_conversation_id() == ANNA
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)
    window.shutdown()
    window.shutdown()  # idempotent
    assert backend._closed


def test_polish_and_english_strings_differ(qtbot: Any, make_window: Callable[..., Any],
                                           context: AppContext) -> None:
    from magazyn_desktop.ui import i18n
    from magazyn_desktop.ui.labels import kind_label, role_label

    polish = make_window(start=False)
    assert polish._filter_buttons[Filter.ALL].text().startswith("Wszystkie")
    assert (kind_label("CLAIM"), role_label("BUYER")) == ("Reklamacja", "Kupujący")
    polish.shutdown()
    i18n.reset_for_tests()
    english = make_window(AppContext(paths=context.paths, language="en", demo=True), start=False)
    assert english._filter_buttons[Filter.ALL].text().startswith("All")
    assert (kind_label("CLAIM"), role_label("BUYER")) == ("Claim", "Buyer")


def test_a_conversation_opened_by_id_is_stored_by_the_syncs_rules(qtbot: Any, make_window: Callable[..., Any],
                                                                  fake_allegro: DemoAllegro) -> None:
    """A far-future time does not order the inbox, and an answer that contradicts its summary stays due for the
    next sync, whether the conversation came from a sync or was opened by its id."""
    window = make_window()
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)
    data = fake_allegro.data
    far = datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc)
    future_id, empty_id = thread_id("FarFutureThread"), thread_id("EmptyAnswerThread")
    add_thread(data, future_id, "piotr_f", [message(data, "Wiadomość z przyszłości", 0, "piotr_f", at=far)])
    add_thread(data, empty_id, "ola_e", [message(data, "Czy paczka już wyszła?", 30, "ola_e")])
    for conversation_id in (future_id, empty_id):
        if conversation_id == empty_id:
            fake_allegro.faults.empty_answers = 1  # its messages come back empty, though the summary has some
        with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
            window.set_search(conversation_id)
            qtbot.keyClick(window.search_box(), Qt.Key.Key_Return)
    stored = backend.store.conversation_summary(future_id)
    assert stored is not None and (stored.last_activity_at is None or stored.last_activity_at.year < 9999)
    known = backend.store.known_thread_state(backend.account_id)
    assert future_id in known and empty_id not in known  # the empty answer is fetched again by the next sync
    _idle(qtbot, window)