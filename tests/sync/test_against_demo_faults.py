"""The sync through the real client against the in-process demo, with each of its misbehaviours switched on."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.fake_allegro import DemoAllegro, DemoData
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import THREADS, SyncEngine
from magazyn_desktop.app.sync_once import report_as_dict

from .fakes import FakeTime

MESSAGES = "GET /messaging/threads/{id}/messages"
FAR_FUTURE = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
YEAR_ONE = datetime(1, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def demo(fake_time: FakeTime) -> DemoAllegro:
    return DemoAllegro(DemoData.generate(threads=30, post_purchase_threads=0, issues=4), clock=fake_time.clock)


@pytest.fixture
def sync(demo_client: AllegroClient, store: Store, account_id: int, fake_time: FakeTime) -> SyncEngine:
    return SyncEngine(client=demo_client, store=store, account_id=account_id, clock=fake_time.clock)


def newest_thread(demo: DemoAllegro) -> str:
    return max(demo.data.threads.values(), key=lambda t: t.last_message_at).id


def test_an_empty_answer_is_fetched_again(demo: DemoAllegro, sync: SyncEngine, store: Store) -> None:
    demo.faults.empty_answers = 1
    first = sync.run_once()
    assert len(first.warnings) == 1 and "no messages" in first.warnings[0]
    sync.run_once()
    for thread in demo.data.threads.values():
        assert store.message_ids(thread.id) == {m.id for m in thread.messages}, thread.id


def test_a_far_future_thread_does_not_stop_new_messages(demo: DemoAllegro, sync: SyncEngine, store: Store,
                                                        account_id: int) -> None:
    demo.stamp_last_message(newest_thread(demo), FAR_FUTURE)
    sync.run_once()
    touched = demo.touch_random(25, seed=3)
    report = sync.run_once()
    for conversation_id in touched:
        conversation = demo.data.threads.get(conversation_id)
        newest = conversation.messages[-1].id if conversation else demo.data.issues[conversation_id].chat[-1].id
        assert newest in store.message_ids(conversation_id), conversation_id
    assert report.messages_added >= 25
    cursor = store.get_cursor(account_id, THREADS).newest_seen_at
    assert cursor is not None and cursor <= demo.now()


def test_a_year_one_time_ends_in_a_report(demo: DemoAllegro, sync: SyncEngine, store: Store) -> None:
    victim = newest_thread(demo)
    demo.stamp_last_message(victim, YEAR_ONE)
    report = report_as_dict(sync.run_once())
    assert report["errors"] == [] and any(victim in warning for warning in report["warnings"])
    assert len(store.message_ids(victim)) == len(demo.data.threads[victim].messages)


def test_retry_after_stops_the_sync_without_waiting(demo: DemoAllegro, sync: SyncEngine,
                                                    fake_time: FakeTime) -> None:
    demo.faults.rate_limit, demo.faults.retry_after = 0, 120.0
    report = sync.run_once()
    assert report.retry_after == 120.0 and report.request_total == 1 and fake_time.sleeps == []


def test_a_silent_server_costs_two_requests(demo: DemoAllegro, sync: SyncEngine) -> None:
    demo.faults.silent = 100
    report = sync.run_once()
    assert report.offline and report.requests == {"GET /messaging/threads": 2}


def test_an_endless_message_cursor_costs_two_requests_a_thread(demo: DemoAllegro, sync: SyncEngine) -> None:
    demo.faults.endless_cursor = True
    report = sync.run_once()
    assert report.requests[MESSAGES] == 2 * len(demo.data.threads)
    assert len(report.warnings) == len(demo.data.threads) and not report.errors


def test_an_echoed_token_is_not_recorded(demo: DemoAllegro, sync: SyncEngine, store: Store, account_id: int) -> None:
    demo.faults.echo_token = 1
    report = sync.run_once()
    assert report.errors and all(demo.DEMO_TOKEN not in error for error in report.errors)
    last_error = store.get_cursor(account_id, THREADS).last_error
    assert last_error is not None and demo.DEMO_TOKEN not in last_error and "[redacted]" in last_error
