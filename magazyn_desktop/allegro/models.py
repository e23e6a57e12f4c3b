"""Small typed objects the client hands out; parsing from Allegro's JSON lives in allegro/parsing.py.

Everything here is immutable and free of HTTP details, so sync, the UI and tests can build them directly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
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
class ThreadPage:
    threads: tuple[ConversationSummary, ...]
    next_page_id: str | None = None  # beta.v1 cursor; None on the last page
    next_offset: int | None = None  # public.v1 offset; None on the last page


@dataclass(frozen=True)
class Conversation:
    """A conversation opened by id through auto-detection, with all its messages."""

    summary: ConversationSummary
    messages: tuple[ConversationMessage, ...]


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


@dataclass(frozen=True)
class RequestCount:
    """HTTP requests made per endpoint name, for sync reports and benchmarks."""

    per_endpoint: dict[str, int] = field(default_factory=dict)
