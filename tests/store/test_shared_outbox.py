"""The outbox a team shares: the sender's claim of the next reply (marked sending in the same transaction, a
conversation's replies in order, the queue by id on PostgreSQL where the benches' clocks differ, by time on SQLite
as before), and who wrote each reply, on its entry and on the message it became."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, Role, SubKind
from magazyn_desktop.store.inbox_queries import load_conversation
from magazyn_desktop.store.models import OutboxEntry
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.repository import Store

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
THREAD = "T1".ljust(43, "x")
OTHER = "T2".ljust(43, "x")


@pytest.fixture
def account_id(store: Store) -> int:
    account = store.ensure_account("demo", "shop")
    for conversation_id in (THREAD, OTHER):
        store.upsert_conversation(account, ConversationSummary(id=conversation_id, kind=Kind.THREAD,
                                                               sub_kind=SubKind.COMMON, last_activity_at=NOW))
    return account


def test_a_claim_marks_the_oldest_due_reply_sending_and_counts_the_attempt(store: Store, account_id: int) -> None:
    first = store.add_outbox_entry(account_id, THREAD, "pierwsza")
    store.add_outbox_entry(account_id, OTHER, "do drugiej")
    claimed = store.claim_next_outbox_entry(account_id, NOW)
    assert claimed is not None and claimed.id == first
    assert (claimed.state, claimed.attempts, claimed.messages_rowid_before) == (OutboxState.SENDING, 1, 0)
    entry = store.outbox_entry(first)
    assert entry is not None and entry.state is OutboxState.SENDING


@pytest.mark.parametrize("older_state", [OutboxState.QUEUED, OutboxState.SENDING, OutboxState.UNCERTAIN])
def test_a_reply_waits_while_an_older_one_of_its_conversation_has_not_gone_out(
        store: Store, account_id: int, older_state: OutboxState) -> None:
    older = store.add_outbox_entry(account_id, THREAD, "pierwsza")
    younger = store.add_outbox_entry(account_id, THREAD, "druga")
    other = store.add_outbox_entry(account_id, OTHER, "do drugiej")
    if older_state is not OutboxState.QUEUED:
        assert store.mark_outbox_sending(older, NOW)
    if older_state is OutboxState.UNCERTAIN:
        assert store.mark_outbox_uncertain(older, code="OUTCOME_UNKNOWN")
    claims = [store.claim_next_outbox_entry(account_id, NOW) for _ in range(3)]
    ids = [claim.id if claim else None for claim in claims]
    # A queued older reply is claimed first; once it is sending, the younger still waits.
    assert ids == ([older, other, None] if older_state is OutboxState.QUEUED else [other, None, None])
    assert younger not in ids


def test_a_reply_goes_once_the_older_one_is_sent_or_failed(store: Store, account_id: int) -> None:
    older = store.add_outbox_entry(account_id, THREAD, "pierwsza")
    younger = store.add_outbox_entry(account_id, THREAD, "druga")
    third = store.add_outbox_entry(account_id, THREAD, "trzecia")
    assert store.mark_outbox_sending(older, NOW) and store.mark_outbox_sent(older, remote_message_id="r1")
    claimed = store.claim_next_outbox_entry(account_id, NOW)
    assert claimed is not None and claimed.id == younger
    assert store.mark_outbox_failed(younger, code="REJECTED", message=None)
    claimed = store.claim_next_outbox_entry(account_id, NOW)
    assert claimed is not None and claimed.id == third


def test_excluded_conversations_are_passed_over(store: Store, account_id: int) -> None:
    store.add_outbox_entry(account_id, THREAD, "pierwsza")
    other = store.add_outbox_entry(account_id, OTHER, "do drugiej")
    claimed = store.claim_next_outbox_entry(account_id, NOW, excluding_conversations={THREAD})
    assert claimed is not None and claimed.id == other
    assert store.claim_next_outbox_entry(account_id, NOW, excluding_conversations={THREAD}) is None


def test_the_queue_is_in_id_order_on_postgresql_and_in_time_order_on_sqlite(
        store: Store, account_id: int, engine_name: str) -> None:
    first = store.add_outbox_entry(account_id, THREAD, "z pierwszego stanowiska")
    second = store.add_outbox_entry(account_id, OTHER, "z drugiego, którego zegar się spóźnia")
    with store.engine.begin() as connection:
        connection.execute(update(OutboxEntry).where(OutboxEntry.id == second)
                           .values(created_at=NOW - timedelta(hours=1)))
        connection.execute(update(OutboxEntry).where(OutboxEntry.id == first).values(created_at=NOW))
    claimed = store.claim_next_outbox_entry(account_id, NOW)
    assert claimed is not None and claimed.id == (first if engine_name == "postgresql" else second)


def test_a_reply_keeps_its_author_and_the_message_it_became_is_linked_to_it(
        store: Store, reader: ReadConnection, account_id: int) -> None:
    sent = store.add_outbox_entry(account_id, THREAD, "Wysłane dziś.", author="Ania @ Stanowisko 1")
    queued = store.add_outbox_entry(account_id, THREAD, "I jeszcze jedno.", author="Bartek @ Stanowisko 2")
    entry = store.outbox_entry(sent)
    assert entry is not None and entry.author == "Ania @ Stanowisko 1"
    claimed = store.claim_next_outbox_entry(account_id, NOW)
    assert claimed is not None and claimed.id == sent
    message = ConversationMessage("r1", THREAD, Role.SELLER, "shop", "Wysłane dziś.", NOW)
    assert store.mark_outbox_sent(sent, remote_message_id="r1", sent_at=NOW, message=message)

    detail = load_conversation(reader, THREAD)
    assert detail is not None
    assert [(row.id, row.author) for row in detail.outbox] == [(sent, "Ania @ Stanowisko 1"),
                                                              (queued, "Bartek @ Stanowisko 2")]
    assert [(m.id, m.written_by) for m in detail.messages] == [("r1", "Ania @ Stanowisko 1")]
