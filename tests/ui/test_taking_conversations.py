"""Who has a conversation, from the window: the person at the bench (notes' author too), "Take" / "Release" /
"Hand to…" from the row menu, the header and Ctrl+M, the "Moje" filter, the assignee-only rule; a single bench shows
none of team mode's parts."""

from __future__ import annotations

import sqlite3
from typing import Any, Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QMenu
from ui_sample_data import ANNA, MAREK

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.app.settings import Settings, save_settings
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.inbox_records import ConversationRow, Filter
from magazyn_desktop.store.store_address import parse_store_address
from tests.postgres_server import postgres_url, scratch_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen dialogs

ME = "Bartek Nowak"


@pytest.fixture
def bartek(sample_paths: AppPaths) -> None:
    save_settings(sample_paths.settings_file, Settings(first_run_done=True, person_name=f"  {ME} "))


def _idle(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)


def _texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if a.text()]


def _menu(window: Any, conversation_id: str) -> QMenu:
    position = window.list_model().row_of(conversation_id)
    assert position is not None
    menu = window.row_menu(position)
    assert menu is not None
    return menu


def _trigger(menu: QMenu, text: str) -> None:
    next(a for a in menu.actions() if a.text() == text).trigger()


def _row(window: Any, conversation_id: str) -> ConversationRow:
    model = window.list_model()
    position = model.row_of(conversation_id)
    assert position is not None
    row = model.conversation_at(position)
    assert row is not None
    return row


def _open(qtbot: Any, window: Any, conversation_id: str) -> None:
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(conversation_id)


# -- a single bench ----------------------------------------------------------------------------------------------


def test_a_note_s_author_is_the_person_named_in_the_settings(
        qtbot: Any, bartek: None, make_window: Callable[..., Any], context: AppContext) -> None:
    window = make_window()
    dialog = window.add_note(ANNA)
    dialog.editor().setPlainText("Dzwoniła, prosi o fakturę")
    dialog.accept()
    _idle(qtbot, window)
    db = sqlite3.connect(context.paths.database)
    try:
        assert db.execute("SELECT author FROM conversation_notes").fetchall() == [(ME,)]
    finally:
        db.close()


def test_a_single_bench_shows_no_assignment(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    assert window.filter_button(Filter.MINE).isHidden()
    assert not {"Weź", "Oddaj", "Przekaż…"} & set(_texts(_menu(window, ANNA)))
    assert not any("Ctrl+M" == keys for _text, keys in window.shortcut_entries())
    assert not any(text == "Pokaż: Moje" for text, _keys in window.shortcut_entries())
    _open(qtbot, window, ANNA)
    assert window.conversation_view().assignment_header().isHidden()
    assert window.settings_dialog().only_assignee_sends() is None
    _idle(qtbot, window)


def test_moje_left_from_a_team_bench_opens_as_all_on_a_single_bench(
        qtbot: Any, make_window: Callable[..., Any], sample_paths: AppPaths) -> None:
    from magazyn_desktop.app.window_state import WindowState, save_window_state

    save_window_state(sample_paths.window_state_file, WindowState(x=10, y=20, width=1000, height=700, maximized=False,
                                                                  splitter_sizes=(300, 400, 300), filter="mine"))
    window = make_window()
    assert window.list_model().filter is Filter.ALL and window.filter_button(Filter.ALL).isChecked()
    _idle(qtbot, window)


def test_with_the_rule_a_reply_in_a_conversation_another_person_took_is_refused_naming_them(
        qtbot: Any, bartek: None, make_window: Callable[..., Any], fake_allegro: DemoAllegro) -> None:
    window = make_window()
    store = window.backend.store
    store.set_only_assignee_sends(window.backend.account_id, True)
    store.take_conversation(ANNA, "Ania Kowalska")
    _open(qtbot, window, ANNA)
    editor = window.composer().editor()
    editor.setFocus()
    editor.insertPlainText("Paczka wyszła dziś")
    with qtbot.waitSignal(window.user_message, timeout=5000) as said:
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Ania Kowalska" in said.args[0] and "nie została wysłana" in said.args[0]
    assert window.composer().text() == "Paczka wyszła dziś"  # kept for whoever may send it
    assert store.outbox_for_conversation(ANNA) == []
    # Taken by me, it goes.
    store.hand_conversation(ANNA, ME)
    with qtbot.waitSignal(window.reply_queued, timeout=5000):
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _idle(qtbot, window)


# -- a team's bench ----------------------------------------------------------------------------------------------


@pytest.fixture
def team_window(scratch_url: str, qtbot: Any, bartek: None,  # noqa: F811  (the fixture above)
                make_team_window: Callable[..., Any]) -> Any:
    pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")
    window = make_team_window(scratch_url)
    qtbot.waitUntil(window.listening_to_other_benches, timeout=5000)
    return window


def _mine_count(window: Any) -> str:
    return window.filter_button(Filter.MINE).text()


def test_take_from_the_row_menu_shows_me_on_the_row_and_in_moje(qtbot: Any, team_window: Any) -> None:
    window = team_window
    button = window.filter_button(Filter.MINE)
    assert not button.isHidden()
    qtbot.waitUntil(lambda: _mine_count(window) == "Moje (0)", timeout=5000)
    assert "Weź" in _texts(_menu(window, ANNA)) and "Oddaj" not in _texts(_menu(window, ANNA))
    _trigger(_menu(window, ANNA), "Weź")
    qtbot.waitUntil(lambda: _row(window, ANNA).assignee == ME, timeout=5000)
    qtbot.waitUntil(lambda: _mine_count(window) == "Moje (1)", timeout=5000)
    index = window.list_model().index(window.list_model().row_of(ANNA), 0)
    assert f"prowadzi: {ME}" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    window.set_filter(Filter.MINE)
    assert [window.list_model().conversation_at(n).id for n in range(window.list_model().rowCount())] == [ANNA]
    window.set_filter(Filter.ALL)
    _trigger(_menu(window, ANNA), "Oddaj")
    qtbot.waitUntil(lambda: _row(window, ANNA).assignee is None, timeout=5000)
    qtbot.waitUntil(lambda: _mine_count(window) == "Moje (0)", timeout=5000)


def test_taking_what_another_bench_took_asks_first(qtbot: Any, team_window: Any, scratch_url: str) -> None:  # noqa: F811
    from magazyn_desktop.store.repository import Store

    window = team_window
    other_bench = Store.open_team(parse_store_address(scratch_url))
    try:
        other_bench.take_conversation(ANNA, "Ania")
        # Another bench's take reaches this window's row through the change log.
        qtbot.waitUntil(lambda: _row(window, ANNA).assignee == "Ania", timeout=3000)
        with qtbot.waitSignal(window._assignment.take_over_asked, timeout=5000) as asked:
            _trigger(_menu(window, ANNA), "Weź")
        box: QMessageBox = asked.args[0]
        assert box.text() == "Ania prowadzi tę rozmowę. Przejąć ją mimo to?"
        box.button(QMessageBox.StandardButton.No).click()
        _idle(qtbot, window)
        assert _row(window, ANNA).assignee == "Ania"
        with qtbot.waitSignal(window._assignment.take_over_asked, timeout=5000) as asked:
            window._assignment.take(ANNA)
        asked.args[0].button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(lambda: _row(window, ANNA).assignee == ME, timeout=5000)
    finally:
        other_bench.close()


def test_hand_to_offers_the_people_seen_and_takes_a_typed_name(
        qtbot: Any, team_window: Any, scratch_url: str) -> None:  # noqa: F811
    import psycopg

    window = team_window
    window.backend.store.take_conversation(MAREK, "Celina")
    with psycopg.connect(scratch_url) as connection:
        connection.execute("INSERT INTO presence (holder, account_id, person, bench, seen_at) "
                           "VALUES ('h1', %s, 'Ania', 'stanowisko 2', now())", (window.backend.account_id,))
    with qtbot.waitSignal(window._assignment.hand_over_opened, timeout=5000) as opened:
        _trigger(_menu(window, ANNA), "Przekaż…")
    dialog = opened.args[0]
    box = dialog.name_box()
    assert [box.itemText(n) for n in range(box.count())] == ["Ania", ME, "Celina"]
    box.setCurrentIndex(0)
    dialog.accept()
    qtbot.waitUntil(lambda: _row(window, ANNA).assignee == "Ania", timeout=5000)
    with qtbot.waitSignal(window._assignment.hand_over_opened, timeout=5000) as opened:
        window._assignment.hand_to(ANNA)
    typed = opened.args[0]
    typed.name_box().setEditText("Damian z magazynu")
    typed.accept()
    qtbot.waitUntil(lambda: _row(window, ANNA).assignee == "Damian z magazynu", timeout=5000)


def test_the_header_and_ctrl_m_take_the_open_conversation(qtbot: Any, team_window: Any) -> None:
    window = team_window
    _open(qtbot, window, ANNA)
    header = window.conversation_view().assignment_header()
    assert header.isVisible() and header.holder_text() == ""
    window.list_view().setFocus()
    qtbot.keyClick(window.list_view(), Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _row(window, ANNA).assignee == ME, timeout=5000)
    qtbot.waitUntil(lambda: header.holder_text() == "Twoja rozmowa", timeout=5000)
    header.findChild(object, "releaseConversation").click()
    qtbot.waitUntil(lambda: header.holder_text() == "" and _row(window, ANNA).assignee is None, timeout=5000)


def test_the_assignee_rule_is_a_team_setting(qtbot: Any, team_window: Any) -> None:
    window = team_window
    dialog = window.settings_dialog()
    assert dialog.only_assignee_sends() is False
    dialog.findChild(object, "onlyAssigneeSends").setChecked(True)
    window.settings_chosen(dialog)
    qtbot.waitUntil(lambda: window.backend.store.only_assignee_sends(window.backend.account_id), timeout=5000)
    again = window.settings_dialog()
    assert again.only_assignee_sends() is True and again.changed_only_assignee_sends() is None
