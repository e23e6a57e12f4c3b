"""Tracking pages for the carriers the bench ships with, none for any other; the order in Allegro's seller pages."""

from __future__ import annotations

import pytest

from magazyn_desktop.domain.order_links import carrier_name, seller_order_url, tracking_url


@pytest.mark.parametrize(("carrier", "waybill", "expected"), [
    ("INPOST", "620000000000000000000001", "https://inpost.pl/sledzenie-przesylek?number=620000000000000000000001"),
    ("DPD", "1000000000001U", "https://tracktrace.dpd.com.pl/parcelDetails?typ=1&p1=1000000000001U"),
    ("DHL", "JJD0001", "https://www.dhl.com/pl-pl/home/tracking/tracking-parcel.html?tracking-id=JJD0001"),
    ("POCZTA_POLSKA", "PX000000000000000001", "https://emonitoring.poczta-polska.pl/?numer=PX000000000000000001"),
    ("GLS", "GLS123", "https://gls-group.com/PL/pl/sledzenie-paczek?match=GLS123"),
    ("UPS", "1Z999AA10123456784", "https://www.ups.com/track?loc=pl_PL&tracknum=1Z999AA10123456784"),
    ("ORLEN", "ORL1", "https://www.orlenpaczka.pl/sledz-paczke/?numer=ORL1"),
    ("FEDEX", "7000001", "https://www.fedex.com/fedextrack/?trknbr=7000001"),
    ("ALLEGRO", "A000000001", "https://allegro.pl/allegrodelivery/sledzenie-paczki?numer=A000000001"),
])
def test_each_known_carrier_links_to_its_tracking_page(carrier: str, waybill: str, expected: str) -> None:
    assert tracking_url(carrier, waybill) == expected


@pytest.mark.parametrize(("carrier", "name"), [
    ("Poczta Polska", "Poczta Polska"), ("inpost", "InPost"), ("Orlen Paczka", "Orlen Paczka"),
    ("PACZKA_W_RUCHU", "Orlen Paczka"), ("Allegro One", "Allegro One"), ("FedEx", "FedEx"),
])
def test_a_carrier_typed_by_name_is_the_same_carrier(carrier: str, name: str) -> None:
    assert carrier_name(carrier) == name
    assert tracking_url(carrier, "X1") is not None


@pytest.mark.parametrize("carrier", [None, "", "OTHER", "Kurier Janek", "RABEN"])
def test_an_unknown_carrier_gets_no_link_and_keeps_its_name(carrier: str | None) -> None:
    assert tracking_url(carrier, "X1") is None
    assert carrier_name(carrier) == carrier


def test_the_number_is_quoted_and_an_empty_one_has_no_page() -> None:
    assert tracking_url("DPD", " 12 34&x=1 ") == "https://tracktrace.dpd.com.pl/parcelDetails?typ=1&p1=12%2034%26x%3D1"
    assert tracking_url("DPD", "  ") is None


def test_the_seller_page_exists_for_production_and_sandbox_only() -> None:
    order_id = "29738e61-7f6a-11e8-ac45-09db60ede9d6"
    assert seller_order_url("production", order_id) == (
        "https://allegro.pl/moje-allegro/sprzedaz/zamowienia/29738e61-7f6a-11e8-ac45-09db60ede9d6")
    assert seller_order_url("sandbox", order_id) == (
        "https://allegro.pl.allegrosandbox.pl/moje-allegro/sprzedaz/zamowienia/29738e61-7f6a-11e8-ac45-09db60ede9d6")
    assert seller_order_url("demo", order_id) is None
    assert seller_order_url("custom", order_id) is None
