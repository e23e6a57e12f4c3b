"""Full-text search over message text, and the order cache with its tracking numbers.

Revision ID: 0002_search_and_orders
Revises: 0001_initial

The search index points at messages' implicit rowid. Writers must upsert messages (INSERT ... ON CONFLICT
DO UPDATE), never INSERT OR REPLACE, which changes the rowid without firing the delete trigger; any later
migration that rebuilds the messages table must end with a 'rebuild' of messages_fts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.store.migration_dialect import on_sqlite
from magazyn_desktop.store.models import UtcDateTime

revision = "0002_search_and_orders"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

_TRIGGERS = {
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
    op.create_table(
        "orders",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("buyer_login", sa.String(120), nullable=True),
        sa.Column("checkout_form_json", sa.Text(), nullable=False),
        sa.Column("shipments_json", sa.Text(), nullable=True),
        sa.Column("fetched_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_orders_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_orders"),
    )
    op.create_index("ix_orders_buyer_login", "orders", ["buyer_login"])
    op.create_table(
        "tracking_numbers",
        sa.Column("waybill", sa.String(64), nullable=False),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("carrier", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name="fk_tracking_numbers_order_id_orders",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("waybill", "order_id", name="pk_tracking_numbers"),
    )
    if not on_sqlite():
        return  # PostgreSQL's search is built by its own revision (0017)
    op.execute(
        "CREATE VIRTUAL TABLE messages_fts USING fts5("
        "text, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
    )
    for statement in _TRIGGERS.values():
        op.execute(statement)
    # Index the messages already stored.
    op.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if on_sqlite():
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS messages_fts")
    op.drop_table("tracking_numbers")
    op.drop_index("ix_orders_buyer_login", table_name="orders")
    op.drop_table("orders")
