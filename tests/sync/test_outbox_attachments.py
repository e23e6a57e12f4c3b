"""Replies with files: checked and copied when queued, uploaded once before the send, failures kept apart."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
import respx

from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.app.backend import build_backend
from magazyn_desktop.domain.limits import ATTACHMENT_MAX_BYTES
from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, SubKind
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.read_connection import ReadConnection
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.outbox import Outbox
from magazyn_desktop.sync.outgoing import AttachmentRejected, stage_attachment

from .mocked_allegro import API, beta

pytestmark = pytest.mark.both_engines  # the store under them: SQLite and a team's PostgreSQL

THREAD_ID = "L1H4FmWRwD5lAEInohQoEGWQR71RfBpEmHqeKZSXdhW"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"x" * 64


def sent_json(mid: str, text: str) -> dict[str, object]:
    return {"id": mid, "status": "DELIVERED", "type": "MESSAGE_CENTER", "createdAt": "2026-11-05T12:00:00Z",
            "author": {"role": "SELLER", "login": "sklep"}, "text": text, "subject": None,
            "relatesTo": {"offer": None, "order": None}, "hasAdditionalAttachments": False, "attachments": [],
            "additionalInformation": None}


@pytest.fixture
def outgoing(paths: AppPaths) -> Path:
    return paths.attachments / "outgoing"


@pytest.fixture
def outbox(store: Store, client: AllegroClient, account_id: int, outgoing: Path) -> Outbox:
    store.upsert_conversation(account_id, ConversationSummary(
        id=THREAD_ID, kind=Kind.THREAD, sub_kind=SubKind.COMMON,
        last_activity_at=datetime(2026, 11, 5, 10, tzinfo=timezone.utc), interlocutor_login="kupujacy"))
    return Outbox(store=store, client=client, account_id=account_id,
                  outgoing_folder=outgoing)


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "user" / "zdjęcie paczki.png"
    path.parent.mkdir()
    path.write_bytes(PNG)
    return path


def declare_and_upload(api: respx.MockRouter, ids: list[str]) -> tuple[respx.Route, respx.Route]:
    remaining = list(ids)
    declare = api.post("/messaging/message-attachments").mock(
        side_effect=lambda request: beta({"id": remaining.pop(0)}, status=201))
    upload = api.put(url__regex=rf"{API}/messaging/message-attachments/.+").mock(
        side_effect=lambda request: beta({"id": request.url.path.rsplit("/", 1)[-1]}))
    return declare, upload


# -- queuing --------------------------------------------------------------------------------------------------------


def test_a_queued_file_is_a_copy_that_survives_the_original_moving(
    outbox: Outbox, store: Store, photo: Path, outgoing: Path
) -> None:
    entry_id = outbox.enqueue(THREAD_ID, "Zdjęcie w załączniku.", attachments=[photo])
    photo.unlink()  # the user tidies the desktop
    item = store.outbox_entry(entry_id)
    assert item is not None and len(item.attachments) == 1
    [attachment] = item.attachments
    assert attachment.file_name == "zdjęcie paczki.png" and attachment.mime_type == "image/png"
    assert attachment.size == len(PNG) and attachment.remote_id is None
    copy = outgoing / attachment.path
    assert copy.read_bytes() == PNG and copy.parent == outgoing


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("faktura.docx", b"PK\x03\x04", "type"),
    ("udaje.png", b"%PDF-1.4", "content"),
    ("pusty.pdf", b"", "empty"),
    ("duzy.pdf", b"%PDF" + b"x" * ATTACHMENT_MAX_BYTES, "size"),
])
def test_a_file_allegro_would_refuse_is_never_queued(
    outbox: Outbox, store: Store, account_id: int, tmp_path: Path, outgoing: Path, name: str, content: bytes,
    problem: str,
) -> None:
    good = tmp_path / "ok.pdf"
    good.write_bytes(PDF)
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(AttachmentRejected) as caught:
        outbox.enqueue(THREAD_ID, "Dokumenty.", attachments=[good, bad])
    assert caught.value.problem == problem and caught.value.file_name == name
    assert store.pending_outbox_entries(account_id) == []
    assert not outgoing.exists() or list(outgoing.iterdir()) == []  # the copy of the good file is gone too


def test_the_size_limit_is_exactly_allegros(tmp_path: Path) -> None:
    at_limit = tmp_path / "a.pdf"
    at_limit.write_bytes(b"%PDF" + b"x" * (ATTACHMENT_MAX_BYTES - 4))
    assert stage_attachment(at_limit, tmp_path / "out").size == 5_242_880


def test_a_missing_file_is_refused(outbox: Outbox, tmp_path: Path) -> None:
    with pytest.raises(AttachmentRejected) as caught:
        outbox.enqueue(THREAD_ID, "x", attachments=[tmp_path / "nie-ma.png"])
    assert caught.value.problem == "unreadable"


# -- sending --------------------------------------------------------------------------------------------------------


def test_files_are_uploaded_then_sent_with_the_message(
    outbox: Outbox, store: Store, api: respx.MockRouter, photo: Path, tmp_path: Path, outgoing: Path
) -> None:
    pdf = tmp_path / "faktura.pdf"
    pdf.write_bytes(PDF)
    declare, upload = declare_and_upload(api, ["att-1", "att-2"])
    send = api.post(f"/messaging/threads/{THREAD_ID}/messages").mock(
        return_value=beta(sent_json("r1", "W załączniku."), status=201))
    entry_id = outbox.enqueue(THREAD_ID, "W załączniku.", attachments=[photo, pdf])
    [result] = outbox.process()
    assert result.state is OutboxState.SENT
    assert [json.loads(call.request.content)["filename"] for call in declare.calls] == \
        ["zdjęcie paczki.png", "faktura.pdf"]
    assert [call.request.headers["Content-Type"] for call in upload.calls] == ["image/png", "application/pdf"]
    assert upload.calls[0].request.content == PNG
    assert json.loads(send.calls.last.request.content)["attachments"] == [{"id": "att-1"}, {"id": "att-2"}]
    item = store.outbox_entry(entry_id)
    assert item is not None and [a.remote_id for a in item.attachments] == ["att-1", "att-2"]
    assert list(outgoing.iterdir()) == []  # the copies are not needed once the reply is out


def test_the_sent_message_is_stored_with_its_files(
    outbox: Outbox, store: Store, api: respx.MockRouter, photo: Path, reader: ReadConnection
) -> None:
    # Allegro's answer to the send lists no files; the message stored from it names them until the next sync.
    declare_and_upload(api, ["att-1"])
    api.post(f"/messaging/threads/{THREAD_ID}/messages").mock(return_value=beta(sent_json("r1", "Foto."), status=201))
    outbox.enqueue(THREAD_ID, "Foto.", attachments=[photo])
    assert [r.state for r in outbox.process()] == [OutboxState.SENT]
    assert reader.execute("SELECT message_id, remote_id, file_name, mime_type FROM attachments").fetchall() == [
        ("r1", "att-1", "zdjęcie paczki.png", "image/png")]


def test_an_uncertain_send_never_uploads_again(
    outbox: Outbox, store: Store, api: respx.MockRouter, photo: Path
) -> None:
    declare, upload = declare_and_upload(api, ["att-1"])
    answers: list[object] = [httpx.ReadTimeout("lost"), beta(sent_json("r1", "Foto."), status=201)]

    def post(request: httpx.Request) -> httpx.Response:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]

    send = api.post(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=post)
    # The re-read finds the buyer's message but not the reply: it did not arrive and goes back to the queue.
    buyer = {**sent_json("b1", "Proszę o zdjęcie."), "createdAt": "2026-11-05T10:00:00Z",
             "author": {"role": "BUYER", "login": "kupujacy"}}
    api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(return_value=beta({"messages": [buyer], "nextPage": None}))
    entry_id = outbox.enqueue(THREAD_ID, "Foto.", attachments=[photo])
    assert [r.state for r in outbox.process()] == [OutboxState.UNCERTAIN]
    item = store.outbox_entry(entry_id)
    assert item is not None and item.attachments[0].remote_id == "att-1"  # stored before the send
    results = outbox.process()
    assert [r.state for r in results] == [OutboxState.QUEUED, OutboxState.SENT]
    assert declare.call_count == 1 and upload.call_count == 1 and send.call_count == 2
    assert json.loads(send.calls.last.request.content)["attachments"] == [{"id": "att-1"}]


def test_an_upload_without_a_connection_leaves_the_reply_queued(
    outbox: Outbox, store: Store, api: respx.MockRouter, photo: Path, outgoing: Path
) -> None:
    declare = api.post("/messaging/message-attachments").mock(side_effect=httpx.ConnectError("no route"))
    send = api.post(f"/messaging/threads/{THREAD_ID}/messages")
    entry_id = outbox.enqueue(THREAD_ID, "Foto.", attachments=[photo])
    [result] = outbox.process()
    assert result.state is OutboxState.QUEUED and declare.called and not send.called
    item = store.outbox_entry(entry_id)
    assert item is not None and item.state is OutboxState.QUEUED and item.attachments[0].remote_id is None
    assert len(list(outgoing.iterdir())) == 1  # kept for the next attempt


@pytest.mark.parametrize(("status", "code"), [(413, "PAYLOAD_TOO_LARGE"), (415, "UNSUPPORTED_MIME_TYPE"),
                                              (422, "VALIDATION_ERROR")])
def test_an_upload_allegro_rejects_fails_the_reply_with_its_reason(
    outbox: Outbox, store: Store, api: respx.MockRouter, photo: Path, status: int, code: str
) -> None:
    api.post("/messaging/message-attachments").mock(return_value=beta({"id": "att-1"}, status=201))
    api.put("/messaging/message-attachments/att-1").mock(return_value=beta(
        {"errors": [{"code": code, "message": "no", "userMessage": "Plik odrzucony przez Allegro.", "details": None,
                     "path": None}]}, status=status))
    send = api.post(f"/messaging/threads/{THREAD_ID}/messages")
    entry_id = outbox.enqueue(THREAD_ID, "Foto.", attachments=[photo])
    [result] = outbox.process()
    assert result.state is OutboxState.FAILED and not send.called
    item = store.outbox_entry(entry_id)
    assert item is not None and item.state is OutboxState.FAILED
    assert item.error_code == "REJECTED" and item.error_message == "Plik odrzucony przez Allegro."


def test_a_copy_lost_from_the_data_folder_fails_the_reply(
    outbox: Outbox, store: Store, api: respx.MockRouter, photo: Path, outgoing: Path
) -> None:
    send = api.post(f"/messaging/threads/{THREAD_ID}/messages")
    entry_id = outbox.enqueue(THREAD_ID, "Foto.", attachments=[photo])
    for copy in outgoing.iterdir():
        copy.unlink()
    [result] = outbox.process()
    assert result.state is OutboxState.FAILED and result.error_code == "ATTACHMENT_MISSING" and not send.called
    item = store.outbox_entry(entry_id)
    assert item is not None and item.state is OutboxState.FAILED
    assert (item.error_code, item.error_message) == ("ATTACHMENT_MISSING", None)  # no sentence of ours is stored


def test_demo_backend_receives_the_attachment(paths: AppPaths, photo: Path) -> None:
    backend = build_backend(paths, demo=True)
    try:
        assert backend.sync is not None and backend.outbox is not None and backend.account_id is not None
        backend.sync.run_once()
        conversation_id = next(
            cid for cid in sorted(backend.store.known_thread_state(backend.account_id))
            if (summary := backend.store.conversation_summary(cid)) is not None and summary.can_reply)
        backend.outbox.enqueue(conversation_id, "Zdjęcie paczki.", attachments=[photo])
        [result] = backend.outbox.process()
        assert result.state is OutboxState.SENT
        [sent] = backend.fake_allegro.sent_messages(conversation_id)
        assert len(sent.attachment_ids) == 1
        stored = backend.fake_allegro.data.attachments[sent.attachment_ids[0]]
        assert stored.content == PNG and stored.file_name == "zdjęcie paczki.png"
    finally:
        backend.close()
