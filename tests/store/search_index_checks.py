"""A check of the whole search index against the stored messages, for the tests that write through any path."""

from __future__ import annotations

import sqlite3

from magazyn_desktop.domain.search_text import indexed_text
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
