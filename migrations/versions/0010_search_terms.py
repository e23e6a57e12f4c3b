"""Words match inside logins and in the linked orders' ids, waybills, SKUs and product names.

Revision ID: 0010_search_terms
Revises: 0009_order_links

search_terms (store/search_terms.py describes it) holds per conversation its folded identifier terms, tokenized
into trigrams, so that "gdynianka" finds `ewa_gdynianka682` and a scanned parcel label finds the conversation of
its order. Triggers on conversations, order_choices, orders and tracking_numbers keep every document as its
sources are: an order fetched in the background, a waybill added, a user's choice. The waybills and the choices
get indexes by order, which the triggers and the order writes look them up by. The table is built here for the
cached conversations.
"""

from __future__ import annotations

from alembic import op

from magazyn_desktop.store.migration_dialect import on_sqlite
from magazyn_desktop.store.search_terms import order_conversations_sql, rebuild_search_terms, refresh_sql

revision = "0010_search_terms"
down_revision = "0009_order_links"
branch_labels = None
depends_on = None

# Case-sensitive: the documents and the words are folded already, and a match is then exactly "holds the word".
_INDEX = "CREATE VIRTUAL TABLE search_terms USING fts5(terms, tokenize='trigram case_sensitive 1')"
_BY_ORDER = {
    "ix_tracking_numbers_order_id": "CREATE INDEX ix_tracking_numbers_order_id ON tracking_numbers (order_id)",
    "ix_order_choices_order_id": "CREATE INDEX ix_order_choices_order_id ON order_choices (order_id)",
}


def _conversation(conversation_id: str) -> str:
    return f"SELECT c.rowid FROM conversations c WHERE c.id = {conversation_id}"


def _trigger(name: str, event: str, rowids: str, when: str = "") -> tuple[str, str]:
    return name, f"CREATE TRIGGER {name} {event}{' WHEN ' + when if when else ''} BEGIN {refresh_sql(rowids)} END"


_TRIGGERS = dict((
    _trigger("search_terms_after_conversation_insert", "AFTER INSERT ON conversations", "SELECT new.rowid"),
    _trigger("search_terms_after_conversation_update",
             "AFTER UPDATE OF interlocutor_login, order_id ON conversations", "SELECT new.rowid",
             "old.interlocutor_login IS NOT new.interlocutor_login OR old.order_id IS NOT new.order_id"),
    ("search_terms_after_conversation_delete", "CREATE TRIGGER search_terms_after_conversation_delete AFTER DELETE "
                                               "ON conversations BEGIN DELETE FROM search_terms "
                                               "WHERE rowid = old.rowid; END"),
    _trigger("search_terms_after_choice_insert", "AFTER INSERT ON order_choices",
             _conversation("new.conversation_id")),
    _trigger("search_terms_after_choice_update", "AFTER UPDATE ON order_choices",
             f"{_conversation('old.conversation_id')} UNION {_conversation('new.conversation_id')}"),
    _trigger("search_terms_after_choice_delete", "AFTER DELETE ON order_choices",
             _conversation("old.conversation_id")),
    _trigger("search_terms_after_order_insert", "AFTER INSERT ON orders", order_conversations_sql("new.id")),
    _trigger("search_terms_after_order_update", "AFTER UPDATE OF checkout_form_json, id ON orders",
             f"{order_conversations_sql('old.id')} UNION {order_conversations_sql('new.id')}",
             "old.checkout_form_json IS NOT new.checkout_form_json OR old.id IS NOT new.id"),
    _trigger("search_terms_after_order_delete", "AFTER DELETE ON orders", order_conversations_sql("old.id")),
    _trigger("search_terms_after_waybill_insert", "AFTER INSERT ON tracking_numbers",
             order_conversations_sql("new.order_id")),
    _trigger("search_terms_after_waybill_update", "AFTER UPDATE ON tracking_numbers",
             f"{order_conversations_sql('old.order_id')} UNION {order_conversations_sql('new.order_id')}"),
    _trigger("search_terms_after_waybill_delete", "AFTER DELETE ON tracking_numbers",
             order_conversations_sql("old.order_id")),
))


def upgrade() -> None:
    for statement in _BY_ORDER.values():
        op.execute(statement)
    if not on_sqlite():
        return  # SQLite's search index; PostgreSQL's is built by its own revision (0017)
    op.execute(_INDEX)
    rebuild_search_terms(op.get_bind().connection.driver_connection)
    for statement in _TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    if on_sqlite():
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_terms")
    for name in _BY_ORDER:
        op.execute(f"DROP INDEX IF EXISTS {name}")
