"""What a reply template is filled with, read from the conversation and its order (domain.templates lists the
placeholders). Texts are as a Polish buyer reads them: "1289,70 zł", "05.03.2026", "Kubek (2 szt.)"."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation

from .order_links import carrier_name
from .records import ConversationSummary, Order, PickupPoint
from .templates import Field
from .text import folded_text


@dataclass(frozen=True)
class TemplateValues:
    """One value per placeholder; None where the conversation and order do not tell it."""

    login: str | None
    order_number: str | None
    waybills: str | None
    carrier: str | None
    delivery_method: str | None
    pickup_point: str | None
    amount: str | None
    products: str | None
    today: str

    def by_field(self) -> dict[Field, str]:
        """The values there are, for `templates.fill`."""
        return {_FIELD_OF[item.name]: value for item in fields(self) if (value := getattr(self, item.name))}


_FIELD_OF = {
    "login": Field.LOGIN,
    "order_number": Field.ORDER_NUMBER,
    "waybills": Field.WAYBILLS,
    "carrier": Field.CARRIER,
    "delivery_method": Field.DELIVERY_METHOD,
    "pickup_point": Field.PICKUP_POINT,
    "amount": Field.AMOUNT,
    "products": Field.PRODUCTS,
    "today": Field.TODAY,
}


def _line(text: str | None) -> str | None:
    """The text on one line (a value lands inside a sentence); None when nothing is left."""
    return (folded_text(text) or None) if text else None


def _listed(parts: list[str]) -> str | None:
    return ", ".join(dict.fromkeys(part for part in parts if part)) or None


def money(amount: str | None, currency: str | None) -> str | None:
    """Allegro's "1289.7" and "PLN" as "1289,70 zł"; another currency keeps its code; an unreadable amount stays."""
    if not amount:
        return None
    try:
        text = f"{Decimal(amount):.2f}".replace(".", ",")
    except (InvalidOperation, ValueError):
        text = amount
    return f"{text} zł" if currency in (None, "", "PLN") else f"{text} {currency}"


def _pickup_point(point: PickupPoint | None) -> str | None:
    if point is None:
        return None
    # As the order card does: "Paczkomat POZ08A" names its code already, "Żabka" gets the code before it.
    title = point.name if point.name and point.id in point.name else " ".join(p for p in (point.id, point.name) if p)
    parts = [title, point.description or ""]
    if point.address is not None:
        address = point.address
        parts += [address.street or "", " ".join(p for p in (address.zip_code, address.city) if p)]
    return _line(", ".join(part for part in parts if part))


def template_values(conversation: ConversationSummary | None, order: Order | None, today: date) -> TemplateValues:
    """The values for a reply in this conversation about this order (either may be missing)."""
    login = (conversation.interlocutor_login if conversation else None) or (order.buyer_login if order else None)
    order_number = (order.id if order else None) or (conversation.order_id if conversation else None)
    if order is None:
        return TemplateValues(login=_line(login), order_number=_line(order_number), waybills=None, carrier=None,
                              delivery_method=None, pickup_point=None, amount=None, products=None,
                              today=today.strftime("%d.%m.%Y"))
    paid = order.payment
    amount = money(order.total, order.currency) or (money(paid.paid_amount, paid.currency) if paid else None)
    products = [f"{item.name} ({item.quantity} szt.)" if item.quantity > 1 else item.name for item in order.line_items]
    return TemplateValues(
        login=_line(login),
        order_number=_line(order_number),
        waybills=_line(_listed([shipment.waybill.strip() for shipment in order.shipments])),
        carrier=_line(_listed([carrier_name(shipment.carrier) or "" for shipment in order.shipments])),
        delivery_method=_line(order.delivery_method),
        pickup_point=_pickup_point(order.pickup_point),
        amount=amount,
        products=_line(_listed(products)),
        today=today.strftime("%d.%m.%Y"),
    )
