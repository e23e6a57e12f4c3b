"""Sample data for the window's tests: a small, fixed Allegro account served by the in-process fake Allegro, and
the real backend over it.

The window sees it the way a user does: the real backend syncs it from the fake into the cache. Helpers add more
conversations to a `DemoData` (before a sync, or after one to stand for something that arrived since).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from PySide6.QtGui import QColor, QImage

from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.app.account_setup import AccountSetup, SignInRequest
from magazyn_desktop.app.backend_types import Backend, ConnectedBackend
from magazyn_desktop.fake_allegro import DEFAULT_NOW, DemoAllegro, DemoData
from magazyn_desktop.fake_allegro.data import (
    Attachment,
    Buyer,
    ChatEntry,
    Issue,
    LineItem,
    Order,
    Shipment,
    Thread,
    ThreadMessage,
)
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.repository import Store

NOW = DEFAULT_NOW
SELLER = "sklep_demo"
SELLER_ID = "44556677"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)


def write_png(path: Path, width: int = 300, height: int = 200) -> Path:
    """A real PNG of one colour, `width` x `height`, at `path`."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


def thread_id(name: str) -> str:
    """A thread id of Allegro's shape (43 base62 characters) that still says whose thread it is."""
    return (name + "0" * 43)[:43]


def uuid_of(number: int) -> str:
    return f"6f1c2a8e-0000-4000-8000-{number:012x}"


ANNA = thread_id("annaKiedyPaczka")
MAREK = thread_id("marekAdresDostawy")
CLOSED = thread_id("janZamknieta")
CLAIM_ID = uuid_of(0xC1A1)
ORDER_ANNA = uuid_of(0x1001)
ORDER_MAREK = uuid_of(0x1002)
ORDER_EWA = uuid_of(0x1003)
ANNA_ATTACHMENT = uuid_of(0xA771)
ANNA_ATTACHMENT_NAME = "../../etc/zdjęcie paczki.jpg"
MAREK_WAYBILL = "620123456789012345678901"


def ago(minutes: int) -> datetime:
    return NOW - timedelta(minutes=minutes)


def buyer(login: str, number: int = 1) -> Buyer:
    return Buyer(id=str(10_000_000 + number), login=login, first_name="Anna", last_name="Nowak",
                 email=f"{login}@allegromail.pl", phone="600100200", city="Kraków", post_code="30-001",
                 street="Długa 1")


def order(data: DemoData, order_id: str, login: str, *, name: str = "Kubek ceramiczny 300 ml",
          sku: str = "KUB-300-BIA", quantity: int = 2, waybill: str | None = None,
          message_to_seller: str | None = None) -> Order:
    """An order in `data`, with one line item and (given a waybill) one InPost parcel."""
    item = LineItem(id=uuid_of(0xE000 + len(data.orders)), offer_id="10000000001", name=name, sku=sku,
                    quantity=quantity, price="39.99", bought_at=ago(60 * 48))
    parcels = [Shipment(id=uuid_of(0xF000 + len(data.orders)), waybill=waybill, carrier_id="INPOST",
                        line_item_ids=[item.id], created_at=ago(60 * 24))] if waybill else []
    made = Order(id=order_id, buyer=buyer(login), status="READY_FOR_PROCESSING",
                 fulfillment_status="SENT" if parcels else "PROCESSING", delivery_method_id=uuid_of(0xD001),
                 delivery_method="Allegro Paczkomaty InPost", delivery_cost="8.99", line_items=[item],
                 shipments=parcels, bought_at=ago(60 * 48), updated_at=ago(60 * 24),
                 message_to_seller=message_to_seller)
    data.orders[order_id] = made
    return made


def message(data: DemoData, text: str, minutes_ago: int, login: str, *, role: Literal["BUYER", "SELLER"] = "BUYER",
            attachments: list[Attachment] | None = None, at: datetime | None = None) -> ThreadMessage:
    when = at or ago(minutes_ago)
    # Named by what it is, so the same message always gets the same id.
    return ThreadMessage(id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"message:{login}:{role}:{when}:{text}")), role=role,
                         login=login if role == "BUYER" else data.seller_login, text=text,
                         created_at=when, attachments=attachments or [])


def attachment(data: DemoData, attachment_id: str, file_name: str, mime_type: str,
               scope: Literal["messaging", "issues"] = "messaging", content: bytes | None = None) -> Attachment:
    made = Attachment(id=attachment_id, file_name=file_name, mime_type=mime_type, scope=scope, content=content,
                      created_at=NOW)
    data.attachments[attachment_id] = made
    return made


def add_thread(data: DemoData, conversation_id: str, login: str, messages: list[ThreadMessage], *,
               read: bool = True, status: Literal["OPEN", "CLOSED"] = "OPEN", order_id: str | None = None) -> Thread:
    """A thread in `data`; with an order it is a post-purchase thread, since only those name their order."""
    thread = Thread(id=conversation_id, type="POST_PURCHASE_ISSUE" if order_id or status == "CLOSED" else "COMMON",
                    buyer_login=login, created_at=messages[0].created_at, messages=messages, read=read,
                    status=status, sub_type="OTHER" if order_id or status == "CLOSED" else None,
                    order_ids=[order_id] if order_id else [])
    data.threads[conversation_id] = thread
    return thread


def add_issue(data: DemoData, issue_id: str, login: str, text: str, *, kind: Literal["DISPUTE", "CLAIM"] = "CLAIM",
              status: str = "CLAIM_SUBMITTED", minutes_ago: int = 60, order_id: str | None = None) -> Issue:
    """An open issue in `data` with the buyer's first chat entry (and an order, made when not given)."""
    the_order = data.orders.get(order_id) if order_id else None
    if the_order is None:
        the_order = order(data, order_id or uuid_of(0x2000 + len(data.orders)), login)
    issue = Issue(id=issue_id, type=kind, status=status, opened_at=ago(minutes_ago), buyer_login=login,
                  buyer_id=the_order.buyer.id, order_id=the_order.id, order_created_at=the_order.bought_at,
                  subject="Uszkodzony produkt", reason_type="PRODUCT_ARRIVED_DAMAGED", description=text,
                  offer_id=the_order.line_items[0].offer_id, quantity=1,
                  chat=[ChatEntry(uuid_of(0x30_0000 + len(data.issues)), "BUYER", login, text, ago(minutes_ago))],
                  reference_number="1/2026" if kind == "CLAIM" else None,
                  decision_due=NOW + timedelta(days=3) if kind == "CLAIM" else None,
                  status_due=NOW + timedelta(days=3), expectation="REFUND" if kind == "CLAIM" else None)
    data.issues[issue_id] = issue
    return issue


def sample_data() -> DemoData:
    """Four conversations: Anna waits for a reply (with a photo), Marek was answered, Ewa's claim is open, Jan's
    post-purchase thread is closed."""
    data = DemoData(now=NOW, seed=1105, seller_login=SELLER, seller_id=SELLER_ID, threads={}, issues={}, orders={},
                    attachments={})
    order(data, ORDER_ANNA, "anna_k", waybill="620999888777666555444333")
    photo = attachment(data, ANNA_ATTACHMENT, ANNA_ATTACHMENT_NAME, "image/jpeg")
    add_thread(data, ANNA, "anna_k", [
        message(data, "Dzień dobry, kiedy wyślecie paczkę?", 6, "anna_k"),
        message(data, "<b>Proszę</b> o szybką odpowiedź", 5, "anna_k", attachments=[photo]),
    ], read=False, order_id=ORDER_ANNA)
    order(data, ORDER_MAREK, "marek_z", name="Koszulka bawełniana", sku="KOS-M-CZA", quantity=1,
          waybill=MAREK_WAYBILL)
    add_thread(data, MAREK, "marek_z", [
        message(data, "Czy mogę zmienić adres dostawy?", 40, "marek_z"),
        message(data, "Tak, zmieniliśmy adres.", 35, "marek_z", role="SELLER"),
    ], order_id=ORDER_MAREK)
    add_issue(data, CLAIM_ID, "ewa_w", "Kubek przyszedł pęknięty, proszę o zwrot pieniędzy.", order_id=ORDER_EWA)
    add_thread(data, CLOSED, "jan_n", [
        message(data, "Paczka nie dotarła do paczkomatu.", 700, "jan_n"),
        message(data, "Sprawa zamknięta", 600, "jan_n", role="SELLER"),
    ], status="CLOSED")
    return data


def demo_backend(paths: AppPaths, fake: DemoAllegro, language: str = "pl") -> Backend:
    """What `--demo` builds, over this fake instead of the interactive one."""
    from magazyn_desktop.app.backend import build_backend

    return build_backend(paths, demo=True, language=language, fake_allegro=fake)


def sync_into_cache(paths: AppPaths, fake: DemoAllegro, orders: tuple[str, ...] = ()) -> None:
    """One sync of the fake's account into the cache, as the window's first one would do, without a window; then
    `orders` are fetched and cached as the order panel does when it shows them."""
    backend = demo_backend(paths, fake)
    try:
        assert isinstance(backend, ConnectedBackend)
        report = backend.sync.run_once()
        assert report.ok, report
        for order_id in orders:
            backend.store.save_order(backend.account_id, backend.client.get_order(order_id))
    finally:
        backend.close()


REAL_THREAD = thread_id("prawdziwyKupujacy")
ORDER_REAL = uuid_of(0x5EA1)


def real_account_data() -> DemoData:
    """Another seller's account (ids apart from the sample's): one post-purchase thread with its order."""
    data = DemoData(now=NOW, seed=2211, seller_login="sklep_prawdziwy", seller_id="99887766", threads={},
                    issues={}, orders={}, attachments={})
    order(data, ORDER_REAL, "prawdziwy_kupujacy")
    add_thread(data, REAL_THREAD, "prawdziwy_kupujacy", [
        message(data, "Dzień dobry, czy paczka już wyszła?", 1, "prawdziwy_kupujacy"),
    ], read=False, order_id=ORDER_REAL)
    return data


SIGN_IN = SignInRequest(environment="custom", client_id="client-1", client_secret="secret-1",
                        api_url=DemoAllegro.API_URL, auth_url=DemoAllegro.AUTH_URL)


def connect_account(paths: AppPaths, fake: DemoAllegro) -> CredentialStore:
    """Sign in to `fake` through the device flow (approved at once), as the first-run screen does; returns the
    credentials the account's backend needs (the suite has no usable keyring: they live in this object only)."""
    store = Store.open(paths.database)
    setup = AccountSetup(store, CredentialStore(), transport=fake.transport(), sleeper=lambda _seconds: None)
    try:
        authorization = setup.start(SIGN_IN)
        assert fake.approve_device(authorization.user_code)
        return setup.wait(authorization).credentials
    finally:
        setup.close()
        store.close()


def account_backend(paths: AppPaths, credentials: CredentialStore) -> Backend:
    """What a launch without --demo builds: the connected account's backend (reaching the fake needs
    `allegro_at_its_address`)."""
    from magazyn_desktop.app.backend import build_backend

    return build_backend(paths, demo=False, credentials=credentials)


def read_in_cache(paths: AppPaths, conversation_id: str) -> bool:
    """Whether the cache on disk holds the conversation as read."""
    import sqlite3

    connection = sqlite3.connect(paths.database)
    try:
        return connection.execute("SELECT read FROM conversations WHERE id=?", (conversation_id,)).fetchone() == (1,)
    finally:
        connection.close()
