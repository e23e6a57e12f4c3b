"""Done, notes and reminders are this app's own: syncs from Allegro keep them, and only a new buyer message takes
"done" back."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.fake_allegro import DemoAllegro, DemoData
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store import inbox_queries as q
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import SyncEngine

from .fakes import FakeTime

REMIND_ON = date(2026, 11, 20)


@pytest.fixture
def demo(fake_time: FakeTime) -> DemoAllegro:
    return DemoAllegro(DemoData.generate(threads=12, post_purchase_threads=0, issues=2), clock=fake_time.clock)


def test_done_notes_and_reminders_survive_syncs_and_a_new_buyer_message_clears_only_done(
        demo: DemoAllegro, demo_client: AllegroClient, store: Store, account_id: int, paths: AppPaths,
        reader: sqlite3.Connection, fake_time: FakeTime) -> None:
    def sync(into: Store) -> None:
        SyncEngine(client=demo_client, store=into, account_id=account_id, clock=fake_time.clock).run_once()

    sync(store)
    waiting = [t for t in demo.data.threads.values() if t.messages and max(t.messages, key=lambda m: m.created_at).role == "BUYER"]
    assert waiting, "the demo has threads whose buyer spoke last"
    thread = waiting[0]
    assert q.get_row(reader, thread.id).needs_reply  # type: ignore[union-attr]
    assert store.mark_done(thread.id, at=demo.now())
    assert store.add_note(thread.id, "Kupujący dzwonił, wszystko wyjaśnione", author="jan", at=demo.now()) is None
    assert store.set_reminder(thread.id, REMIND_ON)

    sync(store)
    store.close()  # and a restart: a new store over the same file
    reopened = Store.open(paths.database)
    try:
        row = q.get_row(reader, thread.id)
        assert row is not None and row.done and not row.needs_reply and row.remind_on == REMIND_ON
        assert thread.id not in {r.id for r in q.list_page(reader, filter_=Filter.NEEDS_REPLY, limit=100).rows}

        demo.add_buyer_message(thread.id, "Jednak jeszcze jedno pytanie", at=demo.now() + timedelta(minutes=1))
        sync(reopened)
        row = q.get_row(reader, thread.id)
        assert row is not None and not row.done and row.needs_reply and row.remind_on == REMIND_ON
        detail = q.load_conversation(reader, thread.id)
        assert detail is not None and [n.text for n in detail.notes] == ["Kupujący dzwonił, wszystko wyjaśnione"]
    finally:
        reopened.close()
