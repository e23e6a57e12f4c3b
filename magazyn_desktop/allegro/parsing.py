"""Allegro JSON -> the typed objects of models.py.

Unknown fields are ignored, missing optional fields get defaults, and a body without what the contract requires
raises ProtocolError naming the endpoint. No HTTP here: these take decoded JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from .errors import ProtocolError
from .models import (
    AttachmentInfo,
    ConversationMessage,
    ConversationSummary,
    IssuePage,
    Kind,
    LineItem,
    Me,
    Order,
    Role,
    SentMessage,
    Shipment,
    SubKind,
    ThreadPage,
)

Json = Mapping[str, Any]


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


def _required_str(data: Json, key: str, endpoint: str) -> str:
    value = data.get(key)
    if value is None or isinstance(value, (dict, list)):
        raise ProtocolError(f"missing field {key!r}", endpoint=endpoint)
    return str(value)


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
    if value is None or value == "":
        if required:
            raise ProtocolError(f"missing date-time {field!r}", endpoint=endpoint)
        return None
    if not isinstance(value, str):
        raise ProtocolError(f"{field!r} is not a date-time string", endpoint=endpoint)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProtocolError(f"{field!r} is not an ISO-8601 date-time", endpoint=endpoint) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


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
    return SubKind.POST_PURCHASE_ISSUE if data.get("type") == "POST_PURCHASE_ISSUE" else SubKind.COMMON


def _beta_interlocutor(participants: list[Any], own_login: str | None) -> str | None:
    logins = [p for p in participants if isinstance(p, Mapping)]
    for participant in logins:
        if participant.get("role") == "BUYER":
            return _optional_str(participant, "login")
    for participant in logins:
        login = _optional_str(participant, "login")
        if participant.get("role") != "SELLER" and login and login != own_login:
            return login
    return None


def parse_thread_beta(body: Any, endpoint: str, own_login: str | None = None) -> ConversationSummary:
    data = _object(body, endpoint, "a thread")
    status = _optional_str(data, "status")
    orders = _list(data.get("orders"), endpoint, "orders")
    order_id = _optional_str(orders[0], "id") if orders and isinstance(orders[0], Mapping) else None
    return ConversationSummary(
        id=_required_str(data, "id", endpoint),
        kind=Kind.THREAD,
        sub_kind=_sub_kind_of_thread(data),
        last_activity_at=parse_datetime(data.get("lastMessageDateTime"), endpoint, field="lastMessageDateTime"),
        interlocutor_login=_beta_interlocutor(_list(data.get("participants"), endpoint, "participants"), own_login),
        read=_bool(data.get("read"), True),
        status=status,
        sub_type=_optional_str(data, "subType"),
        can_reply=status != "CLOSED",
        order_id=order_id,
    )


def parse_thread_public(body: Any, endpoint: str) -> ConversationSummary:
    data = _object(body, endpoint, "a thread")
    return ConversationSummary(
        id=_required_str(data, "id", endpoint),
        kind=Kind.THREAD,
        sub_kind=SubKind.COMMON,  # public.v1 has no thread type
        last_activity_at=parse_datetime(data.get("lastMessageDateTime"), endpoint, field="lastMessageDateTime"),
        interlocutor_login=_optional_str(data.get("interlocutor"), "login"),
        read=_bool(data.get("read"), True),
    )


def parse_thread_page_beta(body: Any, endpoint: str, own_login: str | None = None) -> ThreadPage:
    data = _object(body, endpoint, "a thread list")
    if "threads" not in data:
        raise ProtocolError("missing field 'threads'", endpoint=endpoint)
    threads = tuple(parse_thread_beta(t, endpoint, own_login) for t in _list(data["threads"], endpoint, "threads"))
    return ThreadPage(threads=threads, next_page_id=_optional_str(data.get("nextPage"), "id"))


def parse_thread_page_public(body: Any, endpoint: str, *, offset: int, limit: int) -> ThreadPage:
    data = _object(body, endpoint, "a thread list")
    if "threads" not in data:
        raise ProtocolError("missing field 'threads'", endpoint=endpoint)
    threads = tuple(parse_thread_public(t, endpoint) for t in _list(data["threads"], endpoint, "threads"))
    return ThreadPage(threads=threads, next_offset=offset + len(threads) if len(threads) >= limit else None)


def beta_role(author: Json | None, own_login: str | None) -> Role:
    role = _optional_str(author, "role")
    if role == "BUYER":
        return Role.BUYER
    if role == "SELLER":
        return Role.SELLER
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


def parse_message_page(body: Any, endpoint: str, thread_id: str, own_login: str | None) -> tuple[list[ConversationMessage], str | None]:
    data = _object(body, endpoint, "a message list")
    if "messages" not in data:
        raise ProtocolError("missing field 'messages'", endpoint=endpoint)
    messages = [parse_thread_message(m, endpoint, thread_id, own_login) for m in _list(data["messages"], endpoint, "messages")]
    return messages, _optional_str(data.get("nextPage"), "id")


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
    sub_kind = SubKind.CLAIM if issue_type == "CLAIM" else SubKind.DISPUTE
    last_message = _nested(data, "chat", "lastMessage")
    last_created = _nested(last_message, "createdAt")
    opened = data.get("openedDate")
    count = _nested(data, "chat", "messagesCount")
    return ConversationSummary(
        id=_required_str(data, "id", endpoint),
        kind=Kind.ISSUE,
        sub_kind=sub_kind,
        last_activity_at=parse_datetime(last_created or opened, endpoint, field="lastMessage.createdAt"),
        interlocutor_login=_optional_str(data.get("buyer"), "login"),
        status=_optional_str(data.get("currentState"), "status"),
        can_reply=_bool(_nested(data, "currentState", "chatActive"), True),
        order_id=_optional_str(data.get("checkoutForm"), "id"),
        subject=_optional_str(data, "subject"),
        decision_due_at=parse_datetime(data.get("decisionDueDate"), endpoint, field="decisionDueDate"),
        messages_count=count if isinstance(count, int) and not isinstance(count, bool) else None,
        last_message_status=_optional_str(last_message, "status"),
    )


def parse_issue_list(body: Any, endpoint: str) -> IssuePage:
    data = _object(body, endpoint, "an issue list")
    if "issues" not in data:
        raise ProtocolError("missing field 'issues'", endpoint=endpoint)
    return IssuePage(tuple(parse_issue(i, endpoint) for i in _list(data["issues"], endpoint, "issues")))


_ISSUE_ROLES = {"BUYER": Role.BUYER, "SELLER": Role.SELLER}


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


def parse_issue_chat(body: Any, endpoint: str, issue_id: str) -> list[ConversationMessage]:
    data = _object(body, endpoint, "an issue chat")
    if "chat" not in data:
        raise ProtocolError("missing field 'chat'", endpoint=endpoint)
    return [parse_issue_chat_message(m, endpoint, issue_id) for m in _list(data["chat"], endpoint, "chat")]


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
    for item in _list(data.get("lineItems"), endpoint, "lineItems"):
        entry = _object(item, endpoint, "a line item")
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
    )
