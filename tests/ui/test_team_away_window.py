"""Team mode in the window with the database away: a banner, the rows kept, a reply waiting on the bench, and that
reply in the shared outbox once the database is back."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from magazyn_desktop.app.reply_spool import SPOOL_FOLDER_NAME
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.store_address import parse_store_address
from tests.postgres_server import postgres_url, scratch_url  # noqa: F401  (fixtures)

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")


def set_connections_allowed(server_url: str, database: str, allowed: bool) -> None:
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"true" if allowed else "false"}')
        if not allowed:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))


def test_a_reply_sent_while_the_database_is_away_waits_on_the_bench_and_then_enters_the_outbox(
        postgres_url: str, scratch_url: str, qtbot: Any, make_team_window: Callable[..., Any],  # noqa: F811
        sample_paths: AppPaths) -> None:
    address = parse_store_address(scratch_url)
    window = make_team_window(scratch_url)
    qtbot.waitUntil(window.listening_to_other_benches, timeout=5000)
    qtbot.waitUntil(lambda: window.backend is not None, timeout=5000)
    rows_before = window.list_model().rowCount()
    target = window.first_conversation_id()
    assert target and rows_before > 0
    with qtbot.waitSignal(window.conversation_displayed, timeout=5000):
        window.open_conversation(target)

    set_connections_allowed(postgres_url, address.database, False)
    try:
        banner = window.team_away_banner()
        qtbot.waitUntil(banner.isVisible, timeout=10_000)
        assert banner.text().startswith("Brak połączenia z bazą zespołu")
        window.composer().set_text("Odpowiedź wpisana bez bazy")
        window.composer().send()
        qtbot.waitUntil(lambda: "czeka na bazę zespołu" in window.conversation_view().outbox_states(), timeout=5000)
        assert "odpowiedzi czekają na tym stanowisku (1)" in banner.text()
        assert len(list((sample_paths.data / SPOOL_FOLDER_NAME).glob("*.json"))) == 1
        window.list_model().reload(keep_loaded=True)  # a read that fails keeps the rows on screen
        assert window.list_model().rowCount() == rows_before
    finally:
        set_connections_allowed(postgres_url, address.database, True)

    qtbot.waitUntil(lambda: not list((sample_paths.data / SPOOL_FOLDER_NAME).glob("*.json")), timeout=20_000)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)
    with psycopg.connect(scratch_url) as connection:
        found = connection.execute("SELECT count(*) FROM outbox WHERE text = %s",
                                   ("Odpowiedź wpisana bez bazy",)).fetchone()
    assert found is not None and found[0] == 1
