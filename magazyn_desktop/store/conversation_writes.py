"""Storing a conversation whole: its summary row, its messages and their attachments, and the columns derived from
them (needs_reply, the snippet, last activity, the deadline), and the user's "done" mark that needs_reply honours.

This runs once per conversation on every sync, under the writer lock, so it is a fixed handful of Core statements
built once (no ORM objects, no per-message queries). Every function takes the connection of the caller's
transaction: the caller commits or rolls back the whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from magazyn_desktop.domain.deadlines import conversation_deadline
from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary
from magazyn_desktop.domain.text import folded_text
from magazyn_desktop.domain.vocabulary import CLOSED_ISSUE_STATUS_SUFFIX, CLOSED_THREAD_STATUS, Role
from magazyn_desktop.store.db import id_chunks
from magazyn_desktop.store.models import Attachment, Conversation, Message, assume_utc, utc_now
from magazyn_desktop.store.records import ChangeKind, StoredConversation
from magazyn_desktop.store.statements import rowid, upsert

SNIPPET_LENGTH = 200

_CONVERSATIONS = cast(Table, Conversation.__table__)
_MESSAGES = cast(Table, Message.__table__)
_ATTACHMENTS = cast(Table, Attachment.__table__)
_IN_CHUNK = 500  # ids per IN list, well under SQLite's limit on bound parameters
_MESSAGE_ROWID = rowid("messages")  # insertion order breaks ties between equal times

_SUMMARY_COLUMNS = ("kind", "sub_kind", "sub_type", "status", "can_reply", "read", "kept_locally_since",
                    "interlocutor_login", "order_id",
                    "subject", "decision_due_at", "status_due_at", "opened_at")
_STORED_SUMMARY = (_CONVERSATIONS.c.id, _CONVERSATIONS.c.account_id, _CONVERSATIONS.c.last_activity_at,
                   _CONVERSATIONS.c.marked_unread_at, _CONVERSATIONS.c.done_at,
                   *(_CONVERSATIONS.c[n] for n in _SUMMARY_COLUMNS))
_SELECT_CONVERSATION = select(*_STORED_SUMMARY).where(_CONVERSATIONS.c.id == bindparam("id"))
_SELECT_CONVERSATIONS = select(*_STORED_SUMMARY).where(_CONVERSATIONS.c.id.in_(bindparam("ids", expanding=True)))
_INSERT_CONVERSATION = insert(_CONVERSATIONS)
# The SET clause comes from the parameters given (compiled once per set of columns).
_UPDATE_CONVERSATION = update(_CONVERSATIONS).where(_CONVERSATIONS.c.id == bindparam("conversation_key"))

# The order of a stored message's values in _SELECT_STORED_MESSAGES, after its id.
_MESSAGE_COLUMNS = ("id", "conversation_id", "author_role", "author_login", "text", "created_at", "remote_status",
                    "remote_type")
_SELECT_STORED_MESSAGES = (
    select(
        *(_MESSAGES.c[n] for n in _MESSAGE_COLUMNS),
        _ATTACHMENTS.c.id, _ATTACHMENTS.c.remote_id, _ATTACHMENTS.c.file_name, _ATTACHMENTS.c.mime_type,
        _ATTACHMENTS.c.url,
    )
    .select_from(_MESSAGES.outerjoin(_ATTACHMENTS, _ATTACHMENTS.c.message_id == _MESSAGES.c.id))
    .where(_MESSAGES.c.id.in_(bindparam("ids", expanding=True)))
)
# An upsert keeps each message's rowid, which the full-text index points at.
_UPSERT_MESSAGE = upsert(_MESSAGES, ["id"], [n for n in _MESSAGE_COLUMNS if n != "id"])
_INSERT_ATTACHMENT = insert(_ATTACHMENTS)
_UPDATE_ATTACHMENT_MIME = (
    update(_ATTACHMENTS)
    .where(_ATTACHMENTS.c.id == bindparam("attachment_id"))
    .values(mime_type=bindparam("new_mime_type"))
)
_DELETE_ATTACHMENTS = delete(_ATTACHMENTS).where(_ATTACHMENTS.c.id.in_(bindparam("ids", expanding=True)))

# The newest message (snippet, activity), the role of the newest message between buyer and seller and the time of
# the newest buyer message, in one query.
_party = _MESSAGES.alias("party")
_buyer = _MESSAGES.alias("buyer")
_SELECT_DERIVED = (
    select(
        _MESSAGES.c.text,
        _MESSAGES.c.created_at,
        select(_party.c.author_role)
        .where(
            _party.c.conversation_id == bindparam("conversation_id"),
            # Allegro's advisors and system entries do not answer the buyer on the seller's behalf.
            _party.c.author_role.in_([Role.BUYER.value, Role.SELLER.value]),
        )
        .order_by(_party.c.created_at.desc(), rowid("party").desc())
        .limit(1)
        .scalar_subquery(),
        select(func.max(_buyer.c.created_at))
        .where(_buyer.c.conversation_id == bindparam("conversation_id"), _buyer.c.author_role == Role.BUYER.value)
        .scalar_subquery(),
    )
    .where(_MESSAGES.c.conversation_id == bindparam("conversation_id"))
    .order_by(_MESSAGES.c.created_at.desc(), _MESSAGE_ROWID.desc())
    .limit(1)
)
del _party, _buyer
_SELECT_DONE = select(_CONVERSATIONS.c.done_at).where(_CONVERSATIONS.c.id == bindparam("id"))
# What a deadline is worked out from, as stored (DeadlineFacts' order).
_SELECT_DEADLINE_FACTS = select(
    _CONVERSATIONS.c.sub_kind, _CONVERSATIONS.c.status, _CONVERSATIONS.c.can_reply,
    _CONVERSATIONS.c.decision_due_at, _CONVERSATIONS.c.status_due_at, _CONVERSATIONS.c.opened_at,
).where(_CONVERSATIONS.c.id == bindparam("id"))


class DeadlineFacts(NamedTuple):
    """The row's columns a deadline depends on, besides needs_reply and the buyer's newest message."""

    sub_kind: str
    status: str | None
    can_reply: bool
    decision_due_at: datetime | None
    status_due_at: datetime | None
    opened_at: datetime | None

    @classmethod
    def of(cls, summary: ConversationSummary) -> DeadlineFacts:
        return cls(summary.sub_kind.value, summary.status, summary.can_reply, assume_utc(summary.decision_due_at),
                   assume_utc(summary.status_due_at), assume_utc(summary.opened_at))


def effective_due_at(facts: DeadlineFacts, *, needs_reply: bool, done: bool,
                     newest_buyer_at: datetime | None) -> datetime | None:
    """The due_at column: the deadline domain/deadlines.py gives. Done answers the buyer's last message, so a
    conversation marked done has no reply deadline, while a claim's or dispute's own date still holds. Closed as
    the inbox's filters say (inbox_sql's closed test): a thread's CLOSED, an issue's *_CLOSED, or no replies."""
    needs_reply = needs_reply and not done
    status = facts.status or ""
    closed = (not facts.can_reply or status == CLOSED_THREAD_STATUS
              or status.endswith(CLOSED_ISSUE_STATUS_SUFFIX))
    deadline = conversation_deadline(
        sub_kind=facts.sub_kind, status=facts.status, closed=closed, needs_reply=needs_reply,
        decision_due_at=assume_utc(facts.decision_due_at), status_due_at=assume_utc(facts.status_due_at),
        opened_at=assume_utc(facts.opened_at), last_buyer_message_at=assume_utc(newest_buyer_at))
    return deadline.due_at if deadline is not None else None


class _StoredAttachment(NamedTuple):
    id: int
    remote_id: str | None
    file_name: str
    mime_type: str | None
    url: str | None


@dataclass(slots=True)
class _StoredMessage:
    values: tuple[Any, ...]  # _MESSAGE_COLUMNS after the id
    attachments: list[_StoredAttachment]


@dataclass(slots=True)
class _MessageWrite:
    added: int = 0
    changed: int = 0
    added_ids: list[str] = field(default_factory=list)
    added_buyer: list[ConversationMessage] = field(default_factory=list)


@dataclass(slots=True)
class _SummaryWrite:
    change: ChangeKind
    updates: dict[str, Any]  # columns of a stored row still to write
    last_activity_at: datetime | None  # the row's, after the summary
    done_at: datetime | None = None  # as stored


def one_line_snippet(text: str, length: int = SNIPPET_LENGTH) -> str:
    """The first `length` characters of a message as one line (whitespace runs folded into single spaces)."""
    folded = folded_text(text)
    return folded if len(folded) <= length else folded[: length - 1].rstrip() + "…"


def store_summary(connection: Connection, account_id: int, summary: ConversationSummary) -> ChangeKind:
    """A summary without its messages; the remote counters are left alone (see Store.upsert_conversation)."""
    written = _upsert_summary(connection, account_id, summary, utc_now())
    if written.change is ChangeKind.CHANGED:
        refresh_due_at(connection, summary.id)  # a status or a due date of the summary may move the deadline
    return written.change


def store_conversation(
    connection: Connection, account_id: int, summary: ConversationSummary, messages: Sequence[ConversationMessage],
    *, complete: bool,
) -> StoredConversation:
    """Read the row, read the stored messages with their attachments, one executemany upsert of what is new or
    changed, attachments only when some are involved, one query for the derived columns, one UPDATE of the row."""
    now = utc_now()
    written = _upsert_summary(connection, account_id, summary, now, defer_update=True)
    result = _upsert_messages(connection, summary.id, messages)
    change = written.change
    if change is ChangeKind.UNCHANGED and (result.added or result.changed):
        change = ChangeKind.CHANGED
    values = written.updates
    if complete:
        values["remote_last_message_at"] = assume_utc(summary.last_activity_at)
        values["remote_messages_count"] = summary.messages_count
        values["remote_last_message_status"] = summary.last_message_status
        values["messages_synced_at"] = now
    values.update(_refresh_derived(connection, summary.id, written.last_activity_at, written.done_at, now,
                                   DeadlineFacts.of(summary)))
    _update_conversation(connection, summary.id, values)
    return StoredConversation(
        change, result.added, result.changed, tuple(result.added_ids), tuple(result.added_buyer)
    )


def add_sent_message(connection: Connection, message: ConversationMessage) -> None:
    """A reply the outbox sent, into its conversation (when that is stored), with the derived columns after it."""
    stored = connection.execute(
        select(Conversation.last_activity_at, Conversation.done_at).where(Conversation.id == message.conversation_id)
    ).first()
    if stored is None:
        return
    _upsert_messages(connection, message.conversation_id, [message])
    _update_conversation(connection, message.conversation_id,
                         _refresh_derived(connection, message.conversation_id, stored[0], stored[1], utc_now(),
                                          _stored_facts(connection, message.conversation_id)))


def mark_done(connection: Connection, conversation_id: str, at: datetime) -> bool:
    """Needs no reply until the buyer writes again. Marked no earlier than the newest buyer message already stored:
    with Allegro's clock ahead of this computer's, the message just read would otherwise take the mark back."""
    newest = connection.execute(_SELECT_DERIVED, {"conversation_id": conversation_id}).first()
    newest_buyer = assume_utc(newest[3]) if newest is not None else None
    done_at = max(at, newest_buyer) if newest_buyer is not None else at
    facts = _stored_facts(connection, conversation_id)
    due_at = None if facts is None else effective_due_at(facts, needs_reply=False, done=True,
                                                         newest_buyer_at=newest_buyer)
    result = connection.execute(_UPDATE_CONVERSATION, {"done_at": done_at, "needs_reply": False, "due_at": due_at,
                                                       "conversation_key": conversation_id})
    return bool(result.rowcount)


def unmark_done(connection: Connection, conversation_id: str) -> bool:
    """Takes the mark back: needs_reply is again what the messages say."""
    stored = connection.execute(_SELECT_DONE, {"id": conversation_id}).first()
    if stored is None:
        return False
    newest = connection.execute(_SELECT_DERIVED, {"conversation_id": conversation_id}).first()
    needs_reply = newest is not None and newest[2] == Role.BUYER.value
    facts = _stored_facts(connection, conversation_id)
    due_at = None if facts is None else effective_due_at(
        facts, needs_reply=needs_reply, done=False, newest_buyer_at=newest[3] if newest is not None else None)
    connection.execute(_UPDATE_CONVERSATION, {
        "done_at": None, "needs_reply": needs_reply, "due_at": due_at, "conversation_key": conversation_id})
    return True


def refresh_due_at(connection: Connection, conversation_id: str) -> None:
    """Work the deadline out again from the stored row and messages (after a write that did not)."""
    facts = _stored_facts(connection, conversation_id)
    if facts is None:
        return
    stored = connection.execute(
        select(_CONVERSATIONS.c.needs_reply, _CONVERSATIONS.c.done_at).where(_CONVERSATIONS.c.id == conversation_id)
    ).one()
    newest = connection.execute(_SELECT_DERIVED, {"conversation_id": conversation_id}).first()
    due_at = effective_due_at(facts, needs_reply=bool(stored[0]), done=stored[1] is not None,
                              newest_buyer_at=newest[3] if newest is not None else None)
    connection.execute(_UPDATE_CONVERSATION, {"due_at": due_at, "conversation_key": conversation_id})


def _stored_facts(connection: Connection, conversation_id: str) -> DeadlineFacts | None:
    row = connection.execute(_SELECT_DEADLINE_FACTS, {"id": conversation_id}).first()
    return None if row is None else DeadlineFacts(*row)


def _summary_values(summary: ConversationSummary) -> dict[str, Any]:
    """The columns a summary sets, last activity aside (it only ever moves forward)."""
    return {
        "kind": summary.kind.value,
        "sub_kind": summary.sub_kind.value,
        "sub_type": summary.sub_type,
        "status": summary.status,
        "can_reply": summary.can_reply,
        "read": summary.read,
        # A summary comes from Allegro: a conversation it lists again is no longer kept only on this computer.
        "kept_locally_since": None,
        "interlocutor_login": summary.interlocutor_login,
        "order_id": summary.order_id,
        "subject": summary.subject,
        "decision_due_at": assume_utc(summary.decision_due_at),
        "status_due_at": assume_utc(summary.status_due_at),
        "opened_at": assume_utc(summary.opened_at),
    }


def _upsert_summary(
    connection: Connection, account_id: int, summary: ConversationSummary, now: datetime, *,
    defer_update: bool = False,
) -> _SummaryWrite:
    """Insert a new conversation row, or work out what the summary changes on the stored one.

    A new row is inserted at once (its messages refer to it). Changes to a stored row are written here unless
    `defer_update`, in which case the caller folds them into its own single UPDATE of the row.
    """
    row = connection.execute(_SELECT_CONVERSATION, {"id": summary.id}).first()
    if row is None:
        activity = assume_utc(summary.last_activity_at)
        connection.execute(
            _INSERT_CONVERSATION,
            {**_summary_values(summary), "id": summary.id, "account_id": account_id, "needs_reply": False,
             "last_activity_at": activity, "updated_at": now,
             "due_at": effective_due_at(DeadlineFacts.of(summary), needs_reply=False, done=False,
                                        newest_buyer_at=None)},
        )
        return _SummaryWrite(ChangeKind.ADDED, {}, activity)
    written = _summary_updates(row._mapping, account_id, summary)
    if written.updates and not defer_update:
        _update_conversation(connection, summary.id, written.updates)
        written.updates = {}
    return written


def _summary_updates(stored: Mapping[Any, Any], account_id: int, summary: ConversationSummary) -> _SummaryWrite:
    """What a summary changes on a stored row (its _STORED_SUMMARY columns). A summary that names no order keeps
    the stored one: public.v1 listings never name it, and a thread's messages may have named it before."""
    updates = {name: value for name, value in _summary_values(summary).items()
               if stored[name] != value and not (name == "order_id" and value is None)
               # Marked unread here: Allegro's read flag does not read it.
               and not (name == "read" and stored["marked_unread_at"] is not None)}
    activity = assume_utc(summary.last_activity_at)
    last_activity: datetime | None = stored["last_activity_at"]
    if activity is not None and (last_activity is None or activity > last_activity):
        updates["last_activity_at"] = last_activity = activity
    change = ChangeKind.CHANGED if updates else ChangeKind.UNCHANGED
    if stored["account_id"] != account_id:
        updates["account_id"] = account_id  # moves the row, but is not a change the inbox reports
    return _SummaryWrite(change, updates, last_activity, stored["done_at"])


def summaries_to_write(
    connection: Connection, account_id: int, summaries: Sequence[ConversationSummary]
) -> list[ConversationSummary]:
    """Those of `summaries` that store_summary would write (new, or different from the stored row), read by key."""
    stored: dict[str, Mapping[Any, Any]] = {}
    for chunk in id_chunks([s.id for s in summaries]):
        stored.update((row[0], row._mapping) for row in connection.execute(_SELECT_CONVERSATIONS, {"ids": chunk}))
    return [s for s in summaries
            if (row := stored.get(s.id)) is None or _summary_updates(row, account_id, s).updates]


def _update_conversation(connection: Connection, conversation_id: str, values: dict[str, Any]) -> None:
    # Core applies the updated_at onupdate default when the caller did not set it, as the ORM flush did.
    connection.execute(_UPDATE_CONVERSATION, {**values, "conversation_key": conversation_id})


def _upsert_messages(
    connection: Connection, conversation_id: str, messages: Sequence[ConversationMessage]
) -> _MessageWrite:
    """Upsert the new and changed messages (and their attachments); unchanged ones are not written at all."""
    result = _MessageWrite()
    if not messages:
        return result
    # Allegro may list a message twice (in one answer, or on two pages): it is one message, as last listed.
    messages = list({message.id: message for message in messages}.values())
    stored = _stored_messages(connection, [m.id for m in messages])
    rows: list[dict[str, Any]] = []
    # The last written occurrence of an id decides its attachments, as sequential upserts would.
    written: dict[str, ConversationMessage] = {}
    for message in messages:
        values = (
            conversation_id,
            message.role.value,
            message.author_login,
            message.text or "",
            assume_utc(message.created_at),
            message.remote_status,
            message.remote_type,
        )
        before = stored.get(message.id)
        if before is not None:
            if before.values == values and _attachments_match(before.attachments, message):
                continue
            result.changed += 1
        else:
            result.added += 1
            result.added_ids.append(message.id)
            if message.role is Role.BUYER:
                result.added_buyer.append(message)
        rows.append(dict(zip(_MESSAGE_COLUMNS, (message.id, *values))))
        written[message.id] = message
    if not rows:
        return result
    connection.execute(_UPSERT_MESSAGE.on(connection), rows)  # one executemany
    if any(m.attachments for m in written.values()) or any(
        stored[mid].attachments for mid in written if mid in stored
    ):
        _write_attachments(connection, written, stored)
    return result


def _stored_messages(connection: Connection, ids: Sequence[str]) -> dict[str, _StoredMessage]:
    """The stored messages among `ids` (whichever conversation holds them) with their attachments, in one query
    per chunk of ids (SQLite limits the bound parameters of one statement)."""
    stored: dict[str, _StoredMessage] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _IN_CHUNK):
        for row in connection.execute(_SELECT_STORED_MESSAGES, {"ids": unique[start:start + _IN_CHUNK]}):
            message = stored.get(row[0])
            if message is None:
                message = stored[row[0]] = _StoredMessage(tuple(row[1:8]), [])
            if row[8] is not None:  # the outer join's row of an attachment
                message.attachments.append(_StoredAttachment(*row[8:13]))
    return stored


def _attachment_key(remote_id: str | None, file_name: str, url: str | None) -> tuple[str | None, str, str | None]:
    return (remote_id, file_name, url)


def _attachments_match(stored: Sequence[_StoredAttachment], message: ConversationMessage) -> bool:
    if not stored and not message.attachments:
        return True
    # Multisets rather than sorted lists: keys mix None and text, which do not sort together.
    have = Counter((_attachment_key(a.remote_id, a.file_name, a.url), a.mime_type or "") for a in stored)
    want = Counter((_attachment_key(a.id, a.file_name, a.url), a.mime_type or "") for a in message.attachments)
    return have == want


def _write_attachments(
    connection: Connection, messages: dict[str, ConversationMessage], stored: dict[str, _StoredMessage]
) -> None:
    """Make each written message's attachments exactly the given ones, keeping the rows (and local copies) of
    those that stay; at most one DELETE, one executemany UPDATE and one executemany INSERT for the batch."""
    removed: list[int] = []
    retyped: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    for message_id, message in messages.items():
        before = stored.get(message_id)
        by_key: dict[tuple[str | None, str, str | None], _StoredAttachment] = {}
        for row in sorted(before.attachments, key=lambda a: a.id) if before is not None else ():
            key = _attachment_key(row.remote_id, row.file_name, row.url)
            if key in by_key:
                removed.append(row.id)  # a duplicate of a kept row: "exactly the given ones"
            else:
                by_key[key] = row
        wanted: set[tuple[str | None, str, str | None]] = set()
        for info in message.attachments:
            key = _attachment_key(info.id, info.file_name, info.url)
            if key in wanted:
                continue
            wanted.add(key)
            kept = by_key.get(key)
            if kept is None:
                added.append({"message_id": message_id, "remote_id": info.id, "file_name": info.file_name,
                              "mime_type": info.mime_type, "url": info.url})
            elif kept.mime_type != info.mime_type:
                retyped.append({"attachment_id": kept.id, "new_mime_type": info.mime_type})
        removed.extend(row.id for key, row in by_key.items() if key not in wanted)
    # Deletes first: a re-added attachment may reuse a removed one's (message_id, remote_id).
    for start in range(0, len(removed), _IN_CHUNK):
        connection.execute(_DELETE_ATTACHMENTS, {"ids": removed[start:start + _IN_CHUNK]})
    if retyped:
        connection.execute(_UPDATE_ATTACHMENT_MIME, retyped)
    if added:
        connection.execute(_INSERT_ATTACHMENT, added)


def _refresh_derived(
    connection: Connection, conversation_id: str, last_activity_at: datetime | None, done_at: datetime | None,
    now: datetime, facts: DeadlineFacts | None,
) -> dict[str, Any]:
    """needs_reply, the snippet, last activity and the deadline, from the stored messages and `facts` (the row's
    columns as they are about to be): the columns to write on the row. Marked done, it needs no reply until a buyer
    message written after the mark, which also takes the mark back."""
    values: dict[str, Any] = {"needs_reply": False, "updated_at": now}
    newest = connection.execute(_SELECT_DERIVED, {"conversation_id": conversation_id}).first()
    marked, newest_buyer = assume_utc(done_at), None
    if newest is not None:
        text, created_at, last_party_role, newest_buyer_at = newest
        marked, newest_buyer = assume_utc(done_at), assume_utc(newest_buyer_at)
        if marked is not None and newest_buyer is not None and newest_buyer > marked:
            values["done_at"] = marked = None  # the buyer wrote again
        values["needs_reply"] = last_party_role == Role.BUYER.value and marked is None
        values["last_message_snippet"] = one_line_snippet(text or "")
        created = assume_utc(created_at)
        if created is not None and (last_activity_at is None or created > last_activity_at):
            values["last_activity_at"] = created
    if facts is not None:
        values["due_at"] = effective_due_at(facts, needs_reply=values["needs_reply"], done=marked is not None,
                                            newest_buyer_at=newest_buyer)
    return values
