"""Small typed objects the client hands out; parsing from Allegro's JSON lives in allegro/parsing.py.

Everything here is immutable and free of HTTP details, so sync, the UI and tests can build them directly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Kind(str, enum.Enum):
    """Which API a conversation id belongs to."""

    THREAD = "thread"  # /messaging/threads/{id}
    ISSUE = "issue"  # /sale/issues/{id}


class SubKind(str, enum.Enum):
    COMMON = "COMMON"  # Wiadomość
    POST_PURCHASE_ISSUE = "POST_PURCHASE_ISSUE"  # Problem z zakupem
    DISPUTE = "DISPUTE"  # Dyskusja
    CLAIM = "CLAIM"  # Reklamacja


class Role(str, enum.Enum):
    """Who wrote a message, as the inbox shows it."""

    BUYER = "BUYER"  # Kupujący
    SELLER = "SELLER"  # Ty
    ALLEGRO = "ALLEGRO"  # Allegro (advisors, consultants, system entries)


@dataclass(frozen=True)
class AttachmentInfo:
    file_name: str
    id: str | None = None  # the id to download with; taken from the url's last segment when absent
    mime_type: str | None = None
    url: str | None = None
    status: str | None = None  # messaging: NEW | SAFE | UNSAFE | EXPIRED


@dataclass(frozen=True)
class ConversationMessage:
    """One message of a thread or one chat entry of an issue."""

    id: str
    conversation_id: str
    role: Role
    author_login: str | None
    text: str
    created_at: datetime
    attachments: tuple[AttachmentInfo, ...] = ()
    remote_status: str | None = None  # messaging status (DELIVERED ...)
    remote_type: str | None = None  # messaging type (ASK_QUESTION, MAIL, MESSAGE_CENTER)
    order_id: str | None = None  # relatesTo.order.id


@dataclass(frozen=True)
class ConversationSummary:
    """What a list page or a single GET tells about a conversation, before its messages are read."""

    id: str
    kind: Kind
    sub_kind: SubKind
    last_activity_at: datetime | None
    interlocutor_login: str | None = None
    read: bool = True
    status: str | None = None  # OPEN/CLOSED for threads; an issue status such as DISPUTE_ONGOING
    sub_type: str | None = None  # POST_PURCHASE_ISSUE subType
    can_reply: bool = True  # False for a CLOSED thread or an issue whose chat is not active
    order_id: str | None = None
    subject: str | None = None
    decision_due_at: datetime | None = None  # claims: when the seller must decide
    messages_count: int | None = None  # issues: chat.messagesCount
    last_message_status: str | None = None  # issues: chat.lastMessage.status


@dataclass(frozen=True)
class SkippedRecord:
    """One record of an answer that could not be parsed; the rest of the answer is still used."""

    record: str  # what it was: "thread", "issue", "message", "chat entry"
    record_id: str | None  # its id, where the record has a readable one
    reason: str  # why it was skipped, in a sentence without the record's content
    endpoint: str


@dataclass(frozen=True)
class ThreadPage:
    threads: tuple[ConversationSummary, ...]
    next_page_id: str | None = None  # beta.v1 cursor; None on the last page
    next_offset: int | None = None  # public.v1 offset; None on the last page
    skipped: tuple[SkippedRecord, ...] = ()


@dataclass(frozen=True)
class IssuePage:
    issues: tuple[ConversationSummary, ...]
    skipped: tuple[SkippedRecord, ...] = ()

    @property
    def record_count(self) -> int:
        """Records on the page, parsed or not: a page shorter than the limit is the last one."""
        return len(self.issues) + len(self.skipped)


@dataclass(frozen=True)
class MessagePage:
    """One page of a thread's messages or an issue's chat; the client pages through them into a MessageList."""

    messages: tuple[ConversationMessage, ...]
    skipped: tuple[SkippedRecord, ...] = ()
    next_page_id: str | None = None  # beta.v1 thread messages: the cursor; None on the last page

    @property
    def record_count(self) -> int:
        """Records on the page, parsed or not: a page shorter than the limit is the last one."""
        return len(self.messages) + len(self.skipped)


@dataclass(frozen=True)
class MessageList:
    """All the messages of one conversation as read now, oldest first, with what could not be used.

    `complete` is False when the list cannot be trusted to hold every message (a skipped record, paging that
    stopped early): whoever stores it must fetch the conversation again later.
    """

    messages: tuple[ConversationMessage, ...]
    skipped: tuple[SkippedRecord, ...] = ()
    warnings: tuple[str, ...] = ()  # sentences for the sync report, without message content

    @property
    def complete(self) -> bool:
        return not self.skipped and not self.warnings


@dataclass(frozen=True)
class Conversation:
    """A conversation opened by id through auto-detection, with all its messages."""

    summary: ConversationSummary
    messages: tuple[ConversationMessage, ...]
    complete: bool = True  # as MessageList.complete: False when a message may be missing


@dataclass(frozen=True)
class LineItem:
    offer_id: str | None
    name: str
    sku: str | None  # offer.external.id: the seller's own product code
    quantity: int
    price: str | None = None  # Allegro sends amounts as strings
    currency: str | None = None


@dataclass(frozen=True)
class Shipment:
    waybill: str
    carrier: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Order:
    id: str
    buyer_login: str | None
    status: str | None
    fulfillment_status: str | None
    delivery_method: str | None
    line_items: tuple[LineItem, ...] = ()
    shipments: tuple[Shipment, ...] = ()
    total: str | None = None
    currency: str | None = None
    message_to_seller: str | None = None


@dataclass(frozen=True)
class SentMessage:
    """What Allegro answered to a successful send."""

    id: str | None
    conversation_id: str
    created_at: datetime | None
    text: str


@dataclass(frozen=True)
class DeviceAuthorization:
    """The first step of the device flow: what to show the user."""

    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str | None
    expires_in: int
    interval: int


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str | None
    expires_at: float  # seconds on the injected clock
    scope: str | None = None

    def __repr__(self) -> str:  # never show a token in a log or traceback
        return f"TokenPair(expires_at={self.expires_at!r}, scope={self.scope!r})"


@dataclass(frozen=True)
class Me:
    id: str
    login: str
