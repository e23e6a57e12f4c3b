"""Turn demo objects into the JSON shapes of the contract (beta.v1 and public.v1), nothing else."""

from __future__ import annotations

import zlib
from typing import Any

from .data import Attachment, ChatEntry, Issue, Order, Thread, ThreadMessage, iso

# Attachment urls in messages point at the upload host, as on Allegro: not a download link, only its last segment
# (the id) is useful. Issue attachment urls point at the API host, as in the contract's examples.
UPLOAD_URL = "https://upload.demo.invalid"
AVATAR_URL = "https://a.allegroimg.demo.invalid/original/avatar"


def thread_beta(t: Thread, seller_login: str, orders: dict[str, Order]) -> dict[str, Any]:
    thread_orders = None
    if t.type == "POST_PURCHASE_ISSUE":
        thread_orders = [
            {"id": oid, "offers": [{"id": li.offer_id, "quantity": li.quantity} for li in orders[oid].line_items]}
            for oid in t.order_ids
            if oid in orders
        ]
    out: dict[str, Any] = {
        "id": t.id,
        "read": t.read,
        "type": t.type,
        "createdAt": iso(t.created_at),
        "lastMessageDateTime": iso(t.last_message_at),
        "participants": [{"role": "BUYER", "login": t.buyer_login}, {"role": "SELLER", "login": seller_login}],
        "orders": thread_orders,
        "status": t.status,
    }
    # OpenAPI 3.0: a nullable enum still rejects null unless null is listed, so an absent subType is left out.
    if t.sub_type is not None:
        out["subType"] = t.sub_type
    return out


def thread_public(t: Thread) -> dict[str, Any]:
    return {
        "id": t.id,
        "read": t.read,
        "lastMessageDateTime": iso(t.last_message_at),
        "interlocutor": {"login": t.buyer_login, "avatarUrl": AVATAR_URL},
    }


def _message_attachment(a: Attachment, beta: bool) -> dict[str, Any]:
    out = {
        "fileName": a.file_name,
        "mimeType": a.mime_type,
        "url": f"{UPLOAD_URL}/message-center/message-attachments/{a.id}",
        "status": "SAFE",
    }
    if beta:
        out = {"id": a.id, **out}
    return out


def message_beta(m: ThreadMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "status": "DELIVERED",
        "type": m.type,
        "createdAt": iso(m.created_at),
        "author": {"role": m.role, "login": m.login},
        "text": m.text,
        "subject": m.subject,
        "relatesTo": {
            "offer": {"id": m.offer_id} if m.offer_id else None,
            "order": {"id": m.order_id} if m.order_id else None,
        },
        "hasAdditionalAttachments": False,
        "attachments": [_message_attachment(a, True) for a in m.attachments],
        "additionalInformation": None,
    }


def message_public(m: ThreadMessage, thread_id: str) -> dict[str, Any]:
    relates: dict[str, Any] = {"offer": {"id": m.offer_id} if m.offer_id else None}
    if m.order_id:
        relates["order"] = {"id": m.order_id}  # public MessageOrder is not nullable: leave it out instead
    return {
        "id": m.id,
        "status": "DELIVERED",
        "type": m.type,
        "createdAt": iso(m.created_at),
        "thread": {"id": thread_id},
        "author": {"login": m.login, "isInterlocutor": m.role == "BUYER"},
        "text": m.text,
        "subject": m.subject,
        "relatesTo": relates,
        "hasAdditionalAttachments": False,
        "attachments": [_message_attachment(a, False) for a in m.attachments],
        "additionalInformation": None,
    }


def _issue_attachment(a: Attachment, api_url: str) -> dict[str, Any]:
    return {"fileName": a.file_name, "url": f"{api_url}/sale/issues/attachments/{a.id}"}


def chat_entry(e: ChatEntry, api_url: str) -> dict[str, Any]:
    author: dict[str, Any] = {"role": e.role}
    if e.login is not None:  # Allegro omits the login of ADMIN / SYSTEM / FULFILLMENT entries
        author["login"] = e.login
    return {
        "id": e.id,
        "text": e.text,
        "attachments": [_issue_attachment(a, api_url) for a in e.attachments],
        "author": author,
        "createdAt": iso(e.created_at),
    }


def issue(i: Issue, api_url: str) -> dict[str, Any]:
    first = i.chat[0]
    last = i.chat[-1]
    out: dict[str, Any] = {
        "id": i.id,
        "type": i.type,
        "referenceNumber": i.reference_number,
        "decisionDueDate": iso(i.decision_due) if i.decision_due else None,
        "openedDate": iso(i.opened_at),
        "subject": i.subject,
        "buyer": {"id": i.buyer_id, "login": i.buyer_login},
        "checkoutForm": {"id": i.order_id, "createdAt": iso(i.order_created_at)},
        "currentState": {
            "status": i.status,
            "statusDueDate": iso(i.status_due) if i.status_due else None,
            "returnRequired": i.return_required,
            "chatActive": i.chat_active,
        },
        "chat": {
            "lastMessage": {"status": i.last_status, "createdAt": iso(last.created_at)},
            "messagesCount": len(i.chat),
            "initialMessage": {
                "id": first.id,
                "text": first.text,
                "attachments": [_issue_attachment(a, api_url) for a in first.attachments],
                "author": {"login": first.login or "", "role": "BUYER" if first.role == "BUYER" else "ADMIN"},
                "createdAt": iso(first.created_at),
            },
        },
        "expectations": (
            [{"name": i.expectation, "refund": {"amount": i.refund_amount, "currency": "PLN"} if i.refund_amount else None}]
            if i.expectation
            else []
        ),
        "description": i.description,
        "offer": {"id": i.offer_id, "quantity": i.quantity},
        "product": None,
        "reason": {"type": i.reason_type, "description": i.subject} if i.type == "CLAIM" else None,
        "attachments": [_issue_attachment(a, api_url) for a in first.attachments],
    }
    if i.right is not None:  # nullable enum without null in it: leave it out (see thread_beta)
        out["right"] = i.right
    return out


def _price(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "PLN"}


def checkout_form(o: Order) -> dict[str, Any]:
    b = o.buyer
    delivery: dict[str, Any] = {
        "address": {
            "firstName": b.first_name, "lastName": b.last_name, "street": b.street, "city": b.city,
            "zipCode": b.post_code, "countryCode": "PL", "phoneNumber": b.phone,
        },
        "method": {"id": o.delivery_method_id, "name": o.delivery_method},
        "cost": _price(o.delivery_cost),
        "smart": o.delivery_cost == "0.00",
        "calculatedNumberOfPackages": 1,
    }
    if o.pickup_point:
        point_id, description = o.pickup_point
        delivery["pickupPoint"] = {
            "id": point_id, "name": f"Paczkomat {point_id}", "description": description,
            "address": {"street": b.street, "zipCode": b.post_code, "city": b.city, "countryCode": "PL"},
        }
    sent = {"NEW": "NONE", "PROCESSING": "NONE", "READY_FOR_SHIPMENT": "NONE", "CANCELLED": "NONE"}
    out: dict[str, Any] = {
        "id": o.id,
        "buyer": {
            "id": b.id, "email": b.email, "login": b.login, "firstName": b.first_name, "lastName": b.last_name,
            "guest": False, "phoneNumber": b.phone, "preferences": {"language": "pl-PL"},
            "address": {"street": b.street, "city": b.city, "postCode": b.post_code, "countryCode": "PL"},
        },
        "payment": (
            # Paid to the courier: Allegro has no payment moment or amount for it yet.
            {"id": o.id, "type": "CASH_ON_DELIVERY", "provider": "OFFLINE"} if o.cash_on_delivery else
            {"id": o.id, "type": "ONLINE", "provider": "P24", "finishedAt": iso(o.bought_at),
             "paidAmount": _price(o.total)}
        ),
        "status": o.status,
        "fulfillment": {
            "status": o.fulfillment_status,
            "shipmentSummary": {"lineItemsSent": sent.get(o.fulfillment_status, "ALL")},
            "provider": {"id": "SELLER"},
        },
        "delivery": delivery,
        "invoice": {"required": o.invoice_required},
        "lineItems": [
            {
                "id": li.id,
                "offer": {"id": li.offer_id, "name": li.name, "external": {"id": li.sku}},
                "quantity": li.quantity,
                "originalPrice": _price(li.price),
                "price": _price(li.price),
                "boughtAt": iso(li.bought_at),
            }
            for li in o.line_items
        ],
        "surcharges": [],
        "marketplace": {"id": "allegro-pl"},
        "summary": {"totalToPay": _price(o.total)},
        "updatedAt": iso(o.updated_at),
        "revision": f"{zlib.crc32(o.id.encode()):08x}",
    }
    if o.message_to_seller:
        out["messageToSeller"] = o.message_to_seller
    return out


def shipments(o: Order) -> dict[str, Any]:
    return {
        "shipments": [
            {
                "id": s.id, "waybill": s.waybill, "carrierId": s.carrier_id,
                **({"carrierName": s.carrier_name} if s.carrier_name else {}),
                "lineItems": [{"id": lid} for lid in s.line_item_ids],
                "createdAt": iso(s.created_at),
            }
            for s in o.shipments
        ]
    }
