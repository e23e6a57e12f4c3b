"""Allegro JSON -> the typed objects of models.py.

Unknown fields are ignored, missing or wrong-typed optional fields get defaults, and a body without what the
contract requires raises ProtocolError naming the endpoint. In a listing each record stands on its own: a record
that cannot be read is skipped and reported (SkippedRecord), the rest of the page is used. Nothing here raises
anything but ProtocolError. No HTTP here: these take decoded JSON.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from magazyn_desktop.domain.records import (
    Address,
    AttachmentInfo,
    ConversationMessage,
    ConversationSummary,
    LineItem,
    Order,
    Payment,
    PickupPoint,
    SentMessage,
    Shipment,
)
from magazyn_desktop.domain.vocabulary import CLOSED_THREAD_STATUS, Kind, Role, SubKind

from .errors import ProtocolError
from .ids import InvalidIdError, checked_id
from .models import IssuePage, Me, MessagePage, SkippedRecord, ThreadPage

Json = Mapping[str, Any]
Parsed = TypeVar("Parsed")

# RFC 3339 §5.6 date-time; §5.6's note allows lower-case t and z, and a space for the T. No offset is taken as UTC.
_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})?", re.ASCII
)
_ID_SHOWN_MAX = 100  # a skipped record's id is reported; a longer one is cut so a report stays readable


def _object(value: Any, endpoint: str, what: str) -> Json:
    if not isinstance(value, Mapping):
        raise ProtocolError(f"expected a JSON object for {what}", endpoint=endpoint)
    return value


def _list(value: Any, endpoint: str, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ProtocolError(f"expected a JSON array for {what}", endpoint=endpoint)
    return value


def _optional_list(value: Any) -> list[Any]:
    """A list that only adds detail to a summary: anything but a list reads as empty."""
    return value if isinstance(value, list) else []


def _listing(data: Json, key: str, endpoint: str) -> list[Any]:
    """The records of a listing. Null is refused, not read as empty: a listing that says nothing is not trusted."""
    if key not in data:
        raise ProtocolError(f"missing field {key!r}", endpoint=endpoint)
    value = data[key]
    if value is None:
        raise ProtocolError(f"{key!r} is null instead of a list", endpoint=endpoint)
    if not isinstance(value, list):
        raise ProtocolError(f"expected a JSON array for {key}", endpoint=endpoint)
    return value


def _record_id(record: Any) -> str | None:
    value = record.get("id") if isinstance(record, Mapping) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value[:_ID_SHOWN_MAX] if isinstance(value, str) and value.strip() else None


def _each_record(
    records: list[Any], record: str, endpoint: str, parse: Callable[[Any], Parsed]
) -> tuple[tuple[Parsed, ...], tuple[SkippedRecord, ...]]:
    """Every record parsed on its own: those that cannot be read are skipped with the reason, not the page."""
    parsed: list[Parsed] = []
    skipped: list[SkippedRecord] = []
    for value in records:
        try:
            parsed.append(parse(value))
        except ProtocolError as exc:
            skipped.append(SkippedRecord(record, _record_id(value), exc.message, endpoint))
    return tuple(parsed), tuple(skipped)


def _required_str(data: Json, key: str, endpoint: str) -> str:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is None:
        raise ProtocolError(f"missing field {key!r}", endpoint=endpoint)
    if not isinstance(value, str):
        raise ProtocolError(f"{key!r} is not a string", endpoint=endpoint)
    if not value.strip():
        raise ProtocolError(f"{key!r} is empty", endpoint=endpoint)
    return value


def _conversation_id(data: Json, endpoint: str) -> str:
    """A thread's or an issue's id, which goes into the paths of its later requests: one that no request could
    carry skips its record here, instead of failing the conversation on every sync."""
    value = _required_str(data, "id", endpoint)
    try:
        return checked_id(value, "conversation")
    except InvalidIdError:
        raise ProtocolError("'id' is not the shape of an Allegro id", endpoint=endpoint) from None


def _optional_str(data: Json | None, key: str) -> str | None:
    if not isinstance(data, Mapping):
        return None
    value = data.get(key)
    return None if value is None or isinstance(value, (dict, list)) else str(value)


def _nested(data: Json | None, *keys: str) -> Any:
    current: Any = data
    for key in keys:
        if not isinstance(current, Mapping):
            return None
        current = current.get(key)
    return current


def parse_datetime(value: Any, endpoint: str, *, field: str, required: bool = False) -> datetime | None:
    """An RFC 3339 date-time as an aware UTC datetime; ProtocolError for anything else or for a moment that a
    datetime cannot hold in UTC (year 1 with a positive offset). Fractions beyond microseconds are cut off."""
    if value is None or value == "":
        if required:
            raise ProtocolError(f"missing date-time {field!r}", endpoint=endpoint)
        return None
    if not isinstance(value, str):
        raise ProtocolError(f"{field!r} is not a date-time string", endpoint=endpoint)
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        raise ProtocolError(f"{field!r} is not an RFC 3339 date-time", endpoint=endpoint)
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, offset = match.group(7), match.group(8)
    microsecond = int(fraction[:6].ljust(6, "0")) if fraction else 0
    if second == 60:  # a leap second: kept as the last instant of its minute
        second, microsecond = 59, 999_999
    try:
        zone = timezone.utc if offset is None or offset in ("Z", "z") else _utc_offset(offset)
        return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=zone).astimezone(timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise ProtocolError(f"{field!r} is not a valid date-time in UTC's range", endpoint=endpoint) from exc


def _utc_offset(offset: str) -> timezone:
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    if minutes > 59:
        raise ValueError("offset minutes out of range")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if offset[0] == "-" else delta)  # timezone() refuses 24:00 and beyond


def _bool(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):  # the public.v1 spec example renders `read` as the string 'false'
        return value.strip().lower() == "true"
    return default


def _attachment_id_from_url(url: str | None) -> str | None:
    if not url:
        return None
    last = url.rstrip("/").rsplit("/", 1)[-1]
    return last or None


def _attachments(values: Any, endpoint: str) -> tuple[AttachmentInfo, ...]:
    result: list[AttachmentInfo] = []
    for item in _list(values, endpoint, "attachments"):
        entry = _object(item, endpoint, "an attachment")
        url = _optional_str(entry, "url")
        result.append(
            AttachmentInfo(
                file_name=_optional_str(entry, "fileName") or _optional_str(entry, "filename") or "attachment",
                id=_optional_str(entry, "id") or _attachment_id_from_url(url),
                mime_type=_optional_str(entry, "mimeType"),
                url=url,
                status=_optional_str(entry, "status"),
            )
        )
    return tuple(result)


# -- me -------------------------------------------------------------------------------------------------------------


def parse_me(body: Any, endpoint: str) -> Me:
    data = _object(body, endpoint, "the account")
    return Me(id=_required_str(data, "id", endpoint), login=_required_str(data, "login", endpoint))


# -- messaging ------------------------------------------------------------------------------------------------------


def _sub_kind_of_thread(data: Json) -> SubKind:
    return SubKind.POST_PURCHASE_ISSUE if data.get("type") == SubKind.POST_PURCHASE_ISSUE else SubKind.COMMON


def _beta_interlocutor(participants: list[Any], own_login: str | None) -> str | None:
    logins = [p for p in participants if isinstance(p, Mapping)]
    for participant in logins:
        if participant.get("role") == Role.BUYER:
            return _optional_str(participant, "login")
    for participant in logins:
        login = _optional_str(participant, "login")
        if participant.get("role") != Role.SELLER and login and login != own_login:
            return login
    return None


def parse_thread_beta(body: Any, endpoint: str, own_login: str | None = None) -> ConversationSummary:
    data = _object(body, endpoint, "a thread")
    status = _optional_str(data, "status")
    orders = _optional_list(data.get("orders"))
    order_id = _optional_str(orders[0], "id") if orders and isinstance(orders[0], Mapping) else None
    return ConversationSummary(
        id=_conversation_id(data, endpoint),
        kind=Kind.THREAD,
        sub_kind=_sub_kind_of_thread(data),
        last_activity_at=parse_datetime(data.get("lastMessageDateTime"), endpoint, field="lastMessageDateTime"),
        interlocutor_login=_beta_interlocutor(_optional_list(data.get("participants")), own_login),
        read=_bool(data.get("read"), True),
        status=status,
        sub_type=_optional_str(data, "subType"),
        can_reply=status != CLOSED_THREAD_STATUS,
        order_id=order_id,
    )


def parse_thread_public(body: Any, endpoint: str) -> ConversationSummary:
    data = _object(body, endpoint, "a thread")
    return ConversationSummary(
        id=_conversation_id(data, endpoint),
        kind=Kind.THREAD,
        sub_kind=SubKind.COMMON,  # public.v1 has no thread type
        last_activity_at=parse_datetime(data.get("lastMessageDateTime"), endpoint, field="lastMessageDateTime"),
        interlocutor_login=_optional_str(data.get("interlocutor"), "login"),
        read=_bool(data.get("read"), True),
    )


# A cursor goes back into the next request's query string; one this long is no cursor Allegro hands out, and httpx
# refuses to build such a URL.
MAX_CURSOR_LENGTH = 2048


def _next_page_id(data: Json, endpoint: str) -> str | None:
    cursor = _optional_str(data.get("nextPage"), "id")
    if cursor is not None and (len(cursor) > MAX_CURSOR_LENGTH or not cursor.isprintable()):
        raise ProtocolError("the next-page cursor is not usable", endpoint=endpoint)
    return cursor


def parse_thread_page_beta(body: Any, endpoint: str, own_login: str | None = None) -> ThreadPage:
    data = _object(body, endpoint, "a thread list")
    threads, skipped = _each_record(
        _listing(data, "threads", endpoint), "thread", endpoint, lambda t: parse_thread_beta(t, endpoint, own_login)
    )
    return ThreadPage(threads=threads, next_page_id=_next_page_id(data, endpoint), skipped=skipped)


def parse_thread_page_public(body: Any, endpoint: str, *, offset: int, limit: int) -> ThreadPage:
    data = _object(body, endpoint, "a thread list")
    threads, skipped = _each_record(
        _listing(data, "threads", endpoint), "thread", endpoint, lambda t: parse_thread_public(t, endpoint)
    )
    records = len(threads) + len(skipped)  # a skipped record still takes its place in the offsets
    return ThreadPage(threads=threads, next_offset=offset + records if records >= limit else None, skipped=skipped)


def mentions_user_role(body: Any) -> bool:
    """Whether a beta.v1 thread, thread list or message list has a USER participant or author: only then is the
    account's own login needed to tell the seller from the buyer."""
    if not isinstance(body, Mapping):
        return False
    records: list[Any] = [body, *_optional_list(body.get("threads")), *_optional_list(body.get("messages"))]
    for record in records:
        if not isinstance(record, Mapping):
            continue
        people = [*_optional_list(record.get("participants")), record.get("author")]
        if any(isinstance(person, Mapping) and person.get("role") == "USER" for person in people):
            return True
    return False


def beta_role(author: Json | None, own_login: str | None) -> Role:
    role = _optional_str(author, "role")
    if role in (Role.BUYER, Role.SELLER):  # Allegro's names for them are the vocabulary's
        return Role(role)
    if role == "USER":  # COMMON threads between two accounts: the seller is the one whose login is ours
        login = _optional_str(author, "login")
        return Role.SELLER if own_login is not None and login == own_login else Role.BUYER
    return Role.ALLEGRO  # CONSULTANT, ALLEGRO


def parse_thread_message(body: Any, endpoint: str, thread_id: str, own_login: str | None) -> ConversationMessage:
    """A message in either representation: beta.v1 has author.role, public.v1 has author.isInterlocutor."""
    data = _object(body, endpoint, "a message")
    author = data.get("author") if isinstance(data.get("author"), Mapping) else None
    if author is not None and "role" in author:
        role = beta_role(author, own_login)
    else:
        role = Role.BUYER if _bool(_nested(author, "isInterlocutor"), False) else Role.SELLER
    return ConversationMessage(
        id=_required_str(data, "id", endpoint),
        conversation_id=_optional_str(data.get("thread"), "id") or thread_id,
        role=role,
        author_login=_optional_str(author, "login"),
        text=_optional_str(data, "text") or "",
        created_at=parse_datetime(data.get("createdAt"), endpoint, field="createdAt", required=True),  # type: ignore[arg-type]
        attachments=_attachments(data.get("attachments"), endpoint),
        remote_status=_optional_str(data, "status"),
        remote_type=_optional_str(data, "type"),
        order_id=_optional_str(_nested(data, "relatesTo", "order"), "id"),
    )


def parse_message_page(body: Any, endpoint: str, thread_id: str, own_login: str | None) -> MessagePage:
    data = _object(body, endpoint, "a message list")
    messages, skipped = _each_record(
        _listing(data, "messages", endpoint), "message", endpoint,
        lambda m: parse_thread_message(m, endpoint, thread_id, own_login),
    )
    return MessagePage(messages=messages, skipped=skipped, next_page_id=_next_page_id(data, endpoint))


def parse_sent_message(body: Any, endpoint: str, conversation_id: str, text: str) -> SentMessage:
    data = _object(body, endpoint, "the sent message")
    return SentMessage(
        id=_optional_str(data, "id"),  # Allegro has answered id: null for some issue message types
        conversation_id=conversation_id,
        created_at=parse_datetime(data.get("createdAt"), endpoint, field="createdAt"),
        text=_optional_str(data, "text") or text,
    )


def parse_attachment_id(body: Any, endpoint: str) -> str:
    return _required_str(_object(body, endpoint, "the attachment id"), "id", endpoint)


# -- issues ---------------------------------------------------------------------------------------------------------


def parse_issue(body: Any, endpoint: str) -> ConversationSummary:
    data = _object(body, endpoint, "an issue")
    issue_type = data.get("type")
    sub_kind = SubKind.CLAIM if issue_type == SubKind.CLAIM else SubKind.DISPUTE
    last_message = _nested(data, "chat", "lastMessage")
    last_created = _nested(last_message, "createdAt")
    # The last message's time, or when the issue was opened for a chat that has none.
    stamp, stamp_field = (last_created, "chat.lastMessage.createdAt") if last_created else (
        data.get("openedDate"), "openedDate")
    count = _nested(data, "chat", "messagesCount")
    return ConversationSummary(
        id=_conversation_id(data, endpoint),
        kind=Kind.ISSUE,
        sub_kind=sub_kind,
        last_activity_at=parse_datetime(stamp, endpoint, field=stamp_field),
        interlocutor_login=_optional_str(data.get("buyer"), "login"),
        status=_optional_str(data.get("currentState"), "status"),
        can_reply=_bool(_nested(data, "currentState", "chatActive"), True),
        order_id=_optional_str(data.get("checkoutForm"), "id"),
        subject=_optional_str(data, "subject"),
        decision_due_at=parse_datetime(data.get("decisionDueDate"), endpoint, field="decisionDueDate"),
        status_due_at=parse_datetime(_nested(data, "currentState", "statusDueDate"), endpoint,
                                     field="currentState.statusDueDate"),
        opened_at=parse_datetime(data.get("openedDate"), endpoint, field="openedDate"),
        messages_count=count if isinstance(count, int) and not isinstance(count, bool) else None,
        last_message_status=_optional_str(last_message, "status"),
    )


def parse_issue_list(body: Any, endpoint: str) -> IssuePage:
    data = _object(body, endpoint, "an issue list")
    issues, skipped = _each_record(
        _listing(data, "issues", endpoint), "issue", endpoint, lambda i: parse_issue(i, endpoint)
    )
    return IssuePage(issues=issues, skipped=skipped)


_ISSUE_ROLES = {role.value: role for role in (Role.BUYER, Role.SELLER)}


def parse_issue_chat_message(body: Any, endpoint: str, issue_id: str) -> ConversationMessage:
    data = _object(body, endpoint, "a chat entry")
    author = data.get("author") if isinstance(data.get("author"), Mapping) else None
    return ConversationMessage(
        id=_required_str(data, "id", endpoint),
        conversation_id=issue_id,
        role=_ISSUE_ROLES.get(_optional_str(author, "role") or "", Role.ALLEGRO),  # ADMIN, SYSTEM, FULFILLMENT
        author_login=_optional_str(author, "login"),
        text=_optional_str(data, "text") or "",
        created_at=parse_datetime(data.get("createdAt"), endpoint, field="createdAt", required=True),  # type: ignore[arg-type]
        attachments=_attachments(data.get("attachments"), endpoint),
    )


def parse_issue_chat(body: Any, endpoint: str, issue_id: str) -> MessagePage:
    data = _object(body, endpoint, "an issue chat")
    entries, skipped = _each_record(
        _listing(data, "chat", endpoint), "chat entry", endpoint,
        lambda e: parse_issue_chat_message(e, endpoint, issue_id),
    )
    return MessagePage(messages=entries, skipped=skipped)


# -- orders ---------------------------------------------------------------------------------------------------------


def parse_shipments(body: Any, endpoint: str) -> tuple[Shipment, ...]:
    data = _object(body, endpoint, "the shipments")
    result: list[Shipment] = []
    for item in _list(data.get("shipments"), endpoint, "shipments"):
        entry = _object(item, endpoint, "a shipment")
        waybill = _optional_str(entry, "waybill")
        if not waybill:
            continue
        result.append(
            Shipment(
                waybill=waybill,
                carrier=_optional_str(entry, "carrierName") or _optional_str(entry, "carrierId"),
                created_at=parse_datetime(entry.get("createdAt"), endpoint, field="createdAt"),
            )
        )
    return tuple(result)


def parse_order(body: Any, endpoint: str, shipments: tuple[Shipment, ...] = ()) -> Order:
    data = _object(body, endpoint, "an order")
    items: list[LineItem] = []
    bought: list[datetime] = []
    for item in _list(data.get("lineItems"), endpoint, "lineItems"):
        entry = _object(item, endpoint, "a line item")
        bought_at = parse_datetime(entry.get("boughtAt"), endpoint, field="lineItems.boughtAt")
        if bought_at is not None:
            bought.append(bought_at)
        offer = entry.get("offer") if isinstance(entry.get("offer"), Mapping) else None
        quantity = entry.get("quantity")
        items.append(
            LineItem(
                offer_id=_optional_str(offer, "id"),
                name=_optional_str(offer, "name") or "",
                sku=_optional_str(_nested(offer, "external"), "id"),
                quantity=quantity if isinstance(quantity, int) and not isinstance(quantity, bool) else 1,
                price=_optional_str(entry.get("price"), "amount"),
                currency=_optional_str(entry.get("price"), "currency"),
            )
        )
    total = _nested(data, "summary", "totalToPay")
    buyer = data.get("buyer")
    delivery = data.get("delivery")
    return Order(
        id=_required_str(data, "id", endpoint),
        buyer_login=_optional_str(data.get("buyer"), "login"),
        status=_optional_str(data, "status"),
        fulfillment_status=_optional_str(data.get("fulfillment"), "status"),
        delivery_method=_optional_str(_nested(data, "delivery", "method"), "name"),
        line_items=tuple(items),
        shipments=shipments,
        total=_optional_str(total, "amount"),
        currency=_optional_str(total, "currency"),
        message_to_seller=_optional_str(data, "messageToSeller"),
        bought_at=max(bought, default=None),
        buyer_first_name=_optional_str(buyer, "firstName"),
        buyer_last_name=_optional_str(buyer, "lastName"),
        buyer_company=_optional_str(buyer, "companyName"),
        delivery_address=_parse_address(_nested(delivery, "address"), with_recipient=True),
        pickup_point=_parse_pickup_point(_nested(delivery, "pickupPoint")),
        payment=_parse_payment(data.get("payment"), endpoint),
        invoice_required=_optional_bool(_nested(data, "invoice", "required")),
    )


def _optional_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _parse_address(data: Any, *, with_recipient: bool) -> Address | None:
    """A delivery or pickup point address; None when it names no place at all."""
    if not isinstance(data, Mapping):
        return None
    place = Address(
        street=_optional_str(data, "street"),
        zip_code=_optional_str(data, "zipCode"),
        city=_optional_str(data, "city"),
        country_code=_optional_str(data, "countryCode"),
    )
    if not (place.street or place.zip_code or place.city):
        return None
    if not with_recipient:
        return place
    person = " ".join(part for part in (_optional_str(data, "firstName"), _optional_str(data, "lastName")) if part)
    return dataclasses.replace(place, name=person or None, company=_optional_str(data, "companyName"))


def _parse_pickup_point(data: Any) -> PickupPoint | None:
    point_id = _optional_str(data, "id")
    if not point_id or not isinstance(data, Mapping):
        return None
    return PickupPoint(
        id=point_id,
        name=_optional_str(data, "name"),
        description=_optional_str(data, "description"),
        address=_parse_address(data.get("address"), with_recipient=False),
    )


def _parse_payment(data: Any, endpoint: str) -> Payment | None:
    if not isinstance(data, Mapping):
        return None
    paid = data.get("paidAmount")
    return Payment(
        type=_optional_str(data, "type"),
        finished_at=parse_datetime(data.get("finishedAt"), endpoint, field="payment.finishedAt"),
        paid_amount=_optional_str(paid, "amount"),
        currency=_optional_str(paid, "currency"),
    )


def parse_order_list(body: Any, endpoint: str) -> tuple[tuple[Order, ...], tuple[SkippedRecord, ...]]:
    """A page of checkout forms (without their shipments, which the list does not carry), each read on its own."""
    data = _object(body, endpoint, "an order list")
    return _each_record(_listing(data, "checkoutForms", endpoint), "order", endpoint,
                        lambda form: parse_order(form, endpoint))
