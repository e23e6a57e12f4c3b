"""After a change the inbox list updates just the changed rows: no reset, the same rows a fresh read gives."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex

from magazyn_desktop.app.backend import build_backend
from magazyn_desktop.app.backend_types import ConnectedBackend
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.ui.conversation_list_model import ConversationListModel


@pytest.fixture
def synced(paths: AppPaths) -> Iterator[tuple[ConnectedBackend, DemoAllegro]]:
    fake = DemoAllegro.interactive()
    backend = build_backend(paths, demo=True, fake_allegro=fake)
    assert isinstance(backend, ConnectedBackend)
    try:
        assert backend.sync.run_once().errors == []
        yield backend, fake
    finally:
        backend.close()


def _model(paths: AppPaths, filter_: Filter, account_id: int, connections: list[sqlite3.Connection]) -> ConversationListModel:
    def open_connection() -> sqlite3.Connection:
        connections.append(connect(paths.database, read_only=True))
        return connections[-1]

    model = ConversationListModel(open_connection, page_size=10)
    model.set_query(filter_, "", account_id=account_id)
    return model


def _rows(model: ConversationListModel) -> list[Any]:
    return [model.conversation_at(i) for i in range(model.rowCount())]


@pytest.mark.parametrize("filter_", [Filter.ALL, Filter.UNREAD, Filter.NEEDS_REPLY])
def test_updated_rows_match_a_fresh_read_and_the_list_is_never_reset(
    qtbot: Any, paths: AppPaths, synced: tuple[ConnectedBackend, DemoAllegro], filter_: Filter
) -> None:
    backend, fake = synced
    connections: list[sqlite3.Connection] = []
    model = _model(paths, filter_, backend.account_id, connections)
    model.fetchMore(QModelIndex())  # two pages loaded, more below them
    assert model.canFetchMore(QModelIndex())
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    all_ids = sorted(backend.store.known_thread_state(backend.account_id))
    rng = random.Random(20261202)
    try:
        for round_ in range(6):
            for conversation_id in rng.sample(all_ids, 3):
                fake.add_buyer_message(conversation_id, f"Czy paczka już wyszła? ({round_})")
            read_now = rng.choice(all_ids)
            backend.store.mark_read(read_now)
            report = backend.sync.run_once()
            assert report.errors == [] and len(report.changed_conversations) >= 3
            model.update_rows(report.changed_conversations | {read_now})

            fresh = _model(paths, filter_, backend.account_id, connections)
            while fresh.rowCount() < model.rowCount() and fresh.canFetchMore(QModelIndex()):
                fresh.fetchMore(QModelIndex())
            assert _rows(model) == _rows(fresh)[:model.rowCount()]
        while model.canFetchMore(QModelIndex()):  # paging on after the updates: no row twice, none missing
            model.fetchMore(QModelIndex())
        everything = _model(paths, filter_, backend.account_id, connections)
        while everything.canFetchMore(QModelIndex()):
            everything.fetchMore(QModelIndex())
        assert _rows(model) == _rows(everything)
        assert resets == []
    finally:
        for connection in connections:
            connection.close()


def test_a_sync_in_the_window_moves_the_changed_row_and_keeps_the_selection(
    qtbot: Any, make_window: Any, fake_allegro: DemoAllegro
) -> None:
    window = make_window()
    model = window.list_model()
    last = model.conversation_at(model.rowCount() - 1)
    selected = model.conversation_at(0)
    assert last is not None and selected is not None and last.id != selected.id
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(selected.id)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    fake_allegro.add_buyer_message(last.id, "Dzień dobry, czy mogę jeszcze zmienić adres?")
    with qtbot.waitSignal(window.sync_finished, timeout=5000):
        window.sync_now()
    qtbot.waitUntil(lambda: model.conversation_at(0) is not None and model.conversation_at(0).id == last.id,
                    timeout=5000)
    assert resets == []
    assert window.current_conversation_id == selected.id
    current = window._list.currentIndex()
    assert model.conversation_at(current.row()).id == selected.id


def test_when_the_open_conversations_own_row_moves_it_stays_open(
    qtbot: Any, make_window: Any, fake_allegro: DemoAllegro
) -> None:
    window = make_window()
    model = window.list_model()
    below_top = model.conversation_at(model.rowCount() - 1)
    assert below_top is not None and model.rowCount() > 2
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(below_top.id)
    fake_allegro.add_buyer_message(below_top.id, "Jeszcze jedno pytanie o fakturę.")
    with qtbot.waitSignal(window.sync_finished, timeout=5000):
        window.sync_now()
    qtbot.waitUntil(lambda: model.conversation_at(0) is not None and model.conversation_at(0).id == below_top.id,
                    timeout=5000)
    qtbot.waitUntil(lambda: "Jeszcze jedno pytanie o fakturę." in window.conversation_view().message_texts(),
                    timeout=5000)
    assert window.current_conversation_id == below_top.id
    assert window.conversation_view().conversation_id == below_top.id
    assert model.conversation_at(window._list.currentIndex().row()).id == below_top.id
