"""One order as the packing bench reads it: who bought, where it goes, whether it is paid, what to pack, its parcels.

The panel it sits in is narrow (about 250-340 px at 1024x768), so long values wrap under their caption, product
names wrap and carry their whole name in a tooltip, and each parcel gets its own lines. Copy buttons put a number on
the clipboard; tracking pages and the order in Allegro open in the browser through `open_url`, which tests replace.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import QDateTime, QLocale, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from magazyn_desktop.domain.order_links import carrier_name, seller_order_url, tracking_url
from magazyn_desktop.domain.records import Address, LineItem, Order, Payment, PickupPoint, Shipment
from magazyn_desktop.ui.labels import format_datetime, fulfillment_label
from magazyn_desktop.ui.visible_text import tooltip_text, visible_controls
from magazyn_desktop.ui.zoom import relative_font
from magazyn_desktop.ui.plain_label import plain_label
from magazyn_desktop.ui.flow_layout import FlowLayout


def _button(text: str, tooltip: str, name: str, action: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tooltip)
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keyboard focus stays in the list or the reply box
    button.clicked.connect(lambda _checked=False: action())  # `checked` must not reach the action's defaults
    return button


def _buttons_row(*buttons: QPushButton) -> QWidget:
    """Side by side while they fit the panel, one under the other when large text or a narrow screen needs it."""
    row = QWidget()
    layout = FlowLayout(row, spacing=6, line_spacing=4)
    for button in buttons:
        layout.addWidget(button)
    return row


def grouped_waybill(waybill: str) -> str:
    """A long tracking number in groups of four, as carriers print them: easier to compare with the label on the
    parcel, and a narrow panel or large text wraps it between groups instead of cutting it. The copy button
    copies it whole."""
    if len(waybill) <= 12 or not waybill.isalnum():
        return waybill
    return " ".join(waybill[start:start + 4] for start in range(0, len(waybill), 4))


def money(amount: str | None, currency: str | None) -> str:
    """An amount as Allegro sends it ("129.00", "PLN") in the locale's way: "129,00 zł" in Polish."""
    if not amount:
        return ""
    try:
        text = QLocale().toString(float(amount), "f", 2)
    except ValueError:
        text = amount
    if currency in (None, "", "PLN"):
        return f"{text} zł"
    return f"{text} {currency}"


def _address_lines(address: Address) -> list[str]:
    town = " ".join(part for part in (address.zip_code, address.city) if part)
    country = address.country_code if address.country_code not in (None, "PL") else None
    return [part for part in (address.name, address.company, address.street, town, country) if part]


class OrderCard(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self._order: Order | None = None
        self._environment: str | None = None

        # A UUID is one 36-character token, wider than the panel; it may break after its hyphens. Those breaks are
        # zero-width spaces that a mouse copy would carry along, so the number is copied with its button only.
        self._number = plain_label(selectable=True)
        self._number.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._copy_number = _button(self.tr("Copy"), self.tr("Copy the order number"), "copy-order-id",
                                    lambda: self._copy(self._order.id if self._order else ""))
        # Its tooltip is the page's address, as the tracking buttons' are: the user sees where a click goes.
        self._open_in_allegro = _button(self.tr("Open in Allegro"), "", "open-in-allegro", self._open_order_page)

        self._bought = plain_label(selectable=True)
        self._buyer = plain_label(selectable=True)
        self._copy_login = _button(self.tr("Copy"), self.tr("Copy the buyer's login"), "copy-buyer-login",
                                   lambda: self._copy((self._order.buyer_login or "") if self._order else ""))
        buyer = QWidget()
        buyer_layout = QVBoxLayout(buyer)
        buyer_layout.setContentsMargins(0, 0, 0, 0)
        buyer_layout.addWidget(self._buyer)
        buyer_layout.addWidget(_buttons_row(self._copy_login))
        self._delivery = plain_label(selectable=True)
        self._pickup_point = plain_label(selectable=True)
        self._address = plain_label(selectable=True)
        self._payment = plain_label(selectable=True)
        self._invoice = plain_label(selectable=True)
        self._fulfilment = plain_label(selectable=True)

        self._form = QFormLayout()
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._form.addRow(self.tr("Bought:"), self._bought)
        self._form.addRow(self.tr("Buyer:"), buyer)
        self._form.addRow(self.tr("Delivery:"), self._delivery)
        self._form.addRow(self.tr("Pickup point:"), self._pickup_point)
        self._form.addRow(self.tr("Delivery address:"), self._address)
        self._form.addRow(self.tr("Payment:"), self._payment)
        self._form.addRow(self.tr("Invoice:"), self._invoice)
        self._form.addRow(self.tr("Status:"), self._fulfilment)

        self._shipments_heading = self._caption(self.tr("Parcels"))
        self._shipments = QVBoxLayout()
        self._shipments.setContentsMargins(0, 0, 0, 0)
        self._items_heading = self._caption(self.tr("Items"))
        self._items = QVBoxLayout()
        self._items.setContentsMargins(0, 0, 0, 0)
        self._shown_items: list[tuple[str, str, str]] = []
        self._note = plain_label(selectable=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._number)
        layout.addWidget(_buttons_row(self._copy_number, self._open_in_allegro))
        layout.addLayout(self._form)
        layout.addWidget(self._items_heading)
        layout.addLayout(self._items)
        layout.addWidget(self._note)
        layout.addWidget(self._shipments_heading)
        layout.addLayout(self._shipments)
        layout.addStretch(1)

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        relative_font(label, 1.0, bold=True)
        return label

    @property
    def environment_name(self) -> str | None:
        return self._environment

    def set_environment(self, environment_name: str | None) -> None:
        """Where the account lives (production, sandbox, demo, custom): decides whether Allegro's page exists."""
        self._environment = environment_name
        self._update_order_page_button()

    def show_order(self, order: Order) -> None:
        self._order = order
        self._number.setText(order.id.replace("-", "-\u200b"))
        self._number.setToolTip(order.id)
        self._update_order_page_button()
        self._set_row(self._bought, format_datetime(order.bought_at))
        buyer = [visible_controls(order.buyer_name)] if order.buyer_name else []
        if order.buyer_login:
            buyer.append(visible_controls(order.buyer_login))
        self._buyer.setText("\n".join(buyer) or "—")
        self._copy_login.setVisible(bool(order.buyer_login))
        self._set_row(self._delivery, visible_controls(order.delivery_method or "—"))
        self._set_row(self._pickup_point, self._pickup_point_text(order.pickup_point))
        # A parcel for a locker goes to the point; the buyer's address beside it would only mislead.
        address = order.delivery_address if order.pickup_point is None else None
        self._set_row(self._address, visible_controls("\n".join(_address_lines(address))) if address else "")
        self._set_row(self._payment, self._payment_text(order))
        self._set_row(self._invoice, self._invoice_text(order.invoice_required))
        self._set_row(self._fulfilment, fulfillment_label(order.fulfillment_status))
        self._show_items(order.line_items)
        self._show_shipments(order.shipments)
        if order.message_to_seller:
            self._note.setText(self.tr("Buyer's note: %1").replace("%1", visible_controls(order.message_to_seller)))
            self._note.show()
        else:
            self._note.hide()

    def shown_items(self) -> list[tuple[str, str, str]]:
        """Each item's name, SKU and quantity as shown."""
        return list(self._shown_items)

    def shown_text(self) -> str:
        """Every text the card shows, one label a line, for reading it in tests."""
        labels = [label for label in self.findChildren(QLabel) if label.isVisibleTo(self) and label.text()]
        return "\n".join(label.text() for label in labels)

    def _set_row(self, field: QLabel, text: str) -> None:
        field.setText(text)
        self._form.setRowVisible(field, bool(text))

    def _pickup_point_text(self, point: PickupPoint | None) -> str:
        if point is None:
            return ""
        # "Paczkomat POZ08A" names the code already; a name without it ("Żabka") gets the code on a line above.
        lines = [point.name] if point.name and point.id in point.name else [point.id, point.name or ""]
        lines.append(point.description or "")
        if point.address is not None:
            lines += _address_lines(point.address)
        return visible_controls("\n".join(line for line in lines if line))

    def _payment_text(self, order: Order) -> str:
        payment: Payment | None = order.payment
        if payment is None:
            return ""
        if payment.cash_on_delivery:
            due = money(order.total, order.currency)
            return self.tr("cash on delivery, %1").replace("%1", due) if due else self.tr("cash on delivery")
        if payment.finished_at is not None:
            local = QDateTime.fromSecsSinceEpoch(int(payment.finished_at.timestamp())).toLocalTime()
            day = QLocale().toString(local.date(), QLocale.FormatType.ShortFormat)
            paid = money(payment.paid_amount, payment.currency) or money(order.total, order.currency)
            return self.tr("paid %1, %2").replace("%1", day).replace("%2", paid)
        return self.tr("not paid")

    def _invoice_text(self, required: bool | None) -> str:
        if required is None:
            return ""
        return self.tr("yes, the buyer wants an invoice") if required else self.tr("no")

    def _show_items(self, items: tuple[LineItem, ...]) -> None:
        _clear(self._items)
        self._shown_items = []
        for item in items:
            name = visible_controls(item.name)
            sku = visible_controls(item.sku or "—")
            self._shown_items.append((name, sku, str(item.quantity)))
            name_label = plain_label(name, selectable=True)
            name_label.setToolTip(tooltip_text(name))  # the whole name, also where the card is too short for it
            details = [self.tr("SKU: %1").replace("%1", sku), self.tr("%1 pcs").replace("%1", str(item.quantity))]
            price = money(item.price, item.currency)
            if price:
                details.append(self.tr("%1 each").replace("%1", price))
            self._items.addWidget(name_label)
            self._items.addWidget(plain_label(" · ".join(details), selectable=True))
        self._items_heading.setVisible(bool(items))

    def _show_shipments(self, shipments: tuple[Shipment, ...]) -> None:
        _clear(self._shipments)
        if not shipments:
            self._shipments.addWidget(plain_label(self.tr("No parcel yet"), selectable=True))
        for position, shipment in enumerate(shipments):
            carrier = carrier_name(shipment.carrier)
            waybill = plain_label(grouped_waybill(shipment.waybill), selectable=True)
            waybill.setToolTip(shipment.waybill)
            waybill.setObjectName(f"waybill-{position}")
            self._shipments.addWidget(waybill)
            if carrier:
                self._shipments.addWidget(plain_label(visible_controls(carrier), selectable=True))
            buttons = [_button(self.tr("Copy"), self.tr("Copy the tracking number"), f"copy-waybill-{position}",
                               functools.partial(self._copy, shipment.waybill))]
            url = tracking_url(shipment.carrier, shipment.waybill)
            if url is not None:
                buttons.append(_button(self.tr("Track parcel"), url, f"track-waybill-{position}",
                                       functools.partial(self._open, url)))
            self._shipments.addWidget(_buttons_row(*buttons))

    def _update_order_page_button(self) -> None:
        url = self._order_page()
        self._open_in_allegro.setVisible(url is not None)
        if url is not None:
            self._open_in_allegro.setToolTip(url)

    def _order_page(self) -> str | None:
        if self._order is None or self._environment is None:
            return None
        return seller_order_url(self._environment, self._order.id)

    def _open_order_page(self) -> None:
        url = self._order_page()
        if url is not None:
            self._open(url)

    def _open(self, url: str) -> None:
        self.open_url(QUrl(url))

    def _copy(self, text: str) -> None:
        if text:
            QGuiApplication.clipboard().setText(text)


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.setParent(None)  # out of the card at once; deleteLater frees it when the event loop runs
            widget.deleteLater()
