"""The sync pipeline: listings overlap the fetches, one thread stores what the fetch workers hand it, in batches.

Structure only (which thread does what, how many transactions), never wall times: those are bench/sync.py's.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from magazyn_desktop.allegro.models import MessageList, ThreadPage
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.records import ConversationWrite, StoredConversation
from magazyn_desktop.store.repository import Store

from .fakes import ISSUES, THREAD_MESSAGES, THREADS, FakeAllegro, engine, seeded, thread_id

WAIT = 10.0  # seconds a probe waits for the other side before it gives up (a failing run, not a timing)


def record_batches(store: Store, monkeypatch: pytest.MonkeyPatch,
                   before_each: Any = None) -> list[tuple[str, list[str]]]:
    """Every Store.store_conversations call: the thread that made it and the conversations of its batch."""
    batches: list[tuple[str, list[str]]] = []
    real = store.store_conversations

    def recording(account_id: int, writes: Sequence[ConversationWrite]) -> list[StoredConversation]:
        if before_each is not None:
            before_each(len(batches))
        batches.append((threading.current_thread().name, [w.summary.id for w in writes]))
        return real(account_id, writes)

    monkeypatch.setattr(store, "store_conversations", recording)
    return batches


@pytest.fixture
def data_version(paths: AppPaths) -> Iterator[Any]:
    """PRAGMA data_version of a connection of its own: it moves whenever another connection commits a change."""
    connection = connect(paths.database, read_only=True)
    yield lambda: connection.execute("PRAGMA data_version").fetchone()[0]
    connection.close()


def test_fetch_workers_never_call_the_store(allegro: FakeAllegro, store: Store, account_id: int,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    seeded(allegro, threads=45, issues=3)
    fetched_on: set[str] = set()
    for name in ("thread_messages", "issue_chat"):
        real = getattr(allegro, name)

        def fetching(conversation_id: str, _real: Any = real) -> MessageList:
            fetched_on.add(threading.current_thread().name)
            return _real(conversation_id)

        setattr(allegro, name, fetching)
    written_on: set[str] = set()
    for name in ("store_conversation", "upsert_conversation", "store_conversations"):
        real = getattr(store, name)

        def writing(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
            written_on.add(threading.current_thread().name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(store, name, writing)
    report = engine(allegro, store, account_id, max_workers=4).run_once()
    assert report.ok and report.conversations_added == 48
    assert fetched_on and len(written_on) == 1  # one thread stored every conversation ...
    assert not written_on & fetched_on  # ... and it fetched none of them


def test_conversations_waiting_for_the_writer_are_stored_in_one_transaction(
    allegro: FakeAllegro, store: Store, account_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded(allegro, threads=9, issues=0)
    first_batch_storing, last_fetch = threading.Event(), threading.Event()
    calls = {"n": 0}
    real = allegro.thread_messages

    def fetching(conversation_id: str) -> MessageList:
        calls["n"] += 1
        if calls["n"] == 2:
            assert first_batch_storing.wait(WAIT)  # the writer took the first conversation alone
        if calls["n"] == 9:
            last_fetch.set()  # one worker: the ones before this one wait for the writer now
        return real(conversation_id)

    allegro.thread_messages = fetching  # type: ignore[method-assign]

    def hold_the_first(number: int) -> None:
        if number == 0:
            first_batch_storing.set()
            assert last_fetch.wait(WAIT)

    batches = record_batches(store, monkeypatch, hold_the_first)
    commits: list[int] = []
    event.listen(store.engine, "commit", lambda _connection: commits.append(1))
    report = engine(allegro, store, account_id, max_workers=1).run_once()
    assert report.ok and report.conversations_added == 9
    sizes = [len(ids) for _, ids in batches]
    assert sizes[0] == 1 and sizes[1] >= 7 and sum(sizes) == 9  # what waited went in together
    assert len(commits) <= len(batches) + 3  # one transaction a batch (and the two cursors, and the schedule)


def test_a_listing_page_is_requested_while_the_previous_pages_fetches_run(
    allegro: FakeAllegro, store: Store, account_id: int
) -> None:
    seeded(allegro, threads=45, issues=0)
    fetch_started, second_page_asked = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}
    real_list, real_fetch = allegro.list_threads, allegro.thread_messages

    def listing(*, page_id: str | None = None, offset: int | None = None, limit: int = 20) -> ThreadPage:
        if page_id is not None and not second_page_asked.is_set():
            seen["a fetch had started"] = fetch_started.wait(WAIT)
            second_page_asked.set()
        return real_list(page_id=page_id, offset=offset, limit=limit)

    def fetching(conversation_id: str) -> MessageList:
        if not fetch_started.is_set():
            fetch_started.set()
            seen["the second page was asked for meanwhile"] = second_page_asked.wait(WAIT)
        return real_fetch(conversation_id)

    allegro.list_threads = listing  # type: ignore[method-assign]
    allegro.thread_messages = fetching  # type: ignore[method-assign]
    report = engine(allegro, store, account_id).run_once()
    assert report.ok and report.conversations_added == 45
    assert seen == {"a fetch had started": True, "the second page was asked for meanwhile": True}


def test_a_conversation_the_writer_cannot_store_fails_alone(
    allegro: FakeAllegro, store: Store, account_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded(allegro, threads=12, issues=0)
    broken = thread_id(5)
    real = store.store_conversations

    def refusing(account: int, writes: Sequence[ConversationWrite]) -> list[StoredConversation]:
        if any(w.summary.id == broken for w in writes):
            raise OperationalError("INSERT INTO messages", {}, sqlite3.OperationalError("database or disk is full"))
        return real(account, writes)

    monkeypatch.setattr(store, "store_conversations", refusing)
    sync = engine(allegro, store, account_id)
    report = sync.run_once()
    assert len(report.errors) == 1 and broken in report.errors[0] and "database" in report.errors[0]
    assert report.conversations_added == 11
    assert set(store.known_thread_state(account_id)) == set(allegro.threads) - {broken}
    monkeypatch.setattr(store, "store_conversations", real)
    report = sync.run_once()  # the cursor stayed below it: the next sync comes back for it
    assert report.ok and report.requests[THREAD_MESSAGES] == 1 and report.conversations_added == 1


def test_what_was_fetched_before_a_cancellation_is_stored(
    allegro: FakeAllegro, store: Store, account_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded(allegro, threads=10, issues=0)
    fetched: list[str] = []
    stop = threading.Event()
    real = allegro.thread_messages

    def fetching(conversation_id: str) -> MessageList:
        fetched.append(conversation_id)
        if len(fetched) == 4:
            stop.set()
        return real(conversation_id)

    allegro.thread_messages = fetching  # type: ignore[method-assign]

    def hold_the_first(number: int) -> None:
        if number == 0:
            assert stop.wait(WAIT)  # the run is cancelled while fetched conversations wait for the writer

    record_batches(store, monkeypatch, hold_the_first)
    report = engine(allegro, store, account_id, max_workers=1).run_once(cancelled=stop.is_set)
    assert report.cancelled and ISSUES not in report.requests
    assert len(fetched) == 4
    assert set(store.known_thread_state(account_id)) == set(fetched)
    assert report.conversations_added == 4


def test_a_refresh_with_nothing_new_commits_nothing(allegro: FakeAllegro, store: Store, account_id: int,
                                                    data_version: Any) -> None:
    seeded(allegro, threads=45, issues=3)
    sync = engine(allegro, store, account_id)
    assert sync.run_once().ok
    commits: list[int] = []
    event.listen(store.engine, "commit", lambda _connection: commits.append(1))
    before = data_version()
    report = sync.run_once()
    assert report.ok and report.requests == {THREADS: 1, ISSUES: 1}
    assert commits == []  # no write transaction at all
    assert data_version() == before


def test_the_report_counts_the_pipelines_work(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=25, issues=2)
    report = engine(allegro, store, account_id).run_once()
    cost = report.cost
    assert (cost.fetches, cost.stored) == (27, 27)
    assert 1 <= cost.batches <= 27
    assert cost.fetch_seconds > 0 and cost.store_seconds > 0
