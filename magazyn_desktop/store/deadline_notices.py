"""The tray's notices of near deadlines: the claims and disputes whose deadline is less than a working day away,
each deadline announced once (conversations.notified_due_at remembers which, across restarts).

Ordinary messages are left out: every one awaiting a reply comes within a working day of its deadline, and a
notice for each would drown the rest. A deadline already past when first seen is not announced either: after a
long absence that would be every late issue at once, and the list marks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.engine import Connection

from magazyn_desktop.domain.deadlines import DeadlineClock
from magazyn_desktop.domain.vocabulary import Kind
from magazyn_desktop.store.models import Conversation


@dataclass(frozen=True)
class DeadlineNotice:
    conversation_id: str
    sub_kind: str
    interlocutor_login: str | None
    due_at: datetime


_MARK_NOTIFIED = (update(Conversation).where(Conversation.id == bindparam("key"))
                  .values(notified_due_at=bindparam("due")))


def take_deadline_notices(connection: Connection, account_id: int, clock: DeadlineClock) -> list[DeadlineNotice]:
    """The deadlines to announce now, soonest first, marked as announced in the caller's transaction."""
    rows = connection.execute(
        select(Conversation.id, Conversation.sub_kind, Conversation.interlocutor_login, Conversation.due_at)
        .where(Conversation.account_id == account_id, Conversation.due_at > clock.now,
               Conversation.due_at < clock.soon_before, Conversation.kind == Kind.ISSUE.value,
               or_(Conversation.notified_due_at.is_(None), Conversation.notified_due_at != Conversation.due_at))
        .order_by(Conversation.due_at, Conversation.id)
    ).all()
    notices = [DeadlineNotice(cid, sub_kind, login, due_at) for cid, sub_kind, login, due_at in rows
               if due_at is not None]  # always, by the query: for the type checker
    if notices:
        connection.execute(_MARK_NOTIFIED, [{"key": n.conversation_id, "due": n.due_at} for n in notices])
    return notices
