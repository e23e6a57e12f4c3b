"""The main window against a sample cache and a fake backend: opening, switching, searching, scanning,
drafts, replies through the outbox, activation, the offline banner, the order panel and attachments.

No sleeps: every wait is on a signal or a condition.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pytest
from PySide6.QtCore import Qt
from ui_sample_data import FakeBackend, FakeStore

from magazyn_desktop.allegro.models import Conversation
from magazyn_desktop.app_context import AppContext
from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.store.inbox_queries import Filter

CLAIM_ID = "6f1c2a8e-0000-4000-8000-00000000c1a1"


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def test_selecting_a_conversation_loads_it_through_a_worker(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    model = window.list_model()
    row = model.row_of("thread-anna")
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000) as blocker:
        window.list_view().setCurrentIndex(model.index(row, 0))
        assert window.conversation_view().detail is None  # still loading: the GUI thread did not read it
    assert blocker.args == ["thread-anna"]
    texts = window.conversation_view().message_texts()
    assert texts == ["Dzień dobry, kiedy wyślecie paczkę?", "<b>Proszę</b> o szybką odpowiedź"]  # HTML stays text
    _idle(qtbot, window)


def test_switching_quickly_shows_only_the_last_one(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    shown: list[str] = []
    window.conversation_displayed.connect(shown.append)
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000,
                          check_params_cb=lambda cid: cid == "thread-closed"):
        for conversation_id in ("thread-anna", "thread-marek", CLAIM_ID, "thread-closed"):
            window.open_conversation(conversation_id)
    _idle(qtbot, window)
    assert shown == ["thread-closed"]
    assert window.conversation_view().conversation_id == "thread-closed"


def test_filters_and_search(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    model = window.list_model()
    window.set_filter(Filter.NEEDS_REPLY)
    assert {model.index(r, 0).data(Qt.ItemDataRole.UserRole + 2) for r in range(model.rowCount())} == {
        "thread-anna", CLAIM_ID}
    window.set_filter(Filter.ALL)
    window.set_search("marek")
    assert model.rowCount() == 1
    window.set_search("adres dostawy")
    assert model.rowCount() == 1
    window.set_search("")
    assert model.rowCount() == 4


def test_scanning_a_waybill_opens_its_conversation(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    window.focus_search()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000) as blocker:
        qtbot.keyClicks(window.search_box(), "620123456789012345678901")
        qtbot.keyClick(window.search_box(), Qt.Key.Key_Return)
    assert blocker.args == ["thread-marek"]
    assert window.search_box().text() == ""  # ready for the next scan
    _idle(qtbot, window)


def test_an_unknown_conversation_id_is_asked_from_allegro(qtbot: Any, make_window: Callable[..., Any],
                                                          fake_backend: FakeBackend) -> None:
    new_id = "0a1b2c3d-0000-4000-8000-00000000abcd"
    when = datetime(2026, 11, 5, 12, 30, tzinfo=timezone.utc)
    fake_backend.client.remote[new_id] = Conversation(
        ConversationSummary(id=new_id, kind=Kind.ISSUE, sub_kind=SubKind.DISPUTE, last_activity_at=when,
                            interlocutor_login="tomasz_b", status="DISPUTE_ONGOING"),
        (ConversationMessage(id="remote-1", conversation_id=new_id, role=Role.BUYER, author_login="tomasz_b",
                             text="Zamówiłem niebieski, przyszedł czerwony.", created_at=when),),
    )
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000) as blocker:
        window.set_search(new_id)
        qtbot.keyClick(window.search_box(), Qt.Key.Key_Return)
    assert blocker.args == [new_id]
    assert fake_backend.client.opened == [new_id]
    assert window.conversation_view().message_texts() == ["Zamówiłem niebieski, przyszedł czerwony."]
    assert window.list_model().row_of(new_id) is not None
    _idle(qtbot, window)


def test_a_draft_survives_closing_and_reopening(qtbot: Any, make_window: Callable[..., Any],
                                                context: AppContext, fake_backend: FakeBackend) -> None:
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation("thread-marek")
    window.composer().focus_editor()
    qtbot.keyClicks(window.composer().editor(), "Paczka wyjdzie jutro")
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        pass  # the debounce timer fires on its own
    qtbot.keyClicks(window.composer().editor(), " rano")  # typed just before closing: saved by shutdown
    window.shutdown()
    window.close()

    reopened = make_window(backend=FakeBackend(store=FakeStore(context.paths.database)))
    with qtbot.waitSignal(reopened.conversation_displayed, timeout=5000):
        reopened.open_conversation("thread-marek")
    assert reopened.composer().text() == "Paczka wyjdzie jutro rano"
    _idle(qtbot, reopened)


def test_a_reply_goes_through_the_outbox(qtbot: Any, make_window: Callable[..., Any],
                                         fake_backend: FakeBackend) -> None:
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation("thread-anna")
    editor = window.composer().editor()
    editor.setFocus()
    editor.insertPlainText("Wysłaliśmy dziś, numer w zamówieniu.")  # QTest types ASCII only
    with qtbot.waitSignals([window.reply_queued, window.outbox_processed], timeout=5000):
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.composer().text() == ""
    assert fake_backend.outbox.processed >= 1
    qtbot.waitUntil(lambda: window.conversation_view().outbox_states() == ["wysłano"], timeout=5000)
    _idle(qtbot, window)
    db = sqlite3.connect(fake_backend.store.database)
    assert db.execute("SELECT text, state FROM outbox").fetchall() == [
        ("Wysłaliśmy dziś, numer w zamówieniu.", "sent")]
    assert db.execute("SELECT text FROM drafts WHERE conversation_id='thread-anna'").fetchone() == ("",)
    db.close()


def test_sending_is_disabled_with_a_reason_when_closed(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation("thread-closed")
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


def test_offline_then_online_banner(qtbot: Any, make_window: Callable[..., Any], fake_backend: FakeBackend) -> None:
    window = make_window()
    assert not window.is_offline_banner_visible()
    fake_backend.sync.offline = True
    with qtbot.waitSignal(window.sync_finished, timeout=5000):
        window.sync_now()
    assert window.is_offline_banner_visible()
    assert "Brak połączenia" in window._banner.text()
    fake_backend.sync.offline = False
    with qtbot.waitSignal(window.sync_finished, timeout=5000):
        window.sync_now()
    assert not window.is_offline_banner_visible()
    _idle(qtbot, window)


@pytest.mark.allow_error_logs  # a bug is logged with its traceback
def test_a_sync_error_is_shown_in_the_users_language(qtbot: Any, make_window: Callable[..., Any],
                                                     fake_backend: FakeBackend) -> None:
    window = make_window()

    def broken(progress: Any, cancelled: Any) -> Any:
        raise RuntimeError("boom\nTraceback (most recent call last)")

    fake_backend.sync.run_once = broken  # type: ignore[method-assign]
    with qtbot.waitSignal(window.user_message, timeout=5000) as blocker:
        window.sync_now()
    assert blocker.args[0].startswith("Wystąpił nieoczekiwany błąd")
    assert "Traceback" not in window.status_text()
    _idle(qtbot, window)


def test_order_panel_loads_lazily_and_caches(qtbot: Any, make_window: Callable[..., Any],
                                             fake_backend: FakeBackend) -> None:
    window = make_window()
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation("thread-anna")
    assert window.order_panel().shown_items() == [("Kubek ceramiczny 300 ml", "KUB-300-BIA", "2")]
    assert fake_backend.store.orders["order-1001"].delivery_method == "Allegro Paczkomaty InPost"
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation("thread-marek")
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation("thread-anna")  # from the window's cache: no third request
    assert fake_backend.client.orders_asked == ["order-1001", "order-1002"]
    _idle(qtbot, window)


def test_opening_marks_read(qtbot: Any, make_window: Callable[..., Any], fake_backend: FakeBackend) -> None:
    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(CLAIM_ID)
    qtbot.waitUntil(lambda: fake_backend.store.marked_read == [CLAIM_ID], timeout=5000)
    _idle(qtbot, window)


def test_attachment_downloads_under_a_safe_name(qtbot: Any, make_window: Callable[..., Any],
                                                context: AppContext) -> None:
    window = make_window()
    opened: list[Path] = []
    window.open_file = opened.append
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation("thread-anna")
    attachment = window.conversation_view().detail.messages[1].attachments[0]
    with qtbot.waitSignal(window.attachment_saved, timeout=5000) as blocker:
        window.conversation_view().attachment_requested.emit(attachment)
    path: Path = blocker.args[0]
    assert path.parent == context.paths.attachments and path.name == "zdjecie.png"
    assert opened == [path]
    _idle(qtbot, window)


def test_keyboard_search_reply_and_back(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    window.activateWindow()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation("thread-anna")
    window.focus_search()
    assert window.search_box().hasFocus() or window.focusWidget() is window.search_box()
    window.back_to_list()
    assert window.focusWidget() is window.list_view()
    window.focus_composer()
    assert window.focusWidget() is window.composer().editor()
    _idle(qtbot, window)


def test_launch_contract(qtbot: Any, make_window: Callable[..., Any], fake_backend: FakeBackend) -> None:
    window = make_window()
    assert window.conversation_count() == 4
    assert window.first_conversation_id() == "thread-anna"
    window.shutdown()
    window.shutdown()  # idempotent
    assert fake_backend.closed


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
                                                                  sample_paths: Any) -> None:
    """A far-future time does not order the inbox, and an answer that contradicts its summary stays due for the
    next sync, whether the conversation came from a sync or was opened by its id."""
    from magazyn_desktop.store.repository import Store

    store = Store.open(sample_paths.database)
    backend = FakeBackend(store=store)  # type: ignore[arg-type]
    backend.outbox = None  # the fake outbox writes through FakeStore's helper, which the real store does not have
    far = datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc)
    future_id, empty_id = "FarFutureThread0000000000000000000000000001", "EmptyAnswerThread000000000000000000000001"
    backend.client.remote[future_id] = Conversation(
        ConversationSummary(id=future_id, kind=Kind.THREAD, sub_kind=SubKind.COMMON, last_activity_at=far,
                            interlocutor_login="piotr_f"),
        (ConversationMessage(id="far-1", conversation_id=future_id, role=Role.BUYER, author_login="piotr_f",
                             text="Wiadomość z przyszłości", created_at=far),),
    )
    backend.client.remote[empty_id] = Conversation(
        ConversationSummary(id=empty_id, kind=Kind.THREAD, sub_kind=SubKind.COMMON,
                            last_activity_at=datetime(2026, 11, 5, 11, 0, tzinfo=timezone.utc),
                            interlocutor_login="ola_e"),
        (),
    )
    window = make_window(backend=backend)
    for conversation_id in (future_id, empty_id):
        with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
            window.set_search(conversation_id)
            qtbot.keyClick(window.search_box(), Qt.Key.Key_Return)
    stored = store.conversation_summary(future_id)
    assert stored is not None and (stored.last_activity_at is None or stored.last_activity_at.year < 9999)
    known = store.known_thread_state(1)
    assert future_id in known and empty_id not in known  # the empty answer is fetched again by the next sync
    _idle(qtbot, window)
    window.shutdown()
    store.close()
