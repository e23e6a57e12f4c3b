"""The inbox's activity indexes end with the conversation id.

Revision ID: 0006_activity_index_with_id
Revises: 0005_outbox_sent_after

The list is ordered by (last_activity_at, id), newest first, and pages continue after the last row's key. With the
id in the index, a page is an index seek from that key at any depth and comes out in list order: before, a page deep
in a large inbox walked the index from the top and sorted the ties on the id in a temporary B-tree.
"""

from __future__ import annotations

from alembic import op

revision = "0006_activity_index_with_id"
down_revision = "0005_outbox_sent_after"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_conversations_account_activity": ("account_id", "last_activity_at"),
    "ix_conversations_needs_reply": ("account_id", "needs_reply", "last_activity_at"),
}


def upgrade() -> None:
    for name, columns in _INDEXES.items():
        op.drop_index(name, table_name="conversations")
        op.create_index(name, "conversations", [*columns, "id"])


def downgrade() -> None:
    for name, columns in _INDEXES.items():
        op.drop_index(name, table_name="conversations")
        op.create_index(name, "conversations", list(columns))
