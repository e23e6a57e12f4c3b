"""The change log on PostgreSQL: numbered rows and a NOTIFY written in the writer's own transaction (so delivered on
commit only), a payload that says "catch up" when the ids would not fit, reading in batches, pruning, and a cursor
that does not miss a change whose number was handed out before one that committed earlier."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

from sqlalchemy import Engine, insert, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from magazyn_desktop.store.change_log import (  # noqa: E402
    CHANGES_CHANNEL, PAYLOAD_LIMIT, Change, ChangeCursor, changes_after, highest_seq, prune_changes, read_notice,
    record_changes)
from magazyn_desktop.store.models import ChangeLogEntry  # noqa: E402


@pytest.fixture
def listening(accounts_url: str) -> Iterator[psycopg.Connection]:
    """A plain connection that LISTENs on the channel, to see what the writers send."""
    with psycopg.connect(accounts_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(f"LISTEN {CHANGES_CHANNEL}")
        yield connection


def _payloads(connection: psycopg.Connection, timeout: float) -> list[str]:
    return [notify.payload for notify in connection.notifies(timeout=timeout)]


def test_one_row_per_conversation_numbered_in_order(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        recorded = record_changes(session, 1, "conversation", ["c-1", "c-2", "c-1"])
    assert [c.conversation_id for c in recorded] == ["c-1", "c-2"]
    assert all(c.account_id == 1 and c.topic == "conversation" for c in recorded)
    with engine.begin() as connection:
        record_changes(connection, 2, "outbox", [None])
        stored = changes_after(connection, 0)
        assert [c.seq for c in stored] == sorted(c.seq for c in stored)
        assert stored[:2] == recorded
        assert (stored[2].account_id, stored[2].topic, stored[2].conversation_id) == (2, "outbox", None)
        assert highest_seq(connection) == stored[2].seq


def test_the_notification_carries_the_ids_and_is_sent_on_commit_only(
        engine: Engine, listening: psycopg.Connection) -> None:
    with Session(engine) as session, session.begin():
        recorded = record_changes(session, 1, "conversation", ["c-1", "c-2"])
        assert _payloads(listening, 0.3) == []  # not before the commit
    [payload] = _payloads(listening, 2.0)
    assert len(payload.encode()) <= PAYLOAD_LIMIT
    notice = read_notice(payload)
    assert notice.account_id == 1 and not notice.catch_up
    assert list(notice.changes) == recorded


def test_a_rolled_back_transaction_sends_nothing(engine: Engine, listening: psycopg.Connection) -> None:
    with Session(engine) as session:
        session.begin()
        record_changes(session, 1, "conversation", ["c-1"])
        session.rollback()
    assert _payloads(listening, 0.5) == []
    with engine.connect() as connection:
        assert changes_after(connection, 0) == []


def test_a_payload_for_2000_conversations_says_catch_up_and_the_log_is_complete(
        engine: Engine, listening: psycopg.Connection) -> None:
    ids = [f"{n:08d}-0000-4000-8000-{n:012d}" for n in range(2000)]
    with engine.begin() as connection:
        recorded = record_changes(connection, 1, "conversation", ids)
    [payload] = _payloads(listening, 2.0)
    assert len(payload.encode()) < 8000
    notice = read_notice(payload)
    assert notice.catch_up and notice.account_id == 1 and notice.changes == ()
    read: list[Change] = []
    with engine.connect() as connection:
        while batch := changes_after(connection, read[-1].seq if read else 0, limit=300):
            assert len(batch) <= 300
            read += batch
    assert read == recorded and sorted(c.conversation_id or "" for c in read) == ids


def test_changes_after_for_given_accounts(engine: Engine) -> None:
    with engine.begin() as connection:
        first = record_changes(connection, 1, "conversation", ["a"])
        record_changes(connection, 2, "conversation", ["b"])
        third = record_changes(connection, 1, "note", ["a"])
        assert changes_after(connection, 0, accounts=[1]) == first + third
        assert changes_after(connection, first[0].seq, accounts=[1]) == third
        assert changes_after(connection, 0, accounts=[]) == []


def test_a_change_committed_after_a_later_one_is_not_missed(engine: Engine) -> None:
    cursor = ChangeCursor(0)
    with Session(engine) as early, Session(engine) as late:
        early.begin()
        [held] = record_changes(early, 1, "conversation", ["early"])
        with late.begin():
            [committed] = record_changes(late, 1, "conversation", ["late"])
        assert committed.seq > held.seq
        with engine.connect() as connection:
            assert [c for batch in cursor.catch_up(connection) for c in batch] == [committed]
        early.commit()
    with engine.connect() as connection:
        assert [c for batch in cursor.catch_up(connection) for c in batch] == [held]
        assert [c for batch in cursor.catch_up(connection) for c in batch] == []
    assert cursor.open_gaps == []


def test_a_gap_of_a_rolled_back_transaction_is_given_up_after_a_while(engine: Engine) -> None:
    now = [1000.0]
    cursor = ChangeCursor(0, patience=60.0, clock=lambda: now[0])
    with Session(engine) as session:
        session.begin()
        [rolled_back] = record_changes(session, 1, "conversation", ["x"])
        session.rollback()
    with engine.begin() as connection:
        [kept] = record_changes(connection, 1, "conversation", ["y"])
    with engine.connect() as connection:
        assert [c for batch in cursor.catch_up(connection) for c in batch] == [kept]
        assert cursor.open_gaps == [(rolled_back.seq, rolled_back.seq)]
        now[0] += 61.0
        assert [c for batch in cursor.catch_up(connection) for c in batch] == []
    assert cursor.open_gaps == []


def test_a_cursor_started_from_the_store_waits_for_numbers_still_uncommitted(engine: Engine) -> None:
    with Session(engine) as early:
        early.begin()
        [held] = record_changes(early, 1, "conversation", ["early"])
        with engine.begin() as connection:
            [committed] = record_changes(connection, 1, "conversation", ["late"])
        with engine.connect() as connection:
            cursor = ChangeCursor.from_store(connection)
        assert cursor.last_seq == committed.seq and cursor.open_gaps == [(held.seq, held.seq)]
        early.commit()
    with engine.connect() as connection:
        assert [c for batch in cursor.catch_up(connection) for c in batch] == [held]


def test_pruning_removes_old_rows_but_keeps_the_newest(engine: Engine) -> None:
    now = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
    with engine.begin() as connection:
        connection.execute(insert(ChangeLogEntry), [
            {"account_id": 1, "topic": "conversation", "conversation_id": "old", "changed_at": now - timedelta(days=9)},
            {"account_id": 1, "topic": "conversation", "conversation_id": "new", "changed_at": now - timedelta(days=1)},
            {"account_id": 2, "topic": "conversation", "conversation_id": "last", "changed_at": now - timedelta(days=9)},
        ])
        assert prune_changes(connection, older_than=timedelta(days=7), now=now) == 1
        left = connection.execute(select(ChangeLogEntry.conversation_id).order_by(ChangeLogEntry.seq)).scalars()
        assert list(left) == ["new", "last"]


def test_the_payload_is_compact_json(engine: Engine, listening: psycopg.Connection) -> None:
    with engine.begin() as connection:
        record_changes(connection, 1, "conversation", ["c-1"])
    [payload] = _payloads(listening, 2.0)
    assert " " not in payload
    assert json.loads(payload)["a"] == 1
