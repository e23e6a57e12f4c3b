"""`/sale/issues`, `/order/checkout-forms` and `/me`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from magazyn_desktop.fake_allegro import BETA_V1, DemoAllegro

from .conftest import FakeClock, Validate


def test_issue_list_defaults_to_ten_and_pages_by_offset(demo: DemoAllegro, beta: httpx.Client) -> None:
    assert len(beta.get("/sale/issues").json()["issues"]) == 10
    everything = beta.get("/sale/issues", params={"limit": 100}).json()["issues"]
    assert len(everything) == len(demo.data.issues)
    opened = [i["openedDate"] for i in everything]
    assert opened == sorted(opened, reverse=True)
    second = beta.get("/sale/issues", params={"limit": 10, "offset": 10}).json()["issues"]
    assert [i["id"] for i in second] == [i["id"] for i in everything[10:20]]


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"offset": -1}, {"status": "OPEN"}])
def test_issue_list_bad_params_are_422(beta: httpx.Client, params: dict[str, Any]) -> None:
    assert beta.get("/sale/issues", params=params).status_code == 422


def test_issues_need_beta(demo: DemoAllegro, public: httpx.Client) -> None:
    assert public.get("/sale/issues").status_code == 406
    assert public.get(f"/sale/issues/{next(iter(demo.data.issues))}").status_code == 406


def test_chat_defaults_to_ten(demo: DemoAllegro) -> None:
    from magazyn_desktop.fake_allegro import DemoData

    big = DemoAllegro(DemoData.generate(issues=2, chat_per_issue=25))
    with httpx.Client(transport=big.transport(), base_url=big.API_URL,
                      headers={"Accept": BETA_V1, "Authorization": f"Bearer {big.DEMO_TOKEN}"}) as client:
        issue_id = next(iter(big.data.issues))
        assert len(client.get(f"/sale/issues/{issue_id}/chat").json()["chat"]) == 10
        full = client.get(f"/sale/issues/{issue_id}/chat", params={"limit": 100}).json()["chat"]
        assert len(full) == 25
        assert full[0]["createdAt"] >= full[-1]["createdAt"]  # newest first
        assert client.get(f"/sale/issues/{issue_id}/chat", params={"limit": 101}).status_code == 422


def test_issue_message_updates_counters_and_obeys_rate(demo: DemoAllegro, beta: httpx.Client, clock: FakeClock) -> None:
    issue = next(i for i in demo.data.issues.values() if i.chat_active)
    before = beta.get(f"/sale/issues/{issue.id}").json()["chat"]["messagesCount"]
    url = f"/sale/issues/{issue.id}/message"
    answer = beta.post(url, json={"text": "Prosimy o zdjęcia.", "attachments": [], "type": "REGULAR"})
    assert answer.status_code == 201 and answer.json()["author"]["role"] == "SELLER"
    assert beta.post(url, json={"text": "Jeszcze raz", "type": "REGULAR"}).status_code == 429
    after = beta.get(f"/sale/issues/{issue.id}").json()["chat"]
    assert after["messagesCount"] == before + 1 and after["lastMessage"]["status"] == "SELLER_REPLIED"
    demo.add_buyer_message(issue.id, "Wysłałem zdjęcia.")
    assert beta.get(f"/sale/issues/{issue.id}").json()["chat"]["lastMessage"]["status"] == "BUYER_REPLIED"
    assert [s.text for s in demo.sent_messages(issue.id)] == ["Prosimy o zdjęcia."]


def test_closed_issue_is_409(demo: DemoAllegro, beta: httpx.Client) -> None:
    closed = next(i for i in demo.data.issues.values() if not i.chat_active)
    answer = beta.post(f"/sale/issues/{closed.id}/message", json={"text": "Halo", "type": "REGULAR"})
    assert answer.status_code == 409 and answer.json()["errors"][0]["code"] == "DISPUTE_ALREADY_RESOLVED"


@pytest.mark.parametrize("body", [{"text": "x"}, {"text": "x" * 20001, "type": "REGULAR"}, {"text": "", "type": "REGULAR"}])
def test_bad_issue_messages_are_422(demo: DemoAllegro, beta: httpx.Client, body: dict[str, Any]) -> None:
    issue = next(i for i in demo.data.issues.values() if i.chat_active)
    assert beta.post(f"/sale/issues/{issue.id}/message", json=body).status_code == 422


def test_issue_attachment_uses_location_header(demo: DemoAllegro, beta: httpx.Client, clock: FakeClock) -> None:
    declared = beta.post("/sale/issues/attachments", json={"fileName": "zdjecie.png", "size": 4})
    assert declared.status_code == 201
    location = declared.headers["location"]
    assert location == f"{demo.API_URL}/sale/issues/attachments/{declared.json()['id']}"
    assert beta.put(location, content=b"\x89PNG", headers={"Content-Type": "image/png"}).status_code == 200
    assert beta.get(location).content == b"\x89PNG"
    assert beta.post("/sale/issues/attachments", json={"fileName": "a.png", "size": 0}).status_code == 422
    issue = next(i for i in demo.data.issues.values() if i.chat_active)
    sent = beta.post(f"/sale/issues/{issue.id}/message",
                     json={"text": "", "attachments": [{"id": declared.json()["id"]}], "type": "REGULAR"})
    assert sent.status_code == 201 and sent.json()["attachments"][0]["fileName"] == "zdjecie.png"


def test_checkout_form_and_shipments(demo: DemoAllegro, public: httpx.Client, beta: httpx.Client) -> None:
    order = next(o for o in demo.data.orders.values() if o.shipments)
    form = public.get(f"/order/checkout-forms/{order.id}").json()
    assert form["lineItems"][0]["offer"]["external"]["id"] == order.line_items[0].sku
    assert form["delivery"]["method"]["name"] == order.delivery_method
    waybills = [s["waybill"] for s in public.get(f"/order/checkout-forms/{order.id}/shipments").json()["shipments"]]
    assert waybills == [s.waybill for s in order.shipments]
    assert public.get("/order/checkout-forms/not-a-uuid").status_code == 422
    assert public.get("/order/checkout-forms/00000000-0000-4000-8000-000000000000").status_code == 404
    assert beta.get(f"/order/checkout-forms/{order.id}").status_code == 406


def test_checkout_forms_carry_what_the_order_card_shows(demo: DemoAllegro, public: httpx.Client) -> None:
    forms = [public.get(f"/order/checkout-forms/{order_id}").json() for order_id in demo.data.orders]
    assert all(f["buyer"]["firstName"] and f["buyer"]["lastName"] for f in forms)
    assert all(f["delivery"]["address"]["street"] and f["lineItems"][0]["price"]["amount"] for f in forms)
    lockers = [f for f in forms if "Paczkomat" in f["delivery"]["method"]["name"]]
    assert lockers and all(f["delivery"]["pickupPoint"]["id"] for f in lockers)
    cash = [f for f in forms if "pobranie" in f["delivery"]["method"]["name"]]
    assert cash and all(f["payment"]["type"] == "CASH_ON_DELIVERY" and "finishedAt" not in f["payment"] for f in cash)
    paid = [f for f in forms if f not in cash]
    assert all(f["payment"]["finishedAt"] and f["payment"]["paidAmount"]["amount"] for f in paid)
    assert {f["invoice"]["required"] for f in forms} == {True, False}


def test_me(public: httpx.Client) -> None:
    assert public.get("/me").json()["login"] == "sklep_magazyn"


def test_touch_random_changes_k_conversations(demo: DemoAllegro, beta: httpx.Client) -> None:
    changed = demo.touch_random(5, seed=1)
    assert len(set(changed)) == 5 and changed == DemoAllegro(clock=lambda: 0.0).touch_random(5, seed=1)
    threads_changed = [c for c in changed if c in demo.data.threads]
    top = [t["id"] for t in beta.get("/messaging/threads", params={"limit": len(threads_changed) or 1}).json()["threads"]]
    assert set(top) == set(threads_changed) or not threads_changed


def test_request_counts_are_keyed_by_template(demo: DemoAllegro, beta: httpx.Client) -> None:
    thread_id, issue_id = next(iter(demo.data.threads)), next(iter(demo.data.issues))
    beta.get("/messaging/threads")
    beta.get(f"/messaging/threads/{thread_id}/messages")
    beta.get(f"/messaging/threads/{thread_id}/messages")
    beta.get(f"/sale/issues/{issue_id}/chat")
    beta.post(f"/messaging/threads/{thread_id}/messages", json={"text": "x"})
    assert demo.request_counts() == {
        "GET /messaging/threads": 1,
        "GET /messaging/threads/{id}/messages": 2,
        "GET /sale/issues/{id}/chat": 1,
        "POST /messaging/threads/{id}/messages": 1,
    }


def test_every_response_has_a_trace_id(demo: DemoAllegro, beta: httpx.Client, public: httpx.Client) -> None:
    for answer in (beta.get("/messaging/threads"), beta.get("/nowhere"), public.get("/sale/issues")):
        assert answer.headers["trace-id"]
    assert beta.get("/nowhere").status_code == 404


def test_orders_of_a_buyer_newest_first(demo: DemoAllegro, public: httpx.Client, validate: Validate) -> None:
    login = next(o.buyer.login for o in demo.data.orders.values()
                 if sum(p.buyer.login == o.buyer.login for p in demo.data.orders.values()) > 1)
    theirs = sorted((o for o in demo.data.orders.values() if o.buyer.login == login),
                    key=lambda o: o.bought_at, reverse=True)
    answer = public.get("/order/checkout-forms", params={"buyer.login": login})
    assert answer.status_code == 200
    body = answer.json()
    validate("CheckoutForms", body)
    assert [f["id"] for f in body["checkoutForms"]] == [o.id for o in theirs]
    assert body["count"] == body["totalCount"] == len(theirs)
    first = public.get("/order/checkout-forms", params={"buyer.login": login, "limit": 1, "offset": 1}).json()
    assert [f["id"] for f in first["checkoutForms"]] == [theirs[1].id] and first["totalCount"] == len(theirs)
    assert public.get("/order/checkout-forms", params={"buyer.login": "nikt_taki"}).json()["checkoutForms"] == []
    assert public.get("/order/checkout-forms", params={"limit": 101}).status_code == 422


@pytest.mark.parametrize("status", [403, 404])
def test_chosen_orders_answer_403_or_404(demo: DemoAllegro, public: httpx.Client, status: int) -> None:
    order_id, other_id = list(demo.data.orders)[:2]
    demo.faults.unavailable_orders[order_id] = status
    assert public.get(f"/order/checkout-forms/{order_id}").status_code == status
    assert public.get(f"/order/checkout-forms/{order_id}/shipments").status_code == status
    assert public.get(f"/order/checkout-forms/{other_id}").status_code == 200
    demo.faults.clear()
    assert public.get(f"/order/checkout-forms/{order_id}").status_code == 200
