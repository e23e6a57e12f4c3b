"""The spool of replies typed while the team's database was away: kept whole, moved into the outbox once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from magazyn_desktop.app.reply_spool import SPOOL_FOLDER_NAME, ReplySpool, SpooledReply
from magazyn_desktop.domain.vocabulary import OutboxState
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.repository import Store

from .fakes import FakeAllegro

pytestmark = pytest.mark.both_engines

STORE = "127.0.0.1:5432/team"


class Crash(BaseException):
    """The process dying between the insert and the file's removal."""


@pytest.fixture
def threads(allegro: FakeAllegro, store: Store, account_id: int) -> tuple[str, str]:
    first, second = allegro.add_thread(1, minutes_ago=5), allegro.add_thread(2, minutes_ago=6)
    for cid in (first, second):
        store.store_conversation(account_id, allegro.threads[cid].summary, allegro.threads[cid].messages)
    return first, second


def spool_of(paths: AppPaths, store: str = STORE) -> ReplySpool:
    return ReplySpool(paths.data / SPOOL_FOLDER_NAME, store, paths.outgoing_attachments)


def outbox_rows(store: Store, conversation_ids: tuple[str, ...]) -> list[tuple[str, str, str | None]]:
    return [(e.conversation_id, e.text, e.state.value) for cid in conversation_ids
            for e in store.outbox_for_conversation(cid)]


def test_a_kept_reply_is_one_whole_file_with_everything_the_outbox_needs(paths: AppPaths, tmp_path: Path,
                                                                         account_id: int) -> None:
    picture = tmp_path / "zdjecie.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    reply = spool_of(paths).keep(account_id, "thread-1", "Wysłane dziś.", [picture], author="Ania @ stanowisko 2")
    [file] = list((paths.data / SPOOL_FOLDER_NAME).iterdir())  # no temporary file left beside it
    assert file.name == f"{reply.key}.json"
    stored = json.loads(file.read_text(encoding="utf-8"))
    assert stored["store"] == STORE and stored["text"] == "Wysłane dziś." and stored["author"] == "Ania @ stanowisko 2"
    assert SpooledReply.from_json(file.read_text(encoding="utf-8")) == reply
    [attachment] = reply.attachments  # copied into the outgoing folder, as the outbox copies its files
    assert attachment.file_name == "zdjecie.png"
    assert (paths.outgoing_attachments / attachment.path).is_file() or Path(attachment.path).is_file()


def test_an_empty_reply_is_not_kept(paths: AppPaths, account_id: int) -> None:
    with pytest.raises(ValueError):
        spool_of(paths).keep(account_id, "thread-1", "   ")
    assert not (paths.data / SPOOL_FOLDER_NAME).exists() or not list((paths.data / SPOOL_FOLDER_NAME).iterdir())


def test_the_spool_moves_into_the_outbox_once_and_empties(paths: AppPaths, store: Store, account_id: int,
                                                          threads: tuple[str, str]) -> None:
    spool = spool_of(paths)
    for text, cid in (("Pierwsza", threads[0]), ("Druga", threads[1]), ("Trzecia", threads[0])):
        spool.keep(account_id, cid, text)
    moved = spool.move_into(store)
    assert [r.text for r, _entry in moved] == ["Pierwsza", "Druga", "Trzecia"]
    assert sorted(outbox_rows(store, threads)) == sorted([
        (threads[0], "Pierwsza", OutboxState.QUEUED.value), (threads[0], "Trzecia", OutboxState.QUEUED.value),
        (threads[1], "Druga", OutboxState.QUEUED.value)])
    assert spool.replies() == [] and spool.move_into(store) == []


def test_a_move_interrupted_after_the_insert_adds_nothing_when_run_again(
        paths: AppPaths, store: Store, account_id: int, threads: tuple[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    spool = spool_of(paths)
    for text in ("Pierwsza", "Druga", "Trzecia"):
        spool.keep(account_id, threads[0], text)

    def crash(_self: ReplySpool, _reply: SpooledReply) -> None:
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(ReplySpool, "_remove", crash)
        with pytest.raises(Crash):
            spool.move_into(store)
    assert len(spool.replies()) == 3  # the first is in the outbox, but its file is still there
    assert [text for _cid, text, _state in outbox_rows(store, threads)] == ["Pierwsza"]
    spool_of(paths).move_into(store)  # the next launch, or the next time the database answers
    assert [text for _cid, text, _state in outbox_rows(store, threads)] == ["Pierwsza", "Druga", "Trzecia"]
    assert spool.replies() == []


def test_the_stored_draft_of_a_moved_reply_goes_but_a_newer_one_stays(paths: AppPaths, store: Store,
                                                                      account_id: int,
                                                                      threads: tuple[str, str]) -> None:
    store.save_draft(threads[0], "Paczka wyszła.")
    store.save_draft(threads[1], "Coś, co ktoś dopiero pisze")
    spool = spool_of(paths)
    spool.keep(account_id, threads[0], "Paczka wyszła.")
    spool.keep(account_id, threads[1], "Inna odpowiedź")
    spool.move_into(store)
    assert store.load_draft(threads[0]) == ""
    assert store.load_draft(threads[1]) == "Coś, co ktoś dopiero pisze"


def test_replies_meant_for_another_store_stay_in_the_spool(paths: AppPaths, store: Store, account_id: int,
                                                           threads: tuple[str, str]) -> None:
    spool_of(paths, "db.example:5432/other").keep(account_id, threads[0], "Dla innej bazy")
    assert spool_of(paths).move_into(store) == []
    assert outbox_rows(store, threads) == []
    assert len(spool_of(paths, "db.example:5432/other").replies()) == 1
