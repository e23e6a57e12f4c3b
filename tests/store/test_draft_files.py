"""A draft's attached files: stored with its text, read back by the window's queries, cleared when it is queued."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, SubKind
from magazyn_desktop.store import inbox_queries as queries
from magazyn_desktop.store.draft_files import DraftFile, files_from_json, files_to_json
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.records import OutboxAttachment
from magazyn_desktop.store.repository import Store

THREAD = "D1".ljust(43, "x")
NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
PHOTO = DraftFile(path="/home/magazyn/zdjęcia/paczka.png", size=1234, modified_ns=1_700_000_000_123_456_789)
LABEL = DraftFile(path="/home/magazyn/etykieta.pdf", size=99, modified_ns=1_700_000_001_000_000_000)


@pytest.fixture
def account_id(store: Store) -> int:
    account = store.ensure_account("demo", "shop")
    store.store_conversation(account, ConversationSummary(id=THREAD, kind=Kind.THREAD, sub_kind=SubKind.COMMON,
                                                          last_activity_at=NOW), [])
    return account


def test_files_are_kept_with_the_text(store: Store, account_id: int, reader: ReadConnection) -> None:
    store.save_draft(THREAD, "W załączniku zdjęcie", [PHOTO, LABEL])
    assert store.load_draft(THREAD) == "W załączniku zdjęcie"
    assert store.load_draft_files(THREAD) == (PHOTO, LABEL)
    detail = queries.load_conversation(reader, THREAD)
    assert detail is not None and detail.draft == "W załączniku zdjęcie" and detail.draft_files == (PHOTO, LABEL)


def test_deleting_the_text_but_keeping_files_keeps_the_draft(store: Store, account_id: int,
                                                             reader: ReadConnection) -> None:
    store.save_draft(THREAD, "Szkic", [PHOTO])
    store.save_draft(THREAD, "", [PHOTO])
    assert store.load_draft_files(THREAD) == (PHOTO,)
    assert reader.execute("SELECT text FROM drafts").fetchall() == [("",)]
    store.save_draft(THREAD, "", [])  # neither text nor files: no draft
    assert reader.execute("SELECT count(*) FROM drafts").fetchone() == (0,)
    assert store.load_draft_files(THREAD) == ()


def test_a_text_only_draft_stores_no_file_list(store: Store, account_id: int, reader: ReadConnection) -> None:
    store.save_draft(THREAD, "Tylko tekst")
    assert reader.execute("SELECT attachments_json FROM drafts").fetchall() == [(None,)]
    detail = queries.load_conversation(reader, THREAD)
    assert detail is not None and detail.draft_files == ()


def test_queueing_the_reply_clears_the_draft_in_the_same_write(store: Store, account_id: int,
                                                               reader: ReadConnection) -> None:
    store.save_draft(THREAD, "Wysyłam zdjęcie", [PHOTO])
    staged = OutboxAttachment(path="abc.png", file_name="paczka.png", mime_type="image/png", size=1234)
    store.add_outbox_entry(account_id, THREAD, "Wysyłam zdjęcie", [staged], clear_draft=True)
    assert reader.execute("SELECT count(*) FROM drafts").fetchone() == (0,)
    assert reader.execute("SELECT count(*) FROM outbox").fetchone() == (1,)


def test_a_draft_stays_when_a_failed_queueing_rolls_back(store: Store, account_id: int,
                                                         reader: ReadConnection) -> None:
    store.save_draft(THREAD, "Wysyłam zdjęcie", [PHOTO])
    with pytest.raises(Exception):
        store.add_outbox_entry(999, THREAD, "Wysyłam zdjęcie", [], clear_draft=True)  # no such account
    assert store.load_draft_files(THREAD) == (PHOTO,)


def test_an_unreadable_file_list_comes_back_as_a_file_that_is_gone() -> None:
    # Never silently dropped: the window shows it as missing, and it blocks sending until it is removed.
    assert files_from_json("{not json") == (DraftFile(path="", size=-1, modified_ns=-1),)
    assert files_from_json('[{"path": 3}]') == (DraftFile(path="", size=-1, modified_ns=-1),)
    assert files_from_json(None) == () and files_to_json([]) is None
    assert files_from_json(files_to_json([PHOTO, LABEL])) == (PHOTO, LABEL)


def test_the_outbox_rows_name_their_files(store: Store, account_id: int, reader: ReadConnection,
                                          tmp_path: Path) -> None:
    staged = [OutboxAttachment(path="abc.png", file_name="paczka.png", mime_type="image/png", size=10),
              OutboxAttachment(path="def.pdf", file_name="faktura.pdf", mime_type="application/pdf", size=20,
                               remote_id="att-2")]
    store.add_outbox_entry(account_id, THREAD, "Zdjęcie i faktura", staged)
    store.add_outbox_entry(account_id, THREAD, "Bez plików")
    detail = queries.load_conversation(reader, THREAD, outgoing_folder=tmp_path / "outgoing")
    assert detail is not None
    with_files, without = detail.outbox
    assert [(a.file_name, a.mime_type, a.remote_id) for a in with_files.attachments] == [
        ("paczka.png", "image/png", None), ("faktura.pdf", "application/pdf", "att-2")]
    assert [a.local_path for a in with_files.attachments] == [
        str(tmp_path / "outgoing" / "abc.png"), str(tmp_path / "outgoing" / "def.pdf")]
    assert without.attachments == ()
