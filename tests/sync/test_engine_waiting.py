"""A sync run waits on nothing for long: Retry-After stops it, a deadline bounds it, a silent server ends it soon;
and nothing Allegro says back reaches the report or the database with a token in it."""

from __future__ import annotations

import httpx
import respx

from magazyn_desktop.allegro.auth import StaticToken
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.errors import RateLimitedError
from magazyn_desktop.allegro.models import ThreadPage
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import ISSUES, THREADS, SyncEngine
from magazyn_desktop.sync.schedule import PollSchedule

from .fakes import FakeAllegro, FakeTime, thread_id
from .mocked_allegro import ENVIRONMENT, beta

TOKEN = "access-token-that-is-still-valid-123"


def engine(allegro: object, store: Store, account_id: int, **options: object) -> SyncEngine:
    return SyncEngine(client=allegro, store=store, account_id=account_id, **options)  # type: ignore[arg-type]


def seeded(allegro: FakeAllegro, threads: int = 45) -> FakeAllegro:
    for n in range(threads):
        allegro.add_thread(n, minutes_ago=10 + n * 7)
    allegro.add_issue(0, minutes_ago=30)
    return allegro


def test_retry_after_stops_the_run_and_the_schedule_waits_for_it(allegro: FakeAllegro, store: Store,
                                                                 account_id: int) -> None:
    seeded(allegro)
    allegro.list_error = RateLimitedError("Allegro answered 429", status=429, retry_after=120.0,
                                          endpoint="GET /messaging/threads")
    report = engine(allegro, store, account_id).run_once()
    assert report.retry_after == 120.0 and not report.ok
    assert ISSUES not in {name.split()[-1] for name in report.requests} and allegro.counts["GET /sale/issues"] == 0
    assert len(report.errors) == 1 and "120 s" in report.errors[0]
    assert PollSchedule(interval=60).next_delay(report) >= 120.0
    allegro.list_error = None
    assert engine(allegro, store, account_id).run_once().ok  # resumes later


def test_a_rate_limited_fetch_stops_the_other_fetches(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro)
    allegro.failing[thread_id(0)] = RateLimitedError("Allegro answered 429", status=429, retry_after=90.0)
    report = engine(allegro, store, account_id, max_workers=1).run_once()
    assert report.retry_after == 90.0
    assert allegro.counts["GET /messaging/threads/{id}/messages"] == 1  # nothing more after the 429
    assert store.get_cursor(account_id, THREADS).newest_seen_at is None


def test_the_run_deadline_stops_a_long_run_which_the_next_one_finishes(
    allegro: FakeAllegro, store: Store, account_id: int, fake_time: FakeTime
) -> None:
    seeded(allegro)
    listed = allegro.list_threads

    def slow_listing(**kwargs: object) -> ThreadPage:
        fake_time.now += 100
        return listed(**kwargs)  # type: ignore[arg-type]

    allegro.list_threads = slow_listing  # type: ignore[method-assign]
    first = engine(allegro, store, account_id, clock=fake_time.clock, run_deadline=150).run_once()
    assert first.timed_out and not first.ok and allegro.counts["GET /messaging/threads"] == 2
    assert any("out of time" in error for error in first.errors)
    allegro.list_threads = listed  # type: ignore[method-assign]
    second = engine(allegro, store, account_id, clock=fake_time.clock, run_deadline=150).run_once()
    assert second.ok and len(store.known_thread_state(account_id)) == 45


def real_client(fake_time: FakeTime) -> AllegroClient:
    return AllegroClient(environment=ENVIRONMENT, tokens=StaticToken(TOKEN), clock=fake_time.clock,
                         sleeper=fake_time.sleep, limiter=RateLimiter(clock=fake_time.clock, sleeper=fake_time.sleep))


def test_a_silent_server_ends_the_run_soon(api: respx.MockRouter, store: Store, account_id: int,
                                           fake_time: FakeTime) -> None:
    def silent(request: httpx.Request) -> httpx.Response:
        fake_time.now += request.extensions["timeout"]["read"]  # the whole read timeout passes without an answer
        raise httpx.ReadTimeout("no answer", request=request)

    threads = api.get("/messaging/threads").mock(side_effect=silent)
    issues = api.get("/sale/issues").mock(side_effect=silent)
    started = fake_time.now
    with real_client(fake_time) as client:
        report = engine(client, store, account_id, clock=fake_time.clock).run_once()
    assert report.offline and threads.call_count == 2 and issues.call_count == 0
    assert fake_time.now - started <= 65


def test_a_retry_after_through_the_real_client_costs_one_request(api: respx.MockRouter, store: Store,
                                                                 account_id: int, fake_time: FakeTime) -> None:
    threads = api.get("/messaging/threads").respond(429, headers={"Retry-After": "120"})
    issues = api.get("/sale/issues").mock(return_value=beta({"issues": []}))
    with real_client(fake_time) as client:
        report = engine(client, store, account_id, clock=fake_time.clock).run_once()
    assert report.retry_after == 120.0 and threads.call_count == 1 and issues.call_count == 0
    assert fake_time.sleeps == []


def test_an_echoed_token_reaches_neither_report_nor_database(api: respx.MockRouter, store: Store, account_id: int,
                                                             fake_time: FakeTime) -> None:
    api.get("/messaging/threads").respond(403, json={"errors": [{
        "code": "ACCESS_DENIED", "message": f"Token {TOKEN} lacks a scope", "userMessage": "Brak uprawnień"}]})
    api.get("/sale/issues").mock(return_value=beta({"issues": []}))
    with real_client(fake_time) as client:
        report = engine(client, store, account_id, clock=fake_time.clock).run_once()
    assert report.errors and all(TOKEN not in error for error in report.errors)
    stored = store.get_cursor(account_id, THREADS).last_error
    assert stored is not None and TOKEN not in stored and "lacks a scope" in stored


def test_the_cursor_error_is_redacted_by_the_store(store: Store, account_id: int) -> None:
    jwt = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    store.set_cursor(account_id, THREADS, succeeded=False, error=f"Allegro answered 401: token {jwt} expired")
    assert store.get_cursor(account_id, THREADS).last_error == "Allegro answered 401: token [redacted] expired"


def test_the_far_future_is_judged_by_the_servers_clock(api: respx.MockRouter, store: Store, account_id: int,
                                                       fake_time: FakeTime) -> None:
    """The PC clock runs a year fast; the Date header says what time it is, so the cursor stays sane."""
    from datetime import datetime, timedelta, timezone

    from .test_real_client import THREAD_ID, message_json, thread_json

    server_now = "Thu, 05 Nov 2026 12:00:00 GMT"
    api.get("/messaging/threads").mock(return_value=replace_headers(
        beta({"threads": [thread_json("2027-06-01T10:00:00Z")], "nextPage": None}), server_now))
    api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(return_value=beta(
        {"messages": [message_json("m1", "BUYER", "Halo", "2027-06-01T10:00:00Z")], "nextPage": None}))
    api.get("/sale/issues").mock(return_value=beta({"issues": []}))
    pc_clock = datetime(2027, 11, 5, tzinfo=timezone.utc)
    with real_client(fake_time) as client:
        report = engine(client, store, account_id, clock=fake_time.clock, wall_clock=lambda: pc_clock).run_once()
    assert any(THREAD_ID in warning for warning in report.warnings)
    cursor = store.get_cursor(account_id, THREADS).newest_seen_at
    assert cursor is None or cursor <= datetime(2026, 11, 5, 12, tzinfo=timezone.utc) + timedelta(minutes=1)


def replace_headers(response: httpx.Response, date: str) -> httpx.Response:
    response.headers["Date"] = date
    return response


def test_fetches_run_on_threads_that_never_hold_the_process_exit(allegro: FakeAllegro, store: Store,
                                                                 account_id: int) -> None:
    """A fetch hung on a silent server is abandoned at quit; a non-daemon thread would keep the process alive."""
    import threading

    seeded(allegro, threads=6)
    fetched_on: list[bool] = []
    original = allegro.thread_messages

    def recording(conversation_id: str):  # type: ignore[no-untyped-def]
        fetched_on.append(threading.current_thread().daemon)
        return original(conversation_id)

    allegro.thread_messages = recording  # type: ignore[method-assign]
    engine(allegro, store, account_id).run_once()
    assert len(fetched_on) == 6 and all(fetched_on)
