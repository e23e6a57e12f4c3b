"""The team's database away while a bench queues replies: they wait in its spool, then enter the outbox once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from magazyn_desktop.app.reply_spool import (
    SPOOL_FOLDER_NAME,
    ReplySpool,
    SpooledReply,
    queue_or_keep,
    store_identity,
)
from magazyn_desktop.domain.issue_messages import IssueMessageType
from magazyn_desktop.store.repository import Store
from magazyn_desktop.store.store_address import parse_store_address
from magazyn_desktop.sync.outbox import Outbox
from tests.sync.fakes import FakeAllegro

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")


def set_connections_allowed(server_url: str, database: str, allowed: bool) -> None:
    """The database refusing new connections and its open ones ended (as a server gone away), or back again."""
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"true" if allowed else "false"}')
        if not allowed:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))


@pytest.fixture
def team_store(accounts_url: str) -> Iterator[Store]:
    store = Store.open_team(parse_store_address(accounts_url))
    yield store
    store.close()


def test_replies_typed_while_the_database_is_away_enter_the_outbox_once_it_is_back(
        postgres_url: str, accounts_url: str, team_store: Store, tmp_path: Path) -> None:
    allegro = FakeAllegro()
    first, second = allegro.add_thread(1, minutes_ago=5), allegro.add_thread(2, minutes_ago=6)
    for cid in (first, second):
        team_store.store_conversation(1, allegro.threads[cid].summary, allegro.threads[cid].messages)
    outbox = Outbox(store=team_store, client=allegro, account_id=1)  # type: ignore[arg-type]
    address = parse_store_address(accounts_url)
    spool = ReplySpool(tmp_path / SPOOL_FOLDER_NAME, store_identity(address), tmp_path / "outgoing")
    database = address.database

    set_connections_allowed(postgres_url, database, False)
    try:
        typed = queue_or_keep(outbox, spool, first, "Wpisana, gdy baza zniknęła", [], IssueMessageType.REGULAR,
                              author="Ania @ stanowisko 2")
        queued = [queue_or_keep(outbox, spool, cid, text, [], IssueMessageType.REGULAR)
                  for cid, text in ((second, "Druga w kolejce"), (first, "Trzecia w kolejce"))]
        assert all(isinstance(reply, SpooledReply) for reply in (typed, *queued))
        assert len(spool.replies()) == 3
    finally:
        set_connections_allowed(postgres_url, database, True)

    # Back: a new reply waits behind the spooled ones, so each conversation's order holds.
    behind = queue_or_keep(outbox, spool, first, "Po powrocie bazy", [], IssueMessageType.REGULAR)
    assert isinstance(behind, SpooledReply)
    moved = spool.move_into(team_store)
    assert len(moved) == 4 and spool.replies() == []
    spool.move_into(team_store)  # a second move, as after a reconnect noticed twice, adds nothing
    with psycopg.connect(accounts_url) as connection:
        rows = connection.execute("SELECT conversation_id, text, author, client_key FROM outbox ORDER BY id").fetchall()
    assert [(cid, text) for cid, text, _author, _key in rows] == [
        (first, "Wpisana, gdy baza zniknęła"), (second, "Druga w kolejce"), (first, "Trzecia w kolejce"),
        (first, "Po powrocie bazy")]
    assert rows[0][2] == "Ania @ stanowisko 2"
    assert len({key for *_rest, key in rows}) == 4


def test_with_the_database_there_a_reply_goes_straight_into_the_outbox(accounts_url: str, team_store: Store,
                                                                       tmp_path: Path) -> None:
    allegro = FakeAllegro()
    thread = allegro.add_thread(1, minutes_ago=5)
    team_store.store_conversation(1, allegro.threads[thread].summary, allegro.threads[thread].messages)
    outbox = Outbox(store=team_store, client=allegro, account_id=1)  # type: ignore[arg-type]
    spool = ReplySpool(tmp_path / SPOOL_FOLDER_NAME, store_identity(parse_store_address(accounts_url)),
                       tmp_path / "outgoing")
    entry = queue_or_keep(outbox, spool, thread, "Od razu", [], IssueMessageType.REGULAR)
    assert isinstance(entry, int) and spool.replies() == []
