"""Demo conversations and a real account's share one cache; the window never shows them together."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from ui_sample_data import (
    ANNA,
    ORDER_ANNA,
    ORDER_REAL,
    REAL_THREAD,
    account_backend,
    connect_account,
    real_account_data,
    sync_into_cache,
)

from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.app.backend_types import ConnectedBackend
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store import inbox_queries as queries


@pytest.fixture
def real_account(sample_paths: AppPaths, fake_allegro: DemoAllegro,
                 allegro_at_its_address: Callable[[DemoAllegro], None]) -> CredentialStore:
    """The cache holds the demo's conversations (a demo launch synced them) and a real account is connected, its
    Allegro (another fake, another seller) served at Allegro's address."""
    sync_into_cache(sample_paths, fake_allegro)
    real_allegro = DemoAllegro(real_account_data())
    allegro_at_its_address(real_allegro)
    return connect_account(sample_paths, real_allegro)


def _sync_real_account(paths: AppPaths, credentials: CredentialStore) -> None:
    backend = account_backend(paths, credentials)
    try:
        assert isinstance(backend, ConnectedBackend)
        assert backend.sync.run_once().ok
    finally:
        backend.close()


def _shown(window: Any) -> set[str]:
    model = window.list_model()
    return {model.conversation_at(row).id for row in range(model.rowCount())}


def test_the_demo_shows_only_demo_conversations(qtbot: Any, sample_paths: AppPaths, real_account: CredentialStore,
                                                make_window: Callable[..., Any]) -> None:
    _sync_real_account(sample_paths, real_account)
    window = make_window(start=False)
    assert REAL_THREAD not in _shown(window) and ANNA in _shown(window)
    assert window.conversation_count() == 4
    assert window.first_conversation_id() != REAL_THREAD


def test_a_real_account_never_sees_the_demo(qtbot: Any, sample_paths: AppPaths, real_account: CredentialStore,
                                            make_window: Callable[..., Any]) -> None:
    context = AppContext(paths=sample_paths, language="pl", demo=False)
    window = make_window(ctx=context, backend_factory=lambda: account_backend(sample_paths, real_account))
    assert isinstance(window.backend, ConnectedBackend) and not window.backend.demo
    assert _shown(window) == {REAL_THREAD}  # synced from the real account's Allegro, nothing of the demo
    assert window.first_conversation_id() == REAL_THREAD


def test_switching_backend_switches_the_list(qtbot: Any, sample_paths: AppPaths, real_account: CredentialStore,
                                             make_window: Callable[..., Any]) -> None:
    # A demo launch whose backend turns out to be the real account.
    window = make_window(backend_factory=lambda: account_backend(sample_paths, real_account))
    assert _shown(window) == {REAL_THREAD}


def test_scanner_look_up_stays_within_the_account(sample_paths: AppPaths, real_account: CredentialStore) -> None:
    _sync_real_account(sample_paths, real_account)
    connection = sqlite3.connect(sample_paths.database)
    demo_id = queries.inbox_account_id(connection, demo=True)
    real_id = queries.inbox_account_id(connection, demo=False)
    assert demo_id is not None and real_id is not None and demo_id != real_id
    assert queries.find_exact(connection, ORDER_REAL, demo_id) is None
    assert queries.find_exact(connection, ORDER_REAL, real_id) == REAL_THREAD
    assert queries.find_exact(connection, ORDER_ANNA, demo_id) == ANNA
    assert queries.find_exact(connection, ORDER_ANNA, real_id) is None
    connection.close()


def test_no_account_yet_shows_nothing_from_the_demo(qtbot: Any, sample_paths: AppPaths, fake_allegro: DemoAllegro,
                                                    make_window: Callable[..., Any]) -> None:
    sync_into_cache(sample_paths, fake_allegro)
    context = AppContext(paths=sample_paths, language="pl", demo=False)
    window = make_window(ctx=context, start=False)
    assert _shown(window) == set()
    assert window.conversation_count() == 0
