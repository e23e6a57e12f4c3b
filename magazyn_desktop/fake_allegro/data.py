"""The demo data set: threads, issues, orders and attachments, generated from a seed.

Everything is derived from one `random.Random(seed)` and a `now`, so two generations with the same arguments are
equal field for field (tests and benchmarks rely on it). Tests and benchmarks use the fixed DEFAULT_NOW; the app's
demo passes the present, so its newest messages are minutes old and its deadlines lie ahead. The objects are plain mutable dataclasses: the fake server
changes them under its own lock.
"""

from __future__ import annotations

import random
import string
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Literal

from . import texts

DEFAULT_NOW = datetime(2026, 11, 16, 9, 30, tzinfo=timezone.utc)
DEFAULT_SEED = 20261116

_BASE62 = string.ascii_letters + string.digits

ThreadType = Literal["COMMON", "POST_PURCHASE_ISSUE"]
IssueType = Literal["DISPUTE", "CLAIM"]

POST_PURCHASE_SUBTYPES: tuple[str, ...] = (
    "PRODUCT_INCONSISTENT_WITH_THE_OFFER", "PRODUCT_ARRIVED_DAMAGED", "DEFECT_DETECTED_DURING_USE",
    "NO_PRODUCT_IN_THE_SHIPMENT", "MISSING_PRODUCT_ELEMENTS", "OTHER", "NO_REFUND",
    "SELLER_DOES_NOT_WANT_TO_ACCEPT_RETURN", "PROBLEM_WITH_SENDING_PRODUCT_BACK", "NO_DOCUMENTATIONS",
)
# Every state the contract knows appears at least once in a default-sized set (the list is cycled). As on a real
# account, most issues are decided and a minority (3 in 10) still open: 200 issues have 60 open, one list page.
ISSUE_STATES: tuple[tuple[IssueType, str], ...] = (
    ("DISPUTE", "DISPUTE_ONGOING"), ("CLAIM", "CLAIM_ACCEPTED"), ("DISPUTE", "DISPUTE_CLOSED"),
    ("CLAIM", "CLAIM_SUBMITTED"), ("CLAIM", "CLAIM_ACCEPTED"), ("CLAIM", "CLAIM_REJECTED"),
    ("DISPUTE", "DISPUTE_CLOSED"), ("DISPUTE", "DISPUTE_UNRESOLVED"), ("CLAIM", "CLAIM_ACCEPTED"),
    ("DISPUTE", "DISPUTE_CLOSED"),
)
# By an issue's index in the set: how long ago it was opened when it is open, for deadlines near the data's now.
_NEAR_DEADLINE_AGES = {0: timedelta(days=7, hours=3), 3: timedelta(days=13, hours=6),
                       7: timedelta(days=6, hours=5)}
# Resolved issues no longer take messages (409 on send).
CLOSED_ISSUE_STATES = frozenset({"DISPUTE_CLOSED", "CLAIM_ACCEPTED", "CLAIM_REJECTED"})


def iso(moment: datetime) -> str:
    """Allegro's date-time style: UTC, milliseconds, trailing Z."""
    utc = moment.astimezone(timezone.utc)
    # The year by hand: strftime's %Y does not pad years below 1000 on every platform ("1-01-01").
    return f"{utc.year:04d}" + utc.strftime("-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@dataclass
class Attachment:
    id: str
    file_name: str
    mime_type: str
    scope: Literal["messaging", "issues"]
    declared_size: int | None = None
    content: bytes | None = None  # None: a generated file, made on first download
    uploaded: bool = True
    created_at: datetime | None = None


@dataclass
class ThreadMessage:
    id: str
    role: Literal["BUYER", "SELLER"]
    login: str
    text: str
    created_at: datetime
    type: str = "MESSAGE_CENTER"  # ASK_QUESTION | MAIL | MESSAGE_CENTER
    subject: str | None = None
    offer_id: str | None = None
    order_id: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Thread:
    id: str
    type: ThreadType
    buyer_login: str
    created_at: datetime
    messages: list[ThreadMessage]  # oldest first
    read: bool = True
    status: Literal["OPEN", "CLOSED"] = "OPEN"
    sub_type: str | None = None
    order_ids: list[str] = field(default_factory=list)

    @property
    def last_message_at(self) -> datetime:
        return self.messages[-1].created_at if self.messages else self.created_at


@dataclass
class ChatEntry:
    id: str
    role: Literal["BUYER", "SELLER", "ADMIN", "SYSTEM", "FULFILLMENT"]
    login: str | None
    text: str
    created_at: datetime
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Issue:
    id: str
    type: IssueType
    status: str
    opened_at: datetime
    buyer_login: str
    buyer_id: str
    order_id: str
    order_created_at: datetime
    subject: str
    reason_type: str
    description: str
    offer_id: str
    quantity: int
    chat: list[ChatEntry]  # oldest first
    chat_active: bool = True
    reference_number: str | None = None
    decision_due: datetime | None = None
    status_due: datetime | None = None
    return_required: bool | None = None
    expectation: str | None = None
    refund_amount: str | None = None
    right: str | None = None
    decision: str | None = None  # the ClaimStatusChangeRequest.status the seller decided with
    decided_refund: str | None = None  # its partialRefund.amount

    @property
    def last_status(self) -> str:
        """chat.lastMessage.status as Allegro derives it from the newest entry."""
        for entry in reversed(self.chat):
            if entry.role == "SELLER":
                return "SELLER_REPLIED"
            if entry.role == "BUYER":
                return "NEW" if not any(e.role == "SELLER" for e in self.chat) else "BUYER_REPLIED"
            if entry.role == "ADMIN":
                return "ALLEGRO_ADVISOR_REPLIED"
        return "NEW"


@dataclass
class LineItem:
    id: str
    offer_id: str
    name: str
    sku: str
    quantity: int
    price: str  # PLN, as Allegro sends money: a string with two decimals
    bought_at: datetime


@dataclass
class Shipment:
    id: str
    waybill: str
    carrier_id: str
    line_item_ids: list[str]
    created_at: datetime
    carrier_name: str | None = None


@dataclass
class Buyer:
    id: str
    login: str
    first_name: str
    last_name: str
    email: str
    phone: str
    city: str
    post_code: str
    street: str


@dataclass
class Order:
    id: str
    buyer: Buyer
    status: str
    fulfillment_status: str
    delivery_method_id: str
    delivery_method: str
    delivery_cost: str
    line_items: list[LineItem]
    shipments: list[Shipment]
    bought_at: datetime
    updated_at: datetime
    pickup_point: tuple[str, str] | None = None
    message_to_seller: str | None = None
    invoice_required: bool = False

    @property
    def cash_on_delivery(self) -> bool:
        return "pobranie" in self.delivery_method

    @property
    def total(self) -> str:
        cents = sum(round(float(li.price) * 100) * li.quantity for li in self.line_items)
        cents += round(float(self.delivery_cost) * 100)
        return f"{cents / 100:.2f}"


@dataclass
class DemoData:
    now: datetime
    seed: int
    seller_login: str
    seller_id: str
    threads: dict[str, Thread]
    issues: dict[str, Issue]
    orders: dict[str, Order]
    attachments: dict[str, Attachment]

    @classmethod
    def generate(
        cls,
        threads: int = 60,
        post_purchase_threads: int = 4,
        issues: int = 15,
        messages_per_thread: int | tuple[int, int] = (1, 8),
        chat_per_issue: int | tuple[int, int] = (2, 7),
        seed: int = DEFAULT_SEED,
        now: datetime = DEFAULT_NOW,
    ) -> DemoData:
        """Build a data set; `threads` counts COMMON threads, POST_PURCHASE_ISSUE threads come on top."""
        return _Generator(random.Random(seed), now).build(
            seed, threads, post_purchase_threads, issues, messages_per_thread, chat_per_issue
        )


class _Generator:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.attachments: dict[str, Attachment] = {}
        self.orders: dict[str, Order] = {}
        self._buyers: list[Buyer] = []
        self._bought: dict[str, tuple[texts.Product, str | None]] = {}  # line item id -> the product and its size

    # -- ids ---------------------------------------------------------------------------------------------------------

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def thread_id(self) -> str:
        return "".join(self.rng.choices(_BASE62, k=43))

    def offer_id(self) -> str:
        return str(self.rng.randrange(10_000_000_000, 17_999_999_999))

    # -- people and orders -------------------------------------------------------------------------------------------

    def buyer(self) -> Buyer:
        # A pool a bit smaller than the conversation count, so some buyers write more than once.
        if self._buyers and self.rng.random() < 0.2:
            return self.rng.choice(self._buyers)
        rng = self.rng
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        login = f"{rng.choice(texts.LOGIN_WORDS)}_{rng.choice(texts.LOGIN_WORDS)}{rng.randrange(1, 999)}"
        city, post_code, street = rng.choice(texts.CITIES)
        buyer = Buyer(
            id=str(rng.randrange(10_000_000, 140_000_000)),
            login=login,
            first_name=first,
            last_name=last,
            email=f"{rng.getrandbits(40):010x}+{login.lower()}@allegromail.pl",
            phone=f"{rng.choice('5678')}{rng.randrange(10_000_000, 99_999_999)}",
            city=city,
            post_code=post_code,
            street=street,
        )
        self._buyers.append(buyer)
        return buyer

    def waybill(self, style: str) -> str:
        rng = self.rng
        if style == "inpost":
            return "".join(rng.choices(string.digits, k=24))
        if style == "dpd":
            return "".join(rng.choices(string.digits, k=13)) + "U"
        if style == "pocztex":
            return "PX" + "".join(rng.choices(string.digits, k=18))
        return "A" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=9))

    def order(self, buyer: Buyer, bought_at: datetime) -> Order:
        rng = self.rng
        items: list[LineItem] = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            product = rng.choice(texts.PRODUCTS)
            size = rng.choice(product.sizes) if product.sizes else None
            low, high = product.prices
            price = f"{rng.randrange(low, high)}.{rng.choice(('99', '00', '49', '90'))}"
            item = LineItem(
                id=self.uuid(), offer_id=self.offer_id(),
                name=f"{product.name} rozm. {size}" if size else product.name,
                sku=f"{product.sku_prefix}-{rng.randrange(100, 9999):04d}", quantity=rng.choice((1, 1, 1, 2)),
                price=price, bought_at=bought_at,
            )
            self._bought[item.id] = (product, size)
            items.append(item)
        method, carrier, style = rng.choice(texts.DELIVERY_METHODS)
        age = self.now - bought_at
        if age < timedelta(hours=6):
            fulfillment = rng.choice(("NEW", "PROCESSING"))
        elif age < timedelta(days=1):
            fulfillment = rng.choice(("PROCESSING", "READY_FOR_SHIPMENT", "SENT"))
        else:
            fulfillment = rng.choice(("SENT", "SENT", "PICKED_UP", "READY_FOR_PICKUP", "RETURNED", "CANCELLED"))
        shipments: list[Shipment] = []
        if fulfillment in ("SENT", "PICKED_UP", "READY_FOR_PICKUP", "RETURNED"):
            for _ in range(rng.choice((1, 1, 1, 2))):
                shipments.append(
                    Shipment(
                        id=self.uuid(), waybill=self.waybill(style), carrier_id=carrier,
                        line_item_ids=[li.id for li in items], created_at=bought_at + timedelta(hours=rng.randrange(2, 30)),
                    )
                )
        order = Order(
            id=self.uuid(), buyer=buyer,
            status="CANCELLED" if fulfillment == "CANCELLED" else "READY_FOR_PROCESSING",
            fulfillment_status=fulfillment,
            delivery_method_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"delivery:{method}")),
            delivery_method=method,
            delivery_cost=rng.choice(("0.00", "8.99", "12.99", "15.99")),
            line_items=items, shipments=shipments, bought_at=bought_at,
            updated_at=bought_at + timedelta(hours=rng.randrange(1, 48)),
            pickup_point=rng.choice(texts.PICKUP_POINTS) if "Paczkomat" in method else None,
            message_to_seller=rng.choice((None, None, None, "Proszę o staranne zapakowanie.", "Prezent, bez paragonu.")),
            invoice_required=rng.random() < 0.25,
        )
        self.orders[order.id] = order
        return order

    def attachment(self, scope: Literal["messaging", "issues"], created_at: datetime) -> Attachment:
        name, mime = self.rng.choice(texts.ATTACHMENT_NAMES)
        att = Attachment(id=self.uuid(), file_name=name, mime_type=mime, scope=scope, created_at=created_at)
        self.attachments[att.id] = att
        return att

    # -- conversations -----------------------------------------------------------------------------------------------

    def count(self, spec: int | tuple[int, int]) -> int:
        return spec if isinstance(spec, int) else self.rng.randint(spec[0], spec[1])

    def product_of(self, order: Order | None) -> tuple[texts.Product, str | None]:
        """What a conversation is about: the order's first item, or an offer a buyer asks about before buying."""
        if order is not None:
            return self._bought[order.line_items[0].id]
        product = self.rng.choice(texts.PRODUCTS)
        return product, self.rng.choice(product.sizes) if product.sizes else None

    @staticmethod
    def fits(needs: texts.Needs, product: texts.Product, size: str | None) -> bool:
        if needs == "sizes":
            return size is not None and len(product.sizes) > 1
        if needs == "device":
            return product.device
        return True

    def fill(self, template: str, about: tuple[texts.Product, str | None]) -> str:
        product, size = about
        other = ""
        if size is not None and len(product.sizes) > 1:  # the next size up, or down from the largest
            at = product.sizes.index(size)
            other = product.sizes[at + 1] if at + 1 < len(product.sizes) else product.sizes[at - 1]
        return template.replace("{product}", product.name).replace("{size}", size or "").replace("{other_size}", other)

    def thread(self, kind: ThreadType, n_messages: int, seller_login: str) -> Thread:
        rng = self.rng
        buyer = self.buyer()
        # Recent activity is denser: most threads moved in the last days, a tail reaches back two months.
        last_at = self.now - timedelta(minutes=int(rng.expovariate(1 / 2500)) + 1, seconds=rng.randrange(60))
        span = timedelta(minutes=rng.randrange(5, 60 * 24 * 4)) if n_messages > 1 else timedelta(0)
        created = last_at - span
        has_order = kind == "POST_PURCHASE_ISSUE" or rng.random() < 0.45
        order = self.order(buyer, created - timedelta(days=rng.randrange(1, 14))) if has_order else None
        buyer_last = rng.random() < 0.6
        about = self.product_of(order)
        topic = rng.choice([each for each in texts.TOPICS if self.fits(each.needs, *about)])
        messages: list[ThreadMessage] = []
        step = span / max(n_messages - 1, 1)
        for i in range(n_messages):
            at = created + step * i if i < n_messages - 1 else last_at
            role: Literal["BUYER", "SELLER"]
            # Alternate roughly, then force the last author so "needs reply" appears in a known share.
            if i == n_messages - 1:
                role = "BUYER" if buyer_last or n_messages == 1 else "SELLER"
            elif i == 0:
                role = "BUYER"
            else:
                role = "SELLER" if messages[-1].role == "BUYER" and rng.random() < 0.8 else "BUYER"
            if role == "BUYER":
                text = self.fill(topic.opener if i == 0 else rng.choice(texts.BUYER_FOLLOWUPS), about)
                login = buyer.login
            else:
                # The seller's first answer is to the opener; later ones fit any conversation.
                answered = any(m.role == "SELLER" for m in messages)
                text = self.fill(rng.choice(texts.SELLER_REPLIES) if answered else topic.reply, about)
                login = seller_login
            msg_type = "MESSAGE_CENTER"
            if i == 0 and kind == "COMMON":
                msg_type = rng.choices(("MESSAGE_CENTER", "ASK_QUESTION", "MAIL"), (6, 3, 1))[0]
            messages.append(
                ThreadMessage(
                    id=self.uuid(), role=role, login=login, text=text, created_at=at, type=msg_type,
                    subject=topic.subject if msg_type == "MAIL" else None,
                    offer_id=order.line_items[0].offer_id if order and i == 0 and msg_type == "ASK_QUESTION" else None,
                    order_id=order.id if order and i == 0 and rng.random() < 0.5 else None,
                    attachments=[self.attachment("messaging", at)] if role == "BUYER" and rng.random() < 0.12 else [],
                )
            )
        return Thread(
            id=self.thread_id(), type=kind, buyer_login=buyer.login, created_at=created, messages=messages,
            read=messages[-1].role == "SELLER" or rng.random() < 0.3,
            status="CLOSED" if kind == "POST_PURCHASE_ISSUE" and rng.random() < 0.4 else "OPEN",
            sub_type=rng.choice(POST_PURCHASE_SUBTYPES) if kind == "POST_PURCHASE_ISSUE" else None,
            order_ids=[order.id] if order and kind == "POST_PURCHASE_ISSUE" else [],
        )

    def issue(self, index: int, n_chat: int, seller_login: str) -> Issue:
        rng = self.rng
        kind, status = ISSUE_STATES[index % len(ISSUE_STATES)]
        buyer = self.buyer()
        # An open claim is younger than its deadline (a claim is decided within 14 days); decided ones reach further.
        closed = status in CLOSED_ISSUE_STATES
        age = timedelta(hours=rng.randrange(2, 24 * (30 if closed else 12)), minutes=rng.randrange(60))
        if not closed:
            # A few open ones close to their deadlines (a dispute's status date is 7 days on, a claim's 14), as the
            # deadlines filter is meant to show them: one just past, two within a day.
            age = _NEAR_DEADLINE_AGES.get(index, age)
        opened = self.now - age
        order = self.order(buyer, opened - timedelta(days=rng.randrange(3, 40)))
        item = order.line_items[0]
        about = self._bought[item.id]
        reason = rng.choice([each for each in texts.ISSUE_REASONS if self.fits(each.needs, *about)])
        first_text = self.fill(reason.buyer_text, about)
        chat: list[ChatEntry] = [
            ChatEntry(self.uuid(), "BUYER", buyer.login, first_text, opened,
                      [self.attachment("issues", opened)] if rng.random() < 0.3 else [])
        ]
        span = (self.now - opened) * 0.9
        for i in range(1, n_chat):
            at = opened + span * i / max(n_chat - 1, 1)
            pick = rng.random()
            if pick < 0.1:
                chat.append(ChatEntry(self.uuid(), "SYSTEM", None, rng.choice(texts.ISSUE_SYSTEM_TEXTS[kind]), at))
            elif pick < 0.2:
                chat.append(ChatEntry(self.uuid(), "ADMIN", None, "Dzień dobry, tu Allegro. Pomożemy rozwiązać sprawę.", at))
            elif chat[-1].role == "BUYER" or pick < 0.45:
                # The seller's first answer is to the buyer's complaint; later ones fit any issue.
                answered = any(entry.role == "SELLER" for entry in chat)
                text = rng.choice(texts.ISSUE_SELLER_TEXTS) if answered else self.fill(reason.reply, about)
                chat.append(ChatEntry(self.uuid(), "SELLER", seller_login, text, at))
            else:
                chat.append(ChatEntry(self.uuid(), "BUYER", buyer.login, rng.choice(texts.ISSUE_BUYER_TEXTS), at,
                                      [self.attachment("issues", at)] if rng.random() < 0.15 else []))
        expectation = rng.choice(("REFUND", "EXCHANGE", "REPAIR", "PARTIAL_REFUND")) if kind == "CLAIM" else None
        return Issue(
            id=self.uuid(), type=kind, status=status, opened_at=opened, buyer_login=buyer.login, buyer_id=buyer.id,
            order_id=order.id, order_created_at=order.bought_at, subject=reason.subject, reason_type=reason.reason_type,
            description=first_text, offer_id=item.offer_id, quantity=item.quantity, chat=chat,
            chat_active=not closed,
            reference_number=f"{index + 1}/{self.now.year}" if kind == "CLAIM" else None,
            decision_due=opened + timedelta(days=14) if kind == "CLAIM" else None,
            status_due=None if closed else opened + timedelta(days=14 if kind == "CLAIM" else 7),
            return_required=(rng.random() < 0.5) if kind == "CLAIM" else None,
            expectation=expectation,
            refund_amount=item.price if expectation in ("REFUND", "PARTIAL_REFUND") else None,
            right=rng.choice(("WARRANTY", "COMPLAINT")) if kind == "CLAIM" else None,
        )

    def build(
        self, seed: int, n_threads: int, n_ppi: int, n_issues: int,
        messages_per_thread: int | tuple[int, int], chat_per_issue: int | tuple[int, int],
    ) -> DemoData:
        seller = texts.SELLER_LOGIN
        threads: dict[str, Thread] = {}
        for _ in range(n_threads):
            t = self.thread("COMMON", max(1, self.count(messages_per_thread)), seller)
            threads[t.id] = t
        for i in range(n_ppi):
            t = self.thread("POST_PURCHASE_ISSUE", max(1, self.count(messages_per_thread)), seller)
            if i == 0:
                t.status = "CLOSED"  # at least one closed thread, to exercise THREAD_CLOSED
            elif i == 1:
                t.status = "OPEN"
            threads[t.id] = t
        issues: dict[str, Issue] = {}
        for i in range(n_issues):
            issue = self.issue(i, max(1, self.count(chat_per_issue)), seller)
            issues[issue.id] = issue
        return DemoData(
            now=self.now, seed=seed, seller_login=seller, seller_id=texts.SELLER_ID, threads=threads,
            issues=issues, orders=self.orders, attachments=self.attachments,
        )
