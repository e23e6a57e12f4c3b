"""Checks of the whole search indexes against what is stored, for the tests that write through any path."""

from __future__ import annotations

import json
import sqlite3

from magazyn_desktop.domain.search_text import folded, indexed_text
from magazyn_desktop.store.search_index import LONGEST_INDEXED_PREFIX, search_key


def assert_index_is_exact(connection: sqlite3.Connection) -> None:
    """Every word of every message with a conversation, under its key, and nothing else (stale entries included:
    the vocabulary's document counts would show them)."""
    expected: dict[str, set[int]] = {}
    for rowid, text, at in connection.execute("SELECT m.rowid, m.text, c.last_activity_at FROM messages m "
                                              "JOIN conversations c ON c.id = m.conversation_id"):
        for word in indexed_text(text).split():
            expected.setdefault(word, set()).add(search_key(at, rowid))
    connection.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.words USING fts5vocab(main, messages_fts, 'row')")
    counts = dict(connection.execute("SELECT term, doc FROM temp.words WHERE doc > 0").fetchall())
    assert counts == {word: len(keys) for word, keys in expected.items()}
    for word, keys in expected.items():
        found = {row[0] for row in connection.execute("SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?",
                                                      (f'"{word}"',))}
        assert found == keys, word
    terms = {row[0] for row in connection.execute("SELECT term FROM messages_fts_terms")}
    assert {word for word in expected if len(word) > LONGEST_INDEXED_PREFIX} <= terms


def identifier_terms(connection: sqlite3.Connection) -> dict[str, list[str]]:
    """Every conversation's identifier terms, read from the tables in Python: its login, its order and the one a
    user picked, and of those orders as cached their waybills, SKUs and product names; folded, spaces as one."""
    choices: dict[str, list[str]] = {}
    for conversation_id, order_id in connection.execute("SELECT conversation_id, order_id FROM order_choices"):
        choices.setdefault(conversation_id, []).append(order_id)
    waybills: dict[str, list[str]] = {}
    for waybill, order_id in connection.execute("SELECT waybill, order_id FROM tracking_numbers"):
        waybills.setdefault(order_id, []).append(waybill)
    items: dict[str, list[str]] = {}
    for order_id, text in connection.execute("SELECT id, checkout_form_json FROM orders"):
        try:
            lines = json.loads(text)["order"]["line_items"]
        except (ValueError, KeyError, TypeError):
            lines = []
        items[order_id] = [str(item[key]) for item in (lines if isinstance(lines, list) else [])
                           if isinstance(item, dict) for key in ("sku", "name")
                           if isinstance(item.get(key), (str, int)) and not isinstance(item.get(key), bool)]
    terms: dict[str, list[str]] = {}
    for conversation_id, login, order_id in connection.execute(
            "SELECT id, interlocutor_login, order_id FROM conversations"):
        orders = [order for order in [order_id, *choices.get(conversation_id, [])] if order]
        raw = [login, *orders, *(w for o in orders for w in waybills.get(o, [])),
               *(i for o in orders for i in items.get(o, []))]
        terms[conversation_id] = [" ".join(folded(part).split()) for part in raw if part and part.strip()]
    return terms


def assert_terms_are_exact(connection: sqlite3.Connection) -> None:
    """search_terms holds one row per conversation, under its rowid, with exactly its terms."""
    stored = {rowid: terms for rowid, terms in connection.execute("SELECT rowid, terms FROM search_terms")}
    rowids = dict(connection.execute("SELECT id, rowid FROM conversations"))
    expected = identifier_terms(connection)
    assert set(stored) == {rowids[conversation_id] for conversation_id in expected}
    for conversation_id, terms in expected.items():
        assert set(stored[rowids[conversation_id]].split("\n")) - {""} == set(terms), conversation_id
