"""The order card: the buyer, where the parcel goes, the payment, the invoice, prices, parcels with their tracking
pages, copy buttons, the order's page in Allegro; in Polish, and within the narrow panel."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import pytest
from ui_sample_data import ANNA, CLOSED, ORDER_ANNA
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from magazyn_desktop.app.backend_types import ConnectedBackend
from magazyn_desktop.domain.records import Address, LineItem, Order, Payment, PickupPoint, Shipment
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.ui import i18n
from magazyn_desktop.ui.order_panel import OrderPanel
from magazyn_desktop.store.db import connect

PAID_AT = datetime(2026, 11, 12, 9, 30, tzinfo=timezone.utc)
ORDER_ID = "29738e61-7f6a-11e8-ac45-09db60ede9d6"
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen, shown panels

ORDER_REQUEST = "GET /order/checkout-forms/{id}"
LONG_NAME = "Klocki konstrukcyjne kreatywne 500 elementów z figurkami i płytką bazową, zestaw dla dzieci od lat 6"


@pytest.fixture
def polish(qtbot: Any) -> Any:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Polish, QLocale.Country.Poland))
    i18n.install_translator("pl")
    yield
    QLocale.setDefault(previous)


def _order(**changes: Any) -> Order:
    order = Order(
        id=ORDER_ID, buyer_login="anna_k", status="READY_FOR_PROCESSING", fulfillment_status="SENT",
        delivery_method="Allegro Paczkomaty InPost",
        line_items=(LineItem("1", LONG_NAME, "KLO-500", 1, "129.00", "PLN"),
                    LineItem("2", "Kubek", "KUB-1", 2, "19.50", "PLN")),
        shipments=(Shipment("620999888777666555444333", "INPOST"), Shipment("AB-17", "Kurier Janek")),
        total="168.00", currency="PLN", bought_at=PAID_AT,
        buyer_first_name="Anna", buyer_last_name="Wiśniewska", buyer_company="Kwiaty Róża",
        delivery_address=Address(street="Długa 5/3", zip_code="90-001", city="Łódź", country_code="PL",
                                 name="Anna Wiśniewska"),
        pickup_point=PickupPoint(id="POZ08A", name="Paczkomat POZ08A", description="Stacja paliw BP",
                                 address=Address(street="Grunwaldzka 108", zip_code="60-166", city="Poznań")),
        payment=Payment(type="ONLINE", finished_at=PAID_AT, paid_amount="168.00", currency="PLN"),
        invoice_required=True,
    )
    return replace(order, **changes)


def _panel(qtbot: Any, environment: str | None = "production", width: int = 260) -> tuple[OrderPanel, list[str]]:
    panel = OrderPanel()
    qtbot.addWidget(panel)
    opened: list[str] = []
    panel.card().open_url = lambda url: opened.append(url.toString())
    panel.set_environment(environment)
    panel.resize(width, 700)
    panel.show()
    return panel, opened


def _button(panel: OrderPanel, name: str) -> QPushButton:
    button = panel.findChild(QPushButton, name)
    assert button is not None, name
    return button


def _click(qtbot: Any, panel: OrderPanel, name: str) -> None:
    button = _button(panel, name)
    assert button.isVisibleTo(panel), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_card_shows_buyer_pickup_point_payment_invoice_and_prices(qtbot: Any, polish: Any) -> None:
    panel, _opened = _panel(qtbot)
    panel.show_order(_order())
    text = panel.card().shown_text()
    assert "Anna Wiśniewska, Kwiaty Róża\nanna_k" in text
    assert "Punkt odbioru:\nPaczkomat POZ08A\nStacja paliw BP\nGrunwaldzka 108\n60-166 Poznań" in text
    assert "Długa 5/3" not in text  # a locker parcel goes to the point, not to the buyer's door
    assert "opłacone 12.11.2026, 168,00 zł" in text
    assert "tak, kupujący prosi o fakturę" in text
    assert "Kod: KLO-500 · 1 szt. · 129,00 zł za sztukę" in text
    assert "Kod: KUB-1 · 2 szt. · 19,50 zł za sztukę" in text
    assert "Data zakupu:" in text and "Punkt odbioru:" in text and "Płatność:" in text and "Faktura:" in text
    assert panel.shown_items() == [(LONG_NAME, "KLO-500", "1"), ("Kubek", "KUB-1", "2")]


def test_a_pickup_point_whose_name_lacks_its_code_shows_the_code_first(qtbot: Any, polish: Any) -> None:
    panel, _opened = _panel(qtbot)
    panel.show_order(_order(pickup_point=PickupPoint(id="PL12345", name="Żabka", description=None)))
    assert "Punkt odbioru:\nPL12345\nŻabka\n" in panel.card().shown_text()


def test_a_courier_parcel_shows_the_address_and_cash_on_delivery(qtbot: Any, polish: Any) -> None:
    panel, _opened = _panel(qtbot)
    panel.show_order(_order(pickup_point=None, payment=Payment(type="CASH_ON_DELIVERY"), invoice_required=False,
                            delivery_method="Allegro Kurier DPD pobranie"))
    text = panel.card().shown_text()
    assert "Adres dostawy:" in text and "Anna Wiśniewska\nDługa 5/3\n90-001 Łódź" in text
    assert "Punkt odbioru:" not in text
    assert "za pobraniem, 168,00 zł" in text
    assert "Faktura:" in text and "\nnie" in text
    panel.show_order(_order(payment=Payment(type="ONLINE")))
    assert "nieopłacone" in panel.card().shown_text()


def test_an_order_cached_before_shows_no_rows_it_does_not_know(qtbot: Any, polish: Any) -> None:
    panel, _opened = _panel(qtbot)
    panel.show_order(Order(id=ORDER_ID, buyer_login="anna_k", status="READY_FOR_PROCESSING", fulfillment_status="NEW",
                           delivery_method="Kurier DPD"))
    text = panel.card().shown_text()
    for caption in ("Data zakupu:", "Punkt odbioru:", "Adres dostawy:", "Płatność:", "Faktura:"):
        assert caption not in text, caption
    assert "anna_k" in text and "Przesyłka jeszcze nie nadana" in text
    assert "nieopłacone" not in text and "nie\n" not in text  # not known is not "no"


def test_copy_buttons_put_the_order_id_the_login_and_each_waybill_on_the_clipboard(qtbot: Any, polish: Any) -> None:
    panel, _opened = _panel(qtbot)
    panel.show_order(_order())
    clipboard = QGuiApplication.clipboard()
    assert _button(panel, "copy-order-id").text() == "Kopiuj"
    for name, expected in (("copy-order-id", ORDER_ID), ("copy-buyer-login", "anna_k"),
                           ("copy-waybill-0", "620999888777666555444333"), ("copy-waybill-1", "AB-17")):
        clipboard.setText("")
        _click(qtbot, panel, name)
        assert clipboard.text() == expected, name


def test_a_known_carrier_links_to_its_tracking_page_and_an_unknown_one_has_none(qtbot: Any, polish: Any) -> None:
    panel, opened = _panel(qtbot)
    panel.show_order(_order())
    assert _button(panel, "track-waybill-0").text() == "Śledź przesyłkę"
    _click(qtbot, panel, "track-waybill-0")
    assert opened == ["https://inpost.pl/sledzenie-przesylek?number=620999888777666555444333"]
    assert panel.findChild(QPushButton, "track-waybill-1") is None  # "Kurier Janek": no page known
    text = panel.card().shown_text()
    assert "6209 9988 8777 6665 5544 4333\nInPost" in text and "AB-17\nKurier Janek" in text


@pytest.mark.parametrize(("environment", "expected"), [
    ("production", f"https://allegro.pl/moje-allegro/sprzedaz/zamowienia/{ORDER_ID}"),
    ("sandbox", f"https://allegro.pl.allegrosandbox.pl/moje-allegro/sprzedaz/zamowienia/{ORDER_ID}"),
])
def test_the_order_opens_in_allegros_seller_pages(qtbot: Any, polish: Any, environment: str, expected: str) -> None:
    panel, opened = _panel(qtbot, environment)
    panel.show_order(_order())
    assert _button(panel, "open-in-allegro").text() == "Otwórz w Allegro"
    assert _button(panel, "open-in-allegro").toolTip() == expected  # where the click goes
    _click(qtbot, panel, "open-in-allegro")
    assert opened == [expected]


@pytest.mark.parametrize("environment", ["demo", "custom", None])
def test_no_allegro_page_for_the_demo_or_a_custom_server(qtbot: Any, environment: str | None) -> None:
    panel, _opened = _panel(qtbot, environment)
    panel.show_order(_order())
    assert not _button(panel, "open-in-allegro").isVisibleTo(panel)


def test_a_long_product_name_wraps_with_a_tooltip_and_nothing_scrolls_sideways(qtbot: Any, polish: Any) -> None:
    panel, _opened = _panel(qtbot, width=250)
    panel.show_order(_order())
    qtbot.waitUntil(lambda: panel.card().width() > 0)
    card = panel.card()
    name_label = next(label for label in card.findChildren(type(panel._state)) if label.text() == LONG_NAME)
    assert name_label.wordWrap() and LONG_NAME in name_label.toolTip()
    assert card.width() <= panel.width()
    assert panel._card_scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert card.minimumSizeHint().width() <= panel._card_scroll.viewport().width()


def test_at_large_zoom_every_button_stays_inside_the_narrow_panel(qtbot: Any, polish: Any) -> None:
    """At 1024 px the panel is about 250 px wide; at 1.5x text two buttons side by side no longer fit: they wrap."""
    from PySide6.QtGui import QFont

    panel, _opened = _panel(qtbot, width=250)
    font = QFont(panel.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    panel.setFont(font)
    panel.show_order(_order())
    card = panel.card()
    qtbot.waitUntil(lambda: card.width() > 0)
    assert card.minimumSizeHint().width() <= panel._card_scroll.viewport().width()
    buttons = [button for button in card.findChildren(QPushButton) if button.isVisibleTo(panel)]
    assert len(buttons) >= 4
    for button in buttons:
        left = button.mapTo(card, button.rect().topLeft()).x()
        assert left >= 0 and left + button.width() <= card.width(), button.objectName()
        assert button.width() >= button.sizeHint().width(), button.objectName()  # its text is not cut
    assert "6209 9988 8777 6665 5544 4333" in card.shown_text()  # wraps between groups of four


def test_long_waybills_are_grouped_by_four_and_short_ones_left_alone() -> None:
    from magazyn_desktop.ui.order_card import grouped_waybill

    assert grouped_waybill("620999888777666555444333") == "6209 9988 8777 6665 5544 4333"
    assert grouped_waybill("00340434161094042557") == "0034 0434 1610 9404 2557"
    assert grouped_waybill("AB-17") == "AB-17" and grouped_waybill("1234567890AB") == "1234567890AB"
    assert grouped_waybill("RR-123-456-789-PL") == "RR-123-456-789-PL"  # not one token of letters and digits


def test_the_window_gives_the_panel_its_environment(qtbot: Any, make_window: Callable[..., Any]) -> None:
    window = make_window()
    backend = window.backend
    assert isinstance(backend, ConnectedBackend) and backend.environment.name == "demo"
    panel = window.order_panel()
    assert panel.card().environment_name == "demo"
    panel.show_order(_order())
    assert not _button(panel, "open-in-allegro").isVisibleTo(panel)


def test_an_order_cached_before_the_card_is_read_again_once_when_shown(qtbot: Any,
                                                                       make_window: Callable[..., Any],
                                                                       fake_allegro: DemoAllegro) -> None:
    window = make_window(start=False)
    with qtbot.waitSignal(window.orders_prefetched, timeout=10000):
        window.start_background_work()
    backend = window.backend
    assert isinstance(backend, ConnectedBackend)
    # Anna's order as the version before wrote it (through the app's connection: the triggers need its functions).
    with connect(backend.paths.database) as connection:
        (text,) = connection.execute("SELECT checkout_form_json FROM orders WHERE id = ?", (ORDER_ANNA,)).fetchone()
        old = json.loads(text)
        old["version"] = 1
        for key in ("buyer_first_name", "buyer_last_name", "buyer_company", "delivery_address", "pickup_point",
                    "payment", "invoice_required"):
            del old["order"][key]
        connection.execute("UPDATE orders SET checkout_form_json = ? WHERE id = ?", (json.dumps(old), ORDER_ANNA))
    connection.close()
    asked = fake_allegro.request_counts()[ORDER_REQUEST]
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(ANNA)
    qtbot.waitUntil(lambda: "Płatność:" in window.order_panel().card().shown_text(), timeout=5000)
    assert fake_allegro.request_counts()[ORDER_REQUEST] == asked + 1
    cached = backend.store.load_order(ORDER_ANNA)
    assert cached is not None and not cached.read_again_when_shown and cached.payment is not None
    window.open_conversation(CLOSED)
    with qtbot.waitSignal(window.order_displayed, timeout=5000):
        window.open_conversation(ANNA)
    assert fake_allegro.request_counts()[ORDER_REQUEST] == asked + 1  # sent, settled in the cache: not asked again
    qtbot.waitUntil(lambda: window._pool.active_count() == 0 and window._writer.active_count() == 0, timeout=5000)
