"""Incremental sync against a fake Allegro: request costs, change detection, guards, cancellation, failures."""

from __future__ import annotations

import logging

import pytest

from magazyn_desktop.allegro.errors import AuthError, NetworkError, RateLimitedError, ServerError
from magazyn_desktop.allegro.models import ThreadPage
from magazyn_desktop.domain.vocabulary import SubKind
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import SyncProgress
from magazyn_desktop.sync.schedule import PollSchedule

from .fakes import (ISSUE, ISSUE_CHAT, ISSUES, THREAD_MESSAGES, THREADS, FakeAllegro, FakeTime, allegro_error,
                    engine, seeded, thread_id)


def test_first_sync_fetches_everything(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro)
    report = engine(allegro, store, account_id).run_once()
    assert report.requests == {THREADS: 3, THREAD_MESSAGES: 45, ISSUES: 1, ISSUE_CHAT: 3}
    assert (report.conversations_added, report.messages_added) == (48, 45 + 22 + 3)
    assert report.errors == [] and not report.offline and report.ok
    assert report.new_buyer_messages == []  # filling an empty cache announces nothing
    assert len(store.known_thread_state(account_id)) == 45 and len(store.known_issue_state(account_id)) == 3
    assert report.started_at <= report.finished_at  # type: ignore[operator]


def test_nothing_new_costs_one_request_per_source(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro)
    sync = engine(allegro, store, account_id)
    sync.run_once()
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1}
    assert (report.conversations_added, report.conversations_changed, report.messages_added) == (0, 0, 0)


def test_k_changed_conversations_cost_k_fetches(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro)
    sync = engine(allegro, store, account_id)
    sync.run_once()
    allegro.buyer_writes(thread_id(40), "Czy paczka już wyszła?")  # was on the third page, now first
    allegro.buyer_writes(thread_id(3), "Dziękuję")
    allegro.add_thread(99, minutes_ago=-5)  # a brand-new thread
    issue = sorted(allegro.issues)[1]
    allegro.buyer_writes(issue, "Dołączam zdjęcia")
    report = sync.run_once()
    assert report.requests == {THREADS: 1, THREAD_MESSAGES: 3, ISSUES: 1, ISSUE_CHAT: 1}
    assert (report.conversations_added, report.conversations_changed) == (1, 3)
    assert report.messages_added == 4
    assert sorted(cid for cid, _ in report.new_buyer_messages) == sorted(
        [thread_id(40), thread_id(3), thread_id(99), issue])
    item = next(m for m in report.new_buyer_messages if m.conversation_id == thread_id(40))
    assert item.text == "Czy paczka już wyszła?"


def test_issue_status_change_alone_refetches_its_chat(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    from dataclasses import replace

    seeded(allegro, threads=2, issues=2)
    sync = engine(allegro, store, account_id)
    sync.run_once()
    issue = sorted(allegro.issues)[0]
    conversation = allegro.issues[issue]
    conversation.summary = replace(conversation.summary, last_message_status="ALLEGRO_ADVISOR_REPLIED")
    report = sync.run_once()
    assert report.requests.get(ISSUE_CHAT) == 1


def test_issue_list_pages_while_full(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=1, issues=205)
    report = engine(allegro, store, account_id).run_once()
    assert report.requests[ISSUES] == 3
    assert report.requests[ISSUE_CHAT] == 205


class EndlessThreads(FakeAllegro):
    """A server whose next-page cursor never ends (or repeats)."""

    def __init__(self, *, repeat_cursor: bool) -> None:
        super().__init__()
        self.repeat_cursor = repeat_cursor
        self.page = 0

    def list_threads(self, *, page_id: str | None = None, offset: int | None = None, limit: int = 20) -> ThreadPage:
        self._count(THREADS)
        self.page += 1
        threads = []
        for i in range(2):
            n = self.page * 10 + i
            tid = self.add_thread(n, minutes_ago=n)
            threads.append(self.threads[tid].summary)
        return ThreadPage(tuple(threads), "same" if self.repeat_cursor else f"p{self.page}")


@pytest.mark.parametrize("repeat_cursor", [False, True])
def test_endless_paging_is_guarded(store: Store, account_id: int, caplog: pytest.LogCaptureFixture,
                                   repeat_cursor: bool) -> None:
    server = EndlessThreads(repeat_cursor=repeat_cursor)
    with caplog.at_level(logging.WARNING):
        report = engine(server, store, account_id, page_guard=5).run_once()
    pages = report.requests[THREADS]
    assert pages == (2 if repeat_cursor else 5)
    assert any("stopped" in e for e in report.errors)
    assert any(r.levelno == logging.WARNING and "stopped" in r.getMessage() for r in caplog.records)
    assert report.requests[THREAD_MESSAGES] == 2 * pages  # what was listed is still stored


def test_a_page_of_already_seen_threads_stops_paging(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=25, issues=0)

    def ignoring_the_cursor(*, page_id: str | None = None, offset: int | None = None, limit: int = 20) -> ThreadPage:
        page = FakeAllegro.list_threads(allegro, page_id=None, limit=limit)  # offset ignored (#13471)
        return ThreadPage(page.threads, None, (offset or 0) + limit)

    allegro.list_threads = ignoring_the_cursor  # type: ignore[method-assign]
    report = engine(allegro, store, account_id).run_once()
    assert report.requests[THREADS] == 2
    assert any("repeated" in e for e in report.errors)


def test_cancellation_stops_and_the_next_sync_finishes(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=10, issues=2)
    fetched: list[str] = []
    real = allegro.thread_messages

    def counting(thread: str) -> tuple:
        fetched.append(thread)
        return real(thread)

    allegro.thread_messages = counting  # type: ignore[method-assign]
    report = engine(allegro, store, account_id, max_workers=1).run_once(cancelled=lambda: len(fetched) >= 3)
    assert report.cancelled and len(fetched) == 3
    assert ISSUES not in report.requests  # the issues phase never started
    report = engine(allegro, store, account_id).run_once()
    assert not report.cancelled and report.conversations_added == 7 + 2
    assert len(store.known_thread_state(account_id)) == 10


def test_one_failing_conversation_keeps_the_others(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=30, issues=3)
    sync = engine(allegro, store, account_id)
    sync.run_once()
    broken = thread_id(12)
    allegro.buyer_writes(thread_id(20), "nowe 1")
    allegro.buyer_writes(broken, "nowe 2")
    allegro.buyer_writes(thread_id(2), "nowe 3")
    allegro.failing[broken] = allegro_error(ServerError, code="INTERNAL_SERVER_ERROR")
    report = sync.run_once()
    assert report.messages_added == 2 and len(report.errors) == 1 and broken in report.errors[0]
    assert not report.offline
    # The two that worked are newer than the broken one; the next sync must still come back for it.
    allegro.buyer_writes(thread_id(25), "jeszcze nowsze")
    del allegro.failing[broken]
    report = sync.run_once()
    assert report.errors == []
    assert report.requests[THREAD_MESSAGES] == 2
    assert report.messages_added == 2
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1}


def test_network_error_means_offline_and_backs_off(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=3, issues=1)
    allegro.list_error = allegro_error(NetworkError, code=None)  # type: ignore[arg-type]
    sync = engine(allegro, store, account_id)
    schedule = PollSchedule(interval=60.0, max_backoff=300.0)
    delays = []
    for _ in range(5):
        report = sync.run_once()
        assert report.offline and ISSUES not in report.requests
        delays.append(schedule.next_delay(report))
    assert delays == [60.0, 120.0, 240.0, 300.0, 300.0]
    allegro.list_error = None
    report = sync.run_once()
    assert not report.offline and report.conversations_added == 4
    assert schedule.next_delay(report) == 60.0
    assert schedule.next_delay(allegro_error(NetworkError)) == 60.0
    assert schedule.next_delay(allegro_error(RateLimitedError, retry_after=None)) == 60.0


def test_auth_error_asks_for_sign_in(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=3, issues=1)
    allegro.list_error = allegro_error(AuthError, code="invalid_token")
    report = engine(allegro, store, account_id).run_once()
    assert report.needs_sign_in and not report.offline and report.errors


def test_progress_reports_phases(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=5, issues=2)
    seen: list[SyncProgress] = []
    engine(allegro, store, account_id).run_once(progress=seen.append)
    phases = [p.phase for p in seen]
    assert phases[0] == "threads" and phases[-1] == "done" and "issues" in phases
    messages = [p for p in seen if p.phase == "messages"]
    assert messages[-1].done == messages[-1].total
    assert {p.total for p in messages} == {5, 7}  # one count for the run: the issues count on from the threads
    assert [p.filling for p in seen] == [True] * len(seen)  # an empty cache being filled


def test_unchanged_issue_summary_is_refreshed_without_fetching(allegro: FakeAllegro, store: Store,
                                                               account_id: int) -> None:
    from dataclasses import replace

    seeded(allegro, threads=1, issues=1)
    sync = engine(allegro, store, account_id)
    sync.run_once()
    issue = next(iter(allegro.issues))
    allegro.issues[issue].summary = replace(allegro.issues[issue].summary, status="CLAIM_ACCEPTED",
                                            sub_kind=SubKind.CLAIM)
    report = sync.run_once()
    assert ISSUE_CHAT not in report.requests and report.conversations_changed == 1
    stored = store.conversation_summary(issue)
    assert stored is not None and stored.status == "CLAIM_ACCEPTED"


def test_a_thread_stored_by_id_before_sync_does_not_hide_older_changes(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=3, issues=0)
    sync = engine(allegro, store, account_id)
    sync.run_once()
    # A thread opened through a scanned id before any sync saw it is stored but newer than the cursor.
    tid = allegro.add_thread(50, minutes_ago=-1)
    conversation = allegro.threads[tid]
    store.store_conversation(account_id, conversation.summary, conversation.messages)
    allegro.buyer_writes(thread_id(2), "po otwarciu")
    report = sync.run_once()
    assert report.requests[THREAD_MESSAGES] == 1
    assert report.messages_added == 1


# -- issues: routine listings of the open states, full listings on a schedule ----------------------------------------

OPEN_FILTER = ("CLAIM_SUBMITTED", "DISPUTE_ONGOING", "DISPUTE_UNRESOLVED")


def many_issues(allegro: FakeAllegro, total: int = 250, open_every: int = 5) -> list[str]:
    """`total` issues, one in `open_every` still CLAIM_SUBMITTED and the rest decided with the chat closed; returns
    the open ones."""
    opened = []
    for n in range(total):
        iid = allegro.add_issue(n, minutes_ago=30 + n)
        if n % open_every:
            allegro.decide_issue(iid, "CLAIM_ACCEPTED" if n % 2 else "DISPUTE_CLOSED", note=None)
        else:
            opened.append(iid)
    return opened


def test_idle_sync_with_many_issues_costs_one_request_per_source(allegro: FakeAllegro, store: Store,
                                                                  account_id: int, fake_time: FakeTime) -> None:
    seeded(allegro, threads=45, issues=0)
    many_issues(allegro, 250)
    sync = engine(allegro, store, account_id, clock=fake_time.clock)
    first = sync.run_once()
    assert first.requests[ISSUES] == 3 and first.requests[ISSUE_CHAT] == 250  # the first sync lists every issue
    assert allegro.issue_lists == [None, None, None]
    for _ in range(3):
        fake_time.now += 60
        report = sync.run_once()
        assert report.requests == {THREADS: 1, ISSUES: 1}
        assert allegro.issue_lists[-1] == OPEN_FILTER
        assert (report.conversations_added, report.conversations_changed, report.messages_added) == (0, 0, 0)


def test_a_message_in_an_open_issue_is_found_by_the_routine_listing(allegro: FakeAllegro, store: Store,
                                                                     account_id: int, fake_time: FakeTime) -> None:
    opened = many_issues(allegro, 120)
    sync = engine(allegro, store, account_id, clock=fake_time.clock)
    sync.run_once()
    allegro.buyer_writes(opened[3], "Wysłałem zdjęcia")
    fake_time.now += 60
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1, ISSUE_CHAT: 1}
    assert [m.conversation_id for m in report.new_buyer_messages] == [opened[3]]


@pytest.mark.parametrize("with_note", [True, False])
def test_an_issue_closing_between_syncs_gets_its_final_state(allegro: FakeAllegro, store: Store, account_id: int,
                                                              fake_time: FakeTime, with_note: bool) -> None:
    opened = many_issues(allegro, 150)
    sync = engine(allegro, store, account_id, clock=fake_time.clock)
    sync.run_once()
    closing = opened[2]
    allegro.decide_issue(closing, "CLAIM_REJECTED", note="Reklamacja odrzucona." if with_note else None)
    fake_time.now += 60
    report = sync.run_once()
    # It left the open listing: one lookup by id, and its chat only if the decision wrote into it.
    expected = {THREADS: 1, ISSUES: 1, ISSUE: 1}
    if with_note:
        expected[ISSUE_CHAT] = 1
    assert report.requests == expected and report.ok
    assert report.conversations_changed == 1
    stored = store.conversation_summary(closing)
    assert stored is not None and stored.status == "CLAIM_REJECTED" and stored.can_reply is False
    assert ("Reklamacja odrzucona." in [m.text for m in allegro.issues[closing].messages]) is with_note
    if with_note:
        assert len(store.message_ids(closing)) == 2
    # Decided and quiet: it is not looked up again.
    fake_time.now += 60
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}


def test_full_listing_happens_on_schedule(allegro: FakeAllegro, store: Store, account_id: int,
                                          fake_time: FakeTime) -> None:
    many_issues(allegro, 250)
    sync = engine(allegro, store, account_id, clock=fake_time.clock, full_issue_listing_interval=1800)
    sync.run_once()
    start = fake_time.now
    quiet = sorted(i for i, c in allegro.issues.items() if c.summary.status == "CLAIM_ACCEPTED")[0]
    allegro.buyer_writes(quiet, "Paczka zwrotna nadana")  # a late message in a decided issue
    fake_time.now = start + 1799
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1} and allegro.issue_lists[-1] == OPEN_FILTER
    fake_time.now = start + 1800
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 3, ISSUE_CHAT: 1}
    assert allegro.issue_lists[-3:] == [None, None, None]
    assert [m.conversation_id for m in report.new_buyer_messages] == [quiet]
    fake_time.now = start + 1800 + 60
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}  # the schedule restarts from the full listing
    fake_time.now = start + 3600
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 3}


def test_every_sync_lists_every_issue_with_a_zero_interval(allegro: FakeAllegro, store: Store,
                                                           account_id: int) -> None:
    many_issues(allegro, 30)
    sync = engine(allegro, store, account_id, full_issue_listing_interval=0)
    sync.run_once()
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}
    assert allegro.issue_lists == [None, None]


def test_a_reopened_issue_is_found_by_the_routine_listing(allegro: FakeAllegro, store: Store, account_id: int,
                                                          fake_time: FakeTime) -> None:
    from dataclasses import replace

    many_issues(allegro, 40)
    sync = engine(allegro, store, account_id, clock=fake_time.clock)
    sync.run_once()
    reopened = sorted(i for i, c in allegro.issues.items() if c.summary.status == "DISPUTE_CLOSED")[0]
    allegro.issues[reopened].summary = replace(allegro.issues[reopened].summary, status="DISPUTE_ONGOING",
                                               can_reply=True)
    allegro.buyer_writes(reopened, "Produkt znowu nie działa")
    fake_time.now += 60
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1, ISSUE_CHAT: 1}
    stored = store.conversation_summary(reopened)
    assert stored is not None and stored.status == "DISPUTE_ONGOING"


def test_a_decided_issue_with_a_live_chat_keeps_its_state_listed(allegro: FakeAllegro, store: Store,
                                                                 account_id: int, fake_time: FakeTime) -> None:
    opened = many_issues(allegro, 40)
    sync = engine(allegro, store, account_id, clock=fake_time.clock)
    sync.run_once()
    allegro.decide_issue(opened[0], "CLAIM_ACCEPTED", chat_active=True)  # accepted, the return still to come
    fake_time.now += 60
    sync.run_once()
    assert allegro.counts[ISSUE] == 1
    fake_time.now += 60
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}
    assert allegro.issue_lists[-1] == ("CLAIM_ACCEPTED", *OPEN_FILTER)
    allegro.buyer_writes(opened[0], "Odesłałem towar")
    fake_time.now += 60
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1, ISSUE_CHAT: 1}


def test_a_failed_lookup_is_retried(allegro: FakeAllegro, store: Store, account_id: int,
                                    fake_time: FakeTime) -> None:
    opened = many_issues(allegro, 40)
    sync = engine(allegro, store, account_id, clock=fake_time.clock)
    sync.run_once()
    allegro.decide_issue(opened[1], "DISPUTE_CLOSED")
    allegro.lookup_errors[opened[1]] = allegro_error(ServerError, code="INTERNAL_SERVER_ERROR")
    fake_time.now += 60
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1, ISSUE: 1}
    assert len(report.errors) == 1 and opened[1] in report.errors[0] and not report.offline
    assert store.get_cursor(account_id, "issues").last_error == "1 issue(s) failed"
    del allegro.lookup_errors[opened[1]]
    fake_time.now += 60
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1, ISSUE: 1, ISSUE_CHAT: 1} and report.ok
    stored = store.conversation_summary(opened[1])
    assert stored is not None and stored.status == "DISPUTE_CLOSED"


def test_a_decided_issue_whose_fetch_failed_is_looked_up_until_stored(allegro: FakeAllegro, store: Store,
                                                                      account_id: int, fake_time: FakeTime) -> None:
    many_issues(allegro, 40)
    quiet = sorted(i for i, c in allegro.issues.items() if c.summary.status == "CLAIM_ACCEPTED")[0]
    allegro.failing[quiet] = allegro_error(ServerError, code="INTERNAL_SERVER_ERROR")
    sync = engine(allegro, store, account_id, clock=fake_time.clock)
    report = sync.run_once()
    assert len(report.errors) == 1 and quiet in report.errors[0]
    # A routine listing skips decided issues; this one was never stored, so it is looked up by id.
    fake_time.now += 60
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1, ISSUE: 1, ISSUE_CHAT: 1} and len(report.errors) == 1
    del allegro.failing[quiet]
    fake_time.now += 60
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1, ISSUE: 1, ISSUE_CHAT: 1} and report.ok
    assert store.conversation_summary(quiet) is not None
    fake_time.now += 60
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}


def test_a_vanished_issue_is_dropped_quietly(allegro: FakeAllegro, store: Store, account_id: int,
                                             fake_time: FakeTime) -> None:
    opened = many_issues(allegro, 20)
    sync = engine(allegro, store, account_id, clock=fake_time.clock)
    sync.run_once()
    del allegro.issues[opened[0]]
    fake_time.now += 60
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 1, ISSUE: 1} and report.ok
    fake_time.now += 60
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}
    assert store.conversation_summary(opened[0]) is not None  # the cache keeps what it had


def test_a_cancelled_full_listing_is_done_again(allegro: FakeAllegro, store: Store, account_id: int,
                                                fake_time: FakeTime) -> None:
    many_issues(allegro, 150)
    fetched: list[str] = []
    real = allegro.issue_chat

    def counting(issue: str) -> tuple:
        fetched.append(issue)
        return real(issue)

    allegro.issue_chat = counting  # type: ignore[method-assign]
    sync = engine(allegro, store, account_id, clock=fake_time.clock, max_workers=1)
    report = sync.run_once(cancelled=lambda: len(fetched) >= 5)
    assert report.cancelled
    fake_time.now += 60
    report = sync.run_once()
    assert report.requests == {THREADS: 1, ISSUES: 2, ISSUE_CHAT: 145} and report.ok
    assert allegro.issue_lists[-2:] == [None, None]
    fake_time.now += 60
    assert sync.run_once().requests == {THREADS: 1, ISSUES: 1}
