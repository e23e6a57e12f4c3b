"""Sample data for the window's tests: a cache database at head with Polish conversations, and a fake backend.

The fake stands in for magazyn_desktop.app.backend.Backend: it writes through the same tables as the real store,
so the window's read queries see what it "stored", and it counts calls so tests can assert on them.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from magazyn_desktop.allegro.models import Conversation
from magazyn_desktop.domain.records import ConversationMessage, ConversationSummary, LineItem, Order, Shipment
from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.migrate import upgrade_to_head

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)


def stamp(value: datetime | None) -> str | None:
    """The text SQLAlchemy's UTC column writes, so raw inserts look like the real store's rows."""
    return None if value is None else value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")


def insert_conversation(db: sqlite3.Connection, cid: str, *, sub_kind: str = "COMMON", login: str = "kupujacy",
                        minutes_ago: int = 0, read: bool = True, needs_reply: bool = False,
                        status: str | None = None, can_reply: bool = True, order_id: str | None = None,
                        snippet: str | None = None, due: datetime | None = None, account_id: int = 1) -> None:
    kind = "thread" if sub_kind in ("COMMON", "POST_PURCHASE_ISSUE") else "issue"
    db.execute(
        "INSERT INTO conversations (id, account_id, kind, sub_kind, status, can_reply, read, needs_reply, "
        "last_activity_at, interlocutor_login, order_id, last_message_snippet, decision_due_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (cid, account_id, kind, sub_kind, status, can_reply, read, needs_reply,
         stamp(NOW - timedelta(minutes=minutes_ago)), login, order_id, snippet, stamp(due), stamp(NOW)),
    )


def insert_message(db: sqlite3.Connection, mid: str, cid: str, text: str, *, role: str = "BUYER",
                   minutes_ago: int = 0, login: str | None = None) -> None:
    db.execute(
        "INSERT INTO messages (id, conversation_id, author_role, author_login, text, created_at) "
        "VALUES (?,?,?,?,?,?)",
        (mid, cid, role, login, text, stamp(NOW - timedelta(minutes=minutes_ago))),
    )


def build_sample_database(data_dir: Path) -> AppPaths:
    paths = AppPaths(data_dir)
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    db = sqlite3.connect(paths.database)
    try:
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("INSERT INTO accounts (id, environment, login, is_active, created_at) "
                   "VALUES (1, 'demo', 'sklep_demo', 1, ?)", (stamp(NOW),))
        insert_conversation(db, "thread-anna", login="anna_k", minutes_ago=5, read=False, needs_reply=True,
                            order_id="order-1001", snippet="Kiedy wyślecie paczkę?")
        insert_message(db, "m-anna-1", "thread-anna", "Dzień dobry, kiedy wyślecie paczkę?", minutes_ago=6,
                       login="anna_k")
        insert_message(db, "m-anna-2", "thread-anna", "<b>Proszę</b> o szybką odpowiedź", minutes_ago=5,
                       login="anna_k")
        db.execute("INSERT INTO attachments (message_id, remote_id, file_name, mime_type) "
                   "VALUES ('m-anna-2', 'att-1', '../../etc/zdjęcie paczki.jpg', 'image/jpeg')")
        insert_conversation(db, "thread-marek", login="marek_z", minutes_ago=30, order_id="order-1002",
                            snippet="Dziękuję, wszystko doszło.")
        insert_message(db, "m-marek-1", "thread-marek", "Czy mogę zmienić adres dostawy?", minutes_ago=40,
                       login="marek_z")
        insert_message(db, "m-marek-2", "thread-marek", "Tak, zmieniliśmy adres.", role="SELLER", minutes_ago=35)
        insert_message(db, "m-marek-3", "thread-marek", "Dziękuję, wszystko doszło.", minutes_ago=30,
                       login="marek_z")
        insert_conversation(db, "6f1c2a8e-0000-4000-8000-00000000c1a1", sub_kind="CLAIM", login="ewa_w",
                            minutes_ago=60, read=False, needs_reply=True, status="CLAIM_ONGOING",
                            order_id="order-1003", snippet="Kubek przyszedł pęknięty",
                            due=NOW + timedelta(days=3))
        insert_message(db, "m-ewa-1", "6f1c2a8e-0000-4000-8000-00000000c1a1",
                       "Kubek przyszedł pęknięty, proszę o zwrot pieniędzy.", minutes_ago=60, login="ewa_w")
        insert_conversation(db, "thread-closed", sub_kind="POST_PURCHASE_ISSUE", login="jan_n", minutes_ago=600,
                            status="CLOSED", can_reply=False, snippet="Sprawa zamknięta")
        insert_message(db, "m-jan-1", "thread-closed", "Paczka nie dotarła do paczkomatu.", minutes_ago=700,
                       login="jan_n")
        insert_message(db, "m-jan-2", "thread-closed", "Sprawa zamknięta", role="ALLEGRO", minutes_ago=600)
        db.execute("INSERT INTO orders (id, account_id, buyer_login, checkout_form_json, fetched_at) "
                   "VALUES ('order-1002', 1, 'marek_z', '{}', ?)", (stamp(NOW),))
        db.execute("INSERT INTO tracking_numbers (waybill, order_id, carrier) "
                   "VALUES ('620123456789012345678901', 'order-1002', 'INPOST')")
        db.commit()
    finally:
        db.close()
    return paths


def sample_order(order_id: str) -> Order:
    return Order(
        id=order_id, buyer_login="anna_k", status="READY_FOR_PROCESSING", fulfillment_status="SENT",
        delivery_method="Allegro Paczkomaty InPost",
        line_items=(LineItem(offer_id="1", name="Kubek ceramiczny 300 ml", sku="KUB-300-BIA", quantity=2),),
        shipments=(Shipment(waybill="620999888777666555444333", carrier="INPOST"),),
    )


class FakeStore:
    """The writer, over the same file; a lock keeps it single-writer across worker threads."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self._lock = threading.Lock()
        self.orders: dict[str, Order] = {}
        self.marked_read: list[str] = []

    def _write(self, sql: str, params: tuple[Any, ...]) -> int:
        with self._lock:
            db = sqlite3.connect(self.database)
            try:
                cursor = db.execute(sql, params)
                db.commit()
                return int(cursor.lastrowid or 0)
            finally:
                db.close()

    def save_draft(self, conversation_id: str, text: str) -> None:
        self._write("INSERT INTO drafts (conversation_id, text, updated_at) VALUES (?,?,?) "
                    "ON CONFLICT(conversation_id) DO UPDATE SET text=excluded.text, updated_at=excluded.updated_at",
                    (conversation_id, text, stamp(NOW)))

    def load_draft(self, conversation_id: str) -> str:
        db = sqlite3.connect(self.database)
        try:
            row = db.execute("SELECT text FROM drafts WHERE conversation_id=?", (conversation_id,)).fetchone()
            return row[0] if row else ""
        finally:
            db.close()

    def mark_read(self, conversation_id: str) -> None:
        self.marked_read.append(conversation_id)
        self._write("UPDATE conversations SET read=1 WHERE id=?", (conversation_id,))

    def load_order(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)

    def save_order(self, account_id: int, order: Order) -> None:
        self.orders[order.id] = order

    def store_conversation(self, account_id: int, summary: ConversationSummary,
                           messages: tuple[ConversationMessage, ...], *, complete: bool = True) -> None:
        insert = (
            "INSERT INTO conversations (id, account_id, kind, sub_kind, status, can_reply, read, needs_reply, "
            "last_activity_at, interlocutor_login, order_id, last_message_snippet, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
        )
        last = messages[-1].text if messages else None
        self._write(insert, (summary.id, account_id, summary.kind.value, summary.sub_kind.value, summary.status,
                             summary.can_reply, summary.read, False, stamp(summary.last_activity_at),
                             summary.interlocutor_login, summary.order_id, last, stamp(NOW)))
        for message in messages:
            self._write("INSERT INTO messages (id, conversation_id, author_role, author_login, text, created_at) "
                        "VALUES (?,?,?,?,?,?)", (message.id, summary.id, message.role.value, message.author_login,
                                                 message.text, stamp(message.created_at)))


class FakeClient:
    def __init__(self) -> None:
        self.opened: list[str] = []
        self.orders_asked: list[str] = []
        self.remote: dict[str, Conversation] = {}
        # What downloading any attachment answers: content, Content-Disposition name, Content-Type.
        self.download: tuple[bytes, str | None, str | None] = (PNG_BYTES, "zdjecie.png", "image/png")
        self.attachments_asked: list[str] = []

    def open_conversation(self, conversation_id: str) -> Conversation:
        self.opened.append(conversation_id)
        if conversation_id not in self.remote:
            raise LookupError(conversation_id)
        return self.remote[conversation_id]

    def server_now(self) -> datetime | None:
        return None

    def get_order(self, order_id: str) -> Order:
        self.orders_asked.append(order_id)
        return sample_order(order_id)

    def download_attachment(self, kind: Kind, attachment_id: str) -> tuple[bytes, str | None, str | None]:
        self.attachments_asked.append(attachment_id)
        return self.download

    def mark_thread_read(self, conversation_id: str) -> None:
        pass


@dataclass
class FakeReport:
    conversations_added: int = 0
    conversations_changed: int = 0
    messages_added: int = 0
    messages_changed: int = 0
    requests: int = 1
    errors: tuple[str, ...] = ()
    offline: bool = False
    new_buyer_messages: int = 0


class FakeSync:
    def __init__(self) -> None:
        self.offline = False
        self.runs = 0

    def run_once(self, progress: Callable[[Any], None], cancelled: Callable[[], bool]) -> FakeReport:
        self.runs += 1
        return FakeReport(offline=self.offline)

    def refresh_conversation(self, conversation_id: str) -> None:
        pass


@dataclass
class FakeOutboxResult:
    entry_id: int
    state: str


class FakeOutbox:
    """Queues into the outbox table and 'sends' by marking rows sent."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.processed = 0

    def enqueue(self, conversation_id: str, text: str) -> int:
        return self.store._write(
            "INSERT INTO outbox (account_id, conversation_id, text, state, attempts, created_at, updated_at) "
            "VALUES (1,?,?,'queued',0,?,?)", (conversation_id, text, stamp(NOW), stamp(NOW)))

    def process(self, cancelled: Callable[[], bool]) -> list[FakeOutboxResult]:
        self.processed += 1
        self.store._write("UPDATE outbox SET state='sent', sent_at=? WHERE state='queued'", (stamp(NOW),))
        return []

    def resolve_uncertain(self) -> None:
        pass


@dataclass
class FakeBackend:
    store: FakeStore
    client: FakeClient = field(default_factory=FakeClient)
    sync: FakeSync = field(default_factory=FakeSync)
    outbox: FakeOutbox | None = None
    has_account: bool = True
    account_id: int = 1
    closed: bool = False

    def __post_init__(self) -> None:
        if self.outbox is None:
            self.outbox = FakeOutbox(self.store)

    def close(self) -> None:
        self.closed = True
