"""The outbox table: replies queued before any network call, and the states they move through.

TRANSITIONS is the whole state machine: every change of an entry's state is an UPDATE that only matches rows in a
state the table allows to move to the new one, so a refused move changes nothing and reports False. sync/outbox.py
decides when each move happens. Every function takes the session of the caller's write or read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from types import MappingProxyType
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, exists, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from magazyn_desktop.domain.failures import FailureKind
from magazyn_desktop.domain.records import AttachmentInfo, ConversationMessage, SentMessage
from magazyn_desktop.domain.vocabulary import OutboxState, Role
from magazyn_desktop.store.conversation_writes import add_sent_message
from magazyn_desktop.store.models import Message, OutboxEntry, assume_utc, utc_now
from magazyn_desktop.store.outbox_files import (
    REGULAR,
    attachments_from_json,
    attachments_to_json,
    message_type_from_json,
)
from magazyn_desktop.store.records import OutboxAttachment, OutboxItem
from magazyn_desktop.store.statements import rowid

_MESSAGE_ROWID = rowid("messages")
_IN_CHUNK = 500  # ids per IN list, well under SQLite's limit on bound parameters

# Each state and the states an entry in it may move to. Sent is final, and so is failed: Allegro looked at the
# reply and said no, so nothing queues it again; and only a send that started can fail.
TRANSITIONS: Mapping[OutboxState, frozenset[OutboxState]] = MappingProxyType({
    OutboxState.QUEUED: frozenset({OutboxState.SENDING}),
    OutboxState.SENDING: frozenset({OutboxState.SENT, OutboxState.FAILED, OutboxState.QUEUED, OutboxState.UNCERTAIN}),
    OutboxState.UNCERTAIN: frozenset({OutboxState.SENT, OutboxState.QUEUED}),
    OutboxState.SENT: frozenset(),
    OutboxState.FAILED: frozenset(),
})


def _move(session: Session, target: OutboxState, which: ColumnElement[bool], **values: Any) -> int:
    """Move the rows `which` selects to `target`, those whose state may move there; how many moved."""
    sources = [state.value for state, targets in TRANSITIONS.items() if target in targets]
    result = cast(CursorResult[Any], session.execute(
        update(OutboxEntry)
        .where(which, OutboxEntry.state.in_(sources))
        .values(state=target.value, updated_at=utc_now(), **values)
    ))
    return int(result.rowcount or 0)


# -- writing -----------------------------------------------------------------------------------------------------


def add_entry(session: Session, account_id: int, conversation_id: str, text: str,
              attachments: Sequence[OutboxAttachment], message_type: str = REGULAR, *,
              client_key: str | None = None, author: str | None = None) -> int:
    now = utc_now()
    row = OutboxEntry(
        account_id=account_id,
        conversation_id=conversation_id,
        text=text,
        state=OutboxState.QUEUED.value,
        attempts=0,
        created_at=now,
        updated_at=now,
        attachments_json=attachments_to_json(attachments, message_type),
        client_key=client_key,
        author=author,
    )
    session.add(row)
    session.flush()
    return row.id


def entry_with_client_key(session: Session, client_key: str) -> int | None:
    """The entry a spooled reply with this key became, if it is in the outbox already."""
    return session.scalar(select(OutboxEntry.id).where(OutboxEntry.client_key == client_key))


def set_attachment_remote_id(session: Session, entry_id: int, index: int, remote_id: str) -> bool:
    row = session.get(OutboxEntry, entry_id)
    if row is None:
        return False
    attachments = list(attachments_from_json(row.attachments_json))
    if not 0 <= index < len(attachments):
        return False
    attachments[index] = replace(attachments[index], remote_id=remote_id)
    row.attachments_json = attachments_to_json(attachments, message_type_from_json(row.attachments_json))
    row.updated_at = utc_now()
    return True


def mark_sending(session: Session, entry_id: int, started_at: datetime | None) -> bool:
    """Counts the attempt and records the conversation's largest messages.rowid (0 when none is stored)."""
    newest_rowid = (
        select(func.coalesce(func.max(_MESSAGE_ROWID), 0))
        .where(Message.conversation_id == OutboxEntry.conversation_id)
        .scalar_subquery()
    )
    return bool(_move(
        session, OutboxState.SENDING, OutboxEntry.id == entry_id,
        attempts=OutboxEntry.attempts + 1,
        sending_started_at=assume_utc(started_at) or utc_now(),
        messages_rowid_before=newest_rowid,
        error_code=None,
        error_message=None,
    ))


# An entry waits while an older one of its conversation has not gone out: queued, being sent, or of unknown outcome.
_HOLDING_BACK = (OutboxState.QUEUED.value, OutboxState.SENDING.value, OutboxState.UNCERTAIN.value)


def claim_next(session: Session, account_id: int, started_at: datetime | None,
               excluding_conversations: Collection[str] = ()) -> OutboxItem | None:
    """The account's next due entry, marked sending (as mark_sending), or None when none is due.

    Due: queued, no older entry of its conversation holding it back, its conversation not excluded. On PostgreSQL
    the row is taken FOR UPDATE SKIP LOCKED, so another sender claiming at the same moment passes over it instead of
    waiting for it, and "older" is by id: the benches' clocks differ and each writes its own created_at. SQLite has
    one writer and no row locks: the order there is by created_at, then id, as ever."""
    older = aliased(OutboxEntry)
    if session.get_bind().dialect.name == "postgresql":
        earlier = older.id < OutboxEntry.id
        order: tuple[InstrumentedAttribute[Any], ...] = (OutboxEntry.id,)
    else:
        earlier = or_(older.created_at < OutboxEntry.created_at,
                      and_(older.created_at == OutboxEntry.created_at, older.id < OutboxEntry.id))
        order = (OutboxEntry.created_at, OutboxEntry.id)
    held_back = exists().where(older.conversation_id == OutboxEntry.conversation_id,
                               older.state.in_(_HOLDING_BACK), earlier)
    query = select(OutboxEntry.id).where(OutboxEntry.account_id == account_id,
                                         OutboxEntry.state == OutboxState.QUEUED.value, ~held_back)
    if excluding_conversations:
        query = query.where(OutboxEntry.conversation_id.not_in(list(excluding_conversations)))
    entry_id = session.scalar(query.order_by(*order).limit(1).with_for_update(skip_locked=True))
    if entry_id is None or not mark_sending(session, entry_id, started_at):
        return None
    row = session.scalars(select(OutboxEntry).where(OutboxEntry.id == entry_id)
                          .execution_options(populate_existing=True)).one()
    return _item(row)


def mark_sent(session: Session, entry_id: int, remote_message_id: str | None, sent_at: datetime | None,
              message: ConversationMessage | None) -> bool:
    moved = _move(
        session, OutboxState.SENT, OutboxEntry.id == entry_id,
        remote_message_id=remote_message_id,
        sent_at=assume_utc(sent_at) or utc_now(),
        error_code=None,
        error_message=None,
    )
    if not moved:
        return False
    if message is not None:
        add_sent_message(session.connection(), message)
    return True


def mark_with_reason(session: Session, entry_id: int, target: OutboxState, code: str | None,
                     message: str | None) -> bool:
    """Failed, queued again or uncertain, with the reason."""
    return bool(_move(session, target, OutboxEntry.id == entry_id, error_code=code, error_message=message))


def recover_interrupted(session: Session, account_id: int | None) -> int:
    which = OutboxEntry.state == OutboxState.SENDING.value
    if account_id is not None:
        which = which & (OutboxEntry.account_id == account_id)
    return _move(
        session, OutboxState.UNCERTAIN, which,
        error_code=FailureKind.INTERRUPTED.value,
        error_message=None,  # the code says it; the window words it in the user's language
    )


# -- reading -----------------------------------------------------------------------------------------------------


def entry(session: Session, entry_id: int) -> OutboxItem | None:
    row = session.get(OutboxEntry, entry_id)
    return _item(row) if row is not None else None


def in_states(session: Session, account_id: int, states: Sequence[OutboxState]) -> list[OutboxItem]:
    """The account's entries in these states, oldest first."""
    rows = session.scalars(
        select(OutboxEntry)
        .where(OutboxEntry.account_id == account_id, OutboxEntry.state.in_([s.value for s in states]))
        .order_by(OutboxEntry.created_at, OutboxEntry.id)
    ).all()
    return [_item(row) for row in rows]


def for_conversation(session: Session, conversation_id: str) -> list[OutboxItem]:
    rows = session.scalars(
        select(OutboxEntry)
        .where(OutboxEntry.conversation_id == conversation_id)
        .order_by(OutboxEntry.created_at, OutboxEntry.id)
    ).all()
    return [_item(row) for row in rows]


def claimed_remote_message_ids(session: Session, conversation_id: str) -> set[str]:
    return {
        rid
        for rid in session.scalars(
            select(OutboxEntry.remote_message_id).where(
                OutboxEntry.conversation_id == conversation_id, OutboxEntry.remote_message_id.is_not(None)
            )
        )
        if rid
    }


def message_ids_stored_up_to(session: Session, message_ids: Sequence[str], max_rowid: int) -> set[str]:
    ids = list(dict.fromkeys(message_ids))
    found: set[str] = set()
    for start in range(0, len(ids), _IN_CHUNK):
        found.update(session.scalars(
            select(Message.id).where(Message.id.in_(ids[start:start + _IN_CHUNK]), _MESSAGE_ROWID <= max_rowid)
        ))
    return found


def newest_message_id_up_to(session: Session, conversation_id: str, max_rowid: int) -> str | None:
    return session.scalar(
        select(Message.id)
        .where(Message.conversation_id == conversation_id, _MESSAGE_ROWID <= max_rowid)
        .order_by(Message.created_at.desc(), _MESSAGE_ROWID.desc())
        .limit(1)
    )


def sent_message_as_conversation_message(sent: SentMessage, author_login: str | None,
                                         attachments: Sequence[AttachmentInfo] = ()) -> ConversationMessage | None:
    if not sent.id:
        return None  # Allegro has answered some sends with a null id; the next sync brings the message
    return ConversationMessage(
        id=sent.id,
        conversation_id=sent.conversation_id,
        role=Role.SELLER,
        author_login=author_login,
        text=sent.text,
        created_at=assume_utc(sent.created_at) or utc_now(),
        attachments=tuple(attachments),
    )


def _item(row: OutboxEntry) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        account_id=row.account_id,
        conversation_id=row.conversation_id,
        text=row.text,
        state=OutboxState(row.state),
        attempts=row.attempts or 0,
        created_at=row.created_at,
        sending_started_at=row.sending_started_at,
        sent_at=row.sent_at,
        remote_message_id=row.remote_message_id,
        error_code=row.error_code,
        error_message=row.error_message,
        attachments=attachments_from_json(row.attachments_json),
        messages_rowid_before=row.messages_rowid_before,
        message_type=message_type_from_json(row.attachments_json),
        author=row.author,
    )
