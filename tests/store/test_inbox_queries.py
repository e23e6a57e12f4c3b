"""The inbox's read queries over a real database at head: paging, filters, counts, search and scanner codes."""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, CursorResult, text

from magazyn_desktop.domain.search_text import folded, search_words
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store import inbox_queries as q
from magazyn_desktop.store import sqlite_search
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import Filter
from magazyn_desktop.store.inbox_sql import FILTER_SQL, today_param
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.repository import Store
from tests.store.search_index_checks import identifier_terms

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)


def _stamp(value: datetime) -> str:
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")


class _Writer:
    """Rows written as they are, through the store's engine (either one), in sqlite3's calling style: test data of
    shapes the Store's calls do not write (ties, missing times, any flags)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> CursorResult[Any]:
        numbers = iter(range(len(params)))
        named = re.sub(r"\?", lambda _match: f":p{next(numbers)}", sql)
        return self.connection.execute(text(named), {f"p{number}": value for number, value in enumerate(params)})


@contextmanager
def _writing(store: Store) -> Iterator[_Writer]:
    """One transaction of raw writes, committed at the end."""
    with store.engine.begin() as connection:
        yield _Writer(connection)


@pytest.fixture
def db(store: Store, reader: ReadConnection) -> ReadConnection:
    with _writing(store) as writer:
        _fill_inbox(writer)
    return reader


def _fill_inbox(writer: _Writer) -> None:
    writer.execute("INSERT INTO accounts (id, environment, is_active, created_at) VALUES (1,'demo',TRUE,?)",
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


def _all_pages(db: ReadConnection, page_size: int = 17, **kwargs: object) -> list[str]:
    ids: list[str] = []
    key = None
    while True:
        page = q.list_page(db, after=key, limit=page_size, **kwargs)  # type: ignore[arg-type]
        ids.extend(row.id for row in page.rows)
        key = page.next_key
        if key is None:
            return ids


def test_keyset_pages_cover_every_row_once_newest_first(db: ReadConnection) -> None:
    ids = _all_pages(db)
    assert len(ids) == 120 and len(set(ids)) == 120
    rows = [q.get_row(db, cid) for cid in ids]
    times = [row.last_activity_at for row in rows if row and row.last_activity_at]
    assert times == sorted(times, reverse=True)
    assert all(row and row.last_activity_at is None for row in rows[-5:])


@pytest.mark.parametrize("filter_", list(Filter))
def test_counts_match_pages(db: ReadConnection, filter_: Filter) -> None:
    assert len(_all_pages(db, filter_=filter_)) == q.counts(db)[filter_]


def test_filters_mean_what_they_say(db: ReadConnection) -> None:
    unread = [q.get_row(db, cid) for cid in _all_pages(db, filter_=Filter.UNREAD)]
    assert unread and all(row and not row.read for row in unread)
    issues = [q.get_row(db, cid) for cid in _all_pages(db, filter_=Filter.ISSUES)]
    assert {row.sub_kind for row in issues if row} == {"POST_PURCHASE_ISSUE", "DISPUTE", "CLAIM"}
    closed = [q.get_row(db, cid) for cid in _all_pages(db, filter_=Filter.CLOSED)]
    assert closed and all(row and row.closed and not row.can_reply for row in closed)
    needs = [q.get_row(db, cid) for cid in _all_pages(db, filter_=Filter.NEEDS_REPLY)]
    assert needs and all(row and row.needs_reply and not row.closed for row in needs)


def test_search_finds_text_without_diacritics_login_order_and_waybill(db: ReadConnection) -> None:
    assert _all_pages(db, search="paczka") == ["c042"]
    assert _all_pages(db, search="wiadomosc 5")  # diacritics removed by the index's tokenizer
    assert _all_pages(db, search="buyer_99") == ["c099"]
    assert "c012" in _all_pages(db, search="order-12")
    assert _all_pages(db, search="AB1234567") == ["c007"]


@pytest.mark.parametrize("text", ['"', "AND", "NEAR(", "NEAR(paczka", "a*b:c", "100%", "_", "-paczka", "^paczka",
                                  "paczka*", '"paczka" OR', "!!! ... ---", "paczka " * 2000, "żółw" * 2500,
                                  " ".join(f"wiadomość{n}" for n in range(1500))])
def test_search_syntax_characters_and_huge_texts_never_raise(db: ReadConnection, text: str) -> None:
    assert len(q.list_page(db, search=text).rows) == len(_reference_rows(db, text))
    q.counts(db, search=text)


def test_find_exact_by_conversation_order_and_waybill(db: ReadConnection) -> None:
    assert q.find_exact(db, " c010 ") == "c010"
    assert q.find_exact(db, "order-33") == "c033"
    assert q.find_exact(db, "ab123456789pl") == "c007"
    assert q.find_exact(db, "nothing-here") is None


def test_load_conversation_with_draft_and_outbox(db: ReadConnection) -> None:
    detail = q.load_conversation(db, "c001")
    assert detail is not None
    assert detail.draft == "szkic"
    assert [entry.state for entry in detail.outbox] == ["failed"]
    assert [message.text for message in detail.messages] == ["wiadomość 1"]
    assert q.load_conversation(db, "missing") is None


@pytest.mark.sqlite_only  # FTS5's expressions
def test_the_match_expression_quotes_every_word_and_spells_out_long_prefixes(db: ReadConnection) -> None:
    assert isinstance(db, sqlite3.Connection)
    assert sqlite_search.text_match(db, 'gdzie "pacz') == '"gdzie" AND "pacz"*'
    assert sqlite_search.text_match(db, "WIADOMOŚ") == '"wiadomosc"'
    assert sqlite_search.text_match(db, "PACZKA wiadom") == '"paczka" AND "wiadomosc"'
    assert sqlite_search.text_match(db, "  !!! ") is None
    assert sqlite_search.text_match(db, "paczka nieznane") is None  # no message holds the second word


# --- search: every page must give the rows a plain, slow reading of the rules gives ---------------------------

def _matches_text(words: list[str], message_text: str) -> bool:
    """Every typed word begins one of the message's words, both folded."""
    held = search_words(message_text)
    return bool(words) and all(any(word.startswith(typed) for word in held) for typed in words)


def _reference(db: ReadConnection, text: str, filter_: Filter, account_id: int | None) -> list[str]:
    """The meaning of a search, spelled out row by row (no indexes, no full-text engine)."""
    text = text.strip()
    variants = {text, text.upper(), text.lower()}
    words = search_words(text)
    terms = identifier_terms(db)
    # Every word (between spaces, folded, its end punctuation off) inside one of the terms, when one of them is long
    # enough for the trigram index.
    chunks = [word for word in (re.sub(r"^\W+|\W+$", "", chunk) for chunk in folded(text).split()) if word]
    term_ids = {cid for cid, held in terms.items()
                if any(len(chunk) >= 3 for chunk in chunks) and all(any(chunk in term for term in held)
                                                                     for chunk in chunks)}
    text_ids = {cid for cid, message_text in db.execute("SELECT conversation_id, text FROM messages")
                if _matches_text(words, message_text)}
    waybill_orders = {order for waybill, order in db.execute("SELECT waybill, order_id FROM tracking_numbers")
                      if any(waybill.startswith(v) for v in variants)}
    where = FILTER_SQL[filter_] + ("" if account_id is None else f" AND c.account_id = {account_id}")
    rows = db.execute(f"SELECT c.id, c.interlocutor_login, c.order_id, c.last_activity_at FROM conversations c "
                      f"WHERE {where}", today_param(None)).fetchall()
    hits = [(cid, at) for cid, login, order, at in rows
            if len(text) < 2  # too short to search: the list unfiltered
            or (login or "").lower().startswith(text.lower()) or cid.startswith(text) or cid in text_ids
            or cid in term_ids
            or (order and (any(order.startswith(v) for v in variants) or order in waybill_orders))]
    # Newest first, ties by id descending, rows without a time last.
    hits.sort(key=lambda hit: (hit[1] is not None, hit[1] or "", hit[0]), reverse=True)
    return [cid for cid, _ in hits]


def _reference_rows(db: ReadConnection, text: str) -> list[str]:
    """The first page (50 rows) of a search over every account."""
    return _reference(db, text, Filter.ALL, None)[:50]


def test_words_typed_without_polish_letters_find_the_words_with_them(db: ReadConnection) -> None:
    assert _all_pages(db, search="wiadomosc 41") == _all_pages(db, search="WIADOMOŚĆ 41") == ["c041"]
    assert _all_pages(db, search="moja PACZKA") == _all_pages(db, search="gdzie jest") == ["c042"]


_WORDS = ("paczka", "paczkomat", "reklamacja", "zwrot", "faktura", "kurier", "dostawa", "żółty", "przesyłka",
          "Łódź", "łóżko", "ZAŁATWIONE")


def _add_two_accounts(writer: _Writer) -> None:
    for account in (1, 2):
        writer.execute("INSERT INTO accounts (id, environment, is_active, created_at) VALUES (?,'demo',TRUE,?)",
                       (account, _stamp(NOW)))


@pytest.fixture
def search_db(store: Store, reader: ReadConnection) -> ReadConnection:
    """300 conversations over two accounts: mixed-case logins, UUID-like orders, waybills, common and rare words
    with and without Polish letters, tied times within an hour and across hours, missing times."""
    with _writing(store) as writer:
        _add_two_accounts(writer)
        _fill_search_inbox(writer)
    return reader


def _fill_search_inbox(writer: _Writer) -> None:
    for i in range(300):
        when = None if i % 29 == 0 else _stamp(NOW - timedelta(minutes=i // 4 * 7))  # ties of four, hours shared
        order = f"{i:04x}beef-{i % 7:04d}-4000-8000-{i:012d}" if i % 3 else None
        login = ("Jan_Kowalski" if i % 50 == 0 else "jan_k") + str(i) if i % 5 == 0 else f"kupujacy_{i}"
        writer.execute(
            "INSERT INTO conversations (id, account_id, kind, sub_kind, status, can_reply, read, needs_reply, "
            "last_activity_at, interlocutor_login, order_id, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (f"Th{i:03d}x", 1 if i % 10 else 2, "thread", ("COMMON", "CLAIM")[i % 9 == 0],
             "CLOSED" if i % 7 == 0 else "OPEN", True, i % 3 != 0, i % 4 == 0, when, login, order, _stamp(NOW)),
        )
        if order and i % 6 == 1:
            writer.execute("INSERT INTO orders (id, account_id, checkout_form_json, fetched_at) VALUES (?,1,'{}',?)",
                           (order, _stamp(NOW)))
            writer.execute("INSERT INTO tracking_numbers (waybill, order_id) VALUES (?,?)", (f"AD{i:09d}PL", order))
        for m in range(3):
            # Common words in most conversations, 'gwarancja' in a few, a number unique to each message.
            text = f"{_WORDS[(i + m) % len(_WORDS)]} {_WORDS[(i * 3 + m) % len(_WORDS)]} numer {i}x{m}"
            if i % 37 == 5 and m == 1:
                text += " Gwarancją"
            writer.execute("INSERT INTO messages (id, conversation_id, author_role, text, created_at) "
                           "VALUES (?,?,?,?,?)", (f"m{i}-{m}", f"Th{i:03d}x", "BUYER", text, _stamp(NOW)))


_SEARCHES = ["paczka", "paczk", "reklamacja zwrot", "zolty", "gwarancja", "GWARANC", "12x1", "jan_k", "JAN_KOWALSKI",
             "kupujacy_1", "Th12", "th12", "0041beef", "0041BEEF", "ad0000000", "AD000000013", "xyzzyq", '"', "a*b:c",
             "przesylka", "PRZESYŁKA lodz", "lozko", "łóżk", "zalatw", "lo", "p", "numer 1",
             "numer 2x1 paczka kurier dostawa zwrot faktura", "numer 21 pacz"]


@pytest.mark.parametrize("filter_", [Filter.ALL, Filter.CLOSED, Filter.NEEDS_REPLY])
def test_the_search_pages_like_the_reference(search_db: ReadConnection, filter_: Filter) -> None:
    _pages_like_the_reference(search_db, filter_)


@pytest.mark.sqlite_only  # the routes are SQLite's search's own
@pytest.mark.parametrize("route", ["identifiers walked", "prefixes merged by FTS5", "words checked",
                                   "hits only", "rows only", "terms' matches only", "terms' rows only",
                                   "terms checked"])
@pytest.mark.parametrize("filter_", [Filter.ALL, Filter.CLOSED, Filter.NEEDS_REPLY])
def test_every_search_route_pages_like_the_reference(search_db: ReadConnection, monkeypatch: pytest.MonkeyPatch,
                                                     route: str, filter_: Filter) -> None:
    if route == "identifiers walked":  # every identifier matches too many rows to be looked up by key
        monkeypatch.setattr(sqlite_search, "_CANDIDATE_CAP", 2)
    elif route == "prefixes merged by FTS5":  # every long prefix stands for too many words to spell out
        monkeypatch.setattr(sqlite_search, "_PREFIX_WORDS_CAP", 0)
    elif route == "words checked":  # the index is asked for one word, the others checked on the messages found
        monkeypatch.setattr(sqlite_search, "_INDEXED_WORDS_ASKED", 1)
    elif route == "hits only":  # the index's hits newest first, never the filter's rows
        monkeypatch.setattr(sqlite_search, "_TEXT_ROUTES", ("hits",))
    elif route == "rows only":  # the filter's rows in order, each conversation asked of the index
        monkeypatch.setattr(sqlite_search, "_TEXT_ROUTES", ("rows",))
    elif route == "terms' matches only":  # the trigram index's matches sorted, never the filter's rows
        monkeypatch.setattr(sqlite_search, "_MATCHES_SORTED_ALONE", 0)  # both routes, however few the matches
        monkeypatch.setattr(sqlite_search, "_TERM_ROUTES", ("matches",))
    elif route == "terms' rows only":  # the filter's rows in order, each tested against the matches
        monkeypatch.setattr(sqlite_search, "_MATCHES_SORTED_ALONE", 0)
        monkeypatch.setattr(sqlite_search, "_TERM_ROUTES", ("rows",))
    elif route == "terms checked":  # the trigram index asked for one word, cut short, the words checked on the terms
        monkeypatch.setattr(sqlite_search, "_TERM_WORDS_ASKED", 1)
        monkeypatch.setattr(sqlite_search, "_TERM_CHARS_ASKED", 3)
    _pages_like_the_reference(search_db, filter_)


def _pages_like_the_reference(search_db: ReadConnection, filter_: Filter) -> None:
    for account_id in (1, None):
        for text in _SEARCHES:
            expected = _reference(search_db, text, filter_, account_id)
            got = _all_pages(search_db, filter_=filter_, search=text, account_id=account_id)
            assert got == expected, (text, account_id)
            assert q.count(search_db, filter_=filter_, search=text, account_id=account_id) == len(expected)


def test_search_prefix_and_case_rules(search_db: ReadConnection) -> None:
    def ids(text: str) -> set[str]:
        return set(_all_pages(search_db, search=text))

    # Logins: a prefix, any ASCII case.
    assert ids("jan_kowalski") == ids("JAN_KOWALSKI") == {f"Th{i:03d}x" for i in range(0, 300, 50)}
    assert "Th005x" in ids("Jan_K5")
    # Conversation ids are case-sensitive; order ids and waybills match as stored, upper or lower case.
    assert "Th120x" in ids("Th12") and not ids("tH12")
    assert ids("0041beef") == ids("0041BEEF") == {"Th065x"}
    assert ids("ad000000013") == ids("AD000000013") == {"Th013x"}
    # Words: each one as a prefix, case, diacritics and ł folded, every word in one message.
    assert ids("gwarancja") == ids("GWARANC") == {f"Th{i:03d}x" for i in range(300) if i % 37 == 5}
    assert ids("numer 12x") == {"Th012x"}
    assert ids("zolty") == ids("zołty") == ids("żółty") != set()
    assert ids("lodz") == ids("ŁÓDŹ") == ids("Łódź") != set()
    assert ids("przesylka") == ids("przesyłka") != set()


_RANDOM_WORDS = ("przesyłka", "przesyłki", "przelew", "Łódź", "łódka", "żółty", "żółw", "zolty", "paczka", "paczkomat",
                 "kurier", "kurtka", "dziękuję", "dzień", "dobry", "reklamacja", "reklama", "zwrot", "łóżko", "a", "ab",
                 "abc", "abcd", "abcde", "abcdef", "ŁADOWARKA", "x1", "x12", "12345", "123456")


def _fill_random_inbox(writer: _Writer, seed: int) -> None:
    """A random inbox: times drawn from a few (ties within an hour, across hours, exact, missing), random flags
    and accounts, and random Polish words with and without their letters."""
    rng = random.Random(seed)
    _add_two_accounts(writer)
    times = [None] + [_stamp(NOW - timedelta(minutes=rng.randrange(0, 900))) for _ in range(25)]
    for i in range(rng.randrange(150, 250)):
        cid = f"R{rng.randrange(10**6):06d}-{i}"
        writer.execute(
            "INSERT INTO conversations (id, account_id, kind, sub_kind, status, can_reply, read, needs_reply, "
            "last_activity_at, interlocutor_login, order_id, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (cid, rng.choice((1, 1, 2)), "thread", rng.choice(("COMMON", "CLAIM")), rng.choice(("OPEN", "CLOSED")),
             rng.random() < 0.8, rng.random() < 0.7, rng.random() < 0.4, rng.choice(times),
             f"{rng.choice(_RANDOM_WORDS)}_{i}", None, _stamp(NOW)))
        for m in range(rng.choice((0, 1, 2, 3, 8))):
            text = " ".join(rng.choice(_RANDOM_WORDS) for _ in range(rng.randrange(1, 5)))
            writer.execute("INSERT INTO messages (id, conversation_id, author_role, text, created_at) "
                           "VALUES (?,?,?,?,?)", (f"m{i}-{m}", cid, "BUYER", text, _stamp(NOW)))


def _random_searches(rng: random.Random) -> list[str]:
    searches = []
    for _ in range(14):
        words = rng.sample(_RANDOM_WORDS, rng.choice((1, 1, 2, 3)))
        typed = [word[: rng.randrange(1, len(word) + 1)] for word in words]
        searches.append(" ".join(typed))
    return searches + ["przesylka", "LODZ", "zolw", "x1 abc", "nic_takiego"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_inboxes_page_like_the_reference_with_every_filter_and_page_size(
        store: Store, reader: ReadConnection, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    if seed == 2:  # each route alone
        monkeypatch.setattr(sqlite_search, "_TEXT_ROUTES", ("rows",))
    if seed == 3:  # and with most words of a search checked on the messages the index finds
        monkeypatch.setattr(sqlite_search, "_INDEXED_WORDS_ASKED", 1)
        monkeypatch.setattr(sqlite_search, "_TEXT_ROUTES", ("hits",))
    with _writing(store) as writer:
        _fill_random_inbox(writer, seed)
    rng = random.Random(seed)
    for round_ in range(2):
        for text in _random_searches(rng):
            for filter_ in Filter:
                account_id = rng.choice((1, None))
                expected = _reference(reader, text, filter_, account_id)
                got = _all_pages(reader, filter_=filter_, search=text, account_id=account_id,
                                 page_size=rng.randrange(1, 9))
                assert got == expected, (text, filter_, account_id)
                assert q.count(reader, filter_=filter_, search=text, account_id=account_id) == len(expected)
        # Then conversations move in the list and messages change, as syncs do.
        with _writing(store) as writer:
            ids = sorted(row[0] for row in writer.execute("SELECT id FROM conversations"))
            for cid in rng.sample(ids, len(ids) // 3):
                writer.execute("UPDATE conversations SET last_activity_at = ?, read = ? WHERE id = ?",
                               (_stamp(NOW - timedelta(minutes=rng.randrange(0, 900))), rng.random() < 0.5, cid))
            mids = sorted(row[0] for row in writer.execute("SELECT id FROM messages"))
            for mid in rng.sample(mids, min(40, len(mids))):
                writer.execute("UPDATE messages SET text = ? WHERE id = ?", (rng.choice(_RANDOM_WORDS), mid))


def test_counts_with_a_search_match_the_reference(search_db: ReadConnection) -> None:
    for text in ("paczka", "lozko", "jan_k", "xyzzyq"):
        assert q.counts(search_db, search=text, account_id=1) == {
            filter_: len(_reference(search_db, text, filter_, 1)) for filter_ in Filter}


def test_keyset_pages_after_a_deep_key_neither_skip_nor_repeat(search_db: ReadConnection) -> None:
    for text in ("", "paczk", "jan_k", "zolty"):
        ids = _all_pages(search_db, search=text, account_id=1)
        assert len(ids) == len(set(ids))
        assert ids == [cid for cid in _all_pages(search_db, account_id=1)
                       if not text or cid in set(_reference(search_db, text, Filter.ALL, 1))]


@pytest.mark.sqlite_only  # SQLite's query plans
@pytest.mark.parametrize("filter_", [Filter.ALL, Filter.NEEDS_REPLY, Filter.UNREAD])
def test_a_page_deep_in_the_list_is_an_index_seek_without_a_sort(db: ReadConnection, filter_: Filter) -> None:
    """Constant cost at any depth: the query starts at the previous page's key and needs no temporary B-tree."""
    first = q.list_page(db, filter_=filter_, account_id=1, limit=10)
    assert first.next_key is not None and first.next_key.last_activity_at is not None
    statements: list[str] = []
    assert isinstance(db, sqlite3.Connection)
    db.set_trace_callback(statements.append)
    try:
        q.list_page(db, filter_=filter_, account_id=1, after=first.next_key, limit=10)
    finally:
        db.set_trace_callback(None)
    [seek] = [s for s in statements if "(c.last_activity_at, c.id) <" in s]
    plan = [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {seek}")]
    assert not any("TEMP B-TREE" in step for step in plan), plan
    assert any(step.startswith("SEARCH") and "(last_activity_at,id)<(?,?)" in step for step in plan), plan


def test_pages_are_the_same_with_the_rows_without_a_time_at_the_end(db: ReadConnection) -> None:
    for filter_ in Filter:
        ids = _all_pages(db, filter_=filter_, account_id=1)
        expected = [r[0] for r in db.execute(
            f"SELECT c.id FROM conversations c WHERE {FILTER_SQL[filter_]} AND c.account_id = 1 "
            "ORDER BY c.last_activity_at IS NULL, c.last_activity_at DESC, c.id DESC", today_param(None))]
        assert ids == expected, filter_


def test_the_reminders_page_reads_the_reminder_index_not_every_row(tmp_path: Path) -> None:
    """Few conversations have a reminder: their page must come from the remind_on index and a small sort, not from a
    walk of the whole activity index testing each row (150 ms at 100,000 conversations with no reminder at all).
    The statistics are those ANALYZE wrote for such a cache: every remind_on NULL."""
    paths = AppPaths(tmp_path)
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    writer = connect(paths.database)
    writer.execute("ANALYZE")
    with writer:
        writer.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'conversations'")
        writer.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('conversations', ?, ?)", [
            ("ix_conversations_account_id_remind_on", "100000 100000 100000"),
            ("ix_conversations_needs_reply", "100000 100000 50000 1 1"),
            ("ix_conversations_account_activity", "100000 100000 1 1"),
            ("sqlite_autoindex_conversations_1", "100000 1")])
    writer.close()
    reader = connect(paths.database, read_only=True)
    statements: list[str] = []
    reader.set_trace_callback(statements.append)
    try:
        q.list_page(reader, filter_=Filter.REMINDERS, account_id=1, limit=10)
    finally:
        reader.set_trace_callback(None)
    reads = [s for s in statements if "remind_on <=" in s and "SELECT" in s]
    assert reads
    for read in reads:
        plan = [row[3] for row in reader.execute(f"EXPLAIN QUERY PLAN {read}")]
        assert any("ix_conversations_account_id_remind_on" in step for step in plan), plan
    reader.close()
