"""Demo conversations and a real account's share one cache; the window never shows them together."""

from __future__ import annotations

import sqlite3
from typing import Any, Callable

from magazyn_desktop.app.context import AppContext
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store import inbox_queries as queries
from ui_sample_data import NOW, FakeBackend, FakeStore, insert_conversation, stamp


def _add_real_account(paths: AppPaths) -> None:
    db = sqlite3.connect(paths.database)
    db.execute("INSERT INTO accounts (id, environment, login, client_id, is_active, created_at) "
               "VALUES (2, 'production', 'sklep_prawdziwy', 'client-1', 1, ?)", (stamp(NOW),))
    insert_conversation(db, "thread-real", login="prawdziwy_kupujacy", minutes_ago=1, order_id="order-real",
                        account_id=2)
    db.commit()
    db.close()


def _shown(window: Any) -> set[str]:
    model = window.list_model()
    return {model.conversation_at(row).id for row in range(model.rowCount())}


def test_the_demo_shows_only_demo_conversations(qtbot: Any, sample_paths: AppPaths,
                                                make_window: Callable[..., Any]) -> None:
    _add_real_account(sample_paths)
    window = make_window(start=False)
    assert "thread-real" not in _shown(window) and "thread-anna" in _shown(window)
    assert window.conversation_count() == 4
    assert window.first_conversation_id() != "thread-real"


def test_a_real_account_never_sees_the_demo(qtbot: Any, sample_paths: AppPaths,
                                            make_window: Callable[..., Any]) -> None:
    _add_real_account(sample_paths)
    context = AppContext(paths=sample_paths, language="pl", demo=False)
    backend = FakeBackend(store=FakeStore(sample_paths.database), account_id=2)
    window = make_window(ctx=context, backend=backend)
    assert _shown(window) == {"thread-real"}
    assert window.first_conversation_id() == "thread-real"


def test_switching_backend_switches_the_list(qtbot: Any, sample_paths: AppPaths,
                                             make_window: Callable[..., Any]) -> None:
    _add_real_account(sample_paths)
    backend = FakeBackend(store=FakeStore(sample_paths.database), account_id=2)
    window = make_window(backend=backend)  # a demo launch whose backend turns out to be the real account
    assert _shown(window) == {"thread-real"}


def test_scanner_look_up_stays_within_the_account(sample_paths: AppPaths) -> None:
    _add_real_account(sample_paths)
    connection = sqlite3.connect(sample_paths.database)
    assert queries.find_exact(connection, "order-real", 1) is None
    assert queries.find_exact(connection, "order-real", 2) == "thread-real"
    assert queries.find_exact(connection, "order-1001", 1) == "thread-anna"
    assert queries.inbox_account_id(connection, demo=True) == 1
    assert queries.inbox_account_id(connection, demo=False) == 2
    connection.close()


def test_no_account_yet_shows_nothing_from_the_demo(qtbot: Any, sample_paths: AppPaths,
                                                    make_window: Callable[..., Any]) -> None:
    context = AppContext(paths=sample_paths, language="pl", demo=False)
    window = make_window(ctx=context, start=False)
    assert _shown(window) == set()
    assert window.conversation_count() == 0
