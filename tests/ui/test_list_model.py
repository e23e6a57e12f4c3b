"""The inbox list model: Qt's model checks, lazy paging, and data() that never raises."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QListView
from ui_sample_data import (
    ANNA,
    CLAIM_ID,
    CLOSED,
    MAREK,
    MAREK_WAYBILL,
    ORDER_MAREK,
    add_thread,
    message,
    sync_into_cache,
    thread_id,
)

from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import ConversationRow, Filter
from magazyn_desktop.ui.conversation_list_delegate import ConversationListDelegate
from magazyn_desktop.ui.conversation_list_model import ID_ROLE, ROW_ROLE, ConversationListModel


def _model(paths: AppPaths, page_size: int = 50) -> ConversationListModel:
    return ConversationListModel(lambda: connect(paths.database, read_only=True), page_size=page_size)


@pytest.fixture
def synced(sample_paths: AppPaths, fake_allegro: DemoAllegro) -> AppPaths:
    """The cache after a sync of the sample account."""
    sync_into_cache(sample_paths, fake_allegro)
    return sample_paths


def _add_many(fake: DemoAllegro, count: int) -> None:
    """`count` more threads on Allegro, older than the sample's."""
    for i in range(count):
        login = f"kupujacy_{i}"
        add_thread(fake.data, thread_id(f"bulk{i:04d}"), login,
                   [message(fake.data, f"Pytanie numer {i}", 1000 + i, login)])


def test_model_passes_qt_model_tester(qtmodeltester: Any, sample_paths: AppPaths, fake_allegro: DemoAllegro) -> None:
    _add_many(fake_allegro, 30)
    sync_into_cache(sample_paths, fake_allegro)
    model = _model(sample_paths, page_size=7)
    model.set_query(Filter.ALL, "")
    qtmodeltester.check(model, force_py=True)
    model.close()


def test_pages_lazily_and_never_loads_everything(sample_paths: AppPaths, fake_allegro: DemoAllegro) -> None:
    _add_many(fake_allegro, 120)
    sync_into_cache(sample_paths, fake_allegro)
    model = _model(sample_paths, page_size=25)
    model.set_query(Filter.ALL, "")
    assert model.rowCount() == 25
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 50
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 124
    ids = [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())]
    assert len(set(ids)) == 124 and ids[0] == ANNA
    model.close()


def test_data_returns_none_for_bad_indexes_and_roles(synced: AppPaths) -> None:
    model = _model(synced)
    model.set_query(Filter.ALL, "")
    assert model.data(QModelIndex()) is None
    assert model.data(model.index(99, 0)) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None
    row = model.index(0, 0).data(ROW_ROLE)
    assert isinstance(row, ConversationRow) and row.interlocutor_login == "anna_k"
    model.close()


def test_filters_and_search_change_the_rows(sample_paths: AppPaths, fake_allegro: DemoAllegro) -> None:
    question = thread_id("zofiaPytanie")  # a question before buying: no purchase problem
    data = fake_allegro.data
    add_thread(data, question, "zofia_p", [message(data, "Czy jest rozmiar M?", 90, "zofia_p")])
    sync_into_cache(sample_paths, fake_allegro, orders=(ORDER_MAREK,))
    model = _model(sample_paths)
    model.set_query(Filter.ISSUES, "")
    # Post-purchase threads (they name an order), the claim, the closed one; not the question.
    assert {model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())} == {ANNA, MAREK, CLAIM_ID, CLOSED}
    model.set_query(Filter.CLOSED)
    assert [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())] == [CLOSED]
    model.set_query(Filter.ALL, "pekniety")  # no diacritics typed, still found
    assert [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())] == [CLAIM_ID]
    model.set_query(search=MAREK_WAYBILL[:12])  # a waybill of an order shown before
    assert [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())] == [MAREK]
    model.close()


def test_unreadable_database_gives_an_empty_list_not_an_exception(tmp_path: Any, qtbot: Any) -> None:
    model = ConversationListModel(lambda: connect(tmp_path / "missing.sqlite3", read_only=True))
    with qtbot.waitSignal(model.load_failed, timeout=1000):
        model.set_query(Filter.ALL, "")
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())


@pytest.mark.allow_error_logs
def test_a_row_whose_data_raises_leaves_the_list_working_and_is_logged_once(
    qtbot: Any, synced: AppPaths, caplog: pytest.LogCaptureFixture
) -> None:
    model = _model(synced)
    model.set_query(Filter.ALL, "")
    good_logins = [model.index(r, 0).data(ROW_ROLE).interlocutor_login for r in range(1, model.rowCount())]
    # A value of a type nothing expects (a bug, a column written by another version): reading it raises.
    first = model.conversation_at(0)
    assert first is not None
    model._kept[first.id] = dataclasses.replace(first, last_activity_at=object())  # type: ignore[arg-type]
    view = QListView()
    view.setItemDelegate(ConversationListDelegate(view))
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(400, 600)
    view.show()
    for _ in range(3):  # every paint asks again
        view.viewport().grab()
        assert model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole) is None
    assert [model.index(r, 0).data(ROW_ROLE).interlocutor_login for r in range(1, model.rowCount())] == good_logins
    logged = [r for r in caplog.records if "could not be shown" in r.getMessage()]
    assert sorted(r.name for r in logged) == ["magazyn_desktop.ui.conversation_list_delegate",
                                              "magazyn_desktop.ui.conversation_list_model"]
    assert all(r.levelno == logging.ERROR for r in logged)
    view.setModel(None)
    model.close()
