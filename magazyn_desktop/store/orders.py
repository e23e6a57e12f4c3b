"""The orders and tracking_numbers tables: the order beside a conversation, and its waybills for the scanner.

An order is kept as JSON of the Order record, written here and read back by load_order; its waybills are rows of
their own so a scanned parcel label finds the conversation by an index.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from magazyn_desktop.domain.records import Address, LineItem, Order, Payment, PickupPoint, Shipment
from magazyn_desktop.store.models import OrderCache, TrackingNumber, utc_now
from magazyn_desktop.store.statements import upsert

log = logging.getLogger(__name__)

# 2: with the buyer's name, delivery address, pickup point, payment and invoice. A version 1 order reads as
# `cached_incomplete`, so the window reads it again when it is shown.
ORDER_JSON_VERSION = 2
_CACHED_COLUMNS = ("account_id", "buyer_login", "checkout_form_json", "shipments_json", "fetched_at")
_UPSERT_ORDER = upsert(cast(Table, OrderCache.__table__), ["id"], _CACHED_COLUMNS)


def save_order(session: Session, account_id: int, order: Order) -> None:
    session.execute(_UPSERT_ORDER.on(session), {
        "id": order.id,
        "account_id": account_id,
        "buyer_login": order.buyer_login,
        "checkout_form_json": _order_to_json(order),
        "shipments_json": json.dumps(
            [{"waybill": s.waybill, "carrier": s.carrier} for s in order.shipments], ensure_ascii=False
        ),
        "fetched_at": utc_now(),
    })
    session.execute(delete(TrackingNumber).where(TrackingNumber.order_id == order.id))
    seen: set[str] = set()
    for shipment in order.shipments:
        waybill = shipment.waybill.strip()
        if not waybill or waybill in seen:
            continue
        seen.add(waybill)
        session.add(TrackingNumber(waybill=waybill, order_id=order.id, carrier=shipment.carrier))


def load_order(session: Session, order_id: str) -> Order | None:
    text = session.scalar(select(OrderCache.checkout_form_json).where(OrderCache.id == order_id))
    return _order_from_json(text) if text else None


def _order_to_json(order: Order) -> str:
    data = asdict(order)
    del data["cached_incomplete"]  # a fact about an old cache entry, never written
    data["bought_at"] = order.bought_at.isoformat() if order.bought_at else None
    if order.payment is not None:
        paid_at = order.payment.finished_at
        data["payment"]["finished_at"] = paid_at.isoformat() if paid_at else None
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
            bought_at=datetime.fromisoformat(data["bought_at"]) if data.get("bought_at") else None,
            # Written before these were kept, an order has none of them: shown as not known, never as "no".
            buyer_first_name=data.get("buyer_first_name"),
            buyer_last_name=data.get("buyer_last_name"),
            buyer_company=data.get("buyer_company"),
            delivery_address=_address_from_json(data.get("delivery_address")),
            pickup_point=_pickup_point_from_json(data.get("pickup_point")),
            payment=_payment_from_json(data.get("payment")),
            invoice_required=data.get("invoice_required"),
            cached_incomplete=payload.get("version", 1) < 2,
        )
    except (ValueError, KeyError, TypeError):
        # Written by another format (or damaged): behave as not cached, the caller fetches it again.
        log.warning("a cached order could not be read; it will be fetched again")
        return None


def _address_from_json(data: dict[str, Any] | None) -> Address | None:
    if data is None:
        return None
    return Address(
        street=data.get("street"), zip_code=data.get("zip_code"), city=data.get("city"),
        country_code=data.get("country_code"), name=data.get("name"), company=data.get("company"),
    )


def _pickup_point_from_json(data: dict[str, Any] | None) -> PickupPoint | None:
    if data is None:
        return None
    return PickupPoint(id=str(data["id"]), name=data.get("name"), description=data.get("description"),
                       address=_address_from_json(data.get("address")))


def _payment_from_json(data: dict[str, Any] | None) -> Payment | None:
    if data is None:
        return None
    paid_at = data.get("finished_at")
    return Payment(type=data.get("type"), finished_at=datetime.fromisoformat(paid_at) if paid_at else None,
                   paid_amount=data.get("paid_amount"), currency=data.get("currency"))
