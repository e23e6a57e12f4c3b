"""Deadlines: an issue's status date and opening, the effective deadline of every conversation, and the tray's
memory of the deadlines it announced.

Revision ID: 0016_deadlines
Revises: 0015_reply_templates

`conversations.status_due_at` and `opened_at` are an issue's `currentState.statusDueDate` and `openedDate`;
`due_at` the deadline store/conversation_writes.py works out on every write (a claim's decision, a dispute's
status date, 24 business hours for a reply), with an index the deadlines filter pages through;
`notified_due_at` the deadline the tray last said was a working day away. The upgrade fills `due_at` for the
cached conversations that can have one (claims, and those awaiting a reply), in batches; the next sync brings the
status dates, which no earlier build kept. A claim cached without its decision date counts from its first message
until then, as its opening was not kept either.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

from magazyn_desktop.domain.vocabulary import Role, SubKind
from magazyn_desktop.store.conversation_writes import DeadlineFacts, effective_due_at
from magazyn_desktop.store.models import UtcDateTime

revision = "0016_deadlines"
down_revision = "0015_reply_templates"
branch_labels = None
depends_on = None

_BATCH = 5000
_COLUMNS = ("status_due_at", "opened_at", "due_at", "notified_due_at")

_conversations = sa.table(
    "conversations", sa.column("id", sa.String()), sa.column("sub_kind", sa.String()),
    sa.column("status", sa.String()), sa.column("can_reply", sa.Boolean()), sa.column("needs_reply", sa.Boolean()),
    sa.column("done_at", UtcDateTime()), sa.column("decision_due_at", UtcDateTime()),
    sa.column("due_at", UtcDateTime()),
)
_messages = sa.table("messages", sa.column("conversation_id", sa.String()), sa.column("author_role", sa.String()),
                     sa.column("created_at", UtcDateTime()))


def _newest_buyer_message() -> sa.ScalarSelect[datetime]:
    return (sa.select(sa.func.max(_messages.c.created_at))
            .where(_messages.c.conversation_id == _conversations.c.id,
                   _messages.c.author_role == Role.BUYER.value)
            .scalar_subquery())


def _first_message() -> sa.ScalarSelect[datetime]:
    return (sa.select(sa.func.min(_messages.c.created_at))
            .where(_messages.c.conversation_id == _conversations.c.id)
            .scalar_subquery())


def _fill_due_at(connection: sa.Connection) -> None:
    """due_at of the conversations that can have one, a batch at a time by id (each batch one seek)."""
    c = _conversations
    candidates = sa.or_(c.c.sub_kind == SubKind.CLAIM.value, c.c.needs_reply == sa.true())
    select = (sa.select(c.c.id, c.c.sub_kind, c.c.status, c.c.can_reply, c.c.needs_reply, c.c.done_at,
                        c.c.decision_due_at, _newest_buyer_message(), _first_message())
              .where(candidates, c.c.id > sa.bindparam("after")).order_by(c.c.id).limit(_BATCH))
    update = sa.update(c).where(c.c.id == sa.bindparam("key")).values(due_at=sa.bindparam("due"))
    after = ""
    while True:
        rows = connection.execute(select, {"after": after}).all()
        if not rows:
            return
        due = []
        for cid, sub_kind, status, can_reply, needs_reply, done_at, decide_by, newest_buyer, first in rows:
            opened = first if sub_kind == SubKind.CLAIM.value else None
            facts = DeadlineFacts(sub_kind, status, bool(can_reply), decide_by, None, opened)
            moment = effective_due_at(facts, needs_reply=bool(needs_reply), done=done_at is not None,
                                      newest_buyer_at=newest_buyer)
            if moment is not None:
                due.append({"key": cid, "due": moment})
        if due:
            connection.execute(update, due)
        after = rows[-1][0]


def upgrade() -> None:
    # In place (SQLite 3.35+): batch mode would copy the table, and the search triggers name it.
    for name in _COLUMNS:
        op.add_column("conversations", sa.Column(name, UtcDateTime(), nullable=True))
    _fill_due_at(op.get_bind())  # before the index, which would otherwise be written row by row
    op.create_index("ix_conversations_account_due", "conversations", ["account_id", "due_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_conversations_account_due", table_name="conversations")
    for name in reversed(_COLUMNS):
        op.drop_column("conversations", name)
