"""A reply typed while the team's database was away carries a key of its own, so it enters the outbox once.

Revision ID: 0020_team_away
Revises: 0019_team_work

- `outbox.client_key`: the key a bench gave a reply it kept in its local spool while the shared database did not
  answer; moving the spool into the outbox inserts a row only when no row has that key, so a move interrupted after
  the insert and run again adds nothing. NULL for every reply queued straight into the outbox.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_team_away"
down_revision = "0019_team_work"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place (SQLite 3.35+): batch mode would copy the table.
    op.add_column("outbox", sa.Column("client_key", sa.String(36), nullable=True))
    op.create_index("ix_outbox_client_key", "outbox", ["client_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_outbox_client_key", table_name="outbox")
    op.drop_column("outbox", "client_key")
