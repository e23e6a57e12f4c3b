"""The change log on a single bench's SQLite cache, where nobody listens: recording writes nothing, reading and
pruning work on what is there; and the cursor's bookkeeping of numbers not yet seen, without a database."""

from __future__ import annotations

import pytest

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from magazyn_desktop.store.change_log import (
    PAYLOAD_LIMIT, Change, ChangeCursor, changes_after, highest_seq, notice_payload, prune_changes, read_notice,
    record_changes)
from magazyn_desktop.store.models import ChangeLogEntry
from magazyn_desktop.store.repository import Store

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)


def _change(seq: int, conversation_id: str | None = "c") -> Change:
    return Change(seq=seq, account_id=1, topic="conversation", conversation_id=conversation_id)


@pytest.mark.sqlite_only
def test_recording_on_sqlite_writes_nothing(store: Store) -> None:
    account = store.ensure_account("demo", "shop")
    with Session(store.engine) as session, session.begin():
        assert record_changes(session, account, "conversation", ["c-1", "c-2"]) == []
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ChangeLogEntry)).scalar_one() == 0
        assert highest_seq(connection) == 0
        assert changes_after(connection, 0) == []


@pytest.mark.sqlite_only
def test_reading_and_pruning_on_sqlite(store: Store) -> None:
    first = store.ensure_account("demo", "shop")
    second = store.ensure_account("demo", "other")
    rows = [(first, "a", NOW - timedelta(days=10)), (second, "b", NOW - timedelta(days=10)),
            (first, "c", NOW - timedelta(days=1)), (first, "d", NOW - timedelta(days=10))]
    with store.engine.begin() as connection:
        connection.execute(insert(ChangeLogEntry), [
            {"account_id": account, "topic": "conversation", "conversation_id": cid, "changed_at": at}
            for account, cid, at in rows])
        assert [c.conversation_id for c in changes_after(connection, 0, limit=2)] == ["a", "b"]
        assert [c.conversation_id for c in changes_after(connection, 2, accounts=[first])] == ["c", "d"]
        assert highest_seq(connection) == 4
        # The newest row stays even when old: SQLite would hand its number out again.
        assert prune_changes(connection, older_than=timedelta(days=7), now=NOW) == 2
        assert [c.conversation_id for c in changes_after(connection, 0)] == ["c", "d"]


def test_the_cursor_delivers_each_number_once_in_any_order() -> None:
    cursor = ChangeCursor(0, clock=lambda: 0.0)
    assert cursor.accept([_change(3), _change(1)]) == [_change(1), _change(3)]
    assert cursor.last_seq == 3 and cursor.open_gaps == [(2, 2)]
    assert cursor.accept([_change(3), _change(1)]) == []
    assert cursor.accept([_change(7)]) == [_change(7)]
    assert cursor.open_gaps == [(2, 2), (4, 6)]
    assert cursor.accept([_change(5)]) == [_change(5)]
    assert cursor.open_gaps == [(2, 2), (4, 4), (6, 6)]
    assert cursor.accept([_change(2), _change(4), _change(6)]) == [_change(2), _change(4), _change(6)]
    assert cursor.open_gaps == []


def test_a_number_seen_late_is_still_taken_after_its_gap_stopped_being_read() -> None:
    now = [0.0]
    cursor = ChangeCursor(0, patience=10.0, clock=lambda: now[0])
    cursor.accept([_change(2)])
    now[0] = 11.0
    assert cursor.open_gaps == []  # no longer read again
    assert cursor.accept([_change(1)]) == [_change(1)]  # but a notification of it still counts
    assert cursor.accept([_change(1)]) == []


def test_a_payload_that_would_not_fit_says_catch_up() -> None:
    small = [_change(n, f"{n:036d}") for n in range(1, 4)]
    assert read_notice(notice_payload(1, small)).changes == tuple(small)
    big = [_change(n, f"{n:064d}") for n in range(1, 200)]
    payload = notice_payload(1, big)
    assert len(payload.encode()) <= PAYLOAD_LIMIT
    notice = read_notice(payload)
    assert notice.catch_up and notice.account_id == 1 and notice.changes == ()


def test_a_payload_it_cannot_read_means_catch_up() -> None:
    for payload in ("", "{", '{"a": "x"}', '{"a": 1, "c": [[1]]}', "[]"):
        notice = read_notice(payload)
        assert notice.catch_up and notice.changes == ()
