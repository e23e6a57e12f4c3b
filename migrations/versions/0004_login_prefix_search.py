"""An index for case-insensitive prefix search on the buyer's login.

Revision ID: 0004_login_prefix_search
Revises: 0003_outbox_attachments

The inbox search box matches a login by its beginning, ignoring case ("jan_k" finds "Jan_Kowalski"); LIKE is
case-insensitive and can never use the plain ix_conversations_interlocutor, so every search scanned the table.
The index is on lower(), which folds ASCII only, as Allegro logins are; store/inbox_queries.py compares
lower(interlocutor_login) against lower(?) so that SQLite picks it. An expression index is not reflected by
SQLAlchemy on SQLite, which is why the models do not (and need not) declare it.
"""

from __future__ import annotations

from alembic import op

revision = "0004_login_prefix_search"
down_revision = "0003_outbox_attachments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # lower() alone, not (account_id, ...): an index starting with account_id, with no statistics until the
    # next ANALYZE, would look cheaper to the planner than ix_conversations_account_activity for the plain list.
    op.execute("CREATE INDEX ix_conversations_login_lower ON conversations (lower(interlocutor_login))")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_conversations_login_lower")
