"""States the app owns on a conversation: done (no reply needed), internal notes and follow-up reminders.

Revision ID: 0014_conversation_workflow
Revises: 0013_claim_decisions

Allegro knows none of these: they live only in this cache. `conversations.done_at` says when a user marked the
conversation as needing no reply (a later buyer message takes it back), `conversations.remind_on` the local date
it comes back in the reminders filter; `conversation_notes` holds the team's notes, with their folded words for the
list's search.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.store.models import UtcDateTime

revision = "0014_conversation_workflow"
down_revision = "0013_claim_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place (SQLite 3.35+): batch mode would copy the table, and the search triggers name it.
    op.add_column("conversations", sa.Column("done_at", UtcDateTime(), nullable=True))
    op.add_column("conversations", sa.Column("remind_on", sa.Date(), nullable=True))
    op.create_index("ix_conversations_account_id_remind_on", "conversations", ["account_id", "remind_on"])
    op.create_table(
        "conversation_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("author", sa.String(120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("folded_text", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name="fk_conversation_notes_conversation_id_conversations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_conversation_notes"),
    )
    op.create_index("ix_conversation_notes_conversation_id", "conversation_notes", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_conversation_notes_conversation_id", table_name="conversation_notes")
    op.drop_table("conversation_notes")
    op.drop_index("ix_conversations_account_id_remind_on", table_name="conversations")
    op.drop_column("conversations", "remind_on")
    op.drop_column("conversations", "done_at")
