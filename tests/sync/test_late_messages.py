"""Buyer messages Allegro publishes late, dated when they were written: below the cursor, or hidden behind a newer
message. A routine refresh pages through an overlap window; the deep pass re-reads recently active threads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from magazyn_desktop.allegro.errors import ServerError
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_queries import load_conversation
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import SyncEngine
from magazyn_desktop.sync.schedule import PollSchedule

from .fakes import (
    ISSUES,
    NOW,
    THREAD_MESSAGES,
    THREADS,
    FakeAllegro,
    FakeTime,
    allegro_error,
    engine,
    seeded,
    thread_id,
)


def _texts(paths: AppPaths, conversation_id: str) -> list[str]:
    """The conversation's messages as the window reads them, oldest first."""
    connection = connect(paths.database, read_only=True)
    try:
        detail = load_conversation(connection, conversation_id)
    finally:
        connection.close()
    assert detail is not None
    return [m.text for m in detail.messages]


def _deep_engine(allegro: FakeAllegro, store: Store, account_id: int, fake_time: FakeTime,
                 **options: object) -> SyncEngine:
    return engine(allegro, store, account_id, clock=fake_time.clock, wall_clock=lambda: allegro.now, **options)


def test_a_late_message_below_the_cursor_is_found_by_the_next_refresh(allegro: FakeAllegro, store: Store,
                                                                       account_id: int) -> None:
    seeded(allegro)
    sync = engine(allegro, store, account_id)
    sync.run_once()
    # Thread 3 was last active 31 minutes ago; its buyer wrote 15 minutes ago, 5 minutes below the newest activity
    # the last listing saw: the listing sorts it under thread 0, which did not change.
    late = allegro.publish_late(thread_id(3), "Tak, wyślij", written_at=NOW - timedelta(minutes=15))
    report = sync.run_once()
    assert report.requests == {THREADS: 1, THREAD_MESSAGES: 1, ISSUES: 1}
    assert late in store.message_ids(thread_id(3))
    assert [m.message_id for m in report.new_buyer_messages] == [late]


def test_the_overlap_window_is_a_setting(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro)
    sync = engine(allegro, store, account_id, overlap=timedelta(minutes=2))
    sync.run_once()
    # 10 minutes below the cursor, under threads 0 and 1: past a 2-minute window.
    late = allegro.publish_late(thread_id(3), "Tak, wyślij", written_at=NOW - timedelta(minutes=20))
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}
    assert late not in store.message_ids(thread_id(3))


def test_nothing_new_with_the_window_inside_the_first_page_costs_two_requests(allegro: FakeAllegro, store: Store,
                                                                             account_id: int) -> None:
    seeded(allegro)
    sync = engine(allegro, store, account_id, overlap=timedelta(minutes=60))
    sync.run_once()
    for _ in range(3):
        report = sync.run_once()
        assert report.requests == {THREADS: 1, ISSUES: 1}
        assert (report.conversations_changed, report.messages_added) == (0, 0)


def test_a_hidden_late_message_is_found_by_the_deep_pass(allegro: FakeAllegro, store: Store, account_id: int,
                                                          fake_time: FakeTime, paths: AppPaths) -> None:
    seeded(allegro)
    sync = _deep_engine(allegro, store, account_id, fake_time)
    sync.run_once()
    # Thread 1: the buyer asked 18 minutes ago, the seller answered at 17; a second buyer message, written between
    # the two, is published only now: the thread's last activity does not move.
    before = store.conversation_summary(thread_id(1))
    late = allegro.publish_late(thread_id(1), "Jeszcze jedno pytanie", written_at=NOW - timedelta(minutes=17, seconds=30))
    assert allegro.threads[thread_id(1)].summary.last_activity_at == before.last_activity_at  # type: ignore[union-attr]
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}
    assert late not in store.message_ids(thread_id(1))

    report = sync.run_once(deep=True)
    assert late in store.message_ids(thread_id(1))
    assert _texts(paths, thread_id(1)) == ["pytanie 1", "Jeszcze jedno pytanie", "odpowiedź 1"]  # in its place by time
    assert report.deep_pass is not None and report.deep_pass.complete
    assert report.deep_pass.messages_added == 1


def test_a_late_message_before_the_first_one_is_stored_in_its_place(allegro: FakeAllegro, store: Store,
                                                                     account_id: int, fake_time: FakeTime, paths: AppPaths) -> None:
    seeded(allegro)
    sync = _deep_engine(allegro, store, account_id, fake_time)
    sync.run_once()
    first = allegro.threads[thread_id(1)].messages[0].created_at
    late = allegro.publish_late(thread_id(1), "Dzień dobry", written_at=first - timedelta(minutes=3))
    sync.run_once(deep=True)
    assert late in store.message_ids(thread_id(1))
    assert _texts(paths, thread_id(1))[0] == "Dzień dobry"


def test_the_deep_pass_reads_the_threads_active_in_its_window(allegro: FakeAllegro, store: Store, account_id: int,
                                                               fake_time: FakeTime) -> None:
    seeded(allegro)  # 45 threads, active from 10 minutes to 5 h 18 min ago
    sync = _deep_engine(allegro, store, account_id, fake_time, deep_pass_lookback=timedelta(hours=2))
    sync.run_once()
    report = sync.run_once(deep=True)
    active = sum(1 for n in range(45) if 10 + n * 7 <= 120 + 1)  # the clock moved by nothing since the first sync
    assert report.deep_pass is not None
    assert report.deep_pass.threads_read == active
    assert report.requests == {THREADS: 1 + 1, THREAD_MESSAGES: active, ISSUES: 1}
    assert report.messages_added == 0 and report.conversations_changed == 0


def test_a_late_message_beyond_the_overlap_waits_for_the_deep_pass(allegro: FakeAllegro, store: Store,
                                                                    account_id: int, fake_time: FakeTime) -> None:
    seeded(allegro)
    sync = _deep_engine(allegro, store, account_id, fake_time)
    sync.run_once()
    # Thread 26 was last active 3 h 12 min ago; a message written 2 hours ago is published now.
    late = allegro.publish_late(thread_id(26), "Czy mogę zmienić adres?", written_at=NOW - timedelta(hours=2))
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}
    report = sync.run_once(deep=True)
    assert late in store.message_ids(thread_id(26))
    assert [m.message_id for m in report.new_buyer_messages] == [late]


def test_the_scheduled_deep_pass_is_spread_over_refreshes(allegro: FakeAllegro, store: Store, account_id: int,
                                                           fake_time: FakeTime) -> None:
    seeded(allegro)
    sync = _deep_engine(allegro, store, account_id, fake_time, deep_pass_interval=1800.0,
                        deep_pass_lookback=timedelta(hours=2), deep_pass_slice=5)
    sync.run_once()  # a first sync read everything: the deep pass counts as done
    fake_time.now += 60
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}
    late = allegro.publish_late(thread_id(9), "Hidden?", written_at=NOW - timedelta(minutes=10 + 9 * 7, seconds=30))
    fake_time.now += 1800
    reads: list[int] = []
    for _ in range(10):
        report = sync.run_once()
        assert report.requests[ISSUES] == 1  # the routine refresh is whole every time
        assert report.requests.get(THREAD_MESSAGES, 0) <= 5
        reads.append(report.requests.get(THREAD_MESSAGES, 0))
        fake_time.now += 60
        if report.deep_pass is not None and report.deep_pass.complete:
            break
    assert sum(reads) == 16 and len(reads) == 4
    assert late in store.message_ids(thread_id(9))
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}  # done until the next interval


def test_the_schedule_survives_a_restart(allegro: FakeAllegro, store: Store, account_id: int,
                                         fake_time: FakeTime) -> None:
    seeded(allegro, threads=10, issues=3)
    first = _deep_engine(allegro, store, account_id, fake_time, full_issue_listing_interval=1800.0,
                         deep_pass_interval=1800.0)
    first.run_once()
    assert allegro.issue_lists[-1] is None  # the first sync lists every issue
    allegro.now += timedelta(minutes=5)
    restarted = _deep_engine(allegro, store, account_id, fake_time, full_issue_listing_interval=1800.0,
                             deep_pass_interval=1800.0)
    report = restarted.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1}
    assert allegro.issue_lists[-1] is not None  # a routine listing: the full one is 5 minutes old
    assert report.deep_pass is None
    schedule = store.sync_schedule(account_id)
    assert schedule.last_full_issue_listing_at == NOW and schedule.last_deep_pass_at == NOW


def test_a_source_failing_with_5xx_stops_the_run_and_backs_off(allegro: FakeAllegro, store: Store, account_id: int,
                                                                fake_time: FakeTime) -> None:
    seeded(allegro)
    for n in range(45):
        allegro.failing[thread_id(n)] = allegro_error(ServerError, code="INTERNAL", user_message="Błąd serwera")
    sync = _deep_engine(allegro, store, account_id, fake_time)
    report = sync.run_once()
    assert report.requests[THREAD_MESSAGES] < 10  # stopped after a few, not 45 full retries
    assert ISSUES not in report.requests
    assert report.unavailable and not report.ok
    assert any("5xx" in error or "server errors" in error for error in report.errors)
    assert report.backoff_until is not None and report.backoff_until > allegro.now
    assert PollSchedule(interval=60.0).next_delay(report) >= 100.0  # the window waits for the back-off too
    # Until the back-off ends, a run asks Allegro nothing and says why.
    again = sync.run_once()
    assert again.requests == {} and again.unavailable and again.backoff_until == report.backoff_until
    allegro.failing.clear()
    allegro.now = report.backoff_until + timedelta(seconds=1)
    report = sync.run_once()
    assert report.ok and report.conversations_added == 48
    assert store.sync_schedule(account_id).backoff_until is None


def test_one_5xx_among_successes_does_not_stop_the_run(allegro: FakeAllegro, store: Store, account_id: int,
                                                       fake_time: FakeTime) -> None:
    seeded(allegro)
    allegro.failing[thread_id(4)] = allegro_error(ServerError, code="INTERNAL")
    allegro.failing[thread_id(20)] = allegro_error(ServerError, code="INTERNAL")
    report = _deep_engine(allegro, store, account_id, fake_time, max_workers=1).run_once()
    assert not report.unavailable and report.conversations_added == 46
    assert len(report.errors) == 2


def test_a_message_published_twice_is_stored_once(allegro: FakeAllegro, store: Store, account_id: int,
                                                  fake_time: FakeTime, paths: AppPaths) -> None:
    seeded(allegro, threads=3, issues=0)
    conversation = allegro.threads[thread_id(0)]
    conversation.messages.append(conversation.messages[-1])  # the same id twice in one answer
    report = engine(allegro, store, account_id).run_once()
    assert report.messages_added == 3 + 1  # threads 0 and 2 have one message, thread 1 two
    assert len(_texts(paths, thread_id(0))) == 1




def test_a_send_right_after_a_restart_waits_for_the_last_ones_second(paths: AppPaths,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from magazyn_desktop.app.backend import build_backend
    from magazyn_desktop.app.backend_types import ConnectedBackend
    from magazyn_desktop.fake_allegro import DemoAllegro

    first = build_backend(paths, demo=True, fake_allegro=DemoAllegro.interactive())
    assert isinstance(first, ConnectedBackend)
    try:
        first.sync.run_once()
        thread = sorted(first.store.known_thread_state(first.account_id))[0]
        first.outbox.enqueue(thread, "Paczka wysłana dzisiaj.")
        assert [r.state.value for r in first.outbox.process()] == ["sent"]
        last_send = first.store.sync_schedule(first.account_id).last_send_at
        assert last_send is not None
    finally:
        first.close()
    resumed: list[tuple[str, float]] = []
    real = RateLimiter.resume_sends

    def recording(limiter: RateLimiter, account_key: str, seconds_since_last_send: float) -> None:
        resumed.append((account_key, seconds_since_last_send))
        real(limiter, account_key, seconds_since_last_send)

    monkeypatch.setattr(RateLimiter, "resume_sends", recording)
    second = build_backend(paths, demo=True, fake_allegro=DemoAllegro.interactive())
    assert isinstance(second, ConnectedBackend)
    try:
        # The new process's pacing starts from that send (RateLimiter.resume_sends is tested on its own).
        assert len(resumed) == 1 and resumed[0][0] == second.client.account_key
        assert 0.0 <= resumed[0][1] < 60.0
    finally:
        second.close()
