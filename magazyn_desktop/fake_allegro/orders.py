"""`/order/checkout-forms` (a list by buyer), `/order/checkout-forms/*` and `/me` endpoints (public.v1 only)."""

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
    refused = state.faults.unavailable_orders.get(order_id.lower())
    if refused == 403:  # another seller's order
        raise Reject(error(403, "ACCESS_DENIED", "Access is denied", "Brak dostępu do zasobu.", media_type=req.media))
    order = state.data.orders.get(order_id.lower())
    if order is None or refused is not None:
        raise Reject(error(404, "NOT_FOUND", f"Checkout form [{order_id}] not found", "Nie znaleziono zamówienia.",
                           media_type=req.media))
    return order


def list_checkout_forms(state: ServerState, req: Request) -> DemoResponse:
    """The seller's orders, newest bought first (Allegro's default sort), filtered by `buyer.login` when given."""
    media = req.negotiate(PUBLIC_V1)
    limit = req.int_param("limit", 100, 1, 100, "Incorrect limit or offset")
    offset = req.int_param("offset", 0, 0, None, "Incorrect limit or offset")
    login = req.param("buyer.login")
    chosen = [o for o in state.data.orders.values() if login is None or o.buyer.login == login]
    chosen.sort(key=lambda o: (o.bought_at, o.id), reverse=True)
    page = chosen[offset:offset + limit]
    return json_response(200, {
        "checkoutForms": [render.checkout_form(o) for o in page], "count": len(page), "totalCount": len(chosen),
    }, media)


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
