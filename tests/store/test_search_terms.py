"""Words inside logins and the linked orders' terms: the trigram index of identifier terms (revision 0010), kept
by whatever writes a login, an order, its waybills or a user's choice, built for a cache upgraded from 0009."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from magazyn_desktop.domain.records import ConversationSummary, LineItem, Order, Shipment
from magazyn_desktop.domain.vocabulary import Kind, SubKind
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store import inbox_queries as q
from magazyn_desktop.store import sqlite_search
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.repository import Store
from tests.launch.helpers import migrate_to
from tests.store.search_index_checks import assert_terms_are_exact

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)

MUG = Order(id="7e1f0c2a-0000-4000-8000-00000000abcd", buyer_login="Ewa_Gdynianka682", status="READY_FOR_PROCESSING",
            fulfillment_status="SENT", delivery_method="InPost Paczkomat 24/7",
            line_items=(LineItem(offer_id="1", name="Kubek ceramiczny ŻÓŁTY 300 ml", sku="KUB-300-ZOL", quantity=2),
                        LineItem(offer_id="2", name="Łyżeczka   do herbaty", sku=None, quantity=1)),
            shipments=(Shipment(waybill="620145987011234567890123", carrier="INPOST"),))
LAMP = Order(id="lamp-order-42", buyer_login="marek.nowak7", status="READY_FOR_PROCESSING", fulfillment_status="NEW",
             delivery_method="DPD", line_items=(LineItem(offer_id="3", name="Lampa biurkowa", sku="LMP-9", quantity=1),),
             shipments=(Shipment(waybill="0000345678901U", carrier="DPD"), Shipment(waybill="AD000111222PL")))


def _summary(conversation_id: str, login: str | None, order_id: str | None = None,
             minutes_ago: int = 0) -> ConversationSummary:
    return ConversationSummary(id=conversation_id, kind=Kind.THREAD, sub_kind=SubKind.COMMON,
                               last_activity_at=NOW - timedelta(minutes=minutes_ago), interlocutor_login=login,
                               order_id=order_id)


def _write(store: Store, sql: str, params: dict[str, object] | None = None) -> None:
    """A write the Store has no call for (an order dropped from the cache), on the store's own engine."""
    with store.engine.begin() as connection:
        connection.execute(text(sql), params or {})


@dataclass(frozen=True)
class Inbox:
    store: Store
    reader: ReadConnection


@pytest.fixture
def inbox(store: Store, reader: ReadConnection) -> Inbox:
    """Four threads: Ewa's about the mug (named by the thread), Marek's with no order named but the lamp picked
    for it by hand, one whose order is not in the cache, and one about nothing."""
    account = store.ensure_account("demo", "sklep")
    store.upsert_conversation(account, _summary("t-ewa", "Ewa_Gdynianka682", MUG.id, 1))
    store.upsert_conversation(account, _summary("t-marek", "marek.nowak7", None, 2))
    store.upsert_conversation(account, _summary("t-uncached", "ola_zielinska", "not-cached-order", 3))
    store.upsert_conversation(account, _summary("t-none", "basia-kowalska", None, 4))
    store.save_order(account, MUG)
    store.save_order(account, LAMP)
    store.choose_order("t-marek", LAMP.id)  # as the order panel does
    return Inbox(store, reader)


def _found(reader: ReadConnection, text: str) -> list[str]:
    return [row.id for row in q.list_page(reader, search=text).rows]


def _scanned(reader: ReadConnection, code: str) -> str | None:
    return q.find_exact(reader, code)


def _sqlite_found(paths: AppPaths, text: str) -> list[str]:
    reader = connect(paths.database, read_only=True)
    try:
        return _found(reader, text)
    finally:
        reader.close()


def _sqlite_scanned(paths: AppPaths, code: str) -> str | None:
    reader = connect(paths.database, read_only=True)
    try:
        return _scanned(reader, code)
    finally:
        reader.close()


@pytest.mark.parametrize("text", ["gdynianka", "GDYNIANKA", "dynianka68", "ewa_gdy", "ynia 682",
                                  "e w a g d y n i ynian"])  # more words than are checked one by one
def test_a_login_matches_anywhere_inside_in_any_case(inbox: Inbox, text: str) -> None:
    assert _found(inbox.reader, text) == ["t-ewa"]


@pytest.mark.parametrize("text, expected", [
    ("7e1f0c2a-0000-4000-8000-00000000abcd", ["t-ewa"]),  # an order id, whole
    ("00000000ABCD", ["t-ewa"]),  # inside it
    ("987011234567", ["t-ewa"]),  # inside a waybill
    ("620145987011234567890123", ["t-ewa"]),  # a whole waybill, as a scanner types it into the box
    ("kub-300-zol", ["t-ewa"]),  # a SKU (offer external.id), any case
    ("300-ZOL", ["t-ewa"]),
    ("zolty kubek", ["t-ewa"]),  # a product name's words, folded, in any order
    ("ŁYŻECZKA do", ["t-ewa"]),
    ("lyzeczka do herbaty", ["t-ewa"]),  # spaces run together in the name
    ("lamp", ["t-marek"]),  # the order a user picked: its id, name, SKU and waybills
    ("LMP-9", ["t-marek"]),
    ("345678901u", ["t-marek"]),
    ("biurkowa", ["t-marek"]),
    ("not-cached", ["t-uncached"]),  # an order id the cache has not fetched yet
    ("kubek lampa", []),  # every word in the terms of one conversation
    ("herbata", []),
])
def test_order_terms_of_linked_orders_find_their_conversation(inbox: Inbox, text: str,
                                                              expected: list[str]) -> None:
    assert _found(inbox.reader, text) == expected


def test_a_word_with_punctuation_inside_is_looked_for_as_typed(inbox: Inbox) -> None:
    assert _found(inbox.reader, "(gdynianka682),") == ["t-ewa"]  # punctuation at its ends is not part of it
    assert _found(inbox.reader, "a_gdy") == ["t-ewa"]
    assert _found(inbox.reader, "gdynianka_682") == []  # not inside the login, although both halves are
    assert _found(inbox.reader, "gdynianka 682") == ["t-ewa"]


def test_words_shorter_than_a_trigram_keep_the_prefix_rules(inbox: Inbox) -> None:
    assert _found(inbox.reader, "ew") == ["t-ewa"]  # a login's beginning
    assert _found(inbox.reader, "wa") == []  # not inside: the index cannot look two letters up
    assert _found(inbox.reader, "ml") == []


def test_terms_follow_later_writes_of_orders_waybills_choices_and_logins(inbox: Inbox) -> None:
    store, reader = inbox.store, inbox.reader
    account = store.ensure_account("demo", "sklep")
    # The background fetch caches the missing order; a parcel is sent for the lamp.
    store.save_order(account, Order(id="not-cached-order", buyer_login="ola_zielinska", status=None,
                                    fulfillment_status=None, delivery_method=None,
                                    line_items=(LineItem(offer_id=None, name="Rower górski", sku="RW-1", quantity=1),)))
    store.save_order(account, replace(LAMP, shipments=(Shipment(waybill="NEW777888PL"),)))
    assert _found(reader, "rower gorski") == ["t-uncached"]
    assert _found(reader, "777888") == ["t-marek"]
    assert _found(reader, "345678901u") == []  # the old waybills are gone with the write
    # The buyer renames the account; the pick changes.
    store.upsert_conversation(account, _summary("t-ewa", "ewa_sopocianka", MUG.id, 1))
    assert _found(reader, "gdynianka") == [] and _found(reader, "sopocianka") == ["t-ewa"]
    store.choose_order("t-marek", MUG.id)
    assert sorted(_found(reader, "zolty kubek")) == ["t-ewa", "t-marek"] and _found(reader, "lampa") == []
    store.forget_order_choice("t-marek")
    _write(store, "DELETE FROM orders WHERE id = :id", {"id": MUG.id})
    assert _found(reader, "kubek") == [] and _found(reader, "620145987011") == []
    assert _found(reader, "00000000abcd") == ["t-ewa"]  # its id stays: the conversation names it


@pytest.mark.sqlite_only  # search_terms is SQLite's own table
def test_random_writes_keep_every_document_exact(paths: AppPaths) -> None:
    rng = random.Random(12)
    writer = connect(paths.database)
    writer.execute("INSERT INTO accounts (id, environment, is_active, created_at) VALUES (1, 'demo', 1, '2026-11-01')")
    conversations: list[str] = []
    orders = [f"o{n}" for n in range(8)]
    names = ("Kubek żółty", "ŁADOWARKA USB-C", "kabel", "Łóżko  piętrowe", None)
    for step in range(400):
        action = rng.random()
        if action < 0.15 or not conversations:
            conversations.append(f"c{step}")
            writer.execute("INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, "
                           "interlocutor_login, order_id, updated_at) VALUES (?, 1, 'thread', 'COMMON', 1, 1, 0, ?, ?, "
                           "'2026-11-01')", (conversations[-1], rng.choice(("Ewa_X", "marek", None)),
                                             rng.choice((*orders, None))))
        elif action < 0.3:
            writer.execute("UPDATE conversations SET interlocutor_login = ?, order_id = ? WHERE id = ?",
                           (f"login{step}", rng.choice((*orders, None)), rng.choice(conversations)))
        elif action < 0.5:
            order = rng.choice(orders)
            name = rng.choice(names)
            form = (f'{{"version": 1, "order": {{"line_items": [{{"name": "{name}", "sku": "S-{step}"}}]}}}}'
                    if name else rng.choice(("{}", "not json", '{"order": {"line_items": "none"}}', '{"order": 5}',
                                       '{"order": {"line_items": ["x", 7, {"name": true, "sku": 12}]}}',
                                       '{"order": {"line_items": {"a": {"name": "obiekt"}}}}')))
            writer.execute("INSERT INTO orders (id, account_id, checkout_form_json, fetched_at) VALUES (?, 1, ?, "
                           "'2026-11-01') ON CONFLICT (id) DO UPDATE SET checkout_form_json = excluded.checkout_form_json",
                           (order, form))
        elif action < 0.65:
            order = rng.choice(orders)
            if writer.execute("SELECT 1 FROM orders WHERE id = ?", (order,)).fetchone():
                writer.execute("INSERT OR IGNORE INTO tracking_numbers (waybill, order_id) VALUES (?, ?)",
                               (f"WB{step}PL", order))
        elif action < 0.72:
            writer.execute("DELETE FROM tracking_numbers WHERE rowid IN (SELECT rowid FROM tracking_numbers "
                           "ORDER BY random() LIMIT 1)")
        elif action < 0.85:
            writer.execute("INSERT INTO order_choices (conversation_id, order_id, chosen_at) VALUES (?, ?, "
                           "'2026-11-01') ON CONFLICT (conversation_id) DO UPDATE SET order_id = excluded.order_id",
                           (rng.choice(conversations), rng.choice(orders)))
        elif action < 0.9:
            writer.execute("DELETE FROM order_choices WHERE conversation_id = ?", (rng.choice(conversations),))
        elif action < 0.95:
            writer.execute("DELETE FROM orders WHERE id = ?", (rng.choice(orders),))
        else:
            writer.execute("DELETE FROM conversations WHERE id = ?", (conversations.pop(rng.randrange(len(conversations))),))
        if step % 50 == 0:
            assert_terms_are_exact(writer)
    writer.commit()
    assert_terms_are_exact(writer)
    writer.close()


@pytest.mark.sqlite_only
def test_order_forms_of_any_shape_are_written_and_indexed_for_what_they_hold(paths: AppPaths) -> None:
    writer = connect(paths.database)
    with writer:
        writer.execute("INSERT INTO accounts (id, environment, is_active, created_at) VALUES (1, 'demo', 1, '2026')")
        writer.execute("INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, "
                       "order_id, updated_at) VALUES ('c', 1, 'thread', 'COMMON', 1, 1, 0, 'o', '2026')")
        for form in ("not json", '{"order": 5}', '{"order": {"line_items": "none"}}',
                     '{"order": {"line_items": {"a": {"name": "obiekt"}}}}',
                     '{"order": {"line_items": ["x", 7, [1], {"name": true, "sku": 12}, {"name": "Żółw"}]}}'):
            writer.execute("INSERT INTO orders (id, account_id, checkout_form_json, fetched_at) VALUES ('o', 1, ?, "
                           "'2026') ON CONFLICT (id) DO UPDATE SET checkout_form_json = excluded.checkout_form_json",
                           (form,))
            assert_terms_are_exact(writer)
    assert writer.execute("SELECT terms FROM search_terms").fetchone()[0].split("\n") == ["o", "12", "zolw"]
    writer.close()


def test_a_scan_finds_the_conversation_by_a_whole_term_of_a_linked_order(inbox: Inbox) -> None:
    reader = inbox.reader
    assert _scanned(reader, "AD000111222PL") == "t-marek"  # a waybill of the order a user picked
    assert _scanned(reader, "ad000111222pl") == "t-marek"
    assert _scanned(reader, "LMP-9") == "t-marek"  # a SKU
    assert _scanned(reader, "kub-300-zol") == "t-ewa"
    assert _scanned(reader, LAMP.id) == "t-marek"  # the picked order's id
    assert _scanned(reader, "620145987011234567890123") == "t-ewa"
    assert _scanned(reader, "KUB-300") is None  # whole terms only: a scan names one thing
    assert _scanned(reader, "0000345678901") is None


@pytest.mark.parametrize("text", ['"', "*", "NEAR(", "NEAR(kubek", "-", "^", "-kubek", "^kub*", '"kub"*', "kubek*",
                                  "AND OR NOT", "...,;!?", "'); DROP TABLE orders; --", "gdynianka " * 1000,
                                  "ż" * 10_000, "x" * 10_000, " ".join(f"kub{n}" for n in range(2000))])
def test_hostile_searches_and_scans_answer_rows_or_none_never_an_error(inbox: Inbox,
                                                                        text: str) -> None:
    reader = inbox.reader
    found = _found(reader, text)
    assert found in ([], ["t-ewa"]) or len(text.strip()) < 2 and len(found) == 4  # one character: not a search
    _scanned(reader, text)
    q.counts(reader, search=text)


@pytest.mark.parametrize("route", ["identifiers walked", "terms' matches", "terms' rows", "terms checked"])
def test_every_route_gives_the_same_rows(inbox: Inbox, monkeypatch: pytest.MonkeyPatch,
                                         route: str) -> None:
    texts = ("gdynianka", "zolty kubek", "lamp", "kowalska", "00000", "ewa_gdy", "ynia 682", "kub-300-zol",
             "e w a g d y n i ynian", "e w a g d y n i ynianx")
    expected = {text: _found(inbox.reader, text) for text in texts}
    if route == "identifiers walked":  # every identifier route too large to look up by key
        monkeypatch.setattr(sqlite_search, "_CANDIDATE_CAP", 0)
    elif route == "terms' matches":
        monkeypatch.setattr(sqlite_search, "_MATCHES_SORTED_ALONE", 0)  # both routes, however few the matches
        monkeypatch.setattr(sqlite_search, "_TERM_ROUTES", ("matches",))
    elif route == "terms' rows":
        monkeypatch.setattr(sqlite_search, "_MATCHES_SORTED_ALONE", 0)
        monkeypatch.setattr(sqlite_search, "_TERM_ROUTES", ("rows",))
    else:  # the index names candidates by a cut word, the stored terms decide
        monkeypatch.setattr(sqlite_search, "_TERM_WORDS_ASKED", 1)
        monkeypatch.setattr(sqlite_search, "_TERM_CHARS_ASKED", 3)
    assert {text: _found(inbox.reader, text) for text in texts} == expected


@pytest.mark.sqlite_only  # a cache of the single bench, upgraded
def test_the_upgrade_from_0009_builds_the_terms_of_every_cached_conversation(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    migrate_to(paths.database, "0009_order_links")
    writer = connect(paths.database)  # the message index's triggers of 0007 need their functions
    with writer:
        writer.execute("INSERT INTO accounts (id, environment, is_active, created_at) VALUES (1,'demo',1,'2026-11-01')")
        for cid, login, order in (("a", "Ewa_Gdynianka682", "ord-1"), ("b", "marek", None), ("c", None, "ord-bad")):
            writer.execute("INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, "
                           "interlocutor_login, order_id, updated_at) VALUES (?, 1, 'thread', 'COMMON', 1, 1, 0, ?, ?, "
                           "'2026-11-01')", (cid, login, order))
        writer.execute("INSERT INTO orders (id, account_id, checkout_form_json, fetched_at) VALUES ('ord-1', 1, ?, "
                       "'2026-11-01')", ('{"version": 1, "order": {"line_items": [{"name": "Żółty kubek", '
                                         '"sku": "KUB-1"}]}}',))
        writer.execute("INSERT INTO orders (id, account_id, checkout_form_json, fetched_at) VALUES "
                       "('ord-bad', 1, 'damaged {', '2026-11-01'), ('ord-2', 1, '{}', '2026-11-01')")
        writer.execute("INSERT INTO tracking_numbers (waybill, order_id) VALUES ('AD555666777PL', 'ord-1'), "
                       "('DPD123', 'ord-2')")
        writer.execute("INSERT INTO order_choices (conversation_id, order_id, chosen_at) VALUES ('b', 'ord-2', "
                       "'2026-11-01')")
    writer.close()
    assert upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine).upgraded
    assert _sqlite_found(paths, "gdynianka") == ["a"]
    assert _sqlite_found(paths, "zolty") == ["a"] and _sqlite_found(paths, "666777") == ["a"]
    assert _sqlite_found(paths, "dpd123") == ["b"]
    assert _sqlite_scanned(paths, "ad555666777pl") == "a"
    reader = sqlite3.connect(paths.database)
    assert_terms_are_exact(reader)
    reader.close()
