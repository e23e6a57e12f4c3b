"""Which engine a migration runs on: the revisions serve SQLite and PostgreSQL, and only the search differs."""

from __future__ import annotations


def on_sqlite() -> bool:
    """True inside a migration running on SQLite (the single-bench cache), False on PostgreSQL (team mode)."""
    from alembic import op

    return bool(op.get_bind().dialect.name == "sqlite")


# What revision 0018 builds on PostgreSQL only, and the models do not declare (as they do not declare SQLite's
# search tables): the messages' rowid column and the search's indexes.
POSTGRESQL_ONLY_COLUMNS = frozenset({("messages", "rowid")})
POSTGRESQL_ONLY_INDEXES = frozenset({
    "ix_messages_conversation_rowid", "ix_messages_text_trgm", "ix_conversations_login_trgm",
    "ix_conversations_order_id_trgm", "ix_tracking_numbers_waybill_trgm", "ix_orders_line_items_trgm",
})
