"""Drafts are a person's own: on a team's store two people typing in one conversation each keep their draft.

Revision ID: 0021_drafts_per_person
Revises: 0020_team_away

`drafts.person` names whose draft it is, part of the key with the conversation. A single bench keeps its drafts
as the empty name, as before (one person answers everything there); a team bench keeps them under its person's name.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_drafts_per_person"
down_revision = "0020_team_away"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new primary key: SQLite copies the table (batch mode); nothing else names drafts (no triggers, no views).
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("person", sa.String(120), nullable=False, server_default=""))
        batch.drop_constraint("pk_drafts", type_="primary")
        batch.create_primary_key("pk_drafts", ["conversation_id", "person"])


def downgrade() -> None:
    op.execute("DELETE FROM drafts WHERE person <> ''")  # one draft a conversation again: the bench's own
    with op.batch_alter_table("drafts") as batch:
        batch.drop_constraint("pk_drafts", type_="primary")
        batch.create_primary_key("pk_drafts", ["conversation_id"])
        batch.drop_column("person")
