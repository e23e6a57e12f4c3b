"""The local cache's tables as SQLAlchemy 2 typed models.

The migrations in migrations/versions create exactly these tables; a test compares the two.
Times are stored as timezone-aware UTC datetimes (ISO-8601 text in SQLite).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from magazyn_desktop.domain.vocabulary import OutboxState

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def assume_utc(value: datetime | None) -> datetime | None:
    """An aware value as it is; a naive one (a parser bug) taken as UTC instead of making a UTC column raise."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; SQLite has no time zones, so naive values read back are UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    environment: Mapped[str] = mapped_column(String(16))  # production | sandbox | custom | demo
    login: Mapped[str | None] = mapped_column(String(120))
    user_id: Mapped[str | None] = mapped_column(String(64))
    client_id: Mapped[str | None] = mapped_column(String(128))
    api_url: Mapped[str | None] = mapped_column(String(300))
    auth_url: Mapped[str | None] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Revision 0019 (team mode): a conversation someone took is answered by that person only.
    only_assignee_sends: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    conversations: Mapped[list[Conversation]] = relationship(back_populates="account")


class Conversation(Base):
    """One inbox row: a Message Center thread or a post-purchase issue."""

    __tablename__ = "conversations"
    __table_args__ = (
        # Both end with the id: a page of the list is an index seek at any depth, in list order, with no sort.
        Index("ix_conversations_account_activity", "account_id", "last_activity_at", "id"),
        Index("ix_conversations_needs_reply", "account_id", "needs_reply", "last_activity_at", "id"),
        Index("ix_conversations_order_id", "order_id"),
        Index("ix_conversations_interlocutor", "interlocutor_login"),
        # Revision 0014: the reminders filter and its count read only the conversations with a reminder.
        Index("ix_conversations_account_id_remind_on", "account_id", "remind_on"),
        # Revision 0016: the deadlines filter pages by (due_at, id) through it; NULLs (nothing due) sort apart.
        Index("ix_conversations_account_due", "account_id", "due_at", "id"),
        # Revision 0019: the "Moje" filter pages through one person's conversations in list order.
        Index("ix_conversations_account_assignee", "account_id", "assignee", "last_activity_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # Allegro's id, thread or issue
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # Kind
    sub_kind: Mapped[str] = mapped_column(String(24))  # SubKind
    sub_type: Mapped[str | None] = mapped_column(String(64))  # POST_PURCHASE_ISSUE subType
    status: Mapped[str | None] = mapped_column(String(32))  # OPEN/CLOSED or an issue status
    can_reply: Mapped[bool] = mapped_column(Boolean, default=True)
    read: Mapped[bool] = mapped_column(Boolean, default=True)
    needs_reply: Mapped[bool] = mapped_column(Boolean, default=False)  # the buyer spoke last
    last_activity_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    interlocutor_login: Mapped[str | None] = mapped_column(String(120))
    order_id: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(Text)
    last_message_snippet: Mapped[str | None] = mapped_column(String(240))
    decision_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # claim deadline
    # Summary counters that let sync tell "changed" from "unchanged" without fetching messages.
    remote_last_message_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    remote_messages_count: Mapped[int | None] = mapped_column(Integer)
    remote_last_message_status: Mapped[str | None] = mapped_column(String(32))
    messages_synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Revision 0008: when Allegro stopped listing this conversation; the cache is the archive and keeps it.
    kept_locally_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Revision 0011: a user marked it unread here; Allegro's read flag does not clear that, reading it here does.
    marked_unread_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Revision 0014: a user marked it as needing no reply; a buyer message written after this takes that back.
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Revision 0014: the local date it comes back in the reminders filter (a past one is due at once).
    remind_on: Mapped[date | None] = mapped_column(Date)
    # Revision 0016: an issue's currentState.statusDueDate and openedDate, as Allegro gives them.
    status_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Revision 0016: the effective deadline (domain/deadlines.py), worked out whenever the row or its messages are
    # written; NULL when nothing is due (closed, decided, done, or no reply awaited).
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Revision 0016: the deadline the tray last said was a working day away; a deadline is announced once.
    notified_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Revision 0019: the person who took it ("Take" or handed over); NULL when nobody has.
    assignee: Mapped[str | None] = mapped_column(String(120))
    assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    account: Mapped[Account] = relationship(back_populates="conversations")
    messages: Mapped[list[Message]] = relationship(back_populates="conversation", cascade="all, delete-orphan")


class ConversationNote(Base):
    """A note the team keeps on a conversation; never sent to Allegro. Revision 0014."""

    __tablename__ = "conversation_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)  # plain text as typed
    folded_text: Mapped[str] = mapped_column(Text)  # its words as the search compares them (domain.search_text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_created", "conversation_id", "created_at"),)

    # SQLite keeps an integer rowid for this table; the full-text index points at it.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    author_role: Mapped[str] = mapped_column(String(16))  # Role
    author_login: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    remote_status: Mapped[str | None] = mapped_column(String(24))
    remote_type: Mapped[str | None] = mapped_column(String(24))

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="message", cascade="all, delete-orphan")


class Attachment(Base):
    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("message_id", "remote_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    remote_id: Mapped[str | None] = mapped_column(String(128))
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(500))
    local_path: Mapped[str | None] = mapped_column(String(500))

    message: Mapped[Message] = relationship(back_populates="attachments")


class Draft(Base):
    __tablename__ = "drafts"

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Revision 0012: JSON list of {"path", "size", "modified_ns"} (store/draft_files.py); NULL for none.
    attachments_json: Mapped[str | None] = mapped_column(Text)
    # Revision 0021: whose draft it is; "" on a single bench, the person's name on a team's store.
    person: Mapped[str] = mapped_column(String(120), primary_key=True, default="", server_default="")


class OutboxEntry(Base):
    """A reply the user pressed Send on; it is written here before any network call."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_created", "state", "created_at"),
        Index("ix_outbox_client_key", "client_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default=OutboxState.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    sending_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    remote_message_id: Mapped[str | None] = mapped_column(String(64))
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    # Revision 0003: JSON list of {"path", "file_name", "mime_type", "size", "remote_id"}; NULL for none. An issue
    # message of another type than REGULAR keeps {"type", "attachments": [...]} here (store/outbox_files.py).
    attachments_json: Mapped[str | None] = mapped_column(Text)
    # Revision 0005: the largest messages.rowid of the conversation when the row was last marked sending. A
    # message stored with a rowid up to this was in the cache before the send, so it cannot be the send's arrival.
    # NULL for rows marked sending before the upgrade (those fall back to a time bound).
    messages_rowid_before: Mapped[int | None] = mapped_column(Integer)
    # Revision 0019: who queued it, as the card shows it ("Ania @ bench 2"); NULL before the revision.
    author: Mapped[str | None] = mapped_column(String(200))
    # Revision 0020: the key of a reply kept in the bench's spool while the team's database was away (one row per
    # key, whatever interrupts its move); NULL for a reply queued straight into the outbox.
    client_key: Mapped[str | None] = mapped_column(String(36))


class ClaimDecisionEntry(Base):
    """A claim decision the user confirmed; written here before it is sent, moved as an outbox entry is.
    Revision 0013."""

    __tablename__ = "claim_decisions"
    __table_args__ = (Index("ix_claim_decisions_state_created", "state", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    issue_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    choice: Mapped[str] = mapped_column(String(48))  # ClaimStatusChangeRequest.status
    message: Mapped[str] = mapped_column(Text)
    # A partial refund's amount as Allegro takes it ("25.50"): text, so no database rounds it.
    refund_amount: Mapped[str | None] = mapped_column(String(20))
    refund_currency: Mapped[str | None] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(12), default=OutboxState.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    sending_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)  # Allegro's userMessage
    # The claim's status a re-read found when it settled an unknown outcome (CLAIM_ACCEPTED, ...).
    found_status: Mapped[str | None] = mapped_column(String(32))


class SyncCursor(Base):
    """Where the last sync of one source (threads, issues) stopped, per account."""

    __tablename__ = "sync_cursors"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    newest_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class OrderCache(Base):
    """The order beside a conversation (checkout form and shipments), kept as Allegro sent it.

    Added in revision 0002.
    """

    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # checkout form id
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    buyer_login: Mapped[str | None] = mapped_column(String(120), index=True)
    checkout_form_json: Mapped[str] = mapped_column(Text)
    shipments_json: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class TrackingNumber(Base):
    """One waybill of an order, indexed so a scanned parcel label finds its conversation. Revision 0002."""

    __tablename__ = "tracking_numbers"
    # Revision 0010: an order's waybills by the order, for its writes and the identifier index's triggers.
    __table_args__ = (Index("ix_tracking_numbers_order_id", "order_id"),)

    waybill: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    carrier: Mapped[str | None] = mapped_column(String(64))


class SyncSchedule(Base):
    """What the sync schedule must remember across restarts, per account. Revision 0008."""

    __tablename__ = "sync_schedule"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    last_full_issue_listing_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_deep_pass_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_send_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    backoff_until: Mapped[datetime | None] = mapped_column(UtcDateTime)  # a source kept answering 5xx


class OrderChoice(Base):
    """The order a user picked for a thread that names none. Revision 0009."""

    __tablename__ = "order_choices"
    # Revision 0010: the conversations an order was picked for, for the identifier index's triggers.
    __table_args__ = (Index("ix_order_choices_order_id", "order_id"),)

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    order_id: Mapped[str] = mapped_column(String(64))
    chosen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class UnavailableOrder(Base):
    """An order that answered 404 or 403: not asked for again on every sync. Revision 0009."""

    __tablename__ = "unavailable_orders"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    status_code: Mapped[int] = mapped_column(Integer)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ReplyTemplate(Base):
    """A reply template. Revision 0015. Not an account's: the shop's texts, the same for every account here.
    `attachment_file` names a copy in the data folder's templates/ (a relative name: the folder differs by bench)."""

    __tablename__ = "reply_templates"
    __table_args__ = (UniqueConstraint("name", name="uq_reply_templates_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    attachment_file: Mapped[str | None] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StoreMarker(Base):
    """Something done once for this store, by name: "default_templates_seeded". Revision 0015."""

    __tablename__ = "store_markers"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    set_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AccountLease(Base):
    """The bench that talks to Allegro for an account, while its lease lasts. Revision 0017 (team mode).

    `holder` is the leading process's own id, `holder_name` the person and bench shown to others; `fence` grows
    with each new leader, so a leader checks before writing that the lease is still the one it took."""

    __tablename__ = "account_leases"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    holder_name: Mapped[str] = mapped_column(String(200))
    fence: Mapped[int] = mapped_column(BigInteger)
    renewed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ChangeLogEntry(Base):
    """One change benches must see, numbered in order (per store; read per account). Revision 0017 (team mode).

    `topic` says what changed ("conversation", "outbox", ...); `conversation_id` which conversation, if one."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_account_id_seq", "account_id", "seq"),)

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    conversation_id: Mapped[str | None] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Presence(Base):
    """A running bench's person and the conversation it has open, renewed while it runs. Revision 0019 (team mode).

    `holder` is the process's own id (as in `account_leases`); `seen_at` is the database's clock at the last
    renewal: a row older than a few heartbeats is stale and shown to nobody."""

    __tablename__ = "presence"

    holder: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    person: Mapped[str] = mapped_column(String(120))
    bench: Mapped[str] = mapped_column(String(120))
    conversation_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True)
    typing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Revision 0022: the highest change-log number its listener had delivered at the last heartbeat.
    seen_seq: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
