"""The search index itself: exactly the stored messages' folded words under their conversations' keys, whatever the
writes, after an upgrade of a cache written at the previous revision, and read newest first without a sort."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from magazyn_desktop.domain.search_text import search_words
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store import inbox_queries as q
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS
from magazyn_desktop.store.search_index import LONGEST_INDEXED_PREFIX, ROWID_MASK, search_key
from tests.launch.helpers import migrate_to
from tests.store.search_index_checks import assert_index_is_exact

pytestmark = pytest.mark.sqlite_only  # the SQLite cache's own message index (messages_fts)

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
WORDS = ("przesyłka", "Łódź", "żółty", "łóżko", "paczka", "paczkomat", "kurier", "dziękuję", "zwrot", "ŁADOWARKA",
         "gwarancja", "reklamacja", "dobry", "dzień")


def _stamp(value: datetime) -> str:
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")


@pytest.fixture
def writer(paths: AppPaths) -> sqlite3.Connection:
    connection = connect(paths.database)
    connection.execute("INSERT INTO accounts (id, environment, is_active, created_at) VALUES (1,'demo',1,?)",
                       (_stamp(NOW),))
    connection.commit()
    yield connection
    connection.close()


def _add_conversation(db: sqlite3.Connection, cid: str, at: str | None, account: int = 1) -> None:
    db.execute("INSERT INTO conversations (id, account_id, kind, sub_kind, can_reply, read, needs_reply, "
               "last_activity_at, interlocutor_login, updated_at) VALUES (?,?,'thread','COMMON',1,1,0,?,?,?)",
               (cid, account, at, f"kupujacy_{cid}", _stamp(NOW)))


def _add_message(db: sqlite3.Connection, mid: str, cid: str, text: str) -> None:
    db.execute("INSERT INTO messages (id, conversation_id, author_role, text, created_at) VALUES (?,?,'BUYER',?,?)",
               (mid, cid, text, _stamp(NOW)))


def test_random_writes_keep_the_index_exactly_the_stored_words(writer: sqlite3.Connection) -> None:
    rng = random.Random(7)
    times = [None] + [_stamp(NOW - timedelta(minutes=rng.randrange(0, 600))) for _ in range(12)]
    conversations: list[str] = []
    messages: list[str] = []
    for step in range(600):
        action = rng.random()
        if action < 0.15 or not conversations:
            cid = f"c{step}"
            _add_conversation(writer, cid, rng.choice(times))
            conversations.append(cid)
        elif action < 0.5:
            mid = f"m{step}"
            _add_message(writer, mid, rng.choice(conversations), " ".join(rng.sample(WORDS, 3)))
            messages.append(mid)
        elif action < 0.65 and messages:  # edited text
            writer.execute("UPDATE messages SET text = ? WHERE id = ?", (rng.choice(WORDS), rng.choice(messages)))
        elif action < 0.7 and messages:  # the same text written again, as an upsert does
            writer.execute("UPDATE messages SET text = text WHERE id = ?", (rng.choice(messages),))
        elif action < 0.85:  # activity moves, within its hour or to another, to none and back
            writer.execute("UPDATE conversations SET last_activity_at = ? WHERE id = ?",
                           (rng.choice(times), rng.choice(conversations)))
        elif action < 0.92 and messages:
            gone = messages.pop(rng.randrange(len(messages)))
            writer.execute("DELETE FROM messages WHERE id = ?", (gone,))
        else:  # the conversation with its messages, by the foreign key's cascade
            gone = conversations.pop(rng.randrange(len(conversations)))
            writer.execute("DELETE FROM conversations WHERE id = ?", (gone,))
            messages = [mid for mid, in writer.execute("SELECT id FROM messages")]
        if step % 50 == 49:
            writer.commit()
            assert_index_is_exact(writer)
    writer.commit()
    assert_index_is_exact(writer)


def test_deleting_an_account_takes_its_conversations_out_of_the_index(writer: sqlite3.Connection) -> None:
    writer.execute("INSERT INTO accounts (id, environment, is_active, created_at) VALUES (2,'demo',1,?)",
                   (_stamp(NOW),))
    for account in (1, 2):
        _add_conversation(writer, f"c{account}", _stamp(NOW), account)
        _add_message(writer, f"m{account}", f"c{account}", "przesyłka łóżko")
    writer.execute("DELETE FROM accounts WHERE id = 2")
    writer.commit()
    assert_index_is_exact(writer)
    assert [row.id for row in q.list_page(writer, search="lozko").rows] == ["c1"]


def test_messages_stored_before_their_conversation_join_the_index_with_it(writer: sqlite3.Connection) -> None:
    writer.execute("PRAGMA foreign_keys=OFF")
    _add_message(writer, "m1", "later", "paczkomat żółty")
    _add_conversation(writer, "later", _stamp(NOW))
    writer.commit()
    assert_index_is_exact(writer)
    assert [row.id for row in q.list_page(writer, search="zolty").rows] == ["later"]


def test_a_key_holds_the_hour_of_activity_above_the_rowid() -> None:
    assert search_key(None, 5) == 5
    earlier, later = search_key("2026-11-05 10:59:59.999999", 9), search_key("2026-11-05 11:00:00.000000", 1)
    assert later > earlier and earlier >> 32 == (later >> 32) - 1
    assert search_key("2026-11-05 11:30:00.000000", 1) >> 32 == later >> 32
    with pytest.raises(ValueError):
        search_key("2026-11-05 11:00:00.000000", ROWID_MASK + 1)


def test_writes_without_the_index_functions_are_refused(paths: AppPaths, writer: sqlite3.Connection) -> None:
    """A connection that cannot recompute documents must not write messages: the index would go wrong."""
    _add_conversation(writer, "c1", _stamp(NOW))
    writer.commit()
    plain = sqlite3.connect(paths.database)
    try:
        with pytest.raises(sqlite3.OperationalError, match="search_"):
            _add_message(plain, "m1", "c1", "paczka")
    finally:
        plain.close()


def test_the_index_declares_the_prefixes_search_relies_on(writer: sqlite3.Connection) -> None:
    (sql,) = writer.execute("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").fetchone()
    prefixes = sql.split("prefix='")[1].split("'")[0].split()
    assert [int(length) for length in prefixes] == list(range(1, LONGEST_INDEXED_PREFIX + 1))


# -- the upgrade ---------------------------------------------------------------------------------------------------

PREVIOUS = KNOWN_REVISIONS[KNOWN_REVISIONS.index("0007_folded_search_index") - 1]


def test_upgrade_rebuilds_the_index_of_a_cache_written_at_the_previous_revision(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    migrate_to(paths.database, PREVIOUS)
    old = sqlite3.connect(paths.database)  # as the previous build wrote it: its triggers need no functions
    with old:
        old.execute("INSERT INTO accounts (id, environment, is_active, created_at) VALUES (1,'demo',1,?)",
                    (_stamp(NOW),))
        for n in range(30):
            _add_conversation(old, f"c{n:02d}", None if n == 29 else _stamp(NOW - timedelta(hours=n // 3)))
            for m in range(3):
                _add_message(old, f"m{n}-{m}", f"c{n:02d}", f"{WORDS[(n + m) % len(WORDS)]} numer {n}x{m}")
    before = old.execute("SELECT id, conversation_id, text FROM messages ORDER BY id").fetchall()
    # The old index does not fold ł: this is what the upgrade is for.
    assert old.execute("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'przesylka'").fetchone() == (0,)
    old.close()

    result = upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    assert (result.before, result.after) == (PREVIOUS, HEAD_REVISION)
    db = connect(paths.database)
    try:
        assert db.execute("SELECT id, conversation_id, text FROM messages ORDER BY id").fetchall() == before
        assert_index_is_exact(db)
        holders = {cid for cid, text in db.execute("SELECT conversation_id, text FROM messages")
                   if "przesylka" in search_words(text)}
        assert holders and set(_ids(db, "przesylka")) == holders
        assert _ids(db, "LODZ") == _ids(db, "Łódź") != []
        # And the new triggers keep it: a new message, and a conversation moving up the list.
        _add_message(db, "new", "c29", "ładowarka dotarła")
        db.execute("UPDATE conversations SET last_activity_at = ? WHERE id = 'c28'",
                   (_stamp(NOW + timedelta(hours=2)),))
        db.commit()
        assert_index_is_exact(db)
        assert _ids(db, "przesylka")[0] == "c28"
        assert _ids(db, "ladowarka dotarla") == ["c29"]
    finally:
        db.close()


def _ids(db: sqlite3.Connection, search: str) -> list[str]:
    return [row.id for row in q.list_page(db, search=search, limit=100).rows]


# -- reading ------------------------------------------------------------------------------------------------------

def test_words_are_read_newest_first_from_the_index_without_a_sort(writer: sqlite3.Connection) -> None:
    for n in range(40):
        _add_conversation(writer, f"c{n:02d}", _stamp(NOW - timedelta(hours=n)))
        _add_message(writer, f"m{n}", f"c{n:02d}", "przesyłka kurier")
    writer.commit()
    first = q.list_page(writer, search="przesylka kur", account_id=1, limit=10)
    assert first.next_key is not None
    statements: list[str] = []
    writer.set_trace_callback(statements.append)
    try:
        q.list_page(writer, search="przesylka kur", account_id=1, after=first.next_key, limit=10)
    finally:
        writer.set_trace_callback(None)
    [read] = [s for s in statements if "messages_fts MATCH" in s]
    plan = [row[3] for row in writer.execute(f"EXPLAIN QUERY PLAN {read}")]
    assert not any("TEMP B-TREE" in step for step in plan), plan
    assert plan[0].startswith("SCAN f VIRTUAL TABLE"), plan
    assert any("SEARCH m USING INTEGER PRIMARY KEY" in step for step in plan), plan
    assert any(step.startswith("SEARCH c USING INDEX sqlite_autoindex_conversations_1") for step in plan), plan


def _steps_for_a_page(tmp_path: Path, conversations: int, search: str, account_id: int = 1) -> int:
    """SQLite's virtual-machine steps for the first page of a search in an inbox of that many conversations, each
    with three messages holding the same common words, and a second account holding five of the same."""
    paths = AppPaths(tmp_path / f"inbox-{conversations}-{account_id}")
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    db = connect(paths.database)
    try:
        for account in (1, 2):
            db.execute("INSERT INTO accounts (id, environment, is_active, created_at) VALUES (?,'demo',1,?)",
                       (account, _stamp(NOW)))
        for n in reversed(range(conversations)):
            owner = 2 if n in (67, 127, 187, 247) else 1
            _add_conversation(db, f"c{n:05d}", _stamp(NOW - timedelta(minutes=20 * n)), owner)
            for m in range(3):
                _add_message(db, f"m{n}-{m}", f"c{n:05d}", "dzień dobry, przesyłka")
        db.commit()
        db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('optimize')")
        db.commit()
        steps = 0

        def count() -> int:
            nonlocal steps
            steps += 1
            return 0

        db.set_progress_handler(count, 100)
        page = q.list_page(db, search=search, account_id=account_id, limit=20)
        db.set_progress_handler(None, 0)
        assert len(page.rows) == (20 if account_id == 1 else 4)
        return steps
    finally:
        db.close()


@pytest.mark.parametrize("search", ["dobry", "dzie przesylka", "przesyłka"])
def test_a_page_of_a_common_word_costs_the_same_in_a_ten_times_larger_inbox(tmp_path: Path, search: str) -> None:
    """Reading stops at the end of the page's last hour, however many older messages hold the words."""
    small, large = _steps_for_a_page(tmp_path, 300, search), _steps_for_a_page(tmp_path, 3000, search)
    assert large <= 1.5 * small + 10, (small, large)


def test_a_search_in_an_account_with_few_conversations_costs_the_same_beside_a_ten_times_larger_one(
        tmp_path: Path) -> None:
    """The other account's hits are not read one by one: the few rows of this one are asked of the index. (Both
    routes take turns by time, so the steps vary a little from run to run; reading every hit would cost ten times
    as many.)"""
    small, large = _steps_for_a_page(tmp_path, 300, "dobry", 2), _steps_for_a_page(tmp_path, 3000, "dobry", 2)
    assert large <= 3 * small + 100, (small, large)

