"""Reply templates kept in the cache, and markers of what was done once (the default set seeded).

Revision ID: 0015_reply_templates
Revises: 0014_conversation_workflow

`reply_templates` holds the shop's templates in their order, names unique: they belong to no account, so a bench
with a demo and a real account, and later several benches sharing one store, see the same set. An attachment is
named by its copy's file name in the data folder's templates/. `store_markers` remembers that the default set was
seeded, so that deleting every default does not bring them back.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.store.models import UtcDateTime

revision = "0015_reply_templates"
down_revision = "0014_conversation_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attachment_file", sa.String(255), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reply_templates"),
        sa.UniqueConstraint("name", name="uq_reply_templates_name"),
    )
    op.create_table(
        "store_markers",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("set_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_store_markers"),
    )


def downgrade() -> None:
    op.drop_table("store_markers")
    op.drop_table("reply_templates")
