"""The presence board on PostgreSQL: each bench's row renewed by the database's clock, the others' fresh rows read,
a change logged only when others must see it (never for a plain heartbeat), a stale row shown to nobody, the own
row gone at exit; and nothing at all on a single bench's SQLite file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

from sqlalchemy import Engine, insert, text  # noqa: E402

from magazyn_desktop.store.change_log import changes_after, highest_seq  # noqa: E402
from magazyn_desktop.store.models import Conversation  # noqa: E402
from magazyn_desktop.store.presence import (  # noqa: E402
    PRESENCE_TOPIC, PresenceBoard, PresenceState, fresh_presence)

STALE = timedelta(seconds=20)


@pytest.fixture
def conversations(engine: Engine) -> Engine:
    with engine.begin() as connection:
        connection.execute(insert(Conversation), [
            {"id": cid, "account_id": 1, "kind": "THREAD", "sub_kind": "THREAD"} for cid in ("c-1", "c-2")])
    return engine


def _board(engine: Engine, holder: str, person: str, account_id: int = 1) -> PresenceBoard:
    return PresenceBoard(engine, holder=holder, account_id=account_id, person=person, bench=f"stół {person}",
                         stale_after=STALE)


def _presence_changes(engine: Engine, after: int) -> list[tuple[int, str | None]]:
    with engine.connect() as connection:
        return [(c.account_id, c.conversation_id) for c in changes_after(connection, after)
                if c.topic == PRESENCE_TOPIC]


def test_each_bench_sees_the_others_open_conversation_and_typing(conversations: Engine) -> None:
    ania, tomek = _board(conversations, "h-ania", "Ania"), _board(conversations, "h-tomek", "Tomek")
    ania.beat(PresenceState("c-1", typing=True))
    seen = tomek.beat(PresenceState("c-2"))
    assert [(p.person, p.bench, p.conversation_id, p.typing) for p in seen] == [("Ania", "stół Ania", "c-1", True)]
    [other] = ania.read()
    assert (other.holder, other.conversation_id, other.typing) == ("h-tomek", "c-2", False)
    assert other.seen_at.tzinfo is not None


def test_a_change_is_logged_for_both_conversations_but_a_heartbeat_is_not(conversations: Engine) -> None:
    ania = _board(conversations, "h-ania", "Ania")
    with conversations.connect() as connection:
        start = highest_seq(connection)
    ania.beat(PresenceState("c-1"))
    assert _presence_changes(conversations, start) == [(1, "c-1")]
    with conversations.connect() as connection:
        after_open = highest_seq(connection)
    for _beat in range(3):
        ania.beat(PresenceState("c-1"))
    assert _presence_changes(conversations, after_open) == []  # only seen_at renewed
    ania.beat(PresenceState("c-1", typing=True))
    ania.beat(PresenceState("c-2"))
    assert _presence_changes(conversations, after_open) == [(1, "c-1"), (1, "c-1"), (1, "c-2")]


def test_the_heartbeat_renews_seen_at_by_the_database_clock(conversations: Engine) -> None:
    ania = _board(conversations, "h-ania", "Ania")
    ania.beat(PresenceState("c-1"))
    with conversations.begin() as connection:
        connection.execute(text("UPDATE presence SET seen_at = seen_at - interval '1 minute'"))
        before = connection.execute(text("SELECT seen_at FROM presence")).scalar_one()
    ania.beat(PresenceState("c-1"))
    with conversations.connect() as connection:
        renewed, fresh = connection.execute(text(
            "SELECT seen_at, seen_at > (clock_timestamp() AT TIME ZONE 'UTC') - interval '5 seconds'"
            " FROM presence")).one()
    assert renewed > before and fresh


def test_a_stale_row_is_shown_to_nobody(conversations: Engine) -> None:
    ania, tomek = _board(conversations, "h-ania", "Ania"), _board(conversations, "h-tomek", "Tomek")
    ania.beat(PresenceState("c-1", typing=True))
    with conversations.begin() as connection:
        connection.execute(text("UPDATE presence SET seen_at = seen_at - interval '21 seconds'"
                                " WHERE holder = 'h-ania'"))
    assert tomek.beat(PresenceState("c-1")) == []
    with conversations.connect() as connection:
        assert fresh_presence(connection, 1, excluding_holder="someone", stale_after=STALE)[0].holder == "h-tomek"


def test_other_accounts_and_the_own_row_are_not_shown(conversations: Engine) -> None:
    _board(conversations, "h-other", "Ola", account_id=2).beat(PresenceState())
    ania = _board(conversations, "h-ania", "Ania")
    assert ania.beat(PresenceState("c-1")) == []


def test_leaving_removes_the_row_and_tells_the_others(conversations: Engine) -> None:
    ania, tomek = _board(conversations, "h-ania", "Ania"), _board(conversations, "h-tomek", "Tomek")
    ania.beat(PresenceState("c-1"))
    with conversations.connect() as connection:
        start = highest_seq(connection)
    ania.leave()
    assert tomek.read() == []
    assert _presence_changes(conversations, start) == [(1, "c-1")]


def test_a_row_removed_meanwhile_is_written_again_at_the_next_beat(conversations: Engine) -> None:
    ania, tomek = _board(conversations, "h-ania", "Ania"), _board(conversations, "h-tomek", "Tomek")
    ania.beat(PresenceState("c-1"))
    with conversations.begin() as connection:
        connection.execute(text("DELETE FROM presence"))
    ania.beat(PresenceState("c-1"))
    assert [p.conversation_id for p in tomek.read()] == ["c-1"]


def test_rows_of_benches_long_dead_are_removed_when_a_bench_starts(conversations: Engine) -> None:
    _board(conversations, "h-dead", "Ania").beat(PresenceState("c-1"))
    with conversations.begin() as connection:
        connection.execute(text("UPDATE presence SET seen_at = seen_at - interval '2 hours'"))
    _board(conversations, "h-tomek", "Tomek").beat(PresenceState())
    with conversations.connect() as connection:
        assert connection.execute(text("SELECT holder FROM presence")).scalars().all() == ["h-tomek"]


def test_a_single_bench_writes_no_presence(tmp_path: Path) -> None:
    from magazyn_desktop.store.db import create_engine_for
    from magazyn_desktop.store.migrate import run_alembic_upgrade

    database = tmp_path / "magazyn.sqlite3"
    run_alembic_upgrade(database)
    engine = create_engine_for(database)
    try:
        board = _board(engine, "h-ania", "Ania")
        assert board.beat(PresenceState("c-1", typing=True)) == []
        board.leave()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM presence")).scalar_one() == 0
            assert connection.execute(text("SELECT count(*) FROM change_log")).scalar_one() == 0
    finally:
        engine.dispose()
