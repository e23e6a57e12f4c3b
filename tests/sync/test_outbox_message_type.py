"""An issue message's type goes from the outbox to Allegro's request body: kept with the files while they upload,
refused where the conversation's kind does not take it, and REGULAR for rows written before types existed."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import respx

from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.domain.issue_messages import IssueMessageType
from magazyn_desktop.domain.records import ConversationSummary
from magazyn_desktop.domain.vocabulary import Kind, OutboxState, SubKind
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.outbox_files import attachments_from_json, message_type_from_json
from magazyn_desktop.store.records import OutboxAttachment
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.outbox import Outbox

from .mocked_allegro import beta

pytestmark = pytest.mark.both_engines  # the store under them: SQLite and a team's PostgreSQL

CLAIM = "6f1c2a8e-0000-4000-8000-00000000c1a1"
DISPUTE = "6f1c2a8e-0000-4000-8000-00000000d15b"
PDF = b"%PDF-1.4\n" + b"x" * 64


def _chat_entry(text: str) -> dict[str, object]:
    return {"id": "6f1c2a8e-0000-4000-8000-0000000000aa", "text": text, "attachments": [],
            "author": {"login": "sklep", "role": "SELLER"}, "createdAt": "2026-11-05T12:00:00Z"}


@pytest.fixture
def outbox(store: Store, client: AllegroClient, account_id: int, paths: AppPaths) -> Outbox:
    for issue_id, sub_kind in ((CLAIM, SubKind.CLAIM), (DISPUTE, SubKind.DISPUTE)):
        store.upsert_conversation(account_id, ConversationSummary(
            id=issue_id, kind=Kind.ISSUE, sub_kind=sub_kind, status="CLAIM_SUBMITTED",
            last_activity_at=datetime(2026, 11, 5, 10, tzinfo=timezone.utc), interlocutor_login="kupujacy"))
    return Outbox(store=store, client=client, account_id=account_id, outgoing_folder=paths.attachments / "outgoing")


def test_the_chosen_type_is_in_the_request_body_after_the_files_upload(
        outbox: Outbox, store: Store, api: respx.MockRouter, tmp_path: Path) -> None:
    label = tmp_path / "etykieta zwrotna.pdf"
    label.write_bytes(PDF)
    api.post("/sale/issues/attachments").mock(return_value=beta({"id": "att-1"}, status=201))
    api.put(url__regex=r".*/sale/issues/attachments/att-1").mock(return_value=beta({"id": "att-1"}))
    send = api.post(f"/sale/issues/{CLAIM}/message").mock(return_value=beta(_chat_entry("Prosimy odesłać."),
                                                                            status=201))
    entry_id = outbox.enqueue(CLAIM, "Prosimy odesłać.", [label],
                              message_type=IssueMessageType.RETURN_REQUIRED_SELLER_LABEL)
    results = outbox.process()
    assert [r.state for r in results] == [OutboxState.SENT]
    body = json.loads(send.calls.last.request.content)
    assert body["type"] == "RETURN_REQUIRED_SELLER_LABEL"
    assert body["attachments"] == [{"id": "att-1"}]
    item = store.outbox_entry(entry_id)
    assert item is not None and item.message_type == "RETURN_REQUIRED_SELLER_LABEL"


def test_a_plain_reply_says_regular(outbox: Outbox, api: respx.MockRouter) -> None:
    send = api.post(f"/sale/issues/{DISPUTE}/message").mock(return_value=beta(_chat_entry("Dzień dobry"), status=201))
    outbox.enqueue(DISPUTE, "Dzień dobry")
    outbox.process()
    assert json.loads(send.calls.last.request.content)["type"] == "REGULAR"


@pytest.mark.parametrize(("conversation", "message_type"), [
    (CLAIM, IssueMessageType.END_REQUEST),
    (DISPUTE, IssueMessageType.RETURN_NOT_REQUIRED),
])
def test_a_type_the_conversation_does_not_take_is_refused_before_queueing(
        outbox: Outbox, store: Store, account_id: int, conversation: str, message_type: IssueMessageType) -> None:
    with pytest.raises(ValueError):
        outbox.enqueue(conversation, "Tekst", message_type=message_type)
    assert store.due_outbox_entries(account_id) == []


def test_rows_written_before_types_read_as_regular_and_a_typed_row_keeps_its_files() -> None:
    old = json.dumps([{"path": "a.pdf", "file_name": "a.pdf", "mime_type": "application/pdf", "size": 3,
                       "remote_id": None}])
    assert message_type_from_json(old) == "REGULAR"
    assert message_type_from_json(None) == "REGULAR"
    typed = json.dumps({"type": "END_REQUEST", "attachments": json.loads(old)})
    assert message_type_from_json(typed) == "END_REQUEST"
    assert attachments_from_json(typed) == (OutboxAttachment("a.pdf", "a.pdf", "application/pdf", 3),)
