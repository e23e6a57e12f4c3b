"""What the order card shows, read from a checkout form: the buyer's name, where the parcel goes, the payment,
the invoice and each item's price. The bodies are the contract's own examples (tests/allegro/data)."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from magazyn_desktop.allegro import parsing
from magazyn_desktop.domain.records import Address, Payment, PickupPoint

CONTRACT = Path(__file__).parent / "data" / "allegro-conversations-contract.yaml"
ENDPOINT = "GET /order/checkout-forms/{id}"


@pytest.fixture(scope="module")
def schemas() -> dict[str, Any]:
    with CONTRACT.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)["components"]["schemas"]
    return loaded


def _example(schemas: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A body made of the `example` of every property the schema names, following its references."""
    if "$ref" in schema:
        return _example(schemas, schemas[schema["$ref"].rsplit("/", 1)[-1]], depth)
    if "example" in schema and schema.get("type") != "object":
        return copy.deepcopy(schema["example"])
    if depth > 6:
        return None
    if schema.get("type") == "array" or "items" in schema:
        return [_example(schemas, schema.get("items", {}), depth + 1)]
    return {name: _example(schemas, prop, depth + 1) for name, prop in schema.get("properties", {}).items()}


@pytest.fixture
def checkout_form(schemas: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = _example(schemas, schemas["CheckoutForm"])
    return body


def test_the_contract_example_gives_the_whole_card(checkout_form: dict[str, Any]) -> None:
    order = parsing.parse_order(checkout_form, ENDPOINT)
    assert (order.buyer_first_name, order.buyer_last_name, order.buyer_company) == ("Jan", "Kowalski", "Kowalex")
    assert order.buyer_name == "Jan Kowalski, Kowalex"
    assert order.delivery_address == Address(street="Grunwaldzka 182", zip_code="60-166", city="Poznań",
                                             country_code="PL", name="Jan Kowalski", company="Kowalex")
    assert order.pickup_point == PickupPoint(
        id="POZ08A", name="Paczkomat POZ08A", description="Stacja paliw BP",
        address=Address(street="Grunwaldzka 108", zip_code="60-166", city="Poznań", country_code="PL"))
    assert order.payment == Payment(type="ONLINE", finished_at=datetime(2018, 10, 12, 10, 12, 32, 321_000,
                                                                        tzinfo=timezone.utc),
                                    paid_amount=checkout_form["payment"]["paidAmount"]["amount"],
                                    currency=checkout_form["payment"]["paidAmount"]["currency"])
    assert order.invoice_required is True
    item = order.line_items[0]
    assert (item.price, item.currency) == (checkout_form["lineItems"][0]["price"]["amount"],
                                           checkout_form["lineItems"][0]["price"]["currency"])


def test_cash_on_delivery_and_unpaid_orders(checkout_form: dict[str, Any]) -> None:
    checkout_form["payment"] = {"id": "p", "type": "CASH_ON_DELIVERY"}
    payment = parsing.parse_order(checkout_form, ENDPOINT).payment
    assert payment is not None and payment.cash_on_delivery and payment.finished_at is None
    checkout_form["payment"] = {"id": "p", "type": "ONLINE", "finishedAt": None}
    payment = parsing.parse_order(checkout_form, ENDPOINT).payment
    assert payment == Payment(type="ONLINE") and not payment.cash_on_delivery


def test_a_minimal_order_has_none_of_them() -> None:
    order = parsing.parse_order({"id": "o", "lineItems": [{"offer": {"id": "1", "name": "Kubek"}}]}, ENDPOINT)
    assert (order.buyer_name, order.delivery_address, order.pickup_point, order.payment, order.invoice_required) == (
        None, None, None, None, None)


def test_odd_shapes_are_left_out_not_guessed(checkout_form: dict[str, Any]) -> None:
    checkout_form["buyer"] = {"id": "1", "login": "jan", "firstName": None, "lastName": "Nowak", "companyName": ""}
    checkout_form["delivery"] = {"address": {"firstName": "Jan"}, "pickupPoint": {"name": "no id"}}
    checkout_form["invoice"] = {"required": "yes"}
    checkout_form["payment"] = ["not", "an", "object"]
    order = parsing.parse_order(checkout_form, ENDPOINT)
    assert order.buyer_name == "Nowak"
    assert (order.delivery_address, order.pickup_point, order.invoice_required, order.payment) == (
        None, None, None, None)
