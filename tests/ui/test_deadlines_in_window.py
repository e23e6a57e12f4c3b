"""Deadlines in the window: the "Terminy" filter (Ctrl+7) in its own order, kept in order as rows change; the time
left on each row, overdue rows marked in words and shape, from one clock per pass; the header's deadline; and the
tray's notice, once per deadline, across restarts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
from PySide6.QtCore import QModelIndex, QRect
from PySide6.QtGui import QAction, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.domain import deadlines
from magazyn_desktop.domain.deadlines import DeadlineClock, Urgency
from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.store.repository import Store
from magazyn_desktop.ui.conversation_list_delegate import ConversationListDelegate
from magazyn_desktop.ui.conversation_list_model import ROW_ROLE, ConversationListModel
from magazyn_desktop.ui.deadline_marks import deadline_mark
from magazyn_desktop.ui.i18n import install_translator

NOW = datetime(2026, 11, 17, 10, 0, tzinfo=timezone.utc)  # a Tuesday


@pytest.fixture
def polish(qapp: Any) -> Iterator[None]:
    install_translator("pl")
    yield


@pytest.fixture
def account_id(store: Store) -> int:
    return store.ensure_account("demo", "shop")


def _dispute(store: Store, account_id: int, conversation_id: str, due: datetime | None, *,
             status: str = "DISPUTE_ONGOING") -> None:
    store.upsert_conversation(account_id, ConversationSummary(
        id=conversation_id, kind=Kind.ISSUE, sub_kind=SubKind.DISPUTE, last_activity_at=NOW - timedelta(days=1),
        interlocutor_login=f"kupujacy_{conversation_id}", status=status, status_due_at=due, opened_at=NOW))


def _model(paths: AppPaths, account_id: int) -> ConversationListModel:
    model = ConversationListModel(lambda: connect(paths.database, read_only=True), page_size=2, now=lambda: NOW)
    model.set_query(Filter.DEADLINES, "", account_id)
    return model


def _ids(model: ConversationListModel) -> list[str]:
    return [model.conversation_at(n).id for n in range(model.rowCount())]  # type: ignore[union-attr]


def test_the_filter_keeps_its_soonest_first_order_as_rows_change(store: Store, paths: AppPaths,
                                                                  account_id: int) -> None:
    for name, hours in (("b", 5), ("d", 50), ("a", -3)):
        _dispute(store, account_id, name, NOW + timedelta(hours=hours))
    model = _model(paths, account_id)
    try:
        assert _ids(model) == ["a", "b"] and model.canFetchMore(QModelIndex())
        model.fetchMore(QModelIndex())
        assert _ids(model) == ["a", "b", "d"]
        _dispute(store, account_id, "c", NOW + timedelta(hours=20))  # between b and d
        _dispute(store, account_id, "b", NOW + timedelta(hours=5), status="DISPUTE_CLOSED")  # nothing due now
        model.update_rows(["c", "b"])
        assert _ids(model) == ["a", "c", "d"]
        assert model.row_of("d") == 2
    finally:
        model.close()


def test_time_left_in_words_and_overdue_in_words_and_shape(polish: None) -> None:
    clock = DeadlineClock.at(NOW)
    overdue = deadline_mark(NOW - timedelta(hours=3), clock)
    assert overdue.text == "po terminie 3 h" and overdue.urgency is Urgency.OVERDUE and overdue.filled
    later = deadline_mark(NOW + timedelta(days=2, hours=1), clock)
    assert later.text == "zostały 2 dni" and later.urgency is Urgency.LATER and not later.filled
    soon = deadline_mark(NOW + timedelta(hours=5), clock)
    assert soon.urgency is Urgency.DUE_SOON and soon.outlined and not soon.filled


def test_a_thread_s_reply_deadline_takes_the_place_of_needs_reply_and_a_claim_keeps_both(polish: None) -> None:
    """The row's second line is narrow at 1024 px: "po terminie 2 dni" already says the thread waits for a reply."""
    from magazyn_desktop.store.inbox_records import ConversationRow

    delegate = ConversationListDelegate()
    mark = deadline_mark(NOW - timedelta(days=2), DeadlineClock.at(NOW))

    def row(kind: Kind, sub_kind: SubKind) -> ConversationRow:
        return ConversationRow(id="x", kind=kind.value, sub_kind=sub_kind.value, status=None, can_reply=True,
                               read=True, needs_reply=True, closed=False, last_activity_at=NOW,
                               interlocutor_login="anna", order_id=None, subject=None, snippet="Gdzie paczka?",
                               decision_due_at=None, due_at=NOW - timedelta(days=2))

    words = [text for text, _colour in delegate.marks(row(Kind.THREAD, SubKind.COMMON), mark)]
    assert words == []
    assert [text for text, _colour in delegate.marks(row(Kind.THREAD, SubKind.COMMON), None)] == [
        "czeka na odpowiedź"]
    assert [text for text, _colour in delegate.marks(row(Kind.ISSUE, SubKind.CLAIM), mark)] == [
        "czeka na odpowiedź"]


def test_a_paint_pass_builds_one_clock_for_all_its_rows(store: Store, paths: AppPaths, account_id: int,
                                                        monkeypatch: pytest.MonkeyPatch, qapp: Any) -> None:
    for number in range(6):
        _dispute(store, account_id, f"d{number}", NOW + timedelta(hours=number * 7 - 10))
    model = ConversationListModel(lambda: connect(paths.database, read_only=True), now=lambda: NOW)
    model.set_query(Filter.DEADLINES, "", account_id)
    built: list[datetime] = []
    real_at = DeadlineClock.at.__func__  # type: ignore[attr-defined]

    def counting_at(cls: type[DeadlineClock], now: datetime) -> DeadlineClock:
        built.append(now)
        return real_at(cls, now)  # type: ignore[no-any-return]

    monkeypatch.setattr(deadlines.DeadlineClock, "at", classmethod(counting_at))
    walks: list[object] = []
    monkeypatch.setattr(deadlines, "add_business_time", lambda *args: walks.append(args) or NOW)
    try:
        model.reload()
        built.clear(), walks.clear()
        delegate = ConversationListDelegate()
        image = QImage(400, 60 * 6, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        for _ in range(3):  # three paint passes over every row
            for position in range(model.rowCount()):
                option = QStyleOptionViewItem()
                option.rect = QRect(0, position * 60, 400, 60)
                delegate.paint(painter, option, model.index(position))
        painter.end()
        assert len(built) <= 1 and len(walks) <= 1
        assert all(isinstance(model.index(n).data(ROW_ROLE).due_at, datetime) for n in range(model.rowCount()))
    finally:
        model.close()


def test_ctrl_7_shows_the_deadlines_filter_after_the_reminders(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.filter_button(Filter.DEADLINES).text() == "Terminy (2)", timeout=5000)
    [show] = [action for action in window.findChildren(QAction) if action.text() == "Pokaż: Terminy"]
    assert show.shortcut().toString() == "Ctrl+7"
    show.trigger()
    assert window.list_model().filter is Filter.DEADLINES
    model = window.list_model()
    rows = [model.conversation_at(n) for n in range(model.rowCount())]
    assert rows and all(row is not None and row.due_at is not None for row in rows)
    assert [row.due_at for row in rows] == sorted(row.due_at for row in rows)  # type: ignore[union-attr]


def test_the_header_shows_the_deadline(qtbot: Any, make_window: Callable[..., Any]) -> None:
    from ui_sample_data import CLAIM_ID

    window = make_window()
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(CLAIM_ID)
    facts = window.conversation_view().header_facts()
    assert "termin" in facts and ("zostało" in facts or "zostały" in facts or "po terminie" in facts)


# -- the tray's notice ----------------------------------------------------------------------------------------------


def test_a_claim_a_working_day_away_is_announced_once_even_after_a_restart(paths: AppPaths) -> None:
    store = Store.open(paths.database)
    try:
        account_id = store.ensure_account("demo", "shop")
        _dispute(store, account_id, "soon", NOW + timedelta(hours=6))
        _dispute(store, account_id, "later", NOW + timedelta(days=4))
        _dispute(store, account_id, "past", NOW - timedelta(hours=1))
        # An ordinary message awaiting a reply is due within a day too, but is not announced.
        store.store_conversation(account_id, ConversationSummary(
            id="thread", kind=Kind.THREAD, sub_kind=SubKind.COMMON, last_activity_at=NOW, interlocutor_login="x"),
            [ConversationMessage("m1", "thread", Role.BUYER, "x", "Halo?", NOW - timedelta(hours=2))])
        clock = DeadlineClock.at(NOW)
        assert [n.conversation_id for n in store.take_deadline_notices(account_id, clock)] == ["soon"]
        assert store.take_deadline_notices(account_id, clock) == []
    finally:
        store.close()
    again = Store.open(paths.database)
    try:
        assert again.take_deadline_notices(account_id, DeadlineClock.at(NOW + timedelta(minutes=5))) == []
        # A new deadline on the same conversation is news.
        _dispute(again, account_id, "soon", NOW + timedelta(hours=8))
        assert [n.conversation_id for n in again.take_deadline_notices(account_id, clock)] == ["soon"]
    finally:
        again.close()


def test_the_window_announces_a_near_claim_deadline_once(qtbot: Any, make_window: Callable[..., Any],
                                                         context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui_sample_data import NOW as SAMPLE_NOW

    from magazyn_desktop.ui import tray

    announced: list[list[Any]] = []
    monkeypatch.setattr(tray.InboxTray, "notify_deadlines", lambda self, notices: announced.append(list(notices)))
    # The sample claim is due three days after the sample's now: two and a half days on, it is a working day away.
    monkeypatch.setattr("magazyn_desktop.ui.main_window.utc_now", lambda: SAMPLE_NOW + timedelta(days=2, hours=12))
    window = make_window()
    qtbot.waitUntil(lambda: len(announced) == 1, timeout=5000)
    assert [n.interlocutor_login for n in announced[0]] == ["ewa_w"]
    with qtbot.waitSignal(window.sync_finished, timeout=10000):
        window.sync_now()
    qtbot.waitUntil(lambda: window._writer.active_count() == 0, timeout=5000)
    assert sum(len(batch) for batch in announced) == 1
