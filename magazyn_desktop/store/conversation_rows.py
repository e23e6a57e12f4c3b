"""Stored conversation rows read back and edited in place: the summary, the kind, what sync compares, the read flag,
where an attachment was saved, the reminder.

Storing a conversation whole is conversation_writes.py; these are the small look-ups and edits around it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, SubKind
from magazyn_desktop.store.db import id_chunks
from magazyn_desktop.store.models import Attachment, Conversation, Message


def mark_kept_locally(session: Session, account_id: int, conversation_ids: Collection[str], at: datetime) -> int:
    """Allegro no longer shows these conversations (it deletes messages after about six months): the cache keeps
    them, marked since when. Returns how many were newly marked."""
    marked = 0
    for chunk in id_chunks(list(conversation_ids)):
        result = session.execute(
            update(Conversation)
            .where(Conversation.account_id == account_id, Conversation.id.in_(chunk),
                   Conversation.kept_locally_since.is_(None))
            .values(kept_locally_since=at)
            .execution_options(synchronize_session=False))
        marked += result.rowcount  # type: ignore[attr-defined]
    return marked


def threads_active_since(session: Session, account_id: int, since: datetime) -> set[str]:
    """The stored threads of the account last active at or after `since`."""
    return set(session.scalars(select(Conversation.id).where(
        Conversation.account_id == account_id, Conversation.kind == Kind.THREAD.value,
        Conversation.last_activity_at >= since)))


def conversation_kind(session: Session, conversation_id: str) -> tuple[Kind, SubKind] | None:
    found = session.execute(
        select(Conversation.kind, Conversation.sub_kind).where(Conversation.id == conversation_id)
    ).first()
    if found is None:
        return None
    try:
        return Kind(found[0]), SubKind(found[1])
    except ValueError:
        return None


def set_conversation_kind(session: Session, conversation_id: str, kind: Kind, sub_kind: SubKind) -> bool:
    row = session.get(Conversation, conversation_id)
    if row is None:
        return False
    if row.kind != kind.value or row.sub_kind != sub_kind.value:
        row.kind = kind.value
        row.sub_kind = sub_kind.value
    return True


def conversation_summary(session: Session, conversation_id: str) -> ConversationSummary | None:
    row = session.get(Conversation, conversation_id)
    return None if row is None else _summary_of(row)


def conversation_summaries(session: Session, conversation_ids: Collection[str]) -> dict[str, ConversationSummary]:
    """The stored summaries of the conversations among `conversation_ids` that the cache holds, read by key."""
    found: dict[str, ConversationSummary] = {}
    for chunk in id_chunks(conversation_ids):
        for row in session.scalars(select(Conversation).where(Conversation.id.in_(chunk))):
            summary = _summary_of(row)
            if summary is not None:
                found[row.id] = summary
    return found


def _summary_of(row: Conversation) -> ConversationSummary | None:
    try:
        kind, sub_kind = Kind(row.kind), SubKind(row.sub_kind)
    except ValueError:
        return None
    return ConversationSummary(
        id=row.id,
        kind=kind,
        sub_kind=sub_kind,
        last_activity_at=row.last_activity_at,
        interlocutor_login=row.interlocutor_login,
        read=row.read,
        status=row.status,
        sub_type=row.sub_type,
        can_reply=row.can_reply,
        order_id=row.order_id,
        subject=row.subject,
        decision_due_at=row.decision_due_at,
        status_due_at=row.status_due_at,
        opened_at=row.opened_at,
        messages_count=row.remote_messages_count,
        last_message_status=row.remote_last_message_status,
    )


def _id_chunks(conversation_ids: Collection[str] | None) -> Iterator[list[str] | None]:
    """None: no restriction (every conversation). Else the ids, in chunks read by key."""
    if conversation_ids is None:
        yield None
    else:
        yield from id_chunks(conversation_ids)


def known_thread_state(session: Session, account_id: int,
                       conversation_ids: Collection[str] | None = None) -> dict[str, datetime | None]:
    statement = select(Conversation.id, Conversation.remote_last_message_at, Conversation.messages_synced_at).where(
        Conversation.account_id == account_id, Conversation.kind == Kind.THREAD.value)
    known: dict[str, datetime | None] = {}
    connection = session.connection()
    for chunk in _id_chunks(conversation_ids):
        # Core, not the ORM: these run on every sync page.
        rows = connection.execute(statement if chunk is None else statement.where(Conversation.id.in_(chunk)))
        known.update((cid, at) for cid, at, synced in rows if synced is not None)
    return known


def known_issue_state(session: Session, account_id: int, conversation_ids: Collection[str] | None = None,
                      ) -> dict[str, tuple[int | None, str | None, datetime | None]]:
    statement = select(
        Conversation.id,
        Conversation.remote_messages_count,
        Conversation.remote_last_message_status,
        Conversation.remote_last_message_at,
        Conversation.messages_synced_at,
    ).where(Conversation.account_id == account_id, Conversation.kind == Kind.ISSUE.value)
    known: dict[str, tuple[int | None, str | None, datetime | None]] = {}
    connection = session.connection()
    for chunk in _id_chunks(conversation_ids):
        # Core, not the ORM: these run on every sync page.
        rows = connection.execute(statement if chunk is None else statement.where(Conversation.id.in_(chunk)))
        known.update((cid, (count, status, at)) for cid, count, status, at, synced in rows if synced is not None)
    return known


def message_ids(session: Session, conversation_id: str) -> set[str]:
    return set(session.scalars(select(Message.id).where(Message.conversation_id == conversation_id)))


def mark_read(session: Session, conversation_id: str) -> None:
    session.execute(update(Conversation).where(Conversation.id == conversation_id)
                    .values(read=True, marked_unread_at=None))


def mark_unread(session: Session, conversation_id: str, at: datetime) -> bool:
    """Unread in this app until it is read here again (Allegro has no "mark unread")."""
    result = session.execute(update(Conversation).where(Conversation.id == conversation_id)
                             .values(read=False, marked_unread_at=at).execution_options(synchronize_session=False))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def set_attachment_local_path(session: Session, attachment_id: int, local_path: str) -> bool:
    """Remember where an attachment was saved on this computer; False when the attachment is no longer stored."""
    result = session.execute(update(Attachment).where(Attachment.id == attachment_id)
                             .values(local_path=local_path).execution_options(synchronize_session=False))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def set_reminder(session: Session, conversation_id: str, on: date | None) -> bool:
    """The local date the conversation comes back in the reminders filter; None clears it."""
    result = session.execute(update(Conversation).where(Conversation.id == conversation_id)
                             .values(remind_on=on).execution_options(synchronize_session=False))
    return bool(result.rowcount)  # type: ignore[attr-defined]
