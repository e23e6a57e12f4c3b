"""Claim decisions, stored before they are sent.

Revision ID: 0013_claim_decisions
Revises: 0012_draft_attachments

A decision on a claim (accept with a repair, refund, exchange or partial refund; reject for a reason) is written to
`claim_decisions` when the user confirms it, before any request, and moves queued -> sending -> sent | failed |
uncertain as a reply in the outbox does. `found_status` keeps the claim's status a re-read found when it settled a
send whose answer was lost.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.store.models import UtcDateTime

revision = "0013_claim_decisions"
down_revision = "0012_draft_attachments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.String(length=64), nullable=False),
        sa.Column("choice", sa.String(length=48), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("refund_amount", sa.String(length=20), nullable=True),
        sa.Column("refund_currency", sa.String(length=3), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("sending_started_at", UtcDateTime(), nullable=True),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("found_status", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_claim_decisions_account_id_accounts",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["issue_id"], ["conversations.id"],
                                name="fk_claim_decisions_issue_id_conversations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_claim_decisions"),
    )
    op.create_index("ix_claim_decisions_issue_id", "claim_decisions", ["issue_id"])
    op.create_index("ix_claim_decisions_state_created", "claim_decisions", ["state", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_claim_decisions_state_created", table_name="claim_decisions")
    op.drop_index("ix_claim_decisions_issue_id", table_name="claim_decisions")
    op.drop_table("claim_decisions")
