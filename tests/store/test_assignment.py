"""Who has a conversation: take, hand over, release, the "Moje" filter and its count, the people the team has seen,
and the account's rule that only the assignee answers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, SubKind
from magazyn_desktop.store import inbox_queries as q
from magazyn_desktop.store.records import AssigneeOnly
from magazyn_desktop.store.change_log import changes_after
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.store.models import OutboxEntry, Presence
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.repository import ASSIGNMENT_TOPIC, Store

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
ANIA = "Ania"
BARTEK = "Bartek"


def _id(n: int) -> str:
    return f"T{n:03d}".ljust(43, "x")


@pytest.fixture
def account_id(store: Store) -> int:
    account = store.ensure_account("demo", "shop")
    for n in range(12):
        store.upsert_conversation(account, ConversationSummary(
            id=_id(n), kind=Kind.THREAD, sub_kind=SubKind.COMMON, last_activity_at=NOW - timedelta(minutes=n),
            interlocutor_login=f"kupujacy{n}", read=True))
    return account


def _assignee(reader: ReadConnection, conversation_id: str) -> str | None:
    row = q.get_row(reader, conversation_id)
    assert row is not None
    return row.assignee


def test_take_assigns_to_me_and_the_row_says_so(store: Store, account_id: int, reader: ReadConnection) -> None:
    result = store.take_conversation(_id(0), ANIA, at=NOW)
    assert result.changed and result.assignee == ANIA
    assert _assignee(reader, _id(0)) == ANIA
    assert _assignee(reader, _id(1)) is None
    # Taking one's own again changes nothing for anyone else.
    assert store.take_conversation(_id(0), ANIA).assignee == ANIA


def test_taking_what_another_person_has_is_refused_unless_taken_over(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    store.take_conversation(_id(0), ANIA)
    refused = store.take_conversation(_id(0), BARTEK)
    assert not refused.changed and refused.assignee == ANIA
    assert _assignee(reader, _id(0)) == ANIA
    taken = store.take_conversation(_id(0), BARTEK, take_over=True)
    assert taken.changed and taken.assignee == BARTEK
    assert _assignee(reader, _id(0)) == BARTEK


def test_hand_over_gives_it_to_the_named_person_whoever_had_it(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    store.take_conversation(_id(0), ANIA)
    handed = store.hand_conversation(_id(0), "  Celina  ")
    assert handed.changed and handed.assignee == "Celina"
    assert _assignee(reader, _id(0)) == "Celina"
    with pytest.raises(ValueError):
        store.hand_conversation(_id(0), "   ")


def test_release_frees_it_only_for_the_one_who_has_it(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    store.take_conversation(_id(0), ANIA)
    kept = store.release_conversation(_id(0), BARTEK)  # Bartek's view was old: Ania keeps it
    assert not kept.changed and kept.assignee == ANIA
    released = store.release_conversation(_id(0), ANIA)
    assert released.changed and released.assignee is None
    assert _assignee(reader, _id(0)) is None


def test_a_conversation_not_stored_is_said_to_be_missing(store: Store, account_id: int) -> None:
    result = store.take_conversation("missing", ANIA)
    assert not result.changed and not result.exists


def test_each_assignment_change_is_in_the_change_log_on_a_team_store(
        store: Store, account_id: int, engine_name: str) -> None:
    with store.engine.connect() as connection:
        before = max((c.seq for c in changes_after(connection, 0, limit=10_000)), default=0)
    store.take_conversation(_id(0), ANIA)
    store.take_conversation(_id(0), BARTEK)  # refused: nothing changed, nothing logged
    store.hand_conversation(_id(1), BARTEK)
    store.release_conversation(_id(0), ANIA)
    with store.engine.connect() as connection:
        logged = [(c.topic, c.conversation_id) for c in changes_after(connection, before)]
    if engine_name == "sqlite":
        assert logged == []  # a single bench tells nobody
    else:
        assert logged == [(ASSIGNMENT_TOPIC, _id(0)), (ASSIGNMENT_TOPIC, _id(1)), (ASSIGNMENT_TOPIC, _id(0))]


def _pages(reader: ReadConnection, me: str | None, search: str = "", size: int = 3) -> list[str]:
    ids: list[str] = []
    key = None
    while True:
        page = q.list_page(reader, filter_=Filter.MINE, search=search, account_id=1, after=key, limit=size, me=me)
        ids += [row.id for row in page.rows]
        key = page.next_key
        if key is None:
            return ids


def test_mine_shows_my_conversations_newest_first_and_counts_them(
        store: Store, account_id: int, reader: ReadConnection) -> None:
    for n in (7, 2, 9, 4):
        store.take_conversation(_id(n), ANIA)
    store.take_conversation(_id(3), BARTEK)
    assert _pages(reader, ANIA) == [_id(2), _id(4), _id(7), _id(9)]
    assert _pages(reader, BARTEK, size=1) == [_id(3)]
    assert _pages(reader, None) == []  # nobody at the bench: nobody's
    assert q.count(reader, filter_=Filter.MINE, account_id=account_id, me=ANIA) == 4
    counts = q.counts(reader, account_id=account_id, me=ANIA)
    assert counts[Filter.MINE] == 4 and counts[Filter.ALL] == 12
    assert q.counts(reader, account_id=account_id)[Filter.MINE] == 0
    found = q.rows_by_id(reader, [_id(2), _id(3)], filter_=Filter.MINE, account_id=account_id, me=ANIA)
    assert list(found) == [_id(2)]


def test_mine_with_a_search_pages_and_counts_the_same(store: Store, account_id: int, reader: ReadConnection) -> None:
    for n in (1, 5, 10):
        store.take_conversation(_id(n), ANIA)
    store.take_conversation(_id(11), BARTEK)
    # kupujacy1 and kupujacy10 and kupujacy11 match the login's prefix.
    assert _pages(reader, ANIA, search="kupujacy1", size=1) == [_id(1), _id(10)]
    counts = q.counts(reader, search="kupujacy1", account_id=account_id, me=ANIA)
    assert counts[Filter.MINE] == 2 and counts[Filter.ALL] == 3


@pytest.mark.sqlite_only  # SQLite's query plans
def test_a_page_of_mine_seeks_the_assignee_index(store: Store, account_id: int, reader: ReadConnection) -> None:
    import sqlite3

    for n in range(6):
        store.take_conversation(_id(n), ANIA)
    first = q.list_page(reader, filter_=Filter.MINE, account_id=account_id, limit=2, me=ANIA)
    assert isinstance(reader, sqlite3.Connection) and first.next_key is not None
    statements: list[str] = []
    reader.set_trace_callback(statements.append)
    try:
        q.list_page(reader, filter_=Filter.MINE, account_id=account_id, after=first.next_key, limit=2, me=ANIA)
    finally:
        reader.set_trace_callback(None)
    [seek] = [s for s in statements if "(c.last_activity_at, c.id) <" in s]
    plan = [row[3] for row in reader.execute(f"EXPLAIN QUERY PLAN {seek}")]
    assert any("ix_conversations_account_assignee" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


def test_the_people_are_those_who_have_a_conversation_and_those_at_a_bench(store: Store, account_id: int) -> None:
    store.take_conversation(_id(0), ANIA)
    store.take_conversation(_id(1), "celina")
    with store.engine.begin() as connection:
        connection.execute(insert(Presence), [
            {"holder": "h1", "account_id": account_id, "person": BARTEK, "bench": "stanowisko 2", "seen_at": NOW},
            {"holder": "h2", "account_id": account_id, "person": ANIA, "bench": "stanowisko 3", "seen_at": NOW}])
    other = store.ensure_account("demo", "other")
    with store.engine.begin() as connection:
        connection.execute(insert(Presence), [
            {"holder": "h3", "account_id": other, "person": "Damian", "bench": "b", "seen_at": NOW}])
    assert store.team_people(account_id) == [ANIA, BARTEK, "celina"]


def _queued(store: Store) -> list[str]:
    with store.engine.connect() as connection:
        return [row[0] for row in connection.execute(select(OutboxEntry.text).order_by(OutboxEntry.id))]


def test_without_the_rule_anyone_answers_a_conversation_someone_took(store: Store, account_id: int) -> None:
    store.take_conversation(_id(0), ANIA)
    assert not store.only_assignee_sends(account_id)
    store.add_outbox_entry(account_id, _id(0), "od Bartka", person=BARTEK)
    assert _queued(store) == ["od Bartka"]


def test_with_the_rule_only_the_assignee_answers_and_nobody_s_conversation_is_anyone_s(
        store: Store, account_id: int) -> None:
    assert store.set_only_assignee_sends(account_id, True)
    assert store.only_assignee_sends(account_id)
    store.take_conversation(_id(0), ANIA)
    store.save_draft(_id(0), "od Bartka")
    with pytest.raises(AssigneeOnly) as refused:
        store.add_outbox_entry(account_id, _id(0), "od Bartka", clear_draft=True, person=BARTEK)
    assert refused.value.assignee == ANIA and ANIA in str(refused.value)
    assert _queued(store) == []
    assert store.load_draft(_id(0)) == "od Bartka"  # nothing of the refused reply's transaction stayed
    store.add_outbox_entry(account_id, _id(0), "od Ani", person=ANIA)
    store.add_outbox_entry(account_id, _id(1), "nikt jej nie wziął", person=BARTEK)
    assert _queued(store) == ["od Ani", "nikt jej nie wziął"]
    store.set_only_assignee_sends(account_id, False)
    store.add_outbox_entry(account_id, _id(0), "już wolno", person=BARTEK)
    assert _queued(store)[-1] == "już wolno"
