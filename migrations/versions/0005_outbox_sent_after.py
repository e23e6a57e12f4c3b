"""Remember which messages were already stored when a reply was marked sending.

Revision ID: 0005_outbox_sent_after
Revises: 0004_login_prefix_search

`outbox.messages_rowid_before` is the largest messages.rowid of the reply's conversation at the moment the row
was marked `sending`. Settling an uncertain send then never trusts the PC clock: a seller message with the same
text counts as the reply's arrival only when it was not stored with a rowid up to this value (rowids only grow and
upserts keep them, see 0002). NULL for rows marked sending before this revision; those keep the old time bound.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_outbox_sent_after"
down_revision = "0004_login_prefix_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("messages_rowid_before", sa.Integer(), nullable=True))


def downgrade() -> None:
    # SQLite before 3.35 cannot drop a column in place: batch mode copies the table without it.
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("messages_rowid_before")
