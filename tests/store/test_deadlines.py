"""Deadlines worked out as conversations are written, on Poland's calendar, and the "Terminy" filter's order and
paging by them (soonest and most overdue first, by key, stable while sync writes)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from magazyn_desktop.domain.business_calendar import WARSAW
from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.store import inbox_queries as q
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.repository import Store

# Easter 2026 is 5 April, so Monday 6 April is a public holiday; Good Friday (3 April) is a working day in Poland.
GOOD_FRIDAY_AFTERNOON = datetime(2026, 4, 3, 15, 0, tzinfo=WARSAW)
THREAD = "T1".ljust(43, "x")


@pytest.fixture
def account_id(store: Store) -> int:
    return store.ensure_account("demo", "shop")


def thread(conversation_id: str = THREAD, at: datetime = GOOD_FRIDAY_AFTERNOON, *,
           status: str = "OPEN") -> ConversationSummary:
    return ConversationSummary(id=conversation_id, kind=Kind.THREAD, sub_kind=SubKind.COMMON, last_activity_at=at,
                               interlocutor_login="kupujacy", status=status, can_reply=status != "CLOSED")


def issue(conversation_id: str, sub_kind: SubKind, *, status: str, opened_at: datetime,
          decision_due_at: datetime | None = None, status_due_at: datetime | None = None) -> ConversationSummary:
    return ConversationSummary(id=conversation_id, kind=Kind.ISSUE, sub_kind=sub_kind, last_activity_at=opened_at,
                               interlocutor_login="kupujacy", status=status, decision_due_at=decision_due_at,
                               status_due_at=status_due_at, opened_at=opened_at)


def message(mid: str, role: Role, at: datetime, conversation_id: str = THREAD) -> ConversationMessage:
    return ConversationMessage(mid, conversation_id, role, role.value.lower(), "Gdzie jest moja paczka?", at)


def due_at(reader: ReadConnection, conversation_id: str = THREAD) -> datetime | None:
    row = q.get_row(reader, conversation_id)
    assert row is not None
    return row.due_at


def test_a_buyer_message_of_good_friday_afternoon_is_due_on_tuesday_after_easter_monday(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    store.store_conversation(account_id, thread(), [message("m1", Role.BUYER, GOOD_FRIDAY_AFTERNOON)])
    # Friday 15:00 to midnight is 9 business hours; Saturday, Sunday and Easter Monday do not count; 15 more on
    # Tuesday.
    assert due_at(reader) == datetime(2026, 4, 7, 15, 0, tzinfo=WARSAW)


def test_a_thread_answered_on_friday_afternoon_has_no_deadline(store: Store, account_id: int,
                                                               reader: ReadConnection) -> None:
    store.store_conversation(account_id, thread(), [message("m1", Role.BUYER, GOOD_FRIDAY_AFTERNOON)])
    answered = GOOD_FRIDAY_AFTERNOON + timedelta(hours=1)
    store.store_conversation(account_id, thread(at=answered), [
        message("m1", Role.BUYER, GOOD_FRIDAY_AFTERNOON), message("m2", Role.SELLER, answered)])
    assert due_at(reader) is None
    assert q.count(reader, filter_=Filter.DEADLINES) == 0


def test_a_reply_the_outbox_sent_clears_the_deadline(store: Store, account_id: int,
                                                     reader: ReadConnection) -> None:
    from magazyn_desktop.store import conversation_writes

    store.store_conversation(account_id, thread(), [message("m1", Role.BUYER, GOOD_FRIDAY_AFTERNOON)])
    with store.engine.begin() as connection:
        conversation_writes.add_sent_message(
            connection, message("m2", Role.SELLER, GOOD_FRIDAY_AFTERNOON + timedelta(hours=1)))
    assert due_at(reader) is None


def test_a_claim_without_a_decision_date_is_due_fourteen_calendar_days_after_it_opened(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    opened = datetime(2026, 3, 23, 10, 0, tzinfo=WARSAW)  # a Monday in winter time
    store.store_conversation(account_id, issue("claim", SubKind.CLAIM, status="CLAIM_SUBMITTED", opened_at=opened),
                             [message("c1", Role.BUYER, opened, "claim")])
    # 10:00 on Warsaw's clock, now in summer time, on Easter Monday itself: the stricter count does not move it.
    assert due_at(reader, "claim") == datetime(2026, 4, 6, 10, 0, tzinfo=WARSAW)


def test_a_claim_is_due_by_its_decision_date_until_it_is_decided(store: Store, account_id: int,
                                                                reader: ReadConnection) -> None:
    opened = datetime(2026, 3, 23, 10, 0, tzinfo=WARSAW)
    decide_by = datetime(2026, 4, 2, 12, 0, tzinfo=timezone.utc)
    claim = issue("claim", SubKind.CLAIM, status="CLAIM_SUBMITTED", opened_at=opened, decision_due_at=decide_by)
    store.upsert_conversation(account_id, claim)
    assert due_at(reader, "claim") == decide_by
    store.upsert_conversation(account_id, issue("claim", SubKind.CLAIM, status="CLAIM_ACCEPTED", opened_at=opened,
                                                decision_due_at=decide_by))
    assert due_at(reader, "claim") is None


def test_a_dispute_is_due_by_its_status_date_until_it_closes(store: Store, account_id: int,
                                                             reader: ReadConnection) -> None:
    opened = datetime(2026, 3, 30, 9, 0, tzinfo=timezone.utc)
    status_due = datetime(2026, 4, 6, 9, 0, tzinfo=timezone.utc)
    store.upsert_conversation(account_id, issue("dispute", SubKind.DISPUTE, status="DISPUTE_ONGOING",
                                                opened_at=opened, status_due_at=status_due))
    assert due_at(reader, "dispute") == status_due
    store.upsert_conversation(account_id, issue("dispute", SubKind.DISPUTE, status="DISPUTE_CLOSED",
                                                opened_at=opened, status_due_at=status_due))
    assert due_at(reader, "dispute") is None


def test_done_takes_the_deadline_away_and_undoing_it_brings_it_back(store: Store, account_id: int,
                                                                    reader: ReadConnection) -> None:
    store.store_conversation(account_id, thread(), [message("m1", Role.BUYER, GOOD_FRIDAY_AFTERNOON)])
    assert store.mark_done(THREAD, at=GOOD_FRIDAY_AFTERNOON + timedelta(minutes=5))
    assert due_at(reader) is None
    assert store.unmark_done(THREAD)
    assert due_at(reader) == datetime(2026, 4, 7, 15, 0, tzinfo=WARSAW)


def test_a_claim_marked_done_keeps_its_decision_deadline(store: Store, account_id: int,
                                                        reader: ReadConnection) -> None:
    """"No reply needed" answers the buyer's last message, not the claim: the law's 14 days still run."""
    decide_by = datetime(2026, 4, 20, 12, 0, tzinfo=timezone.utc)
    store.store_conversation(account_id, issue("claim", SubKind.CLAIM, status="CLAIM_SUBMITTED",
                                               opened_at=GOOD_FRIDAY_AFTERNOON, decision_due_at=decide_by),
                             [message("c1", Role.BUYER, GOOD_FRIDAY_AFTERNOON, conversation_id="claim")])
    assert store.mark_done("claim", at=GOOD_FRIDAY_AFTERNOON + timedelta(minutes=5))
    assert due_at(reader, "claim") == decide_by


def test_a_closed_thread_has_no_deadline(store: Store, account_id: int, reader: ReadConnection) -> None:
    store.store_conversation(account_id, thread(status="CLOSED"), [message("m1", Role.BUYER, GOOD_FRIDAY_AFTERNOON)])
    assert due_at(reader) is None


# -- the "Terminy" filter -------------------------------------------------------------------------------------------

BASE = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)  # a Monday


def _dispute_due(store: Store, account_id: int, conversation_id: str, due: datetime,
                 activity: datetime = BASE) -> None:
    store.upsert_conversation(account_id, issue(conversation_id, SubKind.DISPUTE, status="DISPUTE_ONGOING",
                                                opened_at=activity, status_due_at=due))


def test_the_filter_shows_what_is_due_soonest_first_and_counts_it(store: Store, account_id: int,
                                                                   reader: ReadConnection) -> None:
    other_account = store.ensure_account("production", "other")
    # Activity in the reverse order of the deadlines, so the activity order would give the opposite list.
    _dispute_due(store, account_id, "later", BASE + timedelta(days=5), activity=BASE + timedelta(hours=3))
    _dispute_due(store, account_id, "overdue", BASE - timedelta(days=1), activity=BASE + timedelta(hours=1))
    _dispute_due(store, account_id, "soon", BASE + timedelta(hours=4), activity=BASE + timedelta(hours=2))
    _dispute_due(store, other_account, "elsewhere", BASE)
    store.store_conversation(account_id, thread("answered", at=BASE), [
        message("a1", Role.BUYER, BASE, "answered"), message("a2", Role.SELLER, BASE, "answered")])
    page = q.list_page(reader, filter_=Filter.DEADLINES, account_id=account_id)
    assert [row.id for row in page.rows] == ["overdue", "soon", "later"]
    assert q.count(reader, filter_=Filter.DEADLINES, account_id=account_id) == 3
    assert q.counts(reader, account_id=account_id)[Filter.DEADLINES] == 3


def test_the_filter_pages_by_deadline_and_a_sync_between_pages_shifts_nothing(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    for number in range(5):
        _dispute_due(store, account_id, f"d{number}", BASE + timedelta(hours=number * 10))
    first = q.list_page(reader, filter_=Filter.DEADLINES, account_id=account_id, limit=3)
    assert [row.id for row in first.rows] == ["d0", "d1", "d2"] and first.next_key is not None
    # A sync meanwhile: one due before everything shown, one between the rows still to come, and a shown one
    # closed. The next page goes on after the last row shown, by its deadline.
    _dispute_due(store, account_id, "earliest", BASE - timedelta(days=2))
    _dispute_due(store, account_id, "between", BASE + timedelta(hours=35))
    store.upsert_conversation(account_id, issue("d1", SubKind.DISPUTE, status="DISPUTE_CLOSED", opened_at=BASE))
    second = q.list_page(reader, filter_=Filter.DEADLINES, account_id=account_id, after=first.next_key, limit=3)
    assert [row.id for row in second.rows] == ["d3", "between", "d4"]
    assert second.next_key is None


def test_equal_deadlines_page_by_id(store: Store, account_id: int, reader: ReadConnection) -> None:
    for name in ("b", "a", "c"):
        _dispute_due(store, account_id, name, BASE)
    first = q.list_page(reader, filter_=Filter.DEADLINES, account_id=account_id, limit=2)
    second = q.list_page(reader, filter_=Filter.DEADLINES, account_id=account_id, after=first.next_key, limit=2)
    assert [row.id for row in (*first.rows, *second.rows)] == ["a", "b", "c"]


def test_rows_read_by_id_in_the_filter_carry_their_deadline_as_the_key(store: Store, account_id: int,
                                                                       reader: ReadConnection) -> None:
    _dispute_due(store, account_id, "d0", BASE)
    page = q.list_page(reader, filter_=Filter.DEADLINES, account_id=account_id)
    found = q.rows_by_id(reader, ["d0"], filter_=Filter.DEADLINES, account_id=account_id)
    assert found["d0"][1] == page.keys[0] and page.keys[0].due_at is not None


def test_a_search_inside_the_filter_finds_only_what_is_due(store: Store, account_id: int,
                                                           reader: ReadConnection) -> None:
    store.store_conversation(account_id, thread("due", at=BASE), [message("x1", Role.BUYER, BASE, "due")])
    store.store_conversation(account_id, thread("answered", at=BASE), [
        message("y1", Role.BUYER, BASE, "answered"), message("y2", Role.SELLER, BASE, "answered")])
    page = q.list_page(reader, filter_=Filter.DEADLINES, search="paczka", account_id=account_id)
    assert [row.id for row in page.rows] == ["due"]
    assert q.counts(reader, search="paczka", account_id=account_id)[Filter.DEADLINES] == 1


@pytest.mark.sqlite_only  # SQLite's query plan
def test_the_filter_reads_its_own_index(store: Store, account_id: int, reader: ReadConnection) -> None:
    _dispute_due(store, account_id, "d0", BASE)
    plan = " ".join(str(row[-1]) for row in reader.execute(
        "EXPLAIN QUERY PLAN SELECT c.id FROM conversations c WHERE c.due_at IS NOT NULL AND c.account_id = 1 "
        "AND (c.due_at, c.id) > ('2026', 'a') ORDER BY c.due_at, c.id LIMIT 5"))
    assert "ix_conversations_account_due" in plan and "TEMP B-TREE" not in plan
