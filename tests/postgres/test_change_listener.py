"""The change listener against the real server: a committed change reaches it within a second, a rolled-back one
never, a change too big for a notification arrives by catch-up, a killed connection is replaced and what was
committed meanwhile is delivered once, a number committed out of order is not missed, the slow poll finds what no
notification announced, and stop() ends it promptly."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

from sqlalchemy import Engine, insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from magazyn_desktop.store.change_listener import APPLICATION_NAME, ChangeListener  # noqa: E402
from magazyn_desktop.store.change_log import Change, ChangeCursor, record_changes  # noqa: E402
from magazyn_desktop.store.models import ChangeLogEntry, utc_now  # noqa: E402

# Generous against a loaded machine; the promise is one second.
DELIVERY_LIMIT = 2.0


class Received:
    """What the listener delivered, as it arrives, with the moment each batch came."""

    def __init__(self) -> None:
        self.batches: queue.Queue[tuple[float, list[Change]]] = queue.Queue()
        self.seen: list[Change] = []

    def __call__(self, changes: list[Change]) -> None:
        self.batches.put((time.monotonic(), list(changes)))

    def until(self, seqs: set[int], timeout: float = 5.0) -> float:
        """Waits until every seq in `seqs` arrived; returns when the last one came."""
        deadline = time.monotonic() + timeout
        missing = set(seqs) - {c.seq for c in self.seen}
        arrived = 0.0
        while missing:
            try:
                arrived, batch = self.batches.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"not delivered: {sorted(missing)}") from None
            self.seen += batch
            missing -= {c.seq for c in batch}
        return arrived

    def drain(self) -> None:
        while True:
            try:
                self.seen += self.batches.get_nowait()[1]
            except queue.Empty:
                return


class Connection:
    """The listener's reports of its connection, to wait on."""

    def __init__(self) -> None:
        self.states: queue.Queue[bool] = queue.Queue()
        self.hold_reconnect = threading.Event()
        self.hold_reconnect.set()

    def __call__(self, connected: bool) -> None:
        self.states.put(connected)
        if not connected:
            # Keeps the listener away until the test has written what it should catch up with.
            assert self.hold_reconnect.wait(timeout=10)

    def next(self, timeout: float = 10.0) -> bool:
        return self.states.get(timeout=timeout)


@pytest.fixture
def received() -> Received:
    return Received()


@pytest.fixture
def connection_reports() -> Connection:
    return Connection()


@pytest.fixture
def listener(accounts_url: str, received: Received, connection_reports: Connection) -> Iterator[ChangeListener]:
    listening = ChangeListener(accounts_url, received, cursor=ChangeCursor(0), on_connection=connection_reports,
                               reconnect_delays=(0.05, 1.0))
    listening.start()
    assert connection_reports.next() is True
    yield listening
    connection_reports.hold_reconnect.set()
    listening.stop()


def _commit(engine: Engine, account_id: int, conversation_ids: list[str]) -> list[Change]:
    with engine.begin() as connection:
        return record_changes(connection, account_id, "conversation", conversation_ids)


def _seqs(changes: list[Change]) -> set[int]:
    return {c.seq for c in changes}


def test_a_committed_change_arrives_within_a_second(listener: ChangeListener, engine: Engine,
                                                    received: Received) -> None:
    assert listener.connected
    for attempt in range(3):
        with engine.begin() as connection:
            recorded = record_changes(connection, 1, "conversation", [f"c-{attempt}"])
        committed_at = time.monotonic()
        arrived = received.until(_seqs(recorded))
        assert arrived - committed_at < DELIVERY_LIMIT
    assert received.seen == [c for c in received.seen if c.conversation_id in {"c-0", "c-1", "c-2"}]
    assert len(received.seen) == 3


def test_nothing_arrives_for_a_rolled_back_transaction(listener: ChangeListener, engine: Engine,
                                                       received: Received) -> None:
    with Session(engine) as session:
        session.begin()
        rolled_back = record_changes(session, 1, "conversation", ["gone"])
        session.rollback()
    marker = _commit(engine, 1, ["marker"])
    received.until(_seqs(marker))
    received.drain()
    assert received.seen == marker
    assert not _seqs(rolled_back) & _seqs(received.seen)


def test_2000_changed_conversations_arrive_complete(listener: ChangeListener, engine: Engine,
                                                    received: Received) -> None:
    recorded = _commit(engine, 1, [f"thread-{n:05d}" for n in range(2000)])
    received.until(_seqs(recorded))
    received.drain()
    assert sorted(c.seq for c in received.seen) == sorted(_seqs(recorded))  # each once
    assert {c.conversation_id for c in received.seen} == {c.conversation_id for c in recorded}


def _terminate_listener(postgres_url: str, database: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True, connect_timeout=10) as admin:
        killed = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE application_name = %s AND datname = %s",
                               (APPLICATION_NAME, database)).fetchall()
    assert killed == [(True,)]


def test_a_terminated_connection_is_replaced_and_nothing_committed_meanwhile_is_lost(
        listener: ChangeListener, engine: Engine, received: Received, connection_reports: Connection,
        postgres_url: str, accounts_url: str) -> None:
    before = _commit(engine, 1, ["before"])
    received.until(_seqs(before))
    connection_reports.hold_reconnect.clear()
    _terminate_listener(postgres_url, accounts_url.rsplit("/", 1)[1])
    assert connection_reports.next() is False
    assert not listener.connected
    while_away = _commit(engine, 1, ["away-1", "away-2"]) + _commit(engine, 2, ["away-3"])
    connection_reports.hold_reconnect.set()
    assert connection_reports.next() is True
    received.until(_seqs(while_away))
    after = _commit(engine, 1, ["after"])
    committed_at = time.monotonic()
    assert received.until(_seqs(after)) - committed_at < DELIVERY_LIMIT  # it LISTENs again
    received.drain()
    assert sorted(c.seq for c in received.seen) == sorted(_seqs(before + while_away + after))


def test_a_number_committed_after_a_later_one_is_delivered(listener: ChangeListener, engine: Engine,
                                                           received: Received) -> None:
    with Session(engine) as early:
        early.begin()
        held = record_changes(early, 1, "conversation", ["early"])
        late = _commit(engine, 1, ["late"])
        received.until(_seqs(late))
        early.commit()
    received.until(_seqs(held))
    received.drain()
    assert [c.seq for c in received.seen] == [late[0].seq, held[0].seq]


def test_the_slow_poll_finds_a_change_no_notification_announced(accounts_url: str, engine: Engine,
                                                                 received: Received) -> None:
    listening = ChangeListener(accounts_url, received, cursor=ChangeCursor(0), poll_interval=0.3)
    listening.start()
    try:
        with engine.begin() as connection:  # written without record_changes: no NOTIFY
            connection.execute(insert(ChangeLogEntry).values(
                account_id=1, topic="conversation", conversation_id="quiet", changed_at=utc_now()))
        received.until({1})
        assert [c.conversation_id for c in received.seen] == ["quiet"]
    finally:
        listening.stop()


def test_only_the_accounts_asked_for_are_delivered(accounts_url: str, engine: Engine, received: Received) -> None:
    reports = Connection()
    listening = ChangeListener(accounts_url, received, cursor=ChangeCursor(0), accounts=[2], on_connection=reports)
    listening.start()
    try:
        assert reports.next() is True
        _commit(engine, 1, ["other"])
        wanted = _commit(engine, 2, ["mine"])
        received.until(_seqs(wanted))
        received.drain()
        assert received.seen == wanted
    finally:
        listening.stop()


def test_stop_ends_it_promptly(accounts_url: str, received: Received) -> None:
    reports = Connection()
    listening = ChangeListener(accounts_url, received, cursor=ChangeCursor(0), on_connection=reports)
    listening.start()
    assert reports.next() is True
    started = time.monotonic()
    listening.stop()
    assert time.monotonic() - started < 1.0
    assert not listening.running and not listening.connected
