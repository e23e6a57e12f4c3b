"""The search index's SQL functions and keys: what the triggers of migration 0007 call, and what search reads.

messages_fts holds one document per message: its folded words (domain.search_text.indexed_text), under a key that
follows the inbox's list order, so that a search reads the newest matches first and stops when a page is full:

    key = bucket(the conversation's last activity) << 32 | the message's rowid

The bucket is the hour of the last activity (0 for none), so keys sort the conversations as the list does, down to
the hour; search orders the conversations within an hour itself. The triggers move a conversation's messages to
new keys when its activity changes hour. The index is contentless: deleting an entry needs the words it was
indexed with, which the functions here recompute from the message's text, so they must never change without a
migration that rebuilds the index.

messages_fts_terms lists every indexed word longer than the index's longest prefix: a search for a longer prefix
reads its words there and asks for each one, which SQLite answers lazily, newest first; a prefix of up to that
length has its own entries in the index (the table's `prefix` option).

Every connection that writes messages or conversations needs the functions (store.db registers them), and since
revision 0010 one that writes orders, waybills or order choices too (the identifier index's, store/search_terms.py):
without them SQLite refuses the write instead of leaving an index wrong.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from datetime import datetime, timezone

from magazyn_desktop.domain.search_text import indexed_text, search_words
from magazyn_desktop.store.search_terms import register_terms_function

BUCKET_SECONDS = 3600
ROWID_BITS = 32
ROWID_MASK = (1 << ROWID_BITS) - 1
_MAX_BUCKET = (1 << (63 - ROWID_BITS)) - 1
# As migration 0007 creates messages_fts (prefix='1 2 3 4'); a test compares them.
LONGEST_INDEXED_PREFIX = 4


@functools.lru_cache(maxsize=1024)  # a conversation's messages are indexed one after another, under one time
def bucket(last_activity_at: object) -> int:
    """The hour of a stored last-activity time, counted from 1970 and starting at 1; 0 for no time."""
    if last_activity_at is None:
        return 0
    try:
        moment = datetime.fromisoformat(str(last_activity_at))
    except ValueError:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return min(max(int(moment.timestamp() // BUCKET_SECONDS) + 1, 1), _MAX_BUCKET)


def search_key(last_activity_at: object, message_rowid: int) -> int:
    """A message's key in messages_fts, from its conversation's last activity and its own rowid."""
    if not 0 <= message_rowid <= ROWID_MASK:
        raise ValueError(f"message rowid {message_rowid} does not fit the search index's key")
    return bucket(last_activity_at) << ROWID_BITS | message_rowid


def first_key_after_bucket(last_activity_at: object) -> int:
    """The smallest key above every key of this time's bucket."""
    return (bucket(last_activity_at) + 1) << ROWID_BITS


def long_words_json(text: str) -> str:
    """The words of a text that messages_fts_terms lists, as a JSON array for json_each."""
    return json.dumps([word for word in search_words(text) if len(word) > LONGEST_INDEXED_PREFIX],
                      ensure_ascii=False)


def _indexed_text_or_empty(text: object) -> str:
    return indexed_text(text) if isinstance(text, str) else ""


def _long_words_or_none(text: object) -> str:
    return long_words_json(text) if isinstance(text, str) else "[]"


def register_search_functions(connection: sqlite3.Connection) -> None:
    """The SQL functions the search indexes' triggers call, on one connection (the identifier index's too)."""
    connection.create_function("search_key", 2, search_key, deterministic=True)
    connection.create_function("search_document", 1, _indexed_text_or_empty, deterministic=True)
    connection.create_function("search_long_words", 1, _long_words_or_none, deterministic=True)
    register_terms_function(connection)


def rebuild_search_index(connection: sqlite3.Connection) -> None:
    """Index every stored message again, from nothing (migration 0007, and builders that fill the tables in bulk
    with the triggers set aside). Runs in the caller's transaction.

    Migration 0007 runs this: a later change to the index needs its own migration, and 0007 a copy of this first.
    """
    register_search_functions(connection)
    connection.execute("INSERT INTO messages_fts(messages_fts) VALUES ('delete-all')")
    connection.execute("DELETE FROM messages_fts_terms")
    # In key order: FTS5 writes out what it holds whenever a key comes below the previous one.
    connection.execute(
        "INSERT INTO messages_fts(rowid, text) SELECT search_key(c.last_activity_at, m.rowid), "
        "search_document(m.text) FROM conversations c JOIN messages m ON m.conversation_id = c.id ORDER BY 1")
    connection.execute("INSERT INTO messages_fts(messages_fts) VALUES ('optimize')")
    connection.execute("CREATE VIRTUAL TABLE temp.messages_fts_words USING fts5vocab(main, messages_fts, 'row')")
    try:
        connection.execute("INSERT INTO messages_fts_terms(term) SELECT term FROM temp.messages_fts_words "
                           f"WHERE length(term) > {LONGEST_INDEXED_PREFIX}")
    finally:
        connection.execute("DROP TABLE temp.messages_fts_words")

