"""What benches sharing one store coordinate through: who polls Allegro for an account, and what changed.

Revision ID: 0017_team_coordination
Revises: 0016_deadlines

`account_leases` names the bench that talks to Allegro for an account (one row per account): it renews the row
while it leads and checks, before each write, that the row is still its own; `fence` grows with every new leader,
so a write from a leader that lost its lease can be recognised. `change_log` numbers every change benches must
see, per account: a bench that missed notifications catches up from the last number it saw. A single bench on its
SQLite cache has these tables too and leaves them empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.store.models import UtcDateTime

revision = "0017_team_coordination"
down_revision = "0016_deadlines"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_leases",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("holder_name", sa.String(200), nullable=False),
        sa.Column("fence", sa.BigInteger(), nullable=False),
        sa.Column("renewed_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_account_leases_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", name="pk_account_leases"),
    )
    op.create_table(
        "change_log",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=True),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_change_log_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("seq", name="pk_change_log"),
    )
    op.create_index("ix_change_log_account_id_seq", "change_log", ["account_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_change_log_account_id_seq", table_name="change_log")
    op.drop_table("change_log")
    op.drop_table("account_leases")
