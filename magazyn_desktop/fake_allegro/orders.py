"""`/order/checkout-forms/*` and `/me` endpoints (public.v1 only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import render
from .data import Order
from .request import PUBLIC_V1, Reject, Request, is_uuid
from .responses import DemoResponse, error, json_response

if TYPE_CHECKING:
    from .server import DemoAllegro


def _order(demo: DemoAllegro, req: Request) -> Order:
    order_id = req.path_params["id"]
    if not is_uuid(order_id):
        raise req.fail("Order id is a malformed UUID", "id")
    order = demo.data.orders.get(order_id.lower())
    if order is None:
        raise Reject(error(404, "NOT_FOUND", f"Checkout form [{order_id}] not found", "Nie znaleziono zamówienia.",
                           media_type=req.media))
    return order


def checkout_form(demo: DemoAllegro, req: Request) -> DemoResponse:
    media = req.negotiate(PUBLIC_V1)
    return json_response(200, render.checkout_form(_order(demo, req)), media)


def shipments(demo: DemoAllegro, req: Request) -> DemoResponse:
    media = req.negotiate(PUBLIC_V1)
    return json_response(200, render.shipments(_order(demo, req)), media)


def me(demo: DemoAllegro, req: Request) -> DemoResponse:
    media = req.negotiate(PUBLIC_V1)
    return json_response(200, {
        "id": demo.data.seller_id,
        "login": demo.data.seller_login,
        "firstName": "Magazyn",
        "lastName": "Demo",
        "email": f"{demo.data.seller_login}@example.com",
        "baseMarketplace": {"id": "allegro-pl"},
        "company": {"name": "Sklep Magazyn sp. z o.o.", "taxId": "7792433421"},
    }, media)
