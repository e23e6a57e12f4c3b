"""`/order/checkout-forms/*` and `/me` endpoints (public.v1 only)."""

from __future__ import annotations

from . import render
from .data import Order
from .request import PUBLIC_V1, Reject, Request, is_uuid
from .responses import DemoResponse, error, json_response
from .state import ServerState


def _order(state: ServerState, req: Request) -> Order:
    order_id = req.path_params["id"]
    if not is_uuid(order_id):
        raise req.fail("Order id is a malformed UUID", "id")
    order = state.data.orders.get(order_id.lower())
    if order is None:
        raise Reject(error(404, "NOT_FOUND", f"Checkout form [{order_id}] not found", "Nie znaleziono zamówienia.",
                           media_type=req.media))
    return order


def checkout_form(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(PUBLIC_V1)
    return json_response(200, render.checkout_form(_order(state, req)), media)


def shipments(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(PUBLIC_V1)
    return json_response(200, render.shipments(_order(state, req)), media)


def me(state: ServerState, req: Request) -> DemoResponse:
    media = req.negotiate(PUBLIC_V1)
    return json_response(200, {
        "id": state.data.seller_id,
        "login": state.data.seller_login,
        "firstName": "Magazyn",
        "lastName": "Demo",
        "email": f"{state.data.seller_login}@example.com",
        "baseMarketplace": {"id": "allegro-pl"},
        "company": {"name": "Sklep Magazyn sp. z o.o.", "taxId": "7792433421"},
    }, media)
