"""Web pages about an order: a parcel's tracking page at its carrier, and the order in Allegro's seller pages.

Only carriers named here get a link; for any other the card shows the number without one rather than guessing.
A shipment names its carrier by Allegro's carrier id (INPOST, POCZTA_POLSKA...) or, for carrierId OTHER, by the
name the seller typed, so both spellings are looked up the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Carrier:
    name: str  # as the packer knows it
    tracking_url: str  # {number} is the tracking number, URL-quoted


_INPOST = Carrier("InPost", "https://inpost.pl/sledzenie-przesylek?number={number}")
_DPD = Carrier("DPD", "https://tracktrace.dpd.com.pl/parcelDetails?typ=1&p1={number}")
_DHL = Carrier("DHL", "https://www.dhl.com/pl-pl/home/tracking/tracking-parcel.html?tracking-id={number}")
_POCZTA_POLSKA = Carrier("Poczta Polska", "https://emonitoring.poczta-polska.pl/?numer={number}")
_GLS = Carrier("GLS", "https://gls-group.com/PL/pl/sledzenie-paczek?match={number}")
_UPS = Carrier("UPS", "https://www.ups.com/track?loc=pl_PL&tracknum={number}")
_ORLEN_PACZKA = Carrier("Orlen Paczka", "https://www.orlenpaczka.pl/sledz-paczke/?numer={number}")
_FEDEX = Carrier("FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}")
_ALLEGRO = Carrier("Allegro One", "https://allegro.pl/allegrodelivery/sledzenie-paczki?numer={number}")

# Keys are carrier ids and names reduced by _key: upper case, letters and digits only.
_CARRIERS: dict[str, Carrier] = {
    "INPOST": _INPOST, "PACZKOMATYINPOST": _INPOST,
    "DPD": _DPD,
    "DHL": _DHL,
    "POCZTAPOLSKA": _POCZTA_POLSKA, "POCZTEX": _POCZTA_POLSKA,
    "GLS": _GLS,
    "UPS": _UPS,
    "ORLEN": _ORLEN_PACZKA, "ORLENPACZKA": _ORLEN_PACZKA, "PACZKAWRUCHU": _ORLEN_PACZKA, "RUCH": _ORLEN_PACZKA,
    "FEDEX": _FEDEX,
    "ALLEGRO": _ALLEGRO, "ALLEGROONE": _ALLEGRO, "ALLEGRODELIVERY": _ALLEGRO, "ALLEGROONEKURIER": _ALLEGRO,
}

_SELLER_ORDER_PAGES = {
    "production": "https://allegro.pl/moje-allegro/sprzedaz/zamowienia/{id}",
    "sandbox": "https://allegro.pl.allegrosandbox.pl/moje-allegro/sprzedaz/zamowienia/{id}",
}


def _key(carrier: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", carrier.upper())


def known_carrier(carrier: str | None) -> Carrier | None:
    return _CARRIERS.get(_key(carrier)) if carrier else None


def carrier_name(carrier: str | None) -> str | None:
    """How the card names a shipment's carrier: the known name, else what Allegro gave."""
    known = known_carrier(carrier)
    return known.name if known is not None else carrier


def tracking_url(carrier: str | None, waybill: str) -> str | None:
    """The carrier's page for this tracking number, or None for a carrier not known here or an empty number."""
    known = known_carrier(carrier)
    number = waybill.strip()
    if known is None or not number:
        return None
    return known.tracking_url.format(number=quote(number, safe=""))


def seller_order_url(environment_name: str, order_id: str) -> str | None:
    """The order in Allegro's seller pages; None where there are none (the demo, a custom server)."""
    template = _SELLER_ORDER_PAGES.get(environment_name)
    return template.format(id=quote(order_id, safe="")) if template else None
