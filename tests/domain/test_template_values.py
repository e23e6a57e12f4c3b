"""The values a template is filled with, taken from the conversation and its order as the order card shows them."""

from __future__ import annotations

from datetime import date, datetime, timezone

from magazyn_desktop.domain.records import (
    Address,
    ConversationSummary,
    LineItem,
    Order,
    Payment,
    PickupPoint,
    Shipment,
)
from magazyn_desktop.domain.template_values import TemplateValues, template_values
from magazyn_desktop.domain.templates import Field, fill
from magazyn_desktop.domain.vocabulary import Kind, SubKind

TODAY = date(2026, 3, 5)


def _conversation(login: str | None = "anna_k", order_id: str | None = "ord-1") -> ConversationSummary:
    return ConversationSummary(id="t1", kind=Kind.THREAD, sub_kind=SubKind.COMMON,
                               last_activity_at=datetime(2026, 3, 4, tzinfo=timezone.utc),
                               interlocutor_login=login, order_id=order_id)


def _order(**changes: object) -> Order:
    fields: dict[str, object] = dict(
        id="ord-1", buyer_login="anna_k", status="READY_FOR_PROCESSING", fulfillment_status="SENT",
        delivery_method="Allegro Paczkomaty InPost",
        line_items=(LineItem("o1", "Kubek termiczny 500 ml", "KUB-500", 2, "39.90", "PLN"),
                    LineItem("o2", "Pokrywka\tdo kubka", None, 1, "9.90", "PLN")),
        shipments=(Shipment("620000111", "INPOST"), Shipment("620000222", "INPOST"), Shipment("00AB1", "DPD")),
        total="1289.70", currency="PLN",
        pickup_point=PickupPoint("POZ08A", "Paczkomat POZ08A", "Stacja paliw BP",
                                 Address(street="ul. Głogowska 10", zip_code="60-101", city="Poznań")),
    )
    fields.update(changes)
    return Order(**fields)  # type: ignore[arg-type]


def test_values_of_a_full_order() -> None:
    values = template_values(_conversation(), _order(), TODAY)
    assert values == TemplateValues(
        login="anna_k",
        order_number="ord-1",
        waybills="620000111, 620000222, 00AB1",
        carrier="InPost, DPD",
        delivery_method="Allegro Paczkomaty InPost",
        pickup_point="Paczkomat POZ08A, Stacja paliw BP, ul. Głogowska 10, 60-101 Poznań",
        amount="1289,70 zł",
        products="Kubek termiczny 500 ml (2 szt.), Pokrywka do kubka",
        today="05.03.2026",
    )


def test_a_template_filled_from_those_values() -> None:
    body = "Dzień dobry {login}, zamówienie {numer_zamowienia} ({kwota}) wysłaliśmy {przewoznik}: {numer_przesylki}."
    filled = fill(body, template_values(_conversation(), _order(), TODAY).by_field())
    assert filled.text == ("Dzień dobry anna_k, zamówienie ord-1 (1289,70 zł) wysłaliśmy InPost, DPD: "
                           "620000111, 620000222, 00AB1.")
    assert filled.complete


def test_without_an_order_only_the_conversation_and_the_date_give_values() -> None:
    values = template_values(_conversation(), None, TODAY).by_field()
    assert values == {Field.LOGIN: "anna_k", Field.ORDER_NUMBER: "ord-1", Field.TODAY: "05.03.2026"}
    filled = fill("Paczka {numer_przesylki} z {data}", values)
    assert filled.text == "Paczka {numer_przesylki} z 05.03.2026"
    assert [p.field for p in filled.unfilled] == [Field.WAYBILLS]


def test_the_order_gives_the_login_when_the_conversation_has_none() -> None:
    values = template_values(_conversation(login=None, order_id=None), _order(), TODAY)
    assert values.login == "anna_k" and values.order_number == "ord-1"


def test_an_order_not_sent_yet_has_no_waybills_or_carrier() -> None:
    values = template_values(_conversation(), _order(shipments=(), pickup_point=None), TODAY)
    assert values.waybills is None and values.carrier is None and values.pickup_point is None
    assert Field.WAYBILLS not in values.by_field()


def test_amounts_in_other_currencies_and_the_paid_amount_when_no_total() -> None:
    assert template_values(None, _order(total="12.5", currency="EUR"), TODAY).amount == "12,50 EUR"
    paid = Payment("ONLINE", paid_amount="99.00", currency="PLN")
    assert template_values(None, _order(total=None, payment=paid), TODAY).amount == "99,00 zł"
    assert template_values(None, _order(total="abc"), TODAY).amount == "abc zł"


def test_a_pickup_point_whose_name_lacks_its_code_gets_the_code_first() -> None:
    point = PickupPoint("WAW123", "Żabka", None, Address(city="Warszawa"))
    assert template_values(None, _order(pickup_point=point), TODAY).pickup_point == "WAW123 Żabka, Warszawa"


def test_line_breaks_inside_a_value_become_spaces() -> None:
    order = _order(delivery_method="Kurier\nDPD  pobranie", line_items=())
    values = template_values(None, order, TODAY)
    assert values.delivery_method == "Kurier DPD pobranie" and values.products is None
