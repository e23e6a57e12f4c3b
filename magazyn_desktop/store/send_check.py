"""The send-time check of team mode: did anything arrive in a conversation since the user opened it?

When a conversation is opened the window remembers what it showed: the newest messages.rowid of the conversation
and its newest outbox id (a `SeenMark`). At Send the check runs inside the transaction that would queue the reply:
a message stored since (the buyer's, or a seller reply another bench sent) or a reply another bench queued since
stops it, and `ArrivedSince` names what arrived, so the user reads it before answering. The conversation's row is
locked first, so two benches sending at once are taken one after the other: the second sees the first's reply.

A message that is the sent copy of a reply the mark already covers is not new (the user saw that reply queued),
and neither is a reply queued with the sender's own author (this bench's, moved in from its spool, say), nor the
sent copy of one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from magazyn_desktop.domain.vocabulary import Role
from magazyn_desktop.store.models import Conversation, Message, OutboxEntry
from magazyn_desktop.store.statements import rowid

_MESSAGE_ROWID = rowid("messages")


@dataclass(frozen=True)
class SeenMark:
    """What a bench had shown of a conversation: its newest messages.rowid and newest outbox id (0: none)."""

    message_rowid: int
    outbox_id: int

    def covering(self, other: SeenMark) -> SeenMark:
        """The newer of the two marks, part by part."""
        return SeenMark(max(self.message_rowid, other.message_rowid), max(self.outbox_id, other.outbox_id))


@dataclass(frozen=True)
class Arrival:
    """One thing that arrived: a stored message (`role` BUYER or SELLER, `who` its author's login) or a reply
    queued by another bench (`queued`, `who` the author it was queued with; None when not known)."""

    text: str
    who: str | None
    role: str
    created_at: datetime | None
    queued: bool = False


class ArrivedSince(Exception):
    """Nothing was queued: these arrived in the conversation since the mark; `newest` covers them."""

    def __init__(self, conversation_id: str, arrivals: tuple[Arrival, ...], newest: SeenMark) -> None:
        super().__init__(f"{len(arrivals)} new item(s) in {conversation_id} since it was opened")
        self.conversation_id = conversation_id
        self.arrivals = arrivals
        self.newest = newest


def newest_mark(session: Session, conversation_id: str) -> SeenMark:
    """The conversation's mark as it stands now."""
    newest_rowid = session.scalar(select(func.coalesce(func.max(_MESSAGE_ROWID), 0))
                                  .where(Message.conversation_id == conversation_id))
    newest_outbox = session.scalar(select(func.coalesce(func.max(OutboxEntry.id), 0))
                                   .where(OutboxEntry.conversation_id == conversation_id))
    return SeenMark(int(newest_rowid or 0), int(newest_outbox or 0))


def check_nothing_arrived(session: Session, conversation_id: str, seen: SeenMark,
                          own_author: str | None = None) -> None:
    """Raises `ArrivedSince` when something arrived after `seen`; replies queued as `own_author` do not count. Call it
    in the transaction that queues the reply: on PostgreSQL it holds the conversation's row until that ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Conversation.id).where(Conversation.id == conversation_id).with_for_update())
    # The sent copies of replies the mark covers, or that the sender queued itself: neither is news to it.
    known_reply = OutboxEntry.id <= seen.outbox_id
    if own_author:
        known_reply = known_reply | (OutboxEntry.author == own_author)
    sent_copies_seen = (select(OutboxEntry.remote_message_id)
                        .where(OutboxEntry.conversation_id == conversation_id, known_reply,
                               OutboxEntry.remote_message_id.is_not(None)))
    messages = session.execute(
        select(Message.text, Message.author_login, Message.author_role, Message.created_at)
        .where(Message.conversation_id == conversation_id, _MESSAGE_ROWID > seen.message_rowid,
               Message.id.not_in(sent_copies_seen))
        .order_by(Message.created_at, _MESSAGE_ROWID)).all()
    queued_since = select(OutboxEntry.text, OutboxEntry.author, OutboxEntry.created_at).where(
        OutboxEntry.conversation_id == conversation_id, OutboxEntry.id > seen.outbox_id)
    if own_author:
        queued_since = queued_since.where(OutboxEntry.author.is_(None) | (OutboxEntry.author != own_author))
    queued = session.execute(queued_since.order_by(OutboxEntry.id)).all()
    if not messages and not queued:
        return
    arrivals = tuple(
        [Arrival(text or "", login, role, created_at) for text, login, role, created_at in messages]
        + [Arrival(text or "", author, Role.SELLER.value, created_at, queued=True) for text, author, created_at in queued])
    raise ArrivedSince(conversation_id, arrivals, newest_mark(session, conversation_id).covering(seen))
