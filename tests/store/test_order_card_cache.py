"""The cached order keeps everything the order card shows, and an order cached before those were kept still reads."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from magazyn_desktop.domain.records import Address, LineItem, Order, Payment, PickupPoint, Shipment
from magazyn_desktop.store.repository import Store

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
ORDER_ID = "0f8f1c1e-1111-4000-8000-000000000002"

# Written by the version before the order card: none of the buyer's name, address, payment or invoice.
OLD_JSON = json.dumps({"version": 1, "order": {
    "id": ORDER_ID, "buyer_login": "kupujacy", "status": "READY_FOR_PROCESSING", "fulfillment_status": "SENT",
    "delivery_method": "Allegro Paczkomaty InPost",
    "line_items": [{"offer_id": "1", "name": "Kubek", "sku": "KUB-1", "quantity": 2, "price": "19.99",
                    "currency": "PLN"}],
    "shipments": [{"waybill": "620000000000000000000001", "carrier": "INPOST", "created_at": NOW.isoformat()}],
    "total": "39.98", "currency": "PLN", "message_to_seller": None, "bought_at": NOW.isoformat(),
}}, ensure_ascii=False)


@pytest.fixture
def account_id(store: Store) -> int:
    return store.ensure_account("demo", "shop")


def _card_order() -> Order:
    return Order(
        id=ORDER_ID, buyer_login="kupujacy", status="READY_FOR_PROCESSING", fulfillment_status="NEW",
        delivery_method="Allegro Paczkomaty InPost",
        line_items=(LineItem("1", "Klocki konstrukcyjne 500 elementów", "KLO-1", 1, "129.00", "PLN"),),
        shipments=(Shipment("620000000000000000000001", "INPOST", NOW),),
        total="129.00", currency="PLN", bought_at=NOW,
        buyer_first_name="Anna", buyer_last_name="Wiśniewska", buyer_company="Kwiaty „Róża”",
        delivery_address=Address(street="Długa 5/3", zip_code="00-950", city="Łódź", country_code="PL",
                                 name="Anna Wiśniewska", company="Kwiaty „Róża”"),
        pickup_point=PickupPoint(id="POZ08A", name="Paczkomat POZ08A", description="Stacja paliw BP",
                                 address=Address(street="Grunwaldzka 108", zip_code="60-166", city="Poznań")),
        payment=Payment(type="ONLINE", finished_at=NOW, paid_amount="129.00", currency="PLN"),
        invoice_required=True,
    )


def test_the_card_fields_round_trip(store: Store, account_id: int) -> None:
    order = _card_order()
    store.save_order(account_id, order)
    assert store.load_order(ORDER_ID) == order
    assert not order.cached_incomplete


def test_an_unpaid_order_without_address_round_trips(store: Store, account_id: int) -> None:
    order = Order(id=ORDER_ID, buyer_login="kupujacy", status="BOUGHT", fulfillment_status="NEW",
                  delivery_method=None, payment=Payment(type="CASH_ON_DELIVERY"), invoice_required=False)
    store.save_order(account_id, order)
    assert store.load_order(ORDER_ID) == order


def test_an_order_cached_before_the_card_reads_with_nothing_known(store: Store, account_id: int) -> None:
    store.save_order(account_id, _card_order())  # the row and its waybill, then its JSON as the old version wrote it
    with store.engine.begin() as connection:  # the store's own database, its triggers' functions registered
        assert connection.execute(text("UPDATE orders SET checkout_form_json = :json WHERE id = :id"),
                                  {"json": OLD_JSON, "id": ORDER_ID}).rowcount == 1
    loaded = store.load_order(ORDER_ID)
    assert loaded is not None
    assert loaded.line_items == (LineItem("1", "Kubek", "KUB-1", 2, "19.99", "PLN"),)
    assert loaded.shipments == (Shipment("620000000000000000000001", "INPOST", NOW),)
    assert (loaded.buyer_name, loaded.delivery_address, loaded.pickup_point, loaded.payment,
            loaded.invoice_required) == (None, None, None, None, None)
    # Sent and with its waybill, it would come from the cache for good: it is read again once, for the card.
    assert not loaded.awaits_shipment and loaded.read_again_when_shown
