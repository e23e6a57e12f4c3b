"""Drafts are a person's own: on a team's store two people typing in one conversation keep a draft each, a reply
queued by one ends that person's draft only, and what the window opens with is the person's own (revision 0021).
A single bench keeps its drafts as the empty name, as before."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, SubKind
from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.repository import Store

THREAD = "P1".ljust(43, "x")
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def account_id(store: Store) -> int:
    account = store.ensure_account("demo", "shop")
    store.store_conversation(account, ConversationSummary(id=THREAD, kind=Kind.THREAD, sub_kind=SubKind.COMMON,
                                                          last_activity_at=NOW), [])
    return account


def test_two_people_keep_a_draft_each_and_a_reply_ends_only_its_authors(store: Store, account_id: int,
                                                                        reader: ReadConnection) -> None:
    ania, bartek = Store(store.engine, draft_owner="Ania"), Store(store.engine, draft_owner="Bartek")
    ania.save_draft(THREAD, "Paczka wyszła dziś")
    bartek.save_draft(THREAD, "Sprawdzę to jutro")
    assert (ania.load_draft(THREAD), bartek.load_draft(THREAD)) == ("Paczka wyszła dziś", "Sprawdzę to jutro")
    assert store.load_draft(THREAD) == ""  # the single bench's own name has none
    detail = queries.load_conversation(reader, THREAD, draft_owner="Bartek")
    assert detail is not None and detail.draft == "Sprawdzę to jutro"

    ania.add_outbox_entry(account_id, THREAD, "Paczka wyszła dziś", clear_draft=True)
    assert (ania.load_draft(THREAD), bartek.load_draft(THREAD)) == ("", "Sprawdzę to jutro")
    ania.save_draft(THREAD, "")  # an emptied box removes that person's draft, nobody else's
    assert bartek.load_draft(THREAD) == "Sprawdzę to jutro"


def test_a_single_benchs_draft_is_where_it_always_was(store: Store, account_id: int, reader: ReadConnection) -> None:
    store.save_draft(THREAD, "Odpowiem po obiedzie")
    detail = queries.load_conversation(reader, THREAD)
    assert detail is not None and detail.draft == "Odpowiem po obiedzie"
    store.add_outbox_entry(account_id, THREAD, "Odpowiem po obiedzie", clear_draft=True)
    assert store.load_draft(THREAD) == ""
