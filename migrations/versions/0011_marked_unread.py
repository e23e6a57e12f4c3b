"""Conversations a user marked unread in this app.

Revision ID: 0011_marked_unread
Revises: 0010_search_terms

Allegro has no "mark unread": a conversation a user marks unread stays unread here, whatever Allegro's read flag
says, until it is read again on this computer. `conversations.marked_unread_at` says since when.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.store.models import UtcDateTime

revision = "0011_marked_unread"
down_revision = "0010_search_terms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place (SQLite 3.35+): batch mode would copy the table, and the search triggers name it.
    op.add_column("conversations", sa.Column("marked_unread_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("conversations", "marked_unread_at")
