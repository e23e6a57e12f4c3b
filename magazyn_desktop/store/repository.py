"""The single writer of the local cache, plus the reads that sync and the outbox need.

Every write takes one lock, so writes from sync workers, the outbox and the GUI's writer are serialised inside this
process; WAL mode keeps readers (the inbox list) working meanwhile. A conversation is stored whole (summary, every
message, attachments) in one transaction or not at all.

Messages are upserted with INSERT ... ON CONFLICT DO UPDATE, never INSERT OR REPLACE: the full-text index points at
messages' rowid and REPLACE would change it behind the index's back.
"""

from __future__ import annotations

import enum
import json
import logging
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, func, insert, literal_column, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from magazyn_desktop.domain.records import (
    ConversationMessage,
    ConversationSummary,
    LineItem,
    Order,
    SentMessage,
    Shipment,
)
from magazyn_desktop.domain.text import folded_text
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, Role, SubKind
from magazyn_desktop.redaction import redact
from magazyn_desktop.store.db import create_engine_for, session_factory
from magazyn_desktop.store.models import (
    Account,
    Attachment,
    Conversation,
    Draft,
    Message,
    OrderCache,
    OutboxEntry,
    SyncCursor,
    TrackingNumber,
    utc_now,
)

log = logging.getLogger(__name__)

SNIPPET_LENGTH = 200
ORDER_JSON_VERSION = 1
_MESSAGE_ROWID = literal_column("messages.rowid")  # insertion order breaks ties between equal times

# -- the statements of store_conversation, built once: it runs per conversation under the writer lock -------------

_CONVERSATIONS = Conversation.__table__
_MESSAGES = Message.__table__
_ATTACHMENTS = Attachment.__table__
_IN_CHUNK = 500  # ids per IN list, well under SQLite's limit on bound parameters

_SUMMARY_COLUMNS = ("kind", "sub_kind", "sub_type", "status", "can_reply", "read", "interlocutor_login", "order_id",
                    "subject", "decision_due_at")
_SELECT_CONVERSATION = select(
    _CONVERSATIONS.c.account_id, _CONVERSATIONS.c.last_activity_at, *(_CONVERSATIONS.c[n] for n in _SUMMARY_COLUMNS)
).where(_CONVERSATIONS.c.id == bindparam("id"))
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
_upsert = sqlite_insert(_MESSAGES)
# Never INSERT OR REPLACE: DO UPDATE keeps the rowid the full-text index points at.
_UPSERT_MESSAGE = _upsert.on_conflict_do_update(
    index_elements=[_MESSAGES.c.id], set_={n: _upsert.excluded[n] for n in _MESSAGE_COLUMNS if n != "id"}
)
del _upsert
_INSERT_ATTACHMENT = insert(_ATTACHMENTS)
_UPDATE_ATTACHMENT_MIME = (
    update(_ATTACHMENTS)
    .where(_ATTACHMENTS.c.id == bindparam("attachment_id"))
    .values(mime_type=bindparam("new_mime_type"))
)
_DELETE_ATTACHMENTS = delete(_ATTACHMENTS).where(_ATTACHMENTS.c.id.in_(bindparam("ids", expanding=True)))

# The newest message (snippet, activity) and the role of the newest message between buyer and seller, in one query.
_party = _MESSAGES.alias("party")
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
        .order_by(_party.c.created_at.desc(), literal_column("party.rowid").desc())
        .limit(1)
        .scalar_subquery(),
    )
    .where(_MESSAGES.c.conversation_id == bindparam("conversation_id"))
    .order_by(_MESSAGES.c.created_at.desc(), _MESSAGE_ROWID.desc())
    .limit(1)
)
del _party


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


class ChangeKind(str, enum.Enum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class StoredConversation:
    """What one store_conversation call changed."""

    change: ChangeKind
    messages_added: int
    messages_changed: int
    added_message_ids: tuple[str, ...]  # in the order given (oldest first)
    added_buyer_messages: tuple[ConversationMessage, ...]


@dataclass(frozen=True)
class AccountInfo:
    id: int
    environment: str
    login: str | None
    client_id: str | None
    api_url: str | None
    auth_url: str | None


@dataclass(frozen=True)
class IssueState:
    messages_count: int | None
    last_message_status: str | None
    remote_last_message_at: datetime | None


@dataclass(frozen=True)
class CursorState:
    source: str
    newest_seen_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class OutboxAttachment:
    """A file queued with a reply: the copy in the data folder, and Allegro's id once it was uploaded."""

    path: str
    file_name: str
    mime_type: str
    size: int
    remote_id: str | None = None


def outbox_attachments_to_json(attachments: Sequence[OutboxAttachment]) -> str | None:
    if not attachments:
        return None
    return json.dumps([asdict(a) for a in attachments], ensure_ascii=False)


def outbox_attachments_from_json(text: str | None) -> tuple[OutboxAttachment, ...]:
    """The attachments of a row. An unreadable value becomes one attachment without a file, so the reply fails
    visibly at send time instead of going out silently without what the user attached."""
    if not text:
        return ()
    try:
        items = json.loads(text)
        return tuple(
            OutboxAttachment(
                path=str(item["path"]), file_name=str(item["file_name"]), mime_type=str(item["mime_type"]),
                size=int(item["size"]), remote_id=str(item["remote_id"]) if item.get("remote_id") else None,
            )
            for item in items
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        log.warning("an outbox entry's attachment list is unreadable")
        return (OutboxAttachment(path="", file_name="?", mime_type="", size=0),)


@dataclass(frozen=True)
class OutboxItem:
    id: int
    account_id: int
    conversation_id: str
    text: str
    state: OutboxState
    attempts: int
    created_at: datetime
    sending_started_at: datetime | None
    sent_at: datetime | None
    remote_message_id: str | None
    error_code: str | None
    error_message: str | None
    attachments: tuple[OutboxAttachment, ...] = ()
    # The conversation's largest messages.rowid when the entry was last marked sending; None before revision 0005.
    messages_rowid_before: int | None = None


def one_line_snippet(text: str, length: int = SNIPPET_LENGTH) -> str:
    """The first `length` characters of a message as one line (whitespace runs folded into single spaces)."""
    folded = folded_text(text)
    return folded if len(folded) <= length else folded[: length - 1].rstrip() + "…"


def _aware(value: datetime | None) -> datetime | None:
    # Naive values from a parser bug would make the UTC column raise; treat them as UTC.
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _outbox_item(row: OutboxEntry) -> OutboxItem:
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
        attachments=outbox_attachments_from_json(row.attachments_json),
        messages_rowid_before=row.messages_rowid_before,
    )


# -- orders as JSON: the Order dataclass, written by us, read back by load_order ----------------------------------


def _order_to_json(order: Order) -> str:
    data = asdict(order)
    for shipment in data["shipments"]:
        created = shipment.get("created_at")
        shipment["created_at"] = created.isoformat() if isinstance(created, datetime) else None
    return json.dumps({"version": ORDER_JSON_VERSION, "order": data}, ensure_ascii=False)


def _order_from_json(text: str) -> Order | None:
    try:
        payload = json.loads(text)
        data = payload["order"]
        return Order(
            id=str(data["id"]),
            buyer_login=data.get("buyer_login"),
            status=data.get("status"),
            fulfillment_status=data.get("fulfillment_status"),
            delivery_method=data.get("delivery_method"),
            line_items=tuple(
                LineItem(
                    offer_id=item.get("offer_id"),
                    name=str(item.get("name") or ""),
                    sku=item.get("sku"),
                    quantity=int(item.get("quantity") or 0),
                    price=item.get("price"),
                    currency=item.get("currency"),
                )
                for item in data.get("line_items") or ()
            ),
            shipments=tuple(
                Shipment(
                    waybill=str(item["waybill"]),
                    carrier=item.get("carrier"),
                    created_at=datetime.fromisoformat(item["created_at"]) if item.get("created_at") else None,
                )
                for item in data.get("shipments") or ()
            ),
            total=data.get("total"),
            currency=data.get("currency"),
            message_to_seller=data.get("message_to_seller"),
        )
    except (ValueError, KeyError, TypeError):
        # Written by another format (or damaged): behave as not cached, the caller fetches it again.
        log.warning("a cached order could not be read; it will be fetched again")
        return None


class Store:
    """The cache database at head; one instance per process, shared by every thread."""

    def __init__(self, engine: Engine, *, owns_engine: bool = False) -> None:
        self._engine = engine
        self._owns_engine = owns_engine
        self._sessions: sessionmaker[Session] = session_factory(engine)
        self._write_lock = threading.RLock()

    @classmethod
    def open(cls, database: Path) -> Store:
        """A store over a database file that is already at head (the launch sequence migrated it)."""
        return cls(create_engine_for(database), owns_engine=True)

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        if self._owns_engine:
            self._engine.dispose()

    # -- plumbing ------------------------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction under the writer lock: committed on success, rolled back whole on any error."""
        with self._write_lock:
            with self._sessions.begin() as session:
                yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    # -- accounts ------------------------------------------------------------------------------------------------

    def ensure_account(self, environment: str, login: str | None = None) -> int:
        """The id of the account of this environment (and login), created when missing."""
        with self._write() as session:
            candidates = session.scalars(
                select(Account).where(Account.environment == environment).order_by(Account.id)
            ).all()
            chosen: Account | None = None
            if login is not None:
                chosen = next((a for a in candidates if a.login == login), None)
                if chosen is None:
                    # An account first stored before its login was known.
                    chosen = next((a for a in candidates if a.login is None), None)
                    if chosen is not None:
                        chosen.login = login
            elif candidates:
                chosen = candidates[0]
            if chosen is None:
                chosen = Account(environment=environment, login=login, is_active=True, created_at=utc_now())
                session.add(chosen)
                session.flush()
            if not chosen.is_active:
                chosen.is_active = True
            return chosen.id

    def save_connected_account(
        self,
        environment: str,
        *,
        client_id: str,
        login: str | None,
        user_id: str | None = None,
        api_url: str | None = None,
        auth_url: str | None = None,
    ) -> int:
        """Record the account a sign-in connected; it becomes the one connected_account() returns.

        The row of the same environment and login (or one stored before its login was known) is reused, so the
        cached conversations stay attached; other signed-in accounts are deactivated: one account at a time.
        """
        with self._write() as session:
            candidates = session.scalars(
                select(Account).where(Account.environment == environment).order_by(Account.id)
            ).all()
            chosen = next((a for a in candidates if login is not None and a.login == login), None) \
                or next((a for a in candidates if a.login is None), None)
            if chosen is None:
                chosen = Account(environment=environment, created_at=utc_now())
                session.add(chosen)
            chosen.login = login
            chosen.user_id = user_id
            chosen.client_id = client_id
            chosen.api_url = api_url
            chosen.auth_url = auth_url
            chosen.is_active = True
            session.flush()
            session.execute(
                update(Account)
                .where(Account.id != chosen.id, Account.client_id.is_not(None), Account.environment != "demo")
                .values(is_active=False)
            )
            return chosen.id

    def account_login(self, account_id: int) -> str | None:
        with self._read() as session:
            return session.scalar(select(Account.login).where(Account.id == account_id))

    def connected_account(self, *, excluding_environment: str = "demo") -> AccountInfo | None:
        """The first active account connected through sign-in (it has a client id), the demo one left out."""
        with self._read() as session:
            row = session.scalars(
                select(Account)
                .where(
                    Account.is_active.is_(True),
                    Account.environment != excluding_environment,
                    Account.client_id.is_not(None),
                )
                .order_by(Account.id)
                .limit(1)
            ).first()
            if row is None:
                return None
            return AccountInfo(row.id, row.environment, row.login, row.client_id, row.api_url, row.auth_url)

    def default_account_id(self) -> int | None:
        """The first active account (the app has one account at a time)."""
        with self._read() as session:
            return session.scalar(
                select(Account.id).where(Account.is_active.is_(True)).order_by(Account.id).limit(1)
            )

    # -- conversations -------------------------------------------------------------------------------------------

    @staticmethod
    def _summary_values(summary: ConversationSummary) -> dict[str, Any]:
        """The columns a summary sets, last activity aside (it only ever moves forward)."""
        return {
            "kind": summary.kind.value,
            "sub_kind": summary.sub_kind.value,
            "sub_type": summary.sub_type,
            "status": summary.status,
            "can_reply": summary.can_reply,
            "read": summary.read,
            "interlocutor_login": summary.interlocutor_login,
            "order_id": summary.order_id,
            "subject": summary.subject,
            "decision_due_at": _aware(summary.decision_due_at),
        }

    def _upsert_summary(
        self, connection: Connection, account_id: int, summary: ConversationSummary, now: datetime, *,
        defer_update: bool = False,
    ) -> _SummaryWrite:
        """Insert a new conversation row, or work out what the summary changes on the stored one.

        A new row is inserted at once (its messages refer to it). Changes to a stored row are written here unless
        `defer_update`, in which case the caller folds them into its own single UPDATE of the row.
        """
        values = self._summary_values(summary)
        activity = _aware(summary.last_activity_at)
        row = connection.execute(_SELECT_CONVERSATION, {"id": summary.id}).first()
        if row is None:
            connection.execute(
                _INSERT_CONVERSATION,
                {**values, "id": summary.id, "account_id": account_id, "needs_reply": False,
                 "last_activity_at": activity, "updated_at": now},
            )
            return _SummaryWrite(ChangeKind.ADDED, {}, activity)
        stored = row._mapping
        updates = {name: value for name, value in values.items() if stored[name] != value}
        last_activity: datetime | None = stored["last_activity_at"]
        if activity is not None and (last_activity is None or activity > last_activity):
            updates["last_activity_at"] = last_activity = activity
        change = ChangeKind.CHANGED if updates else ChangeKind.UNCHANGED
        if stored["account_id"] != account_id:
            updates["account_id"] = account_id  # moves the row, but is not a change the inbox reports
        if updates and not defer_update:
            self._update_conversation(connection, summary.id, updates)
            updates = {}
        return _SummaryWrite(change, updates, last_activity)

    @staticmethod
    def _update_conversation(connection: Connection, conversation_id: str, values: dict[str, Any]) -> None:
        # Core applies the updated_at onupdate default when the caller did not set it, as the ORM flush did.
        connection.execute(_UPDATE_CONVERSATION, {**values, "conversation_key": conversation_id})

    def upsert_conversation(self, account_id: int, summary: ConversationSummary) -> ChangeKind:
        """Store a summary without its messages.

        The remote counters (last message time, count, status) are left alone: they are written only together
        with the messages they describe, so a conversation whose messages were never fetched still looks changed.
        """
        with self._write() as session:
            return self._upsert_summary(session.connection(), account_id, summary, utc_now()).change

    def store_conversation(
        self, account_id: int, summary: ConversationSummary, messages: Sequence[ConversationMessage], *,
        complete: bool = True,
    ) -> StoredConversation:
        """The summary and all its messages in one transaction: the conversation is updated whole or not at all.

        `complete` False (a message could not be read, or the answer contradicts the summary): what was read is
        stored, but the remote counters are left as they were, so the conversation still looks changed to the next
        sync and is fetched again.

        This runs once per conversation on every sync, under the writer lock, so it is a fixed handful of Core
        statements (no ORM objects, no per-message queries): read the row, read the stored messages with their
        attachments, one executemany upsert of what is new or changed, attachments only when some are involved,
        one query for the derived columns, one UPDATE of the row.
        """
        with self._write() as session:
            connection = session.connection()
            now = utc_now()
            written = self._upsert_summary(connection, account_id, summary, now, defer_update=True)
            result = self._upsert_messages(connection, summary.id, messages)
            change = written.change
            if change is ChangeKind.UNCHANGED and (result.added or result.changed):
                change = ChangeKind.CHANGED
            values = written.updates
            if complete:
                values["remote_last_message_at"] = _aware(summary.last_activity_at)
                values["remote_messages_count"] = summary.messages_count
                values["remote_last_message_status"] = summary.last_message_status
                values["messages_synced_at"] = now
            values.update(self._refresh_derived(connection, summary.id, written.last_activity_at, now))
            self._update_conversation(connection, summary.id, values)
            return StoredConversation(
                change, result.added, result.changed, tuple(result.added_ids), tuple(result.added_buyer)
            )

    def _upsert_messages(
        self, connection: Connection, conversation_id: str, messages: Sequence[ConversationMessage]
    ) -> _MessageWrite:
        """Upsert the new and changed messages (and their attachments); unchanged ones are not written at all."""
        result = _MessageWrite()
        if not messages:
            return result
        stored = self._stored_messages(connection, [m.id for m in messages])
        rows: list[dict[str, Any]] = []
        # The last written occurrence of an id decides its attachments, as sequential upserts would.
        written: dict[str, ConversationMessage] = {}
        for message in messages:
            values = (
                conversation_id,
                message.role.value,
                message.author_login,
                message.text or "",
                _aware(message.created_at),
                message.remote_status,
                message.remote_type,
            )
            before = stored.get(message.id)
            if before is not None:
                if before.values == values and self._attachments_match(before.attachments, message):
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
        connection.execute(_UPSERT_MESSAGE, rows)  # one executemany; ON CONFLICT keeps rowids for the FTS index
        if any(m.attachments for m in written.values()) or any(
            stored[mid].attachments for mid in written if mid in stored
        ):
            self._write_attachments(connection, written, stored)
        return result

    @staticmethod
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

    @staticmethod
    def _attachment_key(remote_id: str | None, file_name: str, url: str | None) -> tuple[str | None, str, str | None]:
        return (remote_id, file_name, url)

    @classmethod
    def _attachments_match(cls, stored: Sequence[_StoredAttachment], message: ConversationMessage) -> bool:
        if not stored and not message.attachments:
            return True
        # Multisets rather than sorted lists: keys mix None and text, which do not sort together.
        have = Counter((cls._attachment_key(a.remote_id, a.file_name, a.url), a.mime_type or "") for a in stored)
        want = Counter(
            (cls._attachment_key(a.id, a.file_name, a.url), a.mime_type or "") for a in message.attachments
        )
        return have == want

    def _write_attachments(
        self, connection: Connection, messages: dict[str, ConversationMessage], stored: dict[str, _StoredMessage]
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
                key = self._attachment_key(row.remote_id, row.file_name, row.url)
                if key in by_key:
                    removed.append(row.id)  # a duplicate of a kept row: "exactly the given ones"
                else:
                    by_key[key] = row
            wanted: set[tuple[str | None, str, str | None]] = set()
            for info in message.attachments:
                key = self._attachment_key(info.id, info.file_name, info.url)
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

    @staticmethod
    def _refresh_derived(
        connection: Connection, conversation_id: str, last_activity_at: datetime | None, now: datetime
    ) -> dict[str, Any]:
        """needs_reply, the snippet and last activity, from the stored messages: the columns to write on the row."""
        values: dict[str, Any] = {"needs_reply": False, "updated_at": now}
        newest = connection.execute(_SELECT_DERIVED, {"conversation_id": conversation_id}).first()
        if newest is not None:
            text, created_at, last_party_role = newest
            values["needs_reply"] = last_party_role == Role.BUYER.value
            values["last_message_snippet"] = one_line_snippet(text or "")
            created = _aware(created_at)
            if created is not None and (last_activity_at is None or created > last_activity_at):
                values["last_activity_at"] = created
        return values

    def conversation_kind(self, conversation_id: str) -> tuple[Kind, SubKind] | None:
        with self._read() as session:
            found = session.execute(
                select(Conversation.kind, Conversation.sub_kind).where(Conversation.id == conversation_id)
            ).first()
        if found is None:
            return None
        try:
            return Kind(found[0]), SubKind(found[1])
        except ValueError:
            return None

    def set_conversation_kind(self, conversation_id: str, kind: Kind, sub_kind: SubKind) -> bool:
        """Record a kind learned from Allegro on a stored conversation; False when it is not stored yet."""
        with self._write() as session:
            row = session.get(Conversation, conversation_id)
            if row is None:
                return False
            if row.kind != kind.value or row.sub_kind != sub_kind.value:
                row.kind = kind.value
                row.sub_kind = sub_kind.value
            return True

    def conversation_summary(self, conversation_id: str) -> ConversationSummary | None:
        """The stored summary of a conversation, enough to ask Allegro for its messages."""
        with self._read() as session:
            row = session.get(Conversation, conversation_id)
            if row is None:
                return None
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
                messages_count=row.remote_messages_count,
                last_message_status=row.remote_last_message_status,
            )

    def known_thread_state(self, account_id: int) -> dict[str, datetime | None]:
        """Thread id -> the lastMessageDateTime its stored messages match (None: messages never fetched)."""
        with self._read() as session:
            rows = session.execute(
                select(Conversation.id, Conversation.remote_last_message_at, Conversation.messages_synced_at).where(
                    Conversation.account_id == account_id, Conversation.kind == Kind.THREAD.value
                )
            ).all()
        return {cid: at for cid, at, synced in rows if synced is not None}

    def known_issue_state(self, account_id: int) -> dict[str, tuple[int | None, str | None, datetime | None]]:
        """Issue id -> (chat.messagesCount, chat.lastMessage.status, its createdAt) as last fetched."""
        with self._read() as session:
            rows = session.execute(
                select(
                    Conversation.id,
                    Conversation.remote_messages_count,
                    Conversation.remote_last_message_status,
                    Conversation.remote_last_message_at,
                    Conversation.messages_synced_at,
                ).where(Conversation.account_id == account_id, Conversation.kind == Kind.ISSUE.value)
            ).all()
        return {cid: (count, status, at) for cid, count, status, at, synced in rows if synced is not None}

    def message_ids(self, conversation_id: str) -> set[str]:
        with self._read() as session:
            return set(session.scalars(select(Message.id).where(Message.conversation_id == conversation_id)))

    def mark_read(self, conversation_id: str) -> None:
        with self._write() as session:
            session.execute(update(Conversation).where(Conversation.id == conversation_id).values(read=True))

    # -- sync cursors ---------------------------------------------------------------------------------------------

    def get_cursor(self, account_id: int, source: str) -> CursorState:
        with self._read() as session:
            row = session.get(SyncCursor, (account_id, source))
            if row is None:
                return CursorState(source, None, None, None)
            return CursorState(source, row.newest_seen_at, row.last_success_at, row.last_error)

    def set_cursor(
        self,
        account_id: int,
        source: str,
        *,
        newest_seen_at: datetime | None = None,
        succeeded: bool,
        error: str | None = None,
    ) -> None:
        """Record how a sync of one source ended; newest_seen_at None keeps the stored value."""
        with self._write() as session:
            row = session.get(SyncCursor, (account_id, source))
            if row is None:
                row = SyncCursor(account_id=account_id, source=source)
                session.add(row)
            if newest_seen_at is not None:
                row.newest_seen_at = _aware(newest_seen_at)
            if succeeded:
                row.last_success_at = utc_now()
                row.last_error = None
            else:
                # The error may quote Allegro's answer, which has echoed the access token.
                row.last_error = redact(error) if error is not None else None

    def last_sync_at(self, account_id: int) -> datetime | None:
        """When a source of this account last synced without errors (the newest of them), or None."""
        with self._read() as session:
            return session.scalar(
                select(func.max(SyncCursor.last_success_at)).where(SyncCursor.account_id == account_id)
            )

    # -- drafts --------------------------------------------------------------------------------------------------

    def save_draft(self, conversation_id: str, text: str) -> None:
        """Keep what the user typed; an empty (or blank) text removes the draft."""
        with self._write() as session:
            if not text.strip():
                session.execute(delete(Draft).where(Draft.conversation_id == conversation_id))
                return
            statement = sqlite_insert(Draft).values(conversation_id=conversation_id, text=text, updated_at=utc_now())
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=[Draft.conversation_id], set_={"text": text, "updated_at": utc_now()}
                )
            )

    def load_draft(self, conversation_id: str) -> str:
        with self._read() as session:
            return session.scalar(select(Draft.text).where(Draft.conversation_id == conversation_id)) or ""

    # -- outbox --------------------------------------------------------------------------------------------------

    def add_outbox_entry(self, account_id: int, conversation_id: str, text: str,
                         attachments: Sequence[OutboxAttachment] = ()) -> int:
        """Commit a reply to the queue; this happens before any network call."""
        with self._write() as session:
            now = utc_now()
            row = OutboxEntry(
                account_id=account_id,
                conversation_id=conversation_id,
                text=text,
                state=OutboxState.QUEUED.value,
                attempts=0,
                created_at=now,
                updated_at=now,
                attachments_json=outbox_attachments_to_json(attachments),
            )
            session.add(row)
            session.flush()
            return row.id

    def set_outbox_attachment_remote_id(self, entry_id: int, index: int, remote_id: str) -> bool:
        """Record that attachment `index` of an entry is on Allegro, before the message that uses it is sent."""
        with self._write() as session:
            row = session.get(OutboxEntry, entry_id)
            if row is None:
                return False
            attachments = list(outbox_attachments_from_json(row.attachments_json))
            if not 0 <= index < len(attachments):
                return False
            attachments[index] = replace(attachments[index], remote_id=remote_id)
            row.attachments_json = outbox_attachments_to_json(attachments)
            row.updated_at = utc_now()
            return True

    def outbox_entry(self, entry_id: int) -> OutboxItem | None:
        with self._read() as session:
            row = session.get(OutboxEntry, entry_id)
            return _outbox_item(row) if row is not None else None

    def _outbox_in_states(self, account_id: int, states: Sequence[OutboxState]) -> list[OutboxItem]:
        with self._read() as session:
            rows = session.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.account_id == account_id, OutboxEntry.state.in_([s.value for s in states]))
                .order_by(OutboxEntry.created_at, OutboxEntry.id)
            ).all()
            return [_outbox_item(row) for row in rows]

    def due_outbox_entries(self, account_id: int) -> list[OutboxItem]:
        """Queued replies of the account, oldest first."""
        return self._outbox_in_states(account_id, [OutboxState.QUEUED])

    def uncertain_outbox_entries(self, account_id: int) -> list[OutboxItem]:
        return self._outbox_in_states(account_id, [OutboxState.UNCERTAIN])

    def pending_outbox_entries(self, account_id: int) -> list[OutboxItem]:
        """Entries not finished yet (queued, sending, uncertain), oldest first."""
        return self._outbox_in_states(account_id, [OutboxState.QUEUED, OutboxState.SENDING, OutboxState.UNCERTAIN])

    def outbox_for_conversation(self, conversation_id: str) -> list[OutboxItem]:
        with self._read() as session:
            rows = session.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.conversation_id == conversation_id)
                .order_by(OutboxEntry.created_at, OutboxEntry.id)
            ).all()
            return [_outbox_item(row) for row in rows]

    def claimed_remote_message_ids(self, conversation_id: str) -> set[str]:
        """Remote ids already matched to an outbox entry (so one sent message never settles two entries)."""
        with self._read() as session:
            return {
                rid
                for rid in session.scalars(
                    select(OutboxEntry.remote_message_id).where(
                        OutboxEntry.conversation_id == conversation_id, OutboxEntry.remote_message_id.is_not(None)
                    )
                )
                if rid
            }

    def message_ids_stored_up_to(self, message_ids: Sequence[str], max_rowid: int) -> set[str]:
        """Those of `message_ids` stored with a messages.rowid of at most `max_rowid` (in the cache by then)."""
        ids = list(dict.fromkeys(message_ids))
        if not ids:
            return set()
        found: set[str] = set()
        with self._read() as session:
            for start in range(0, len(ids), 500):  # stay well under SQLite's bound-parameter limit
                found.update(session.scalars(
                    select(Message.id).where(Message.id.in_(ids[start:start + 500]), _MESSAGE_ROWID <= max_rowid)
                ))
        return found

    def newest_message_id_up_to(self, conversation_id: str, max_rowid: int) -> str | None:
        """The newest message of the conversation that was in the cache by `max_rowid` (None: it had none)."""
        with self._read() as session:
            return session.scalar(
                select(Message.id)
                .where(Message.conversation_id == conversation_id, _MESSAGE_ROWID <= max_rowid)
                .order_by(Message.created_at.desc(), _MESSAGE_ROWID.desc())
                .limit(1)
            )

    def _transition(
        self, entry_id: int, to: OutboxState, *, allowed_from: Sequence[OutboxState], **values: Any
    ) -> bool:
        with self._write() as session:
            result = session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id == entry_id, OutboxEntry.state.in_([s.value for s in allowed_from]))
                .values(state=to.value, updated_at=utc_now(), **values)
            )
            return bool(result.rowcount)

    def mark_outbox_sending(self, entry_id: int, started_at: datetime | None = None) -> bool:
        """queued -> sending, counting the attempt; False when the entry was not queued any more.

        Also records the conversation's largest messages.rowid at this moment (0 when none is stored): every
        message stored up to it was in the cache before the send, so none of them can be the send arriving.
        """
        newest_rowid = (
            select(func.coalesce(func.max(_MESSAGE_ROWID), 0))
            .where(Message.conversation_id == OutboxEntry.conversation_id)
            .scalar_subquery()
        )
        with self._write() as session:
            result = session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id == entry_id, OutboxEntry.state == OutboxState.QUEUED.value)
                .values(
                    state=OutboxState.SENDING.value,
                    attempts=OutboxEntry.attempts + 1,
                    sending_started_at=_aware(started_at) or utc_now(),
                    messages_rowid_before=newest_rowid,
                    updated_at=utc_now(),
                    error_code=None,
                    error_message=None,
                )
            )
            return bool(result.rowcount)

    def mark_outbox_sent(
        self,
        entry_id: int,
        *,
        remote_message_id: str | None,
        sent_at: datetime | None = None,
        message: ConversationMessage | None = None,
    ) -> bool:
        """sending/uncertain -> sent; the sent message is stored in the conversation in the same transaction."""
        with self._write() as session:
            result = session.execute(
                update(OutboxEntry)
                .where(
                    OutboxEntry.id == entry_id,
                    OutboxEntry.state.in_([OutboxState.SENDING.value, OutboxState.UNCERTAIN.value]),
                )
                .values(
                    state=OutboxState.SENT.value,
                    remote_message_id=remote_message_id,
                    sent_at=_aware(sent_at) or utc_now(),
                    updated_at=utc_now(),
                    error_code=None,
                    error_message=None,
                )
            )
            if not result.rowcount:
                return False
            if message is not None:
                connection = session.connection()
                last_activity = connection.execute(
                    select(Conversation.id, Conversation.last_activity_at).where(
                        Conversation.id == message.conversation_id
                    )
                ).first()
                if last_activity is not None:
                    self._upsert_messages(connection, message.conversation_id, [message])
                    self._update_conversation(connection, message.conversation_id, self._refresh_derived(
                        connection, message.conversation_id, last_activity[1], utc_now()))
            return True

    def mark_outbox_failed(self, entry_id: int, *, code: str | None, message: str | None) -> bool:
        """Allegro rejected the reply: it stays visible with Allegro's reason and is not retried."""
        return self._transition(
            entry_id, OutboxState.FAILED, allowed_from=[OutboxState.SENDING, OutboxState.QUEUED],
            error_code=code, error_message=message,
        )

    def mark_outbox_queued(self, entry_id: int, *, code: str | None = None, message: str | None = None) -> bool:
        """Back to the queue: the request never left, or a re-read proved the reply did not arrive."""
        return self._transition(
            entry_id, OutboxState.QUEUED,
            allowed_from=[OutboxState.SENDING, OutboxState.UNCERTAIN, OutboxState.FAILED],
            error_code=code, error_message=message,
        )

    def mark_outbox_uncertain(self, entry_id: int, *, code: str | None = None, message: str | None = None) -> bool:
        return self._transition(
            entry_id, OutboxState.UNCERTAIN, allowed_from=[OutboxState.SENDING],
            error_code=code, error_message=message,
        )

    def recover_interrupted_sends(self, account_id: int | None = None) -> int:
        """Rows left in `sending` by a crash: their outcome is unknown, so they become uncertain."""
        with self._write() as session:
            statement = update(OutboxEntry).where(OutboxEntry.state == OutboxState.SENDING.value)
            if account_id is not None:
                statement = statement.where(OutboxEntry.account_id == account_id)
            result = session.execute(
                statement.values(
                    state=OutboxState.UNCERTAIN.value,
                    updated_at=utc_now(),
                    error_code="INTERRUPTED",
                    error_message=None,  # the code says it; the window words it in the user's language
                )
            )
            return int(result.rowcount or 0)

    # -- orders --------------------------------------------------------------------------------------------------

    def save_order(self, account_id: int, order: Order) -> None:
        """Cache an order with its tracking numbers."""
        owner = account_id
        with self._write() as session:
            values = {
                "account_id": owner,
                "buyer_login": order.buyer_login,
                "checkout_form_json": _order_to_json(order),
                "shipments_json": json.dumps(
                    [{"waybill": s.waybill, "carrier": s.carrier} for s in order.shipments], ensure_ascii=False
                ),
                "fetched_at": utc_now(),
            }
            statement = sqlite_insert(OrderCache).values(id=order.id, **values)
            session.execute(statement.on_conflict_do_update(index_elements=[OrderCache.id], set_=values))
            session.execute(delete(TrackingNumber).where(TrackingNumber.order_id == order.id))
            seen: set[str] = set()
            for shipment in order.shipments:
                waybill = shipment.waybill.strip()
                if not waybill or waybill in seen:
                    continue
                seen.add(waybill)
                session.add(TrackingNumber(waybill=waybill, order_id=order.id, carrier=shipment.carrier))

    def load_order(self, order_id: str) -> Order | None:
        with self._read() as session:
            text = session.scalar(select(OrderCache.checkout_form_json).where(OrderCache.id == order_id))
        return _order_from_json(text) if text else None

    # -- helpers for the outbox ----------------------------------------------------------------------------------

    @staticmethod
    def sent_message_as_conversation_message(sent: SentMessage, author_login: str | None) -> ConversationMessage | None:
        """The message a successful send created, to show it before the next sync fetches it."""
        if not sent.id:
            return None  # Allegro has answered some sends with a null id; the next sync brings the message
        return ConversationMessage(
            id=sent.id,
            conversation_id=sent.conversation_id,
            role=Role.SELLER,
            author_login=author_login,
            text=sent.text,
            created_at=_aware(sent.created_at) or utc_now(),
        )
