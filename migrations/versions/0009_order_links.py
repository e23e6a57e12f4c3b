"""Orders the user linked by hand, and orders Allegro will not show.

Revision ID: 0009_order_links
Revises: 0008_sync_schedule

`order_choices` remembers the order a user picked for a thread that names none (from the buyer's recent
orders). `unavailable_orders` remembers an order that answered 404 or 403 (deleted, or another seller's), so the
background fetch does not ask for it again on every sync.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.store.models import UtcDateTime

revision = "0009_order_links"
down_revision = "0008_sync_schedule"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "order_choices",
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("chosen_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name="fk_order_choices_conversation_id_conversations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_order_choices"),
    )
    op.create_table(
        "unavailable_orders",
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("checked_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_unavailable_orders_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("order_id", name="pk_unavailable_orders"),
    )


def downgrade() -> None:
    op.drop_table("unavailable_orders")
    op.drop_table("order_choices")
