"""The Store over a real database at head: whole-or-nothing conversations, search index, needs_reply, outbox, orders."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Connection

from magazyn_desktop.domain.records import (
    AttachmentInfo,
    ConversationMessage,
    ConversationSummary,
    LineItem,
    Order,
    Shipment,
)
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, Role, SubKind
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store import conversation_writes, sqlite_search
from magazyn_desktop.store.conversation_writes import one_line_snippet
from magazyn_desktop.store.db import connect
from magazyn_desktop.store.inbox_records import parse_time
from magazyn_desktop.store.kind_registry import StoreKindRegistry
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.records import ChangeKind, ConversationWrite
from magazyn_desktop.store.repository import Store
from magazyn_desktop.store.search_index import ROWID_MASK
from tests.store.search_index_checks import assert_index_is_exact

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
THREAD = "T1".ljust(43, "x")
ISSUE = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def account_id(store: Store) -> int:
    return store.ensure_account("demo", "shop")


def summary(conversation_id: str = THREAD, *, at: datetime = NOW, kind: Kind = Kind.THREAD, **extra: object) -> ConversationSummary:
    sub_kind = SubKind.COMMON if kind is Kind.THREAD else SubKind.DISPUTE
    return ConversationSummary(id=conversation_id, kind=kind, sub_kind=sub_kind, last_activity_at=at,
                               interlocutor_login="kupujacy", **extra)  # type: ignore[arg-type]


def message(mid: str, role: Role, text: str, minutes: int, conversation_id: str = THREAD,
            attachments: tuple[AttachmentInfo, ...] = ()) -> ConversationMessage:
    return ConversationMessage(mid, conversation_id, role, role.value.lower(), text,
                               NOW - timedelta(minutes=60 - minutes), attachments)


def fts_rowids(reader: sqlite3.Connection, query: str) -> list[int]:
    """The rowids of the messages the search index holds under the words of `query`."""
    match = sqlite_search.text_match(reader, query)
    if match is None:
        return []
    return [r[0] & ROWID_MASK for r in reader.execute("SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?",
                                                      (match,))]


# -- accounts ----------------------------------------------------------------------------------------------------


def test_ensure_account_is_idempotent_and_fills_the_login(store: Store) -> None:
    first = store.ensure_account("production")
    assert store.ensure_account("production", "sklep") == first
    assert store.account_login(first) == "sklep"
    assert store.ensure_account("production", "sklep") == first
    assert store.ensure_account("sandbox", "sklep") != first


# -- conversations -----------------------------------------------------------------------------------------------


def test_store_conversation_reports_added_then_unchanged_then_changed(store: Store, account_id: int) -> None:
    messages = [message("m1", Role.BUYER, "Dzień dobry", 1), message("m2", Role.SELLER, "Witam", 2)]
    first = store.store_conversation(account_id, summary(), messages)
    assert (first.change, first.messages_added, first.messages_changed) == (ChangeKind.ADDED, 2, 0)
    assert [m.id for m in first.added_buyer_messages] == ["m1"]
    again = store.store_conversation(account_id, summary(), messages)
    assert (again.change, again.messages_added, again.messages_changed) == (ChangeKind.UNCHANGED, 0, 0)
    edited = [messages[0], message("m2", Role.SELLER, "Witam serdecznie", 2)]
    third = store.store_conversation(account_id, summary(), edited)
    assert (third.change, third.messages_added, third.messages_changed) == (ChangeKind.CHANGED, 0, 1)


@pytest.mark.parametrize("failing_step", ["_write_attachments", "_refresh_derived"])
def test_store_conversation_is_whole_or_nothing(store: Store, account_id: int, reader: ReadConnection,
                                                monkeypatch: pytest.MonkeyPatch, failing_step: str,
                                                engine_name: str) -> None:
    store.store_conversation(account_id, summary(at=NOW - timedelta(hours=1)), [message("m1", Role.BUYER, "stara", 1)])
    seen: list[list[str]] = []

    def failing(connection: Connection, *args: object) -> None:
        # Both steps run after the batch's messages were upserted in this transaction: the rollback must undo them.
        seen.append(sorted(r[0] for r in connection.exec_driver_sql("SELECT id FROM messages")))
        raise RuntimeError("disk went away")

    monkeypatch.setattr(conversation_writes, failing_step, failing)
    photo = AttachmentInfo("zdjęcie.jpg", id="A1", mime_type="image/jpeg")
    newer = summary(at=NOW, status="OPEN")
    with pytest.raises(RuntimeError):
        store.store_conversation(account_id, newer, [message("m2", Role.SELLER, "nowa odpowiedź", 30),
                                                     message("m3", Role.BUYER, "nowe pytanie", 40, attachments=(photo,))])
    assert seen == [["m1", "m2", "m3"]]
    assert [r[0] for r in reader.execute("SELECT id FROM messages ORDER BY id")] == ["m1"]
    assert reader.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    status, remote_at, snippet = reader.execute(
        "SELECT status, remote_last_message_at, last_message_snippet FROM conversations").fetchone()
    assert status is None and snippet == "stara"
    assert parse_time(remote_at) == NOW - timedelta(hours=1)
    if engine_name == "sqlite":  # the search index's own table
        assert fts_rowids(reader, "nowa") == []
    # A conversation that did not exist before leaves no trace either.
    with pytest.raises(RuntimeError):
        store.store_conversation(account_id, summary(ISSUE, kind=Kind.ISSUE), [
            message("c1", Role.BUYER, "a", 1, ISSUE), message("c2", Role.BUYER, "b", 2, ISSUE, attachments=(photo,))])
    assert reader.execute("SELECT count(*) FROM conversations WHERE id = ?", (ISSUE,)).fetchone()[0] == 0
    assert reader.execute("SELECT count(*) FROM messages WHERE conversation_id = ?", (ISSUE,)).fetchone()[0] == 0


def test_store_conversation_runs_a_fixed_number_of_statements(store: Store, account_id: int) -> None:
    """Sync stores every conversation under the writer lock: no statement per message, and nothing written for
    messages that did not change."""
    statements: list[str] = []
    change_log: list[str] = []  # a team's store logs a changed conversation for the other benches: two more

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        kept = change_log if "change_log" in statement or "pg_notify" in statement else statements
        kept.append(statement.split()[0].upper())

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        messages = [message(f"m{i}", Role.BUYER if i % 2 else Role.SELLER, f"tekst {i}", i) for i in range(20)]
        store.store_conversation(account_id, summary(), messages)
        # BEGIN, the row, its insert, the stored messages, one executemany upsert, the derived columns, the update.
        assert len(statements) <= 7 and statements.count("INSERT") == 2
        statements.clear()
        again = store.store_conversation(account_id, summary(), messages)
        assert again.change is ChangeKind.UNCHANGED
        assert "INSERT" not in statements and statements.count("UPDATE") == 1 and len(statements) <= 5
        assert change_log == ([] if store.engine.dialect.name == "sqlite" else ["INSERT", "SELECT"])
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_store_conversation_edge_cases_of_the_batch(store: Store, account_id: int, reader: ReadConnection,
                                                    engine_name: str) -> None:
    # The same id twice in one batch: one message, added once, as last listed.
    first = store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "raz", 1),
                                                             message("m1", Role.BUYER, "dwa", 1)])
    assert (first.messages_added, first.added_message_ids) == (1, ("m1",))
    assert reader.execute("SELECT text FROM messages").fetchall() == [("dwa",)]
    if engine_name == "sqlite":  # the search index's own table
        assert fts_rowids(reader, "raz") == [] and len(fts_rowids(reader, "dwa")) == 1
    # A stored message listed under another conversation moves there: changed, not added.
    moved = store.store_conversation(account_id, summary(ISSUE, kind=Kind.ISSUE),
                                     [message("m1", Role.BUYER, "dwa", 1, ISSUE)])
    assert (moved.change, moved.messages_added, moved.messages_changed) == (ChangeKind.ADDED, 0, 1)
    assert reader.execute("SELECT conversation_id FROM messages").fetchall() == [(ISSUE,)]
    # An attachment renamed under the same remote id, and a changed mime type, on an otherwise unchanged message.
    scan = AttachmentInfo("skan.pdf", id="A1", mime_type="application/pdf")
    note = AttachmentInfo("notatka.txt", mime_type="text/plain")
    store.store_conversation(account_id, summary(), [message("m2", Role.BUYER, "x", 2, attachments=(scan, note))])
    renamed = AttachmentInfo("skan-1.pdf", id="A1", mime_type="application/pdf")
    retyped = AttachmentInfo("notatka.txt", mime_type="text/markdown")
    result = store.store_conversation(account_id, summary(), [message("m2", Role.BUYER, "x", 2,
                                                                      attachments=(renamed, retyped, retyped))])
    assert (result.change, result.messages_changed) == (ChangeKind.CHANGED, 1)
    assert reader.execute("SELECT remote_id, file_name, mime_type FROM attachments ORDER BY file_name").fetchall() \
        == [(None, "notatka.txt", "text/markdown"), ("A1", "skan-1.pdf", "application/pdf")]
    assert store.store_conversation(account_id, summary(), [message("m2", Role.BUYER, "x", 2, attachments=(
        retyped, renamed))]).change is ChangeKind.UNCHANGED


@pytest.mark.sqlite_only  # SQLite's search index, its table and vocabulary
def test_search_index_finds_upserted_text_without_duplicates(store: Store, account_id: int, paths: AppPaths,
                                                             reader: ReadConnection) -> None:
    store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "Gdzie jest moja paczka?", 1)])
    rowid = reader.execute("SELECT rowid FROM messages WHERE id = 'm1'").fetchone()[0]
    assert fts_rowids(reader, "paczka") == [rowid]
    for _ in range(3):  # re-upserts, unchanged and changed, keep one index entry per message
        store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "Gdzie jest moja paczka?", 1)])
    store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "Gdzie jest przesyłka? Świetnie", 1)])
    assert reader.execute("SELECT rowid FROM messages WHERE id = 'm1'").fetchone()[0] == rowid
    assert fts_rowids(reader, "paczka") == []
    assert fts_rowids(reader, "przesyłka") == fts_rowids(reader, "przesylka") == [rowid]
    assert fts_rowids(reader, "swietnie") == [rowid]  # diacritics folded
    checker = connect(paths.database)  # the check reads the index's vocabulary through a temporary table
    try:
        assert_index_is_exact(checker)
    finally:
        checker.close()


@pytest.mark.parametrize(
    ("roles", "needs_reply"),
    [
        ((Role.BUYER,), True),
        ((Role.BUYER, Role.SELLER), False),
        ((Role.SELLER, Role.BUYER), True),
        ((Role.BUYER, Role.ALLEGRO), True),  # an advisor's note does not answer the buyer for the seller
        ((Role.BUYER, Role.SELLER, Role.ALLEGRO), False),
        ((Role.ALLEGRO,), False),
    ],
)
def test_needs_reply_means_the_buyer_spoke_last(store: Store, account_id: int, reader: ReadConnection,
                                                roles: tuple[Role, ...], needs_reply: bool) -> None:
    messages = [message(f"m{i}", role, f"tekst {i}", i) for i, role in enumerate(roles)]
    store.store_conversation(account_id, summary(read=True), messages)
    assert reader.execute("SELECT needs_reply FROM conversations").fetchone()[0] == int(needs_reply)


def test_snippet_activity_and_remote_state(store: Store, account_id: int, reader: ReadConnection) -> None:
    long_text = "Dzień dobry,\n\n  " + "bardzo długa wiadomość " * 20
    issue = summary(ISSUE, kind=Kind.ISSUE, at=NOW - timedelta(hours=2), messages_count=2,
                    last_message_status="BUYER_REPLIED")
    store.store_conversation(account_id, issue, [message("c1", Role.SELLER, "x", 1, ISSUE),
                                                 message("c2", Role.BUYER, long_text, 59, ISSUE)])
    snippet, activity = reader.execute("SELECT last_message_snippet, last_activity_at FROM conversations").fetchone()
    assert snippet == one_line_snippet(long_text) and "\n" not in snippet and len(snippet) <= 200
    assert snippet.startswith("Dzień dobry, bardzo")
    assert parse_time(activity) == NOW - timedelta(minutes=1)  # the newest message is newer than the summary said
    assert store.known_issue_state(account_id) == {ISSUE: (2, "BUYER_REPLIED", NOW - timedelta(hours=2))}
    assert store.known_thread_state(account_id) == {}


def test_summary_only_upsert_keeps_the_conversation_looking_unfetched(store: Store, account_id: int) -> None:
    assert store.upsert_conversation(account_id, summary()) is ChangeKind.ADDED
    assert store.upsert_conversation(account_id, summary()) is ChangeKind.UNCHANGED
    assert store.upsert_conversation(account_id, summary(status="CLOSED")) is ChangeKind.CHANGED
    assert store.known_thread_state(account_id) == {}  # messages never fetched: sync still sees it as new


def test_a_batch_of_conversations_is_stored_in_one_transaction(store: Store, account_id: int,
                                                              reader: ReadConnection) -> None:
    store.store_conversation(account_id, summary(THREAD, status="OPEN"), [message("m0", Role.BUYER, "stara", 1)])
    others = ["T2".ljust(43, "x"), "T3".ljust(43, "x"), "T4".ljust(43, "x")]
    writes = [ConversationWrite(summary(cid), [message(f"m{n}", Role.BUYER, f"pytanie {n}", n, cid)])
              for n, cid in enumerate(others, start=1)]
    writes.append(ConversationWrite(summary(THREAD, status="CLOSED"), None))  # the summary alone
    commits: list[int] = []
    event.listen(store.engine, "commit", lambda _connection: commits.append(1))
    results = store.store_conversations(account_id, writes)
    assert len(commits) == 1
    assert [(r.change, r.messages_added) for r in results] == [(ChangeKind.ADDED, 1)] * 3 + [(ChangeKind.CHANGED, 0)]
    assert reader.execute("SELECT count(*) FROM conversations").fetchone()[0] == 4
    assert store.conversation_summary(THREAD).status == "CLOSED"  # type: ignore[union-attr]
    assert len(store.message_ids(THREAD)) == 1


def test_a_batch_is_stored_whole_or_not_at_all(store: Store, account_id: int, reader: ReadConnection,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real = conversation_writes.store_conversation
    calls = {"n": 0}

    def failing_third(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise sqlite3.OperationalError("database or disk is full")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(conversation_writes, "store_conversation", failing_third)
    writes = [ConversationWrite(summary(f"T{n}".ljust(43, "x")), [message(f"m{n}", Role.BUYER, "x", n, f"T{n}".ljust(43, "x"))])
              for n in range(4)]
    with pytest.raises(sqlite3.OperationalError):
        store.store_conversations(account_id, writes)
    assert reader.execute("SELECT count(*) FROM conversations").fetchone()[0] == 0


def test_summaries_that_would_change_their_row_are_told_apart_without_writing(store: Store, account_id: int) -> None:
    stored = summary(THREAD, status="OPEN", read=True)
    store.store_conversation(account_id, stored, [message("m1", Role.BUYER, "pytanie", 1)])
    moved_on = summary("T2".ljust(43, "x"))
    store.store_conversation(account_id, moved_on, [message("m2", Role.BUYER, "pytanie", 2, moved_on.id)])
    commits: list[int] = []
    event.listen(store.engine, "commit", lambda _connection: commits.append(1))
    unknown = summary("T9".ljust(43, "x"))
    asked = [stored, summary(moved_on.id, at=NOW + timedelta(minutes=5)), unknown]
    assert store.summaries_to_write(account_id, asked) == [asked[1], unknown]
    assert store.summaries_to_write(account_id, [summary(THREAD, status="CLOSED", read=True)]) != []
    assert store.summaries_to_write(account_id, [summary(THREAD, status="OPEN", read=False)]) != []
    assert store.summaries_to_write(account_id, [stored]) == []
    assert store.summaries_to_write(account_id + 1, [stored]) == [stored]  # another account's row moves
    assert commits == []


def test_attachments_follow_the_message_and_keep_local_copies(store: Store, account_id: int,
                                                             reader: ReadConnection) -> None:
    photo = AttachmentInfo("zdjęcie.jpg", id="A1", mime_type="image/jpeg", url="https://x/A1")
    store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "foto", 1, attachments=(photo,))])
    with store.engine.begin() as writer:  # the store's own database, whichever engine it is
        assert writer.execute(text("UPDATE attachments SET local_path = 'attachments/x.jpg'")).rowcount == 1
    pdf = AttachmentInfo("faktura.pdf", id="A2", mime_type="application/pdf")
    store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "foto", 1, attachments=(photo, pdf))])
    rows = reader.execute("SELECT remote_id, local_path FROM attachments ORDER BY remote_id").fetchall()
    assert rows == [("A1", "attachments/x.jpg"), ("A2", None)]
    store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "foto", 1, attachments=(pdf,))])
    assert reader.execute("SELECT remote_id FROM attachments").fetchall() == [("A2",)]


def test_a_downloaded_attachment_is_remembered_where_it_was_saved(store: Store, account_id: int,
                                                                 reader: ReadConnection) -> None:
    photo = AttachmentInfo("zdjęcie.jpg", id="A1", mime_type="image/jpeg")
    store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "foto", 1, attachments=(photo,))])
    attachment_id = reader.execute("SELECT id FROM attachments").fetchone()[0]
    assert store.set_attachment_local_path(attachment_id, "/data/attachments/zdjęcie.jpg") is True
    assert store.set_attachment_local_path(attachment_id + 1, "/elsewhere.jpg") is False  # gone since: nothing
    assert reader.execute("SELECT local_path FROM attachments").fetchall() == [("/data/attachments/zdjęcie.jpg",)]
    store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "foto", 1, attachments=(photo,))])
    assert reader.execute("SELECT local_path FROM attachments").fetchall() == [("/data/attachments/zdjęcie.jpg",)]


def test_mark_read_and_drafts(store: Store, account_id: int, reader: ReadConnection) -> None:
    store.store_conversation(account_id, summary(read=False), [message("m1", Role.BUYER, "?", 1)])
    store.mark_read(THREAD)
    assert reader.execute("SELECT read FROM conversations").fetchone()[0] == 1
    store.save_draft(THREAD, "Dzień dobry, ")
    store.save_draft(THREAD, "Dzień dobry, paczka wyszła")
    assert store.load_draft(THREAD) == "Dzień dobry, paczka wyszła"
    store.save_draft(THREAD, "")
    assert store.load_draft(THREAD) == ""
    assert reader.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0


def test_writes_from_many_threads_are_serialised(store: Store, account_id: int, reader: ReadConnection) -> None:
    failures: list[BaseException] = []

    def writer(worker: int) -> None:
        try:
            for n in range(15):
                cid = f"W{worker}-{n}".ljust(43, "x")
                store.store_conversation(account_id, summary(cid), [message(f"w{worker}-{n}", Role.BUYER, "x", 1, cid)])
                store.save_draft(cid, f"szkic {n}")
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert reader.execute("SELECT count(*) FROM conversations").fetchone()[0] == 90


def test_kind_registry_remembers_unsaved_ids_then_uses_the_table(store: Store, account_id: int) -> None:
    registry = StoreKindRegistry(store)
    assert registry.recorded_kind(ISSUE) is None
    registry.record_kind(ISSUE, Kind.ISSUE, SubKind.DISPUTE)
    assert registry.recorded_kind(ISSUE) is Kind.ISSUE  # from memory: no row yet
    store.store_conversation(account_id, summary(ISSUE, kind=Kind.ISSUE), [])
    registry.record_kind(ISSUE, Kind.ISSUE, SubKind.CLAIM)  # a dispute became a claim
    assert store.conversation_kind(ISSUE) == (Kind.ISSUE, SubKind.CLAIM)
    assert StoreKindRegistry(store).recorded_kind(ISSUE) is Kind.ISSUE  # a new session reads the table


# -- cursors -----------------------------------------------------------------------------------------------------


def test_cursors_and_last_sync(store: Store, account_id: int) -> None:
    assert store.last_sync_at(account_id) is None
    store.set_cursor(account_id, "threads", newest_seen_at=NOW, succeeded=False, error="boom")
    state = store.get_cursor(account_id, "threads")
    assert (state.newest_seen_at, state.last_success_at, state.last_error) == (NOW, None, "boom")
    store.set_cursor(account_id, "threads", succeeded=True)
    state = store.get_cursor(account_id, "threads")
    assert state.newest_seen_at == NOW and state.last_error is None and state.last_success_at is not None
    assert store.last_sync_at(account_id) == state.last_success_at


# -- outbox ------------------------------------------------------------------------------------------------------


def test_outbox_transitions(store: Store, account_id: int) -> None:
    store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "?", 1)])
    first = store.add_outbox_entry(account_id, THREAD, "pierwsza")
    second = store.add_outbox_entry(account_id, THREAD, "druga")
    assert [e.id for e in store.due_outbox_entries(account_id)] == [first, second]
    assert store.mark_outbox_sending(first, NOW)
    assert not store.mark_outbox_sending(first, NOW)  # only a queued entry can start sending
    assert [e.id for e in store.due_outbox_entries(account_id)] == [second]
    assert store.mark_outbox_uncertain(first, code="TIMEOUT", message="no answer")
    assert store.uncertain_outbox_entries(account_id)[0].error_code == "TIMEOUT"
    sent = ConversationMessage("r1", THREAD, Role.SELLER, "shop", "pierwsza", NOW + timedelta(seconds=1))
    assert store.mark_outbox_sent(first, remote_message_id="r1", sent_at=sent.created_at, message=sent)
    entry = store.outbox_entry(first)
    assert entry is not None and entry.state is OutboxState.SENT and entry.remote_message_id == "r1"
    assert entry.attempts == 1
    assert store.claimed_remote_message_ids(THREAD) == {"r1"}
    assert "r1" in store.message_ids(THREAD)
    store.mark_outbox_sending(second)
    store.mark_outbox_failed(second, code="THREAD_CLOSED", message="Wątek jest zamknięty")
    states = [(e.state, e.error_code) for e in store.outbox_for_conversation(THREAD)]
    assert states == [(OutboxState.SENT, None), (OutboxState.FAILED, "THREAD_CLOSED")]


# Every move an entry may make, written out here rather than read from the store: the store's table must match it.
LEGAL_OUTBOX_MOVES = {
    (OutboxState.QUEUED, OutboxState.SENDING),
    (OutboxState.SENDING, OutboxState.SENT),
    (OutboxState.SENDING, OutboxState.FAILED),
    (OutboxState.SENDING, OutboxState.QUEUED),
    (OutboxState.SENDING, OutboxState.UNCERTAIN),
    (OutboxState.UNCERTAIN, OutboxState.SENT),
    (OutboxState.UNCERTAIN, OutboxState.QUEUED),
}


def test_outbox_refuses_every_illegal_move(store: Store, account_id: int) -> None:
    """A failed reply stays failed (nothing re-queues what Allegro rejected), a sent one stays sent, and a reply
    fails only once a send of it has started."""
    store.store_conversation(account_id, summary(), [])

    def entry_in(state: OutboxState) -> int:
        entry = store.add_outbox_entry(account_id, THREAD, f"w stanie {state.value}")
        if state is not OutboxState.QUEUED:
            assert store.mark_outbox_sending(entry, NOW)
        if state is OutboxState.SENT:
            assert store.mark_outbox_sent(entry, remote_message_id=None)
        elif state is OutboxState.FAILED:
            assert store.mark_outbox_failed(entry, code="X", message="x")
        elif state is OutboxState.UNCERTAIN:
            assert store.mark_outbox_uncertain(entry)
        return entry

    moves = {
        OutboxState.SENDING: lambda entry: store.mark_outbox_sending(entry, NOW),
        OutboxState.SENT: lambda entry: store.mark_outbox_sent(entry, remote_message_id=None),
        OutboxState.FAILED: lambda entry: store.mark_outbox_failed(entry, code="Y", message="y"),
        OutboxState.QUEUED: lambda entry: store.mark_outbox_queued(entry),
        OutboxState.UNCERTAIN: lambda entry: store.mark_outbox_uncertain(entry),
    }
    outcomes: dict[tuple[OutboxState, OutboxState], tuple[bool, OutboxState]] = {}
    for start in OutboxState:
        for target, move in moves.items():
            entry = entry_in(start)
            moved = move(entry)
            item = store.outbox_entry(entry)
            assert item is not None
            outcomes[(start, target)] = (moved, item.state)
    assert outcomes == {
        (start, target): (True, target) if (start, target) in LEGAL_OUTBOX_MOVES else (False, start)
        for start in OutboxState for target in moves
    }


def test_sent_reply_clears_needs_reply(store: Store, account_id: int, reader: ReadConnection) -> None:
    store.store_conversation(account_id, summary(), [message("m1", Role.BUYER, "?", 1)])
    entry = store.add_outbox_entry(account_id, THREAD, "Już wysłane")
    store.mark_outbox_sending(entry)
    reply = ConversationMessage("r1", THREAD, Role.SELLER, "shop", "Już wysłane", NOW + timedelta(minutes=1))
    store.mark_outbox_sent(entry, remote_message_id="r1", message=reply)
    needs, snippet = reader.execute("SELECT needs_reply, last_message_snippet FROM conversations").fetchone()
    assert (needs, snippet) == (0, "Już wysłane")


def test_interrupted_sends_become_uncertain(store: Store, account_id: int) -> None:
    store.store_conversation(account_id, summary(), [])
    entry = store.add_outbox_entry(account_id, THREAD, "x")
    store.mark_outbox_sending(entry)
    assert store.recover_interrupted_sends(account_id) == 1
    item = store.outbox_entry(entry)
    assert item is not None and item.state is OutboxState.UNCERTAIN


# -- orders ------------------------------------------------------------------------------------------------------


def test_orders_round_trip_with_tracking_numbers(store: Store, account_id: int, reader: ReadConnection) -> None:
    order = Order(
        id="0f8f1c1e-1111-4000-8000-000000000001", buyer_login="kupujacy", status="READY_FOR_PROCESSING",
        fulfillment_status="SENT", delivery_method="InPost Paczkomat 24/7",
        line_items=(LineItem("123", "Kubek „Magazyn”", "SKU-1", 2, "19.99", "PLN"),),
        shipments=(Shipment("AB123456789PL", "INPOST", NOW), Shipment("AB123456789PL", "INPOST")),
        total="39.98", currency="PLN", message_to_seller="Proszę o fakturę", bought_at=NOW,
    )
    store.save_order(account_id, order)
    assert store.load_order(order.id) == Order(**{**order.__dict__, "shipments": order.shipments})
    assert reader.execute("SELECT waybill, carrier FROM tracking_numbers").fetchall() == [("AB123456789PL", "INPOST")]
    store.save_order(account_id, Order(id=order.id, buyer_login="kupujacy", status="READY_FOR_PROCESSING",
                           fulfillment_status="SENT", delivery_method=None, shipments=(Shipment("XYZ"),)))
    assert reader.execute("SELECT waybill FROM tracking_numbers").fetchall() == [("XYZ",)]
    assert store.load_order("missing") is None
