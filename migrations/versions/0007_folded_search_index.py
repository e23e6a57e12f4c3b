"""The search index folds Polish letters and follows the inbox's list order.

Revision ID: 0007_folded_search_index
Revises: 0006_activity_index_with_id

messages_fts is rebuilt from the stored messages (store/search_index.py describes it):
- each message's document is its words folded by domain.search_text (case, diacritics and ł), the function that
  also folds what the user types; FTS5's own folding (unicode61) left ł as it was, so "przesylka" found nothing;
- its key is the conversation's hour of last activity above the message's rowid, so that a search reads the newest
  conversations first and stops at the end of a page, instead of collecting every hit and sorting;
- prefixes of up to four letters have entries of their own, and messages_fts_terms lists the longer words, so that
  every prefix is read lazily, newest first (FTS5 merges all the words of a prefix it has no entries for at once);
- the index keeps no positions (detail=none): a search asks for words, never phrases.

The table is contentless: the triggers recompute a message's document to delete it, through the SQL functions
store/search_index.py registers on every writing connection. A migration that rebuilds the messages table, or
changes the folding, must rebuild this index (store.search_index.rebuild_search_index).
"""

from __future__ import annotations

from alembic import op

from magazyn_desktop.store.migration_dialect import on_sqlite
from magazyn_desktop.store.search_index import rebuild_search_index

revision = "0007_folded_search_index"
down_revision = "0006_activity_index_with_id"
branch_labels = None
depends_on = None

_INDEX = ("CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='', columnsize=0, detail=none, "
          "prefix='1 2 3 4', tokenize='ascii')")  # the documents are folded words: splitting at spaces is enough
_TERMS = "CREATE TABLE messages_fts_terms (term TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID"

# A message is in the index exactly when its conversation row exists, under that row's current last activity.
_ADD = ("INSERT INTO messages_fts(rowid, text) SELECT search_key(c.last_activity_at, {m}.rowid), "
        "search_document({m}.text) FROM conversations c WHERE c.id = {m}.conversation_id;")
_REMOVE = ("INSERT INTO messages_fts(messages_fts, rowid, text) SELECT 'delete', search_key(c.last_activity_at, "
           "{m}.rowid), search_document({m}.text) FROM conversations c WHERE c.id = {m}.conversation_id;")
# Not INSERT OR IGNORE: in a trigger, the conflict handling of the statement that fired it would win.
_ADD_TERMS = ("INSERT INTO messages_fts_terms(term) SELECT j.value FROM json_each(search_long_words({m}.text)) j "
              "WHERE NOT EXISTS (SELECT 1 FROM messages_fts_terms t WHERE t.term = j.value);")
_ADD_CONVERSATION = ("INSERT INTO messages_fts(rowid, text) SELECT search_key({c}.last_activity_at, m.rowid), "
                     "search_document(m.text) FROM messages m WHERE m.conversation_id = {c}.id;")
_REMOVE_CONVERSATION = ("INSERT INTO messages_fts(messages_fts, rowid, text) SELECT 'delete', "
                        "search_key({c}.last_activity_at, m.rowid), search_document(m.text) FROM messages m "
                        "WHERE m.conversation_id = {c}.id;")

_TRIGGERS = {
    "messages_fts_after_insert": f"""
        CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages BEGIN
            {_ADD.format(m="new")}
            {_ADD_TERMS.format(m="new")}
        END""",
    "messages_fts_after_delete": f"""
        CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages BEGIN
            {_REMOVE.format(m="old")}
        END""",
    "messages_fts_after_update": f"""
        CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF text, conversation_id ON messages
        WHEN old.text IS NOT new.text OR old.conversation_id IS NOT new.conversation_id BEGIN
            {_REMOVE.format(m="old")}
            {_ADD.format(m="new")}
            {_ADD_TERMS.format(m="new")}
        END""",
    # Messages stored before their conversation (only possible with foreign keys off) join the index with it.
    "conversations_fts_after_insert": f"""
        CREATE TRIGGER conversations_fts_after_insert AFTER INSERT ON conversations BEGIN
            {_ADD_CONVERSATION.format(c="new")}
        END""",
    # A conversation whose activity moves to another hour moves its messages to their new keys.
    "conversations_fts_after_activity": f"""
        CREATE TRIGGER conversations_fts_after_activity AFTER UPDATE OF last_activity_at, id ON conversations
        WHEN search_key(old.last_activity_at, 0) IS NOT search_key(new.last_activity_at, 0)
            OR old.id IS NOT new.id BEGIN
            {_REMOVE_CONVERSATION.format(c="old")}
            {_ADD_CONVERSATION.format(c="new")}
        END""",
    # Before the row goes: the messages' own delete trigger (run by the cascade) no longer finds its key.
    "conversations_fts_before_delete": f"""
        CREATE TRIGGER conversations_fts_before_delete BEFORE DELETE ON conversations BEGIN
            {_REMOVE_CONVERSATION.format(c="old")}
        END""",
}

# Revision 0002's index, for the downgrade.
_OLD_INDEX = ("CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='rowid', "
              "tokenize='unicode61 remove_diacritics 2')")
_OLD_TRIGGERS = {
    "messages_fts_after_insert": """
        CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
        END""",
    "messages_fts_after_delete": """
        CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END""",
    "messages_fts_after_update": """
        CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF text ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
        END""",
}


def upgrade() -> None:
    if not on_sqlite():
        return  # SQLite's search index; PostgreSQL's is built by its own revision (0017)
    for name in _OLD_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS messages_fts")
    op.execute(_INDEX)
    op.execute(_TERMS)
    rebuild_search_index(op.get_bind().connection.driver_connection)
    for statement in _TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    if not on_sqlite():
        return
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS messages_fts_terms")
    op.execute("DROP TABLE IF EXISTS messages_fts")
    op.execute(_OLD_INDEX)
    for statement in _OLD_TRIGGERS.values():
        op.execute(statement)
    op.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
