"""Threads, issues, orders and attachments through AllegroClient against a mocked Allegro."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from magazyn_desktop import __version__
from magazyn_desktop.allegro.client import AllegroClient, filename_from_disposition
from magazyn_desktop.allegro.errors import ConflictError, ForbiddenError, ProtocolError, ValidationError
from magazyn_desktop.domain.vocabulary import Kind, Role, SubKind

from .conftest import (
    ACCESS_TOKEN,
    API,
    BETA,
    ISSUE_ID,
    PUBLIC,
    THREAD_ID,
    UPLOAD,
    beta_message,
    beta_thread,
    chat_entry,
    errors_body,
    issue,
)


def test_list_threads_beta_sends_headers_and_parses_the_cursor(client: AllegroClient, api: respx.MockRouter) -> None:
    claim = beta_thread("B" * 43, type="POST_PURCHASE_ISSUE", status="CLOSED", subType="NO_REFUND",
                        orders=[{"id": "c0ffee00-0000-4000-8000-000000000009", "offers": []}], futureField={"x": 1})
    route = api.get("/messaging/threads").respond(200, json={"threads": [beta_thread(), claim], "nextPage": {"id": "cur2"}})
    page = client.list_threads(limit=50)
    request = route.calls.last.request
    assert request.headers["Accept"] == BETA
    assert request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.headers["User-Agent"] == f"magazyn-desktop/{__version__}"
    assert request.headers["Accept-Language"] == "pl-PL"
    assert request.url.params["limit"] == "20"  # capped at Allegro's maximum
    assert page.next_page_id == "cur2"
    common, post_purchase = page.threads
    assert (common.kind, common.sub_kind, common.interlocutor_login, common.read, common.can_reply) == (
        Kind.THREAD, SubKind.COMMON, "kupujacy", False, True)
    assert post_purchase.sub_kind is SubKind.POST_PURCHASE_ISSUE
    assert post_purchase.can_reply is False
    assert post_purchase.order_id == "c0ffee00-0000-4000-8000-000000000009"
    assert post_purchase.sub_type == "NO_REFUND"
    client.list_threads(page_id="cur2")
    assert route.calls.last.request.url.params["page.id"] == "cur2"


def test_406_on_beta_switches_to_public_for_the_session(client: AllegroClient, api: respx.MockRouter) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["Accept"] == BETA:
            return httpx.Response(406, json=errors_body("NotAcceptableException"))
        threads = [{"id": f"t{i}", "read": True, "lastMessageDateTime": None, "interlocutor": {"login": "k"}} for i in range(20)]
        return httpx.Response(200, json={"threads": threads, "offset": int(request.url.params["offset"]), "limit": 20})

    route = api.get("/messaging/threads").mock(side_effect=answer)
    page = client.list_threads()
    assert len(page.threads) == 20 and page.next_offset == 20 and page.next_page_id is None
    assert [c.request.headers["Accept"] for c in route.calls] == [BETA, PUBLIC]
    client.list_threads(offset=20)
    assert route.calls.last.request.headers["Accept"] == PUBLIC
    assert route.calls.last.request.url.params["offset"] == "20"
    assert route.call_count == 3  # no second beta attempt: the 406 is remembered
    api.get(f"/messaging/threads/{THREAD_ID}").respond(
        200, json={"id": THREAD_ID, "read": "false", "interlocutor": {"login": "kupujacy"}})
    summary = client.get_thread(THREAD_ID)
    assert summary.read is False and summary.interlocutor_login == "kupujacy"


def test_thread_messages_follow_the_cursor_and_come_oldest_first(client: AllegroClient, api: respx.MockRouter) -> None:
    pages = {
        None: {"messages": [beta_message("m3", role="SELLER", login="sklep", at="2026-06-02T12:00:00Z"),
                            beta_message("m2", role="CONSULTANT", login=None, at="2026-06-02T11:00:00Z")],
               "nextPage": {"id": "p2"}},
        "p2": {"messages": [beta_message("m1", at="2026-06-02T10:00:00Z")], "nextPage": None},
    }
    route = api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(
        side_effect=lambda request: httpx.Response(200, json=pages[request.url.params.get("page.id")]))
    messages = client.thread_messages(THREAD_ID).messages
    assert [m.id for m in messages] == ["m1", "m2", "m3"]
    assert [m.role for m in messages] == [Role.BUYER, Role.ALLEGRO, Role.SELLER]
    assert all(c.request.url.params["limit"] == "20" for c in route.calls)
    assert route.call_count == 2


def test_user_role_is_told_apart_by_the_own_login(client: AllegroClient, api: respx.MockRouter) -> None:
    api.get("/me").respond(200, json={"id": "42", "login": "sklep", "unknown": True})
    api.get(f"/messaging/threads/{THREAD_ID}/messages").respond(200, json={"messages": [
        beta_message("a", role="USER", login="sklep"), beta_message("b", role="USER", login="ktos", at="2026-06-02T09:00:00Z"),
        beta_message("c", role="ALLEGRO", login=None, at="2026-06-02T11:00:00Z")], "nextPage": None})
    messages = {m.id: m.role for m in client.thread_messages(THREAD_ID).messages}
    assert messages == {"a": Role.SELLER, "b": Role.BUYER, "c": Role.ALLEGRO}
    assert client.me().login == "sklep"
    assert client.request_counts()["GET /me"] == 1  # cached


def test_public_messages_page_by_offset_and_map_is_interlocutor(client: AllegroClient, api: respx.MockRouter) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["Accept"] == BETA:
            return httpx.Response(406, json=errors_body("NotAcceptableException"))
        offset = int(request.url.params["offset"])
        count = 20 if offset == 0 else 3
        messages = [{"id": f"m{offset + i}", "status": "DELIVERED", "type": "MAIL", "createdAt": f"2026-06-02T10:{offset + i:02d}:00Z",
                     "thread": {"id": THREAD_ID}, "author": {"login": "x", "isInterlocutor": (offset + i) % 2 == 0},
                     "text": "t", "relatesTo": {"offer": None, "order": {"id": "o1"}}, "hasAdditionalAttachments": False,
                     "attachments": [{"fileName": "a.pdf", "status": "SAFE", "mimeType": "application/pdf",
                                      "url": "https://upload.allegro.pl/message-center/message-attachments/att-1"}]}
                    for i in range(count)]
        return httpx.Response(200, json={"messages": messages, "offset": offset, "limit": 20})

    api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=answer)
    messages = client.thread_messages(THREAD_ID).messages
    assert len(messages) == 23
    assert messages[0].role is Role.BUYER and messages[1].role is Role.SELLER
    assert messages[0].order_id == "o1" and messages[0].remote_type == "MAIL"
    assert messages[0].attachments[0].id == "att-1"


def test_mark_read_and_send_in_thread(client: AllegroClient, api: respx.MockRouter) -> None:
    read = api.put(f"/messaging/threads/{THREAD_ID}/read").respond(200, json={"read": True})
    client.mark_thread_read(THREAD_ID)
    assert json.loads(read.calls.last.request.content) == {"read": True}
    assert read.calls.last.request.headers["Content-Type"] == BETA
    send = api.post(f"/messaging/threads/{THREAD_ID}/messages").respond(
        201, json=beta_message("new", role="SELLER", login="sklep", text="Wysłane"))
    sent = client.send_message(THREAD_ID, Kind.THREAD, "Wysłane", ["att-1"])
    assert json.loads(send.calls.last.request.content) == {"text": "Wysłane", "attachments": [{"id": "att-1"}]}
    assert sent.id == "new" and sent.conversation_id == THREAD_ID and sent.created_at is not None


def test_send_validation_happens_before_any_request(client: AllegroClient, api: respx.MockRouter) -> None:
    with pytest.raises(ValidationError):
        client.send_thread_message(THREAD_ID, "x" * 2001)
    with pytest.raises(ValidationError):
        client.send_issue_message(ISSUE_ID, "   ")
    assert client.request_counts() == {}


def test_closed_thread_send_is_a_conflict(client: AllegroClient, api: respx.MockRouter) -> None:
    api.post(f"/messaging/threads/{THREAD_ID}/messages").respond(
        422, json=errors_body("THREAD_CLOSED", user_message="Wątek zamknięty"), headers={"trace-id": "tr-1"})
    with pytest.raises(ConflictError) as caught:
        client.send_thread_message(THREAD_ID, "Dzień dobry")
    assert (caught.value.code, caught.value.user_message, caught.value.trace_id) == ("THREAD_CLOSED", "Wątek zamknięty", "tr-1")


def test_issue_list_sends_each_status_as_its_own_pair(client: AllegroClient, api: respx.MockRouter) -> None:
    listing = api.get("/sale/issues").respond(200, json={"issues": [issue()]})
    assert len(client.list_issues(offset=200, statuses=["DISPUTE_ONGOING", "CLAIM_SUBMITTED", "DISPUTE_ONGOING"]).issues) == 1
    params = listing.calls.last.request.url.params
    assert params.get_list("status") == ["DISPUTE_ONGOING", "CLAIM_SUBMITTED"]  # repeated, as the spec's array
    assert (params["limit"], params["offset"]) == ("100", "200")
    client.list_issues(statuses=())
    client.list_issues()
    assert [call.request.url.params.get_list("status") for call in listing.calls][1:] == [[], []]


def test_issues_list_get_chat_and_send(client: AllegroClient, api: respx.MockRouter) -> None:
    listing = api.get("/sale/issues").respond(200, json={"issues": [issue(), issue("29738e61-7f6a-11e8-ac45-000000000002",
                                                                                  issue_type="CLAIM", chat_active=False,
                                                                                  decisionDueDate="2026-06-20T00:00:00Z")]})
    dispute, claim = client.list_issues().issues
    assert listing.calls.last.request.url.params["limit"] == "100"
    assert listing.calls.last.request.url.params["offset"] == "0"
    assert listing.calls.last.request.headers["Accept"] == BETA
    assert (dispute.sub_kind, dispute.status, dispute.can_reply, dispute.messages_count, dispute.last_message_status) == (
        SubKind.DISPUTE, "DISPUTE_ONGOING", True, 3, "BUYER_REPLIED")
    assert dispute.order_id == "c0ffee00-0000-4000-8000-000000000001"
    assert dispute.last_activity_at is not None and dispute.last_activity_at.hour == 11
    assert claim.sub_kind is SubKind.CLAIM and claim.can_reply is False and claim.decision_due_at is not None

    api.get(f"/sale/issues/{ISSUE_ID}").respond(200, json=issue(chat={}))
    assert client.get_issue(ISSUE_ID).last_activity_at.hour == 8  # type: ignore[union-attr]  # openedDate

    first_page = [chat_entry(f"e{i:03d}", at=f"2026-06-0{1 + i % 2}T10:{i % 60:02d}:00Z") for i in range(100)]
    second_page = [chat_entry("sys", role="SYSTEM"), chat_entry("adm", role="ADMIN"), chat_entry("ful", role="FULFILLMENT"),
                   chat_entry("sel", role="SELLER")]
    chat = api.get(f"/sale/issues/{ISSUE_ID}/chat").mock(side_effect=lambda request: httpx.Response(
        200, json={"chat": first_page if request.url.params["offset"] == "0" else second_page}))
    entries = client.issue_chat(ISSUE_ID).messages
    assert len(entries) == 104
    assert [c.request.url.params["limit"] for c in chat.calls] == ["100", "100"]
    assert [c.request.url.params["offset"] for c in chat.calls] == ["0", "100"]
    roles = {e.id: e.role for e in entries}
    assert (roles["sys"], roles["adm"], roles["ful"], roles["sel"]) == (Role.ALLEGRO, Role.ALLEGRO, Role.ALLEGRO, Role.SELLER)
    assert [e.created_at for e in entries] == sorted(e.created_at for e in entries)

    send = api.post(f"/sale/issues/{ISSUE_ID}/message").respond(201, json=chat_entry("s1", role="SELLER"))
    sent = client.send_message(ISSUE_ID, Kind.ISSUE, "Odpowiedź")
    assert json.loads(send.calls.last.request.content) == {"text": "Odpowiedź", "attachments": [], "type": "REGULAR"}
    assert send.calls.last.request.headers["Content-Type"] == BETA
    assert sent.id == "s1"


def test_resolved_issue_send_is_a_conflict(client: AllegroClient, api: respx.MockRouter) -> None:
    api.post(f"/sale/issues/{ISSUE_ID}/message").respond(409, json=errors_body("DISPUTE_ALREADY_RESOLVED"))
    with pytest.raises(ConflictError):
        client.send_issue_message(ISSUE_ID, "Dzień dobry")


def test_forbidden_is_typed(client: AllegroClient, api: respx.MockRouter) -> None:
    api.get(f"/sale/issues/{ISSUE_ID}").respond(403, json=errors_body("AccessDenied"))
    with pytest.raises(ForbiddenError):
        client.get_issue(ISSUE_ID)


def test_get_order_with_shipments(client: AllegroClient, api: respx.MockRouter) -> None:
    order_id = "c0ffee00-0000-4000-8000-000000000001"
    details = api.get(f"/order/checkout-forms/{order_id}").respond(200, json={
        "id": order_id, "status": "READY_FOR_PROCESSING", "buyer": {"login": "kupujacy"},
        "fulfillment": {"status": "PROCESSING"}, "delivery": {"method": {"id": "x", "name": "InPost Paczkomaty 24/7"}},
        "lineItems": [{"id": "li", "offer": {"id": "123", "name": "Kubek", "external": {"id": "SKU-7"}}, "quantity": 2,
                       "price": {"amount": "19.99", "currency": "PLN"}}],
        "summary": {"totalToPay": {"amount": "39.98", "currency": "PLN"}}, "messageToSeller": None, "surcharges": []})
    api.get(f"/order/checkout-forms/{order_id}/shipments").respond(200, json={"shipments": [
        {"id": "s", "waybill": "6200001", "carrierId": "INPOST", "createdAt": "2026-06-02T10:00:00Z"},
        {"id": "s2", "waybill": "XX1", "carrierId": "OTHER", "carrierName": "Kurier Lokalny"}]})
    order = client.get_order(order_id)
    assert details.calls.last.request.headers["Accept"] == PUBLIC
    assert order.line_items[0].sku == "SKU-7" and order.line_items[0].quantity == 2 and order.line_items[0].price == "19.99"
    assert order.delivery_method == "InPost Paczkomaty 24/7" and order.fulfillment_status == "PROCESSING"
    assert [s.carrier for s in order.shipments] == ["INPOST", "Kurier Lokalny"]
    assert (order.total, order.currency) == ("39.98", "PLN")


def test_upload_thread_attachment_declares_then_puts(client: AllegroClient, api: respx.MockRouter) -> None:
    declare = api.post("/messaging/message-attachments").respond(201, json={"id": "att-9"})
    put = api.put("/messaging/message-attachments/att-9").respond(200, json={"id": "att-9"})
    assert client.upload_attachment(Kind.THREAD, "zdjecie.jpg", b"\xff\xd8data", "image/jpeg") == "att-9"
    assert json.loads(declare.calls.last.request.content) == {"filename": "zdjecie.jpg", "size": 6}
    assert put.calls.last.request.headers["Content-Type"] == "image/jpeg"
    assert put.calls.last.request.content == b"\xff\xd8data"


def test_upload_issue_attachment_puts_to_the_location(client: AllegroClient) -> None:
    attachment_id = "0c3c607d-d1de-4c6e-8db7-48c5b88a795d"
    # A router without a base URL: the upload goes to another host than the API.
    with respx.mock(assert_all_called=True) as hosts:
        hosts.post(f"{API}/sale/issues/attachments").respond(
            201, json={"id": attachment_id}, headers={"Location": f"{UPLOAD}/sale/issues/attachments/{attachment_id}?sig=abc"})
        upload = hosts.put(f"{UPLOAD}/sale/issues/attachments/{attachment_id}").respond(200, json={"id": attachment_id})
        assert client.upload_attachment(Kind.ISSUE, "faktura.pdf", b"%PDF-1.4", "application/pdf") == attachment_id
    request = upload.calls.last.request
    assert request.url.params["sig"] == "abc"
    assert request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.headers["Content-Type"] == "application/pdf"


def test_no_token_goes_to_a_foreign_upload_host(client: AllegroClient) -> None:
    with respx.mock(assert_all_called=True) as hosts:
        hosts.post(f"{API}/sale/issues/attachments").respond(
            201, json={"id": "a1"}, headers={"Location": "https://elsewhere.example/upload/a1"})
        foreign = hosts.put("https://elsewhere.example/upload/a1").respond(200, json={"id": "a1"})
        client.upload_attachment(Kind.ISSUE, "a.png", b"png", "image/png")
    assert "Authorization" not in foreign.calls.last.request.headers


@pytest.mark.parametrize(("mime", "size"), [("image/jpeg; charset=UTF-8", 10), ("text/plain", 10), ("image/png", 5 * 1024 * 1024 + 1), ("image/png", 0)])
def test_upload_checks_type_and_size_first(client: AllegroClient, mime: str, size: int) -> None:
    with pytest.raises(ValidationError):
        client.upload_attachment(Kind.THREAD, "plik", b"x" * size, mime)
    assert client.request_counts() == {}


def test_download_attachment(client: AllegroClient, api: respx.MockRouter) -> None:
    api.get("/messaging/message-attachments/att-1").respond(200, content=b"JPEG", headers={
        "Content-Type": "image/jpeg",
        "Content-Disposition": "attachment; filename=\"=?UTF-8?Q?name.jpg?=\"; filename*=UTF-8''zdj%C4%99cie.jpg"})
    data, name, content_type = client.download_attachment(Kind.THREAD, "att-1")
    assert (data, name, content_type) == (b"JPEG", "zdjęcie.jpg", "image/jpeg")
    api.get(f"/sale/issues/attachments/{ISSUE_ID}").respond(200, content=b"%PDF", headers={"Content-Type": "application/pdf"})
    assert client.download_attachment(Kind.ISSUE, ISSUE_ID) == (b"%PDF", None, "application/pdf")


def test_filename_from_disposition_variants() -> None:
    assert filename_from_disposition('attachment; filename="=?UTF-8?Q?name.jpg?="') == "name.jpg"
    assert filename_from_disposition('attachment; filename="../../etc/passwd"') == "passwd"
    assert filename_from_disposition("attachment; filename=plain.pdf") == "plain.pdf"
    assert filename_from_disposition(None) is None


@pytest.mark.parametrize("body", [b"<html>proxy</html>", b'{"threads": "nope"}', b"[]", b'{"nextPage": null}'])
def test_malformed_answers_are_protocol_errors(client: AllegroClient, api: respx.MockRouter, body: bytes) -> None:
    api.get("/messaging/threads").respond(200, content=body, headers={"Content-Type": BETA})
    with pytest.raises(ProtocolError) as caught:
        client.list_threads()
    assert caught.value.endpoint == "GET /messaging/threads"


def test_an_entry_without_its_date_is_skipped_and_the_chat_is_incomplete(client: AllegroClient, api: respx.MockRouter) -> None:
    api.get(f"/sale/issues/{ISSUE_ID}/chat").respond(200, json={"chat": [{"id": "x", "text": "bez daty"}, chat_entry("ok")]})
    listed = client.issue_chat(ISSUE_ID)
    assert [m.id for m in listed.messages] == ["ok"] and not listed.complete
    (skipped,) = listed.skipped
    assert (skipped.record, skipped.record_id, skipped.endpoint) == ("chat entry", "x", "GET /sale/issues/{id}/chat")
    assert "createdAt" in skipped.reason and "bez daty" not in skipped.reason
