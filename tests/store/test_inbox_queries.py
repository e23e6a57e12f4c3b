"""The inbox's read queries over a real database at head: paging, filters, counts, search and scanner codes."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store import inbox_queries as q
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.migrate import upgrade_to_head

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)


def _stamp(value: datetime) -> str:
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")


@pytest.fixture
def db(tmp_path: Path) -> sqlite3.Connection:
    paths = AppPaths(tmp_path)
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    writer = connect(paths.database)
    writer.execute("INSERT INTO accounts (id, environment, is_active, created_at) VALUES (1,'demo',1,?)",
                   (_stamp(NOW),))
    for i in range(120):
        sub_kind = ("COMMON", "POST_PURCHASE_ISSUE", "DISPUTE", "CLAIM")[i % 4]
        # Every tenth conversation shares a time with its neighbour: keyset paging must not skip ties.
        when = None if i >= 115 else _stamp(NOW - timedelta(minutes=i - i % 10 // 9))
        writer.execute(
            "INSERT INTO conversations (id, account_id, kind, sub_kind, status, can_reply, read, needs_reply, "
            "last_activity_at, interlocutor_login, order_id, updated_at) VALUES (?,1,?,?,?,?,?,?,?,?,?,?)",
            (f"c{i:03d}", "thread" if i % 4 < 2 else "issue", sub_kind, "CLOSED" if i % 7 == 0 else None,
             i % 7 != 0, i % 3 != 0, i % 5 == 0, when, f"buyer_{i}", f"order-{i}", _stamp(NOW)),
        )
        writer.execute("INSERT INTO messages (id, conversation_id, author_role, text, created_at) "
                       "VALUES (?,?,?,?,?)", (f"m{i}", f"c{i:03d}", "BUYER",
                                              "Gdzie jest moja paczka?" if i == 42 else f"wiadomość {i}",
                                              _stamp(NOW - timedelta(minutes=i))))
    writer.execute("INSERT INTO orders (id, account_id, checkout_form_json, fetched_at) VALUES ('order-7',1,'{}',?)",
                   (_stamp(NOW),))
    writer.execute("INSERT INTO tracking_numbers (waybill, order_id) VALUES ('AB123456789PL','order-7')")
    writer.execute("INSERT INTO drafts (conversation_id, text, updated_at) VALUES ('c001','szkic',?)", (_stamp(NOW),))
    writer.execute("INSERT INTO outbox (account_id, conversation_id, text, state, attempts, created_at, updated_at) "
                   "VALUES (1,'c001','odpowiedź','failed',1,?,?)", (_stamp(NOW), _stamp(NOW)))
    writer.commit()
    writer.close()
    reader = connect(paths.database, read_only=True)
    yield reader
    reader.close()


def _all_pages(db: sqlite3.Connection, **kwargs: object) -> list[str]:
    ids: list[str] = []
    key = None
    while True:
        page = q.list_page(db, after=key, limit=17, **kwargs)  # type: ignore[arg-type]
        ids.extend(row.id for row in page.rows)
        key = page.next_key
        if key is None:
            return ids


def test_keyset_pages_cover_every_row_once_newest_first(db: sqlite3.Connection) -> None:
    ids = _all_pages(db)
    assert len(ids) == 120 and len(set(ids)) == 120
    rows = [q.get_row(db, cid) for cid in ids]
    times = [row.last_activity_at for row in rows if row and row.last_activity_at]
    assert times == sorted(times, reverse=True)
    assert all(row and row.last_activity_at is None for row in rows[-5:])


@pytest.mark.parametrize("filter_", list(q.Filter))
def test_counts_match_pages(db: sqlite3.Connection, filter_: q.Filter) -> None:
    assert len(_all_pages(db, filter_=filter_)) == q.counts(db)[filter_]


def test_filters_mean_what_they_say(db: sqlite3.Connection) -> None:
    unread = [q.get_row(db, cid) for cid in _all_pages(db, filter_=q.Filter.UNREAD)]
    assert unread and all(row and not row.read for row in unread)
    issues = [q.get_row(db, cid) for cid in _all_pages(db, filter_=q.Filter.ISSUES)]
    assert {row.sub_kind for row in issues if row} == {"POST_PURCHASE_ISSUE", "DISPUTE", "CLAIM"}
    closed = [q.get_row(db, cid) for cid in _all_pages(db, filter_=q.Filter.CLOSED)]
    assert closed and all(row and row.closed and not row.can_reply for row in closed)
    needs = [q.get_row(db, cid) for cid in _all_pages(db, filter_=q.Filter.NEEDS_REPLY)]
    assert needs and all(row and row.needs_reply and not row.closed for row in needs)


def test_search_finds_text_without_diacritics_login_order_and_waybill(db: sqlite3.Connection) -> None:
    assert _all_pages(db, search="paczka") == ["c042"]
    assert _all_pages(db, search="wiadomosc 5")  # diacritics removed by the index's tokenizer
    assert _all_pages(db, search="buyer_99") == ["c099"]
    assert "c012" in _all_pages(db, search="order-12")
    assert _all_pages(db, search="AB1234567") == ["c007"]


@pytest.mark.parametrize("text", ['"', "AND", "NEAR(", "a*b:c", "100%", "_"])
def test_search_syntax_characters_never_raise(db: sqlite3.Connection, text: str) -> None:
    q.list_page(db, search=text)
    q.counts(db, search=text)


def test_find_exact_by_conversation_order_and_waybill(db: sqlite3.Connection) -> None:
    assert q.find_exact(db, " c010 ") == "c010"
    assert q.find_exact(db, "order-33") == "c033"
    assert q.find_exact(db, "ab123456789pl") == "c007"
    assert q.find_exact(db, "nothing-here") is None


def test_load_conversation_with_draft_and_outbox(db: sqlite3.Connection) -> None:
    detail = q.load_conversation(db, "c001")
    assert detail is not None
    assert detail.draft == "szkic"
    assert [entry.state for entry in detail.outbox] == ["failed"]
    assert [message.text for message in detail.messages] == ["wiadomość 1"]
    assert q.load_conversation(db, "missing") is None


def test_fts_query_quotes_every_word() -> None:
    assert q.fts_query('gdzie "paczka') == '"gdzie"* "paczka"*'
    assert q.fts_query("  !!! ") is None
