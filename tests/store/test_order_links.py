"""Orders linked to conversations: the one a summary names kept, the ones still to fetch, picks, refusals."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary, Order
from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.store.records import ChangeKind
from magazyn_desktop.store.repository import Store

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def account_id(store: Store) -> int:
    return store.ensure_account("demo", "shop")


def thread(n: int, *, order_id: str | None = None, minutes_ago: int = 0) -> ConversationSummary:
    return ConversationSummary(id=f"T{n}".ljust(43, "x"), kind=Kind.THREAD, sub_kind=SubKind.COMMON,
                               last_activity_at=NOW - timedelta(minutes=minutes_ago), interlocutor_login=f"buyer{n}",
                               order_id=order_id)


def order(order_id: str) -> Order:
    return Order(id=order_id, buyer_login="buyer", status="READY_FOR_PROCESSING", fulfillment_status="NEW",
                 delivery_method=None)


def test_a_summary_naming_no_order_keeps_the_stored_one(store: Store, account_id: int) -> None:
    store.store_conversation(account_id, thread(1, order_id="O-1"), [])
    # A listing in public.v1 names no order; what the messages named stays, and nothing counts as changed.
    assert store.upsert_conversation(account_id, thread(1)) is ChangeKind.UNCHANGED
    assert store.summaries_to_write(account_id, [thread(1)]) == []
    stored = store.conversation_summary(thread(1).id)
    assert stored is not None and stored.order_id == "O-1"
    store.upsert_conversation(account_id, thread(1, order_id="O-2"))  # a summary that names one still wins
    stored = store.conversation_summary(thread(1).id)
    assert stored is not None and stored.order_id == "O-2"


def test_orders_to_fetch_each_once_newest_conversation_first(store: Store, account_id: int) -> None:
    store.store_conversation(account_id, thread(1, order_id="O-old", minutes_ago=50), [])
    store.store_conversation(account_id, thread(2, order_id="O-new", minutes_ago=1), [])
    store.store_conversation(account_id, thread(3, order_id="O-new", minutes_ago=90), [])
    store.store_conversation(account_id, thread(4, order_id="O-cached", minutes_ago=2), [])
    store.store_conversation(account_id, thread(5, order_id="O-gone", minutes_ago=3), [])
    store.store_conversation(account_id, thread(6, minutes_ago=20), [])
    store.store_conversation(account_id, thread(7, minutes_ago=5), [])
    store.save_order(account_id, order("O-cached"))
    store.mark_order_unavailable(account_id, "O-gone", 404)
    store.choose_order(thread(6).id, "O-picked")
    assert store.orders_to_fetch(account_id) == ["O-new", "O-picked", "O-old"]
    assert store.orders_to_fetch(account_id, limit=2) == ["O-new", "O-picked"]
    other = store.ensure_account("production", "someone-else")
    assert store.orders_to_fetch(other) == []


def test_a_refusal_is_remembered_with_its_status(store: Store, account_id: int) -> None:
    assert store.order_unavailable_status("O-1") is None
    store.mark_order_unavailable(account_id, "O-1", 403)
    assert store.order_unavailable_status("O-1") == 403
    store.mark_order_unavailable(account_id, "O-1", 404)
    assert store.order_unavailable_status("O-1") == 404


def test_a_pick_is_kept_replaced_and_forgotten(store: Store, account_id: int) -> None:
    conversation = thread(1)
    store.store_conversation(account_id, conversation, [
        ConversationMessage("m1", conversation.id, Role.BUYER, "buyer1", "Gdzie paczka?", NOW)])
    assert store.chosen_order(conversation.id) is None
    store.choose_order(conversation.id, "O-1")
    assert store.chosen_order(conversation.id) == "O-1"
    store.choose_order(conversation.id, "O-2")
    assert store.chosen_order(conversation.id) == "O-2"
    store.forget_order_choice(conversation.id)
    assert store.chosen_order(conversation.id) is None
