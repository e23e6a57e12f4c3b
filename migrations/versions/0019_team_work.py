"""What people on several benches of one team need to share: who wrote a reply, who has a conversation, who is in it.

Revision ID: 0019_team_work
Revises: 0018_postgresql_store

- `outbox.author`: the person who queued the reply ("Ania @ bench 2"), shown on its card; NULL for replies queued
  before this revision (this bench's own).
- `conversations.assignee` and `assigned_at`: the person who took the conversation ("Take", handed over, released:
  NULL again); the "Moje" filter pages through its index in list order.
- `accounts.only_assignee_sends`: the account's rule that a conversation someone took is answered by that person only.
- `presence`: one row per running bench (its process id as the leases name it): the conversation it has open, whether
  its person is typing a reply, and when it last said so by the database's clock; a row not renewed is stale.
A single bench on its SQLite cache has these too; it leaves presence empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.store.models import UtcDateTime

revision = "0019_team_work"
down_revision = "0018_postgresql_store"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place (SQLite 3.35+): batch mode would copy the tables, and the search triggers name conversations.
    op.add_column("outbox", sa.Column("author", sa.String(200), nullable=True))
    op.add_column("conversations", sa.Column("assignee", sa.String(120), nullable=True))
    op.add_column("conversations", sa.Column("assigned_at", UtcDateTime(), nullable=True))
    op.create_index("ix_conversations_account_assignee", "conversations",
                    ["account_id", "assignee", "last_activity_at", "id"])
    op.add_column("accounts", sa.Column("only_assignee_sends", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.create_table(
        "presence",
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(120), nullable=False),
        sa.Column("bench", sa.String(120), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=True),
        sa.Column("typing", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("seen_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_presence_account_id_accounts",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name="fk_presence_conversation_id_conversations", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("holder", name="pk_presence"),
    )
    op.create_index("ix_presence_conversation_id", "presence", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_presence_conversation_id", table_name="presence")
    op.drop_table("presence")
    op.drop_column("accounts", "only_assignee_sends")
    op.drop_index("ix_conversations_account_assignee", table_name="conversations")
    op.drop_column("conversations", "assigned_at")
    op.drop_column("conversations", "assignee")
    op.drop_column("outbox", "author")
