"""How far each running bench has read the change log, for `doctor --store` to say which bench lags behind.

Revision ID: 0022_presence_seen_seq
Revises: 0021_drafts_per_person

`presence.seen_seq` is the highest change-log number the bench's listener had delivered at its last heartbeat;
NULL before it first connected. The change log's head minus it is the bench's lag.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_presence_seen_seq"
down_revision = "0021_drafts_per_person"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("presence", sa.Column("seen_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                                        nullable=True))


def downgrade() -> None:
    op.drop_column("presence", "seen_seq")
