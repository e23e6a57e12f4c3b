"""The plain records the client hands out, the store keeps and the window shows: conversations, messages, orders.

Everything here is immutable and free of HTTP and database details, so every layer and the tests build them directly.
Parsing them from Allegro's JSON lives in allegro/parsing.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .vocabulary import Kind, Role, SubKind


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
    status_due_at: datetime | None = None  # issues: currentState.statusDueDate, when the current state runs out
    opened_at: datetime | None = None  # issues: openedDate, when it was last opened or reopened
    messages_count: int | None = None  # issues: chat.messagesCount
    last_message_status: str | None = None  # issues: chat.lastMessage.status


# Fulfilment states (Allegro's fulfillment.status) after which an order no longer changes for the warehouse.
_SETTLED_FULFILMENT = frozenset({"PICKED_UP", "CANCELLED", "RETURNED"})


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
class Address:
    """Where a parcel goes: the recipient's name and company (a pickup point's address has neither) and the place."""

    street: str | None = None
    zip_code: str | None = None
    city: str | None = None
    country_code: str | None = None
    name: str | None = None  # "first last" of the recipient
    company: str | None = None


@dataclass(frozen=True)
class PickupPoint:
    id: str  # for a parcel locker its code, which the packer writes on the label (POZ08A)
    name: str | None = None
    description: str | None = None  # where it is: "Stacja paliw BP"
    address: Address | None = None


@dataclass(frozen=True)
class Payment:
    type: str | None  # ONLINE | CASH_ON_DELIVERY | WIRE_TRANSFER | SPLIT_PAYMENT | EXTENDED_TERM
    finished_at: datetime | None = None  # absent while it is not paid
    paid_amount: str | None = None
    currency: str | None = None

    @property
    def cash_on_delivery(self) -> bool:
        return self.type == "CASH_ON_DELIVERY"


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
    bought_at: datetime | None = None  # the newest line item's boughtAt: what a list of a buyer's orders shows
    buyer_first_name: str | None = None
    buyer_last_name: str | None = None
    buyer_company: str | None = None
    delivery_address: Address | None = None
    pickup_point: PickupPoint | None = None
    payment: Payment | None = None
    invoice_required: bool | None = None  # None: not known (an order cached before this was kept)
    # Read from a cache written before the buyer, address, payment and invoice were kept: read again when shown.
    cached_incomplete: bool = False

    @property
    def buyer_name(self) -> str | None:
        """The buyer's first and last name, then the company, as far as Allegro gave them."""
        person = " ".join(part for part in (self.buyer_first_name, self.buyer_last_name) if part)
        named = ", ".join(part for part in (person, self.buyer_company) if part)
        return named or None

    @property
    def read_again_when_shown(self) -> bool:
        """A cached copy is read from Allegro again when shown: it may still change, or it lacks what the card shows."""
        return self.awaits_shipment or self.cached_incomplete

    @property
    def awaits_shipment(self) -> bool:
        """Not sent yet, or sent without a waybill: its status and waybills may still change, so a cached copy is
        read again from Allegro when it is shown. Cancelled, returned and picked-up orders are settled."""
        if self.status == "CANCELLED" or self.fulfillment_status in _SETTLED_FULFILMENT:
            return False
        return self.fulfillment_status != "SENT" or not self.shipments


@dataclass(frozen=True)
class SentMessage:
    """What Allegro answered to a successful send."""

    id: str | None
    conversation_id: str
    created_at: datetime | None
    text: str
