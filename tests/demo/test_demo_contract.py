"""Responses follow the contract's schemas exactly (a sample of every kind of body the demo sends)."""

from __future__ import annotations

import httpx

from magazyn_desktop.fake_allegro import DemoAllegro

from .conftest import Validate


def test_messaging_beta_bodies(demo: DemoAllegro, beta: httpx.Client, validate: Validate) -> None:
    cursor = None
    while True:
        body = beta.get("/messaging/threads", params={"page.id": cursor} if cursor else {}).json()
        validate("ThreadsListVBeta1", body)
        if body["nextPage"] is None:
            break
        cursor = body["nextPage"]["id"]
    for thread in demo.data.threads.values():
        validate("ThreadVBeta1", beta.get(f"/messaging/threads/{thread.id}").json())
        validate("MessagesListVBeta1", beta.get(f"/messaging/threads/{thread.id}/messages").json())
    common = next(t for t in demo.data.threads.values() if t.type == "COMMON")
    validate("MessageVBeta1", beta.post(f"/messaging/threads/{common.id}/messages", json={"text": "OK"}).json())
    validate("ThreadReadFlagVBeta1", beta.put(f"/messaging/threads/{common.id}/read", json={"read": True}).json())
    validate("MessageAttachmentId", beta.post("/messaging/message-attachments", json={"filename": "a.png", "size": 1}).json())


def test_messaging_public_bodies(demo: DemoAllegro, public: httpx.Client, validate: Validate) -> None:
    for offset in (0, 20, 40, 60):
        validate("ThreadsList", public.get("/messaging/threads", params={"offset": offset}).json())
    for thread in demo.data.threads.values():
        if thread.type == "COMMON":
            validate("Thread", public.get(f"/messaging/threads/{thread.id}").json())
            validate("MessagesList", public.get(f"/messaging/threads/{thread.id}/messages").json())
    common = next(t for t in demo.data.threads.values() if t.type == "COMMON")
    validate("Message", public.post(f"/messaging/threads/{common.id}/messages", json={"text": "OK"}).json())


def test_issue_bodies(demo: DemoAllegro, beta: httpx.Client, validate: Validate) -> None:
    validate("PostPurchaseIssueListResponse", beta.get("/sale/issues", params={"limit": 100}).json())
    for issue in demo.data.issues.values():
        validate("PostPurchaseIssue", beta.get(f"/sale/issues/{issue.id}").json())
        validate("PostPurchaseIssueChatResponse", beta.get(f"/sale/issues/{issue.id}/chat", params={"limit": 100}).json())
    active = next(i for i in demo.data.issues.values() if i.chat_active)
    sent = beta.post(f"/sale/issues/{active.id}/message", json={"text": "OK", "type": "REGULAR", "attachments": []})
    validate("PostPurchaseIssueMessage", sent.json())
    validate("PostPurchaseIssueAttachmentId", beta.post("/sale/issues/attachments", json={"fileName": "a.pdf", "size": 3}).json())


def test_order_bodies(demo: DemoAllegro, public: httpx.Client, validate: Validate) -> None:
    for order in demo.data.orders.values():
        validate("CheckoutForm", public.get(f"/order/checkout-forms/{order.id}").json())
        validate("CheckoutFormOrderWaybillResponse", public.get(f"/order/checkout-forms/{order.id}/shipments").json())


def test_error_bodies(demo: DemoAllegro, beta: httpx.Client, public: httpx.Client, validate: Validate) -> None:
    for answer in (
        beta.get("/messaging/threads", params={"limit": 99}),
        public.get("/sale/issues"),
        beta.get("/sale/issues/nope"),
        beta.get("/messaging/threads/nope"),
        beta.get("/nowhere"),
    ):
        validate("ErrorsHolder", answer.json())
        assert answer.json()["errors"][0]["userMessage"]
    demo.expire_tokens()
    validate("AuthError", beta.get("/messaging/threads").json())
