"""Team mode in the window: a buyer message another bench stores in the shared store shows here within a second,
without this window syncing."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest

from magazyn_desktop.domain.records import ConversationMessage
from magazyn_desktop.domain.vocabulary import Role
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.store.store_address import parse_store_address
from tests.postgres_server import postgres_url, scratch_url  # noqa: F401  (fixtures)

pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")


def test_a_message_stored_by_another_bench_shows_within_a_second(
        scratch_url: str, qtbot: Any, make_team_window: Callable[..., Any]) -> None:  # noqa: F811  (imported above)
    from magazyn_desktop.store.repository import Store

    address = parse_store_address(scratch_url)
    window = make_team_window(scratch_url)
    model = window.list_model()
    assert model.rowCount() > 0
    shown = model.conversation_at(0)
    assert shown is not None

    other_bench = Store.open_team(address)
    try:
        summary = other_bench.conversation_summary(shown.id)
        assert summary is not None
        at = datetime.now(timezone.utc) + timedelta(minutes=1)
        message = ConversationMessage("pushed-1", shown.id, Role.BUYER, "kupujacy", "Czy paczka już wyszła?", at)
        import psycopg

        with psycopg.connect(scratch_url) as connection:
            found = connection.execute("SELECT account_id FROM conversations WHERE id = %s", (shown.id,)).fetchone()
        assert found is not None
        qtbot.waitUntil(window.listening_to_other_benches, timeout=5000)
        # The only bench: it leads, and its status bar says so (in Polish, the window's language).
        qtbot.waitUntil(lambda: window.team_status_text() == "Baza zespołu · to stanowisko pobiera dane z Allegro "
                                                             "dla zespołu", timeout=5000)
        stored_at = time.monotonic()
        other_bench.store_conversation(found[0], replace(summary, last_activity_at=at), [message], complete=False)

        def shows_it() -> None:
            row = model.row_of(shown.id)
            assert row is not None
            current = model.conversation_at(row)
            assert current is not None and current.snippet == "Czy paczka już wyszła?"

        qtbot.waitUntil(shows_it, timeout=2000)
        assert time.monotonic() - stored_at < 2.0
    finally:
        other_bench.close()


def test_a_team_window_keeps_two_connections_to_the_store(
        scratch_url: str, qtbot: Any, make_team_window: Callable[..., Any]) -> None:  # noqa: F811  (imported above)
    """The store's pool and the link's dedicated connection (listening and the leadership), however much the window
    reads: the counts, the list's pages and an open conversation borrow the pool's connection."""
    import psycopg

    window = make_team_window(scratch_url, holder_name="Ania @ stanowisko 1")
    qtbot.waitUntil(lambda: window.team_status_text() == "Baza zespołu · to stanowisko pobiera dane z Allegro "
                                                         "dla zespołu", timeout=10000)
    first = window.list_model().conversation_at(0)
    assert first is not None
    window.open_conversation(first.id)
    qtbot.waitUntil(lambda: window.current_conversation_id == first.id, timeout=5000)

    def connections() -> list[str]:
        """What this bench's connections are for, by the names they carry (app/team_link.py)."""
        with psycopg.connect(scratch_url) as admin:
            return sorted(name.split(" ")[2] for name, in admin.execute(
                "SELECT application_name FROM pg_stat_activity WHERE application_name LIKE %s",
                ("magazyn-desktop % Ania @ stanowisko 1",)))

    # Reads that overlapped a write may have opened one more for a moment; it goes back once they end.
    qtbot.waitUntil(lambda: len(connections()) <= 2, timeout=5000)
    assert connections() == ["changes", "store"]


def test_a_reply_another_bench_queues_is_sent_by_the_leading_window_at_once(
        scratch_url: str, qtbot: Any, make_team_window: Callable[..., Any],  # noqa: F811  (imported above)
        fake_allegro: DemoAllegro) -> None:
    """Not at the leader's next poll (a minute by default): the outbox change it hears makes it send."""
    import psycopg

    from magazyn_desktop.store.repository import Store

    address = parse_store_address(scratch_url)
    window = make_team_window(scratch_url)
    qtbot.waitUntil(lambda: window.team_status_text() == "Baza zespołu · to stanowisko pobiera dane z Allegro "
                                                         "dla zespołu", timeout=10000)
    shown = window.list_model().conversation_at(0)
    assert shown is not None
    with psycopg.connect(scratch_url) as connection:
        found = connection.execute("SELECT account_id FROM conversations WHERE id = %s", (shown.id,)).fetchone()
    assert found is not None
    # The first sync's outbox round is over (it would send what it finds): what sends the reply is what it hears.
    qtbot.waitUntil(lambda: not window._pool.is_busy("outbox"), timeout=10000)
    other_bench = Store.open_team(address)
    try:
        other_bench.add_outbox_entry(found[0], shown.id, "Wysłane dziś rano, numer przesyłki w zamówieniu.",
                                     author="Bartek @ stanowisko 2")
    finally:
        other_bench.close()
    qtbot.waitUntil(lambda: any(m.text.startswith("Wysłane dziś rano") for m in fake_allegro.sent_messages(shown.id)),
                    timeout=5000)
