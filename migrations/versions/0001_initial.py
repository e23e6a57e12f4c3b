"""Accounts, conversations, messages, attachments, drafts, outbox and sync cursors.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.store.models import UtcDateTime

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("environment", sa.String(16), nullable=False),
        sa.Column("login", sa.String(120), nullable=True),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("client_id", sa.String(128), nullable=True),
        sa.Column("api_url", sa.String(300), nullable=True),
        sa.Column("auth_url", sa.String(300), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("sub_kind", sa.String(24), nullable=False),
        sa.Column("sub_type", sa.String(64), nullable=True),
        sa.Column("status", sa.String(32), nullable=True),
        sa.Column("can_reply", sa.Boolean(), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("needs_reply", sa.Boolean(), nullable=False),
        sa.Column("last_activity_at", UtcDateTime(), nullable=True),
        sa.Column("interlocutor_login", sa.String(120), nullable=True),
        sa.Column("order_id", sa.String(64), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("last_message_snippet", sa.String(240), nullable=True),
        sa.Column("decision_due_at", UtcDateTime(), nullable=True),
        sa.Column("remote_last_message_at", UtcDateTime(), nullable=True),
        sa.Column("remote_messages_count", sa.Integer(), nullable=True),
        sa.Column("remote_last_message_status", sa.String(32), nullable=True),
        sa.Column("messages_synced_at", UtcDateTime(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_conversations_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
    )
    op.create_index("ix_conversations_account_activity", "conversations", ["account_id", "last_activity_at"])
    op.create_index("ix_conversations_needs_reply", "conversations", ["account_id", "needs_reply", "last_activity_at"])
    op.create_index("ix_conversations_order_id", "conversations", ["order_id"])
    op.create_index("ix_conversations_interlocutor", "conversations", ["interlocutor_login"])

    op.create_table(
        "messages",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("author_role", sa.String(16), nullable=False),
        sa.Column("author_login", sa.String(120), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("remote_status", sa.String(24), nullable=True),
        sa.Column("remote_type", sa.String(24), nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name="fk_messages_conversation_id_conversations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
    )
    op.create_index("ix_messages_conversation_created", "messages", ["conversation_id", "created_at"])

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("remote_id", sa.String(128), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("mime_type", sa.String(100), nullable=True),
        sa.Column("url", sa.String(500), nullable=True),
        sa.Column("local_path", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], name="fk_attachments_message_id_messages",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
        sa.UniqueConstraint("message_id", "remote_id", name="uq_attachments_message_id_remote_id"),
    )
    op.create_index("ix_attachments_message_id", "attachments", ["message_id"])

    op.create_table(
        "drafts",
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name="fk_drafts_conversation_id_conversations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_drafts"),
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("sending_started_at", UtcDateTime(), nullable=True),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("remote_message_id", sa.String(64), nullable=True),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_outbox_account_id_accounts",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name="fk_outbox_conversation_id_conversations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_state_created", "outbox", ["state", "created_at"])
    op.create_index("ix_outbox_conversation_id", "outbox", ["conversation_id"])

    op.create_table(
        "sync_cursors",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("newest_seen_at", UtcDateTime(), nullable=True),
        sa.Column("last_success_at", UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_sync_cursors_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "source", name="pk_sync_cursors"),
    )


def downgrade() -> None:
    for table in ("sync_cursors", "outbox", "drafts", "attachments", "messages", "conversations", "accounts"):
        op.drop_table(table)
