"""Files attached to a draft.

Revision ID: 0012_draft_attachments
Revises: 0011_marked_unread

`drafts.attachments_json` holds a JSON list of {"path", "size", "modified_ns"}: the file the user attached, where
it is on their computer, and its size and modification time then (store/draft_files.py). NULL means a draft without
files (every row written before this revision). A draft with files and no text is kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_draft_attachments"
down_revision = "0011_marked_unread"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place (SQLite 3.35+), as 0011: a nullable column needs no table copy.
    op.add_column("drafts", sa.Column("attachments_json", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("drafts", "attachments_json")
