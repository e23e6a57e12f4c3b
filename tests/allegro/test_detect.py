"""Auto-detection of a conversation's kind: the lesson of the outage where an issue id was sent to /messaging."""

from __future__ import annotations

import logging

import pytest
import respx

from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.detect import MemoryKindRegistry, guess_kind
from magazyn_desktop.allegro.errors import ConversationNotFoundError, ServerError
from magazyn_desktop.domain.vocabulary import Kind, SubKind

from .conftest import ISSUE_ID, THREAD_ID, beta_message, beta_thread, chat_entry, errors_body, issue


def test_guess_kind_from_the_id_shape() -> None:
    assert guess_kind(ISSUE_ID) is Kind.ISSUE
    assert guess_kind(ISSUE_ID.upper()) is Kind.ISSUE
    assert guess_kind(THREAD_ID) is Kind.THREAD
    assert guess_kind("88ae369b-8f65-4fc4-9c77-bedf604a2e2") is Kind.THREAD  # one digit short: not a UUID


def test_issue_id_opened_as_a_thread_falls_back_and_is_recorded(
    client: AllegroClient, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    registry = MemoryKindRegistry()
    client.kind_registry = registry
    registry.record_kind(ISSUE_ID, Kind.THREAD, SubKind.COMMON)  # a wrong record, as the old web app would have kept
    wrong = api.get(f"/messaging/threads/{ISSUE_ID}").respond(422, json=errors_body("VALIDATION_ERROR"))
    wrong_messages = api.get(f"/messaging/threads/{ISSUE_ID}/messages").respond(422, json=errors_body("VALIDATION_ERROR"))
    right = api.get(f"/sale/issues/{ISSUE_ID}").respond(200, json=issue())
    chat = api.get(f"/sale/issues/{ISSUE_ID}/chat").respond(200, json={"chat": [chat_entry("e1")]})
    with caplog.at_level(logging.INFO):
        conversation = client.open_conversation(ISSUE_ID)
        assert conversation.summary.kind is Kind.ISSUE
        assert [m.id for m in conversation.messages] == ["e1"]
        assert registry.recorded_kind(ISSUE_ID) is Kind.ISSUE
        assert registry.recorded_sub_kind(ISSUE_ID) is SubKind.DISPUTE
        assert (wrong.call_count, right.call_count) == (1, 1)

        before = sum(client.request_counts().values())
        client.resolve_kind(ISSUE_ID)
        assert sum(client.request_counts().values()) - before == 1  # straight to the issues API
        client.open_conversation(ISSUE_ID)
        assert wrong.call_count == 1 and wrong_messages.call_count == 0
        assert chat.call_count == 2
    fallbacks = [r for r in caplog.records if "is issue, not thread" in r.getMessage()]
    assert len(fallbacks) == 1 and fallbacks[0].levelno == logging.INFO


def test_unrecorded_uuid_goes_straight_to_issues(client: AllegroClient, api: respx.MockRouter) -> None:
    threads = api.get(f"/messaging/threads/{ISSUE_ID}")
    api.get(f"/sale/issues/{ISSUE_ID}").respond(200, json=issue())
    assert client.resolve_kind(ISSUE_ID).kind is Kind.ISSUE
    assert not threads.called


def test_thread_id_opened_as_an_issue(client: AllegroClient, api: respx.MockRouter) -> None:
    client.kind_registry.record_kind(THREAD_ID, Kind.ISSUE, SubKind.DISPUTE)
    issues = api.get(f"/sale/issues/{THREAD_ID}").respond(400, json=errors_body("ERROR"))
    api.get(f"/messaging/threads/{THREAD_ID}").respond(200, json=beta_thread(type="POST_PURCHASE_ISSUE"))
    api.get(f"/messaging/threads/{THREAD_ID}/messages").respond(200, json={"messages": [beta_message("m1")], "nextPage": None})
    conversation = client.open_conversation(THREAD_ID)
    assert conversation.summary.sub_kind is SubKind.POST_PURCHASE_ISSUE
    assert client.kind_registry.recorded_kind(THREAD_ID) is Kind.THREAD
    assert issues.call_count == 1


def test_uuid_shaped_thread_id_after_404_from_issues(client: AllegroClient, api: respx.MockRouter) -> None:
    api.get(f"/sale/issues/{ISSUE_ID}").respond(404, json=errors_body("POST_PURCHASE_ISSUE_NOT_FOUND"))
    api.get(f"/messaging/threads/{ISSUE_ID}").respond(200, json=beta_thread(ISSUE_ID))
    assert client.resolve_kind(ISSUE_ID).kind is Kind.THREAD


def test_id_that_is_neither_carries_both_answers(client: AllegroClient, api: respx.MockRouter) -> None:
    api.get(f"/messaging/threads/{THREAD_ID}").respond(
        404, json=errors_body("THREAD_NOT_FOUND"), headers={"trace-id": "t-thread"})
    api.get(f"/sale/issues/{THREAD_ID}").respond(422, json=errors_body("VALIDATION_ERROR"), headers={"trace-id": "t-issue"})
    with pytest.raises(ConversationNotFoundError) as caught:
        client.resolve_kind(THREAD_ID)
    assert caught.value.thread_error.code == "THREAD_NOT_FOUND"
    assert caught.value.thread_error.trace_id == "t-thread"
    assert caught.value.issue_error.status == 422
    assert client.kind_registry.recorded_kind(THREAD_ID) is None


def test_other_errors_do_not_trigger_the_fallback(client: AllegroClient, api: respx.MockRouter) -> None:
    api.get(f"/sale/issues/{ISSUE_ID}").respond(500, json=errors_body("INTERNAL_SERVER_ERROR"))
    threads = api.get(f"/messaging/threads/{ISSUE_ID}")
    with pytest.raises(ServerError):
        client.resolve_kind(ISSUE_ID)
    assert not threads.called


def test_a_dispute_that_became_a_claim_updates_the_sub_kind(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.get(f"/sale/issues/{ISSUE_ID}")
    route.respond(200, json=issue(issue_type="DISPUTE"))
    client.resolve_kind(ISSUE_ID)
    assert client.kind_registry.recorded_sub_kind(ISSUE_ID) is SubKind.DISPUTE  # type: ignore[attr-defined]
    route.respond(200, json=issue(issue_type="CLAIM"))
    assert client.resolve_kind(ISSUE_ID).sub_kind is SubKind.CLAIM
    assert client.kind_registry.recorded_sub_kind(ISSUE_ID) is SubKind.CLAIM  # type: ignore[attr-defined]
