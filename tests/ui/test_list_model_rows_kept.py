"""What the inbox list model keeps per loaded row: the rows' order for every loaded row, their contents for a bounded
few. Whatever it keeps, it answers like a model that kept every row: after pages, random changes and updates in
place it shows what a fresh read of the cache shows, and painting rows it no longer holds reads them together."""

from __future__ import annotations

import gc
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QListView

from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import ConversationRow, Filter
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.ui.conversation_list_delegate import ConversationListDelegate
from magazyn_desktop.ui.conversation_list_model import ID_ROLE, ROW_ROLE, ConversationListModel

CONVERSATIONS = 150
ACCOUNT_ID = 1


def _conversation_id(number: int) -> str:
    return f"T{number:042d}"


def _time(minute: int) -> str:
    return f"2026-11-{1 + minute // 1440:02d} {minute // 60 % 24:02d}:{minute % 60:02d}:00.000000"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A cache at head holding CONVERSATIONS threads of one account, a few of them without any activity time."""
    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    writer = connect(paths.database)  # with the search index's functions, as the app's writers
    with writer:
        writer.execute("INSERT INTO accounts (id, environment, login, is_active, created_at) "
                       "VALUES (?, 'custom', 'sklep', 1, '2026-11-01 08:00:00')", (ACCOUNT_ID,))
        writer.executemany(
            "INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, "
            "last_activity_at, interlocutor_login, last_message_snippet, updated_at) "
            "VALUES (?, ?, 'thread', 'COMMON', 1, ?, ?, ?, ?, ?, '2026-11-01 08:00:00')",
            ((_conversation_id(n), ACCOUNT_ID, n % 3 == 0, n % 4 == 0, None if n % 37 == 5 else _time(n * 7 % 900),
              f"kupujacy_{n}", f"Dzień dobry, pytanie {n} o przesyłkę") for n in range(CONVERSATIONS)),
        )
    writer.close()
    return paths.database


@pytest.fixture
def connections() -> Iterator[list[sqlite3.Connection]]:
    opened: list[sqlite3.Connection] = []
    yield opened
    for connection in opened:
        connection.close()


def _model(database: Path, connections: list[sqlite3.Connection], filter_: Filter = Filter.ALL,
           **options: Any) -> ConversationListModel:
    def open_connection() -> sqlite3.Connection:
        connections.append(connect(database, read_only=True))
        return connections[-1]

    model = ConversationListModel(open_connection, **options)
    model.set_query(filter_, "", account_id=ACCOUNT_ID)
    return model


def _load_all(model: ConversationListModel) -> None:
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())


def _shown(model: ConversationListModel) -> list[ConversationRow | None]:
    return [model.index(position, 0).data(ROW_ROLE) for position in range(model.rowCount())]


def _live_rows() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, ConversationRow))


def test_rows_kept_are_bounded_however_many_are_loaded(database: Path,
                                                       connections: list[sqlite3.Connection]) -> None:
    before = _live_rows()
    model = _model(database, connections, page_size=10, rows_kept=25)
    _load_all(model)
    assert model.rowCount() == CONVERSATIONS
    assert _live_rows() - before <= 25
    fresh = _model(database, connections, page_size=CONVERSATIONS + 1)
    assert [model.index(p, 0).data(ID_ROLE) for p in range(model.rowCount())] == [
        row.id for row in _shown(fresh) if row is not None]
    assert _shown(model) == _shown(fresh)  # rows no longer held are read again, the same
    assert [model.conversation_at(p) for p in range(model.rowCount())] == _shown(fresh)
    assert all(model.row_of(row.id) == p for p, row in enumerate(_shown(fresh)) if row is not None)
    assert model.index(7, 0).data(Qt.ItemDataRole.AccessibleTextRole) == fresh.index(7, 0).data(
        Qt.ItemDataRole.AccessibleTextRole)


@pytest.mark.parametrize("filter_", [Filter.ALL, Filter.UNREAD, Filter.NEEDS_REPLY])
def test_random_changes_updated_in_place_match_a_fresh_read(
    database: Path, connections: list[sqlite3.Connection], filter_: Filter
) -> None:
    model = _model(database, connections, filter_, page_size=8, rows_kept=12)
    for _ in range(4):
        model.fetchMore(QModelIndex())
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    rng = random.Random(20261202)
    writer = connect(database)
    added = CONVERSATIONS
    try:
        for round_ in range(25):
            changed: set[str] = set()
            for _ in range(rng.randint(1, 4)):
                action = rng.random()
                if action < 0.2:  # a new conversation, at any place in the order
                    conversation_id = _conversation_id(added)
                    added += 1
                    writer.execute(
                        "INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, "
                        "last_activity_at, interlocutor_login, last_message_snippet, updated_at) "
                        "VALUES (?, ?, 'thread', 'COMMON', 1, ?, ?, ?, ?, 'Nowa rozmowa', '2026-11-02 08:00:00')",
                        (conversation_id, ACCOUNT_ID, rng.random() < 0.5, rng.random() < 0.5,
                         _time(rng.randrange(1000)), f"nowy_{round_}"))
                else:
                    conversation_id = _conversation_id(rng.randrange(added))
                    if action < 0.6:  # new activity: the row moves (up, or down, or to the end)
                        moved_to = None if rng.random() < 0.1 else _time(rng.randrange(1000))
                        writer.execute("UPDATE conversations SET last_activity_at = ?, needs_reply = 1, "
                                       "last_message_snippet = ? WHERE id = ?",
                                       (moved_to, f"Zmiana {round_}", conversation_id))
                    else:  # read or answered: it stays in place, or leaves a filter, or joins one
                        writer.execute("UPDATE conversations SET read = NOT read, needs_reply = ? WHERE id = ?",
                                       (rng.random() < 0.5, conversation_id))
                changed.add(conversation_id)
            writer.commit()
            model.update_rows(changed)
            if rng.random() < 0.3:
                model.fetchMore(QModelIndex())

            fresh = _model(database, connections, filter_, page_size=1000)
            expected = _shown(fresh)
            assert _shown(model) == expected[:model.rowCount()]
            for position, row in enumerate(expected[:model.rowCount()]):
                assert row is not None
                assert model.row_of(row.id) == position
                assert model.conversation_at(position) == row
        _load_all(model)  # paging on after the updates: no row twice, none missing
        everything = _model(database, connections, filter_, page_size=1000)
        assert _shown(model) == _shown(everything)
        assert resets == []
    finally:
        writer.close()


def test_painting_rows_no_longer_held_reads_them_together(qtbot: Any, database: Path,
                                                          connections: list[sqlite3.Connection]) -> None:
    model = _model(database, connections, page_size=10, rows_kept=60)
    _load_all(model)  # the top rows have left what the model holds
    view = QListView()
    view.setItemDelegate(ConversationListDelegate(view))
    view.setUniformItemSizes(True)
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(400, 900)
    view.show()
    view.scrollToTop()
    connection = model.connection()
    assert connection is not None
    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    view.viewport().grab()
    connection.set_trace_callback(None)
    on_screen = view.viewport().rect()
    visible = [p for p in range(model.rowCount()) if view.visualRect(model.index(p, 0)).intersects(on_screen)]
    assert len(visible) > 5
    assert 1 <= len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 2
    fresh = _model(database, connections, page_size=CONVERSATIONS + 1)
    assert [model.index(p, 0).data(ROW_ROLE) for p in visible] == [fresh.index(p, 0).data(ROW_ROLE) for p in visible]
    view.setModel(None)
