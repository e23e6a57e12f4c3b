"""What the sync does with answers it cannot trust: empty histories, impossible times, and failures of any kind."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from magazyn_desktop.allegro.errors import ServerError
from magazyn_desktop.allegro.models import MessageList
from magazyn_desktop.domain.records import ConversationMessage
from magazyn_desktop.domain.vocabulary import Role
from magazyn_desktop.store.models import Message
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import THREADS, SyncEngine
from magazyn_desktop.sync.plausibility import is_plausible, usable_for_cursor

from .fakes import ISSUE_CHAT, NOW, THREAD_MESSAGES, FakeAllegro, allegro_error, thread_id

FAR_FUTURE = datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc)
YEAR_ONE = datetime(1, 1, 1, tzinfo=timezone.utc)


def engine(allegro: FakeAllegro, store: Store, account_id: int, **options: object) -> SyncEngine:
    return SyncEngine(client=allegro, store=store, account_id=account_id,  # type: ignore[arg-type]
                      wall_clock=lambda: allegro.now, **options)


def seeded(allegro: FakeAllegro, threads: int = 30, issues: int = 2) -> FakeAllegro:
    for n in range(threads):
        allegro.add_thread(n, minutes_ago=10 + n * 7)
    for n in range(issues):
        allegro.add_issue(n, minutes_ago=30 + n)
    return allegro


def stored_messages(store: Store, conversation_id: str) -> list[Message]:
    with store.engine.connect() as connection:
        return list(connection.execute(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.created_at)))


# -- the plausible window ------------------------------------------------------------------------------------------

def test_the_plausible_window() -> None:
    assert is_plausible(NOW, NOW) and is_plausible(NOW + timedelta(hours=23), NOW)
    assert not is_plausible(NOW + timedelta(days=2), NOW)
    assert not is_plausible(FAR_FUTURE, NOW) and not is_plausible(YEAR_ONE, NOW)
    assert not is_plausible(datetime(1999, 12, 31, tzinfo=timezone.utc), NOW) and not is_plausible(None, NOW)
    # A cursor never moves into the future, even inside the day of leeway.
    assert usable_for_cursor(NOW + timedelta(hours=5), NOW) == NOW
    assert usable_for_cursor(NOW - timedelta(hours=5), NOW) == NOW - timedelta(hours=5)
    assert usable_for_cursor(FAR_FUTURE, NOW) is None and usable_for_cursor(YEAR_ONE, NOW) is None


# -- item: an empty answer must not lose a history -----------------------------------------------------------------

def test_an_empty_answer_for_a_thread_with_messages_is_fetched_again(
    allegro: FakeAllegro, store: Store, account_id: int
) -> None:
    seeded(allegro)
    victim = thread_id(3)
    allegro.empty_answers.add(victim)
    sync = engine(allegro, store, account_id)
    first = sync.run_once()
    assert any(victim in warning for warning in first.warnings), first.warnings
    assert store.message_ids(victim) == set()
    assert victim not in store.known_thread_state(account_id)  # not marked as synced
    allegro.counts.clear()
    second = sync.run_once()
    assert second.warnings == []
    assert store.message_ids(victim) == {m.id for m in allegro.threads[victim].messages}
    assert second.requests[THREAD_MESSAGES] == 1


def test_an_empty_chat_for_an_issue_with_entries_is_fetched_again(
    allegro: FakeAllegro, store: Store, account_id: int
) -> None:
    seeded(allegro)
    victim = sorted(allegro.issues)[0]
    allegro.empty_answers.add(victim)
    sync = engine(allegro, store, account_id)
    first = sync.run_once()
    assert any(victim in warning for warning in first.warnings), first.warnings
    allegro.counts.clear()
    sync.run_once()
    assert allegro.counts[ISSUE_CHAT] == 1
    assert store.message_ids(victim) == {m.id for m in allegro.issues[victim].messages}


def test_an_empty_answer_keeps_the_thread_cursor_below_the_thread(
    allegro: FakeAllegro, store: Store, account_id: int
) -> None:
    seeded(allegro, threads=5)
    sync = engine(allegro, store, account_id)
    sync.run_once()
    # The newest thread gets a message, but its fetch answers nothing; an older one changes in the same sync.
    allegro.buyer_writes(thread_id(4), "Halo?")
    allegro.buyer_writes(thread_id(2), "Czy jest faktura?")
    allegro.empty_answers.add(thread_id(2))
    sync.run_once()
    cursor = store.get_cursor(account_id, THREADS).newest_seen_at
    assert cursor is not None and cursor < allegro.threads[thread_id(2)].summary.last_activity_at  # type: ignore[operator]
    sync.run_once()
    assert {m.text for m in stored_messages(store, thread_id(2))} >= {"Czy jest faktura?"}


# -- item: one far-future time must not stop new messages ----------------------------------------------------------

def _move_to(allegro: FakeAllegro, conversation_id: str, at: datetime) -> None:
    conversation = allegro.threads[conversation_id]
    conversation.summary = replace(conversation.summary, last_activity_at=at)
    conversation.messages[-1] = replace(conversation.messages[-1], created_at=at)


def test_a_far_future_thread_does_not_hide_new_messages(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro)
    _move_to(allegro, thread_id(0), FAR_FUTURE)
    sync = engine(allegro, store, account_id)
    first = sync.run_once()
    assert any(thread_id(0) in warning for warning in first.warnings), first.warnings
    cursor = store.get_cursor(account_id, THREADS).newest_seen_at
    assert cursor is not None and cursor <= allegro.now
    for n in range(5, 30):
        allegro.buyer_writes(thread_id(n), f"Nowa wiadomość {n}")
    sync.run_once()
    for n in range(5, 30):
        assert f"Nowa wiadomość {n}" in {m.text for m in stored_messages(store, thread_id(n))}, n
    cursor = store.get_cursor(account_id, THREADS).newest_seen_at
    assert cursor is not None and cursor <= allegro.now


def test_a_far_future_thread_does_not_sort_above_everything(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=3)
    _move_to(allegro, thread_id(2), FAR_FUTURE)
    engine(allegro, store, account_id).run_once()
    stored = store.conversation_summary(thread_id(2))
    assert stored is not None
    assert stored.last_activity_at is None or stored.last_activity_at <= allegro.now
    assert [m.id for m in stored_messages(store, thread_id(2))] == [m.id for m in allegro.threads[thread_id(2)].messages]
    assert all(m.created_at <= allegro.now for m in stored_messages(store, thread_id(2)))


def test_a_cursor_already_in_the_future_is_not_trusted(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=3)
    sync = engine(allegro, store, account_id)
    sync.run_once()
    store.set_cursor(account_id, THREADS, newest_seen_at=FAR_FUTURE, succeeded=True)  # written by an older version
    allegro.buyer_writes(thread_id(1), "Jestem!")
    sync.run_once()
    assert "Jestem!" in {m.text for m in stored_messages(store, thread_id(1))}
    cursor = store.get_cursor(account_id, THREADS).newest_seen_at
    assert cursor is not None and cursor <= allegro.now


# -- item: every failure is a sentence in the report, never a traceback --------------------------------------------

def test_a_year_one_time_on_a_failing_thread_is_reported_not_raised(
    allegro: FakeAllegro, store: Store, account_id: int
) -> None:
    seeded(allegro, threads=3)
    _move_to(allegro, thread_id(1), YEAR_ONE)
    allegro.failing[thread_id(1)] = allegro_error(ServerError)
    report = engine(allegro, store, account_id).run_once()  # must not raise
    assert len(report.errors) == 1 and thread_id(1) in report.errors[0]
    assert store.get_cursor(account_id, THREADS).newest_seen_at is None  # nothing vouches for the failed thread


def test_an_unexpected_error_of_the_listing_is_one_sentence(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=3)
    allegro.list_error = RecursionError("maximum recursion depth exceeded while decoding a JSON array")
    report = engine(allegro, store, account_id).run_once()
    assert len(report.errors) == 1 and "threads" in report.errors[0]
    assert not report.ok


def test_a_store_error_is_described_without_sql_or_message_text(
    allegro: FakeAllegro, store: Store, account_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded(allegro, threads=2, issues=0)
    secret_text = allegro.threads[thread_id(1)].messages[-1].text

    def broken(*args: object, **kwargs: object) -> object:
        raise StatementError("(builtins.TypeError) SQLite DateTime type only accepts Python datetime",
                             "INSERT INTO messages (id, text) VALUES (?, ?)", ["m1", secret_text],
                             TypeError("SQLite DateTime type only accepts Python datetime"))

    monkeypatch.setattr(store, "store_conversations", broken)
    report = engine(allegro, store, account_id).run_once()
    assert len(report.errors) == 2
    for error in report.errors:
        assert "INSERT" not in error and secret_text not in error and "[SQL" not in error
        assert "database" in error


def test_any_exception_of_one_conversation_keeps_the_others(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=3, issues=0)
    allegro.failing[thread_id(1)] = KeyError("Pani Kowalska pisze o zwrocie")
    report = engine(allegro, store, account_id).run_once()
    assert len(report.errors) == 1 and thread_id(1) in report.errors[0]
    assert "Kowalska" not in report.errors[0]
    assert store.message_ids(thread_id(0)) and store.message_ids(thread_id(2))


# -- skipped records reach the report -------------------------------------------------------------------------------

def test_skipped_messages_are_reported_and_the_thread_is_fetched_again(
    allegro: FakeAllegro, store: Store, account_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from magazyn_desktop.allegro.models import SkippedRecord

    seeded(allegro, threads=2, issues=0)
    original = allegro.thread_messages
    skipped = SkippedRecord("message", "bad-1", "its createdAt is not a date", "GET /messaging/threads/{id}/messages")

    def with_a_skipped_record(conversation_id: str) -> MessageList:
        listed = original(conversation_id)
        return MessageList(listed.messages, (skipped,)) if conversation_id == thread_id(1) else listed

    monkeypatch.setattr(allegro, "thread_messages", with_a_skipped_record)
    sync = engine(allegro, store, account_id)
    report = sync.run_once()
    assert any("bad-1" in warning and "not a date" in warning for warning in report.warnings), report.warnings
    assert thread_id(1) not in store.known_thread_state(account_id)


def test_a_message_with_an_impossible_time_is_kept(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    seeded(allegro, threads=1, issues=0)
    conversation = allegro.threads[thread_id(0)]
    conversation.messages.append(ConversationMessage("future-1", thread_id(0), Role.BUYER, "buyer0", "Z przyszłości",
                                                     FAR_FUTURE))
    engine(allegro, store, account_id).run_once()
    assert "future-1" in store.message_ids(thread_id(0))


def test_the_json_report_shows_warnings(allegro: FakeAllegro, store: Store, account_id: int) -> None:
    from magazyn_desktop.app.sync_once import report_as_dict

    seeded(allegro, threads=2, issues=0)
    allegro.empty_answers.add(thread_id(1))
    shown = report_as_dict(engine(allegro, store, account_id).run_once())
    assert any(thread_id(1) in warning for warning in shown["warnings"])
    assert shown["timed_out"] is False and shown["retry_after"] is None
