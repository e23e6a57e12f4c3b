"""The sync schedule's state per account, and conversations kept only on this computer.

Revision ID: 0008_sync_schedule
Revises: 0007_folded_search_index

`sync_schedule` holds what a restart must not forget: when the issues were last listed in full, when the deep
pass last ran, when the account last sent a message (Allegro allows one a second), and until when a source that
kept answering 5xx is left alone. `conversations.kept_locally_since` is set when Allegro stopped listing a
conversation (it deletes messages after about six months); the cache keeps the conversation and never deletes it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.store.models import UtcDateTime

revision = "0008_sync_schedule"
down_revision = "0007_folded_search_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_schedule",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("last_full_issue_listing_at", UtcDateTime(), nullable=True),
        sa.Column("last_deep_pass_at", UtcDateTime(), nullable=True),
        sa.Column("last_send_at", UtcDateTime(), nullable=True),
        sa.Column("backoff_until", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_sync_schedule_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", name="pk_sync_schedule"),
    )
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("kept_locally_since", UtcDateTime(), nullable=True))


def downgrade() -> None:
    # Dropping the column forgets which conversations Allegro no longer lists; the conversations themselves stay.
    # In place (SQLite 3.35+): batch mode would copy the table, and the search triggers name it.
    op.drop_column("conversations", "kept_locally_since")
    op.drop_table("sync_schedule")
