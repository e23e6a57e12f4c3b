"""`/messaging` rules: both media types, paging and limits, wrong-kind ids, sending, attachments."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from magazyn_desktop.fake_allegro import PUBLIC_V1, DemoAllegro

from .conftest import FakeClock


def _all_threads_beta(client: httpx.Client, limit: int = 20) -> list[dict[str, Any]]:
    threads: list[dict[str, Any]] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": limit, **({"page.id": cursor} if cursor else {})}
        body = client.get("/messaging/threads", params=params).json()
        threads += body["threads"]
        pages += 1
        assert pages < 100
        if body["nextPage"] is None:
            return threads
        cursor = body["nextPage"]["id"]


def test_beta_cursor_paging_returns_every_thread_once_newest_first(demo: DemoAllegro, beta: httpx.Client) -> None:
    threads = _all_threads_beta(beta, limit=7)
    ids = [t["id"] for t in threads]
    assert sorted(ids) == sorted(demo.data.threads)
    stamps = [t["lastMessageDateTime"] for t in threads]
    assert stamps == sorted(stamps, reverse=True)
    assert {t["type"] for t in threads} == {"COMMON", "POST_PURCHASE_ISSUE"}


def test_public_offset_paging_hides_post_purchase_threads(demo: DemoAllegro, public: httpx.Client) -> None:
    first = public.get("/messaging/threads", params={"limit": 20, "offset": 0})
    assert first.headers["content-type"] == PUBLIC_V1
    body = first.json()
    assert body["offset"] == 0 and body["limit"] == 20 and "interlocutor" in body["threads"][0]
    seen = []
    for offset in range(0, 200, 20):
        seen += public.get("/messaging/threads", params={"offset": offset}).json()["threads"]
    common = {t.id for t in demo.data.threads.values() if t.type == "COMMON"}
    assert {t["id"] for t in seen} == common


@pytest.mark.parametrize("params", [{"limit": 21}, {"limit": 0}, {"limit": "x"}, {"offset": -1}, {"page.id": "@@@"}])
def test_paging_beyond_limits_is_422(beta: httpx.Client, public: httpx.Client, params: dict[str, Any]) -> None:
    client = public if "offset" in params else beta
    answer = client.get("/messaging/threads", params=params)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["code"] == "VALIDATION_ERROR"


def test_messages_limit_beyond_20_is_422(demo: DemoAllegro, beta: httpx.Client) -> None:
    thread_id = next(iter(demo.data.threads))
    assert beta.get(f"/messaging/threads/{thread_id}/messages", params={"limit": 21}).status_code == 422


@pytest.mark.parametrize("accept", ["application/json", "application/vnd.allegro.public.v2+json", ""])
def test_other_media_types_are_406(demo: DemoAllegro, accept: str) -> None:
    answer = httpx.Client(transport=demo.transport(), base_url=demo.API_URL).get(
        "/messaging/threads", headers={"Accept": accept, "Authorization": f"Bearer {demo.DEMO_TOKEN}"}
    )
    assert answer.status_code == 406
    assert answer.json()["errors"][0]["code"] == "NotAcceptableException"


def test_message_paging_beta_and_public_agree(demo: DemoAllegro, beta: httpx.Client, public: httpx.Client) -> None:
    thread = max((t for t in demo.data.threads.values() if t.type == "COMMON"), key=lambda t: len(t.messages))
    url = f"/messaging/threads/{thread.id}/messages"
    beta_ids, cursor = [], None
    while True:
        body = beta.get(url, params={"limit": 3, **({"page.id": cursor} if cursor else {})}).json()
        beta_ids += [m["id"] for m in body["messages"]]
        if not body["nextPage"]:
            break
        cursor = body["nextPage"]["id"]
    public_ids = [m["id"] for m in public.get(url, params={"limit": 20}).json()["messages"]]
    assert beta_ids == public_ids == [m.id for m in reversed(thread.messages)]


def test_wrong_kind_ids(demo: DemoAllegro, beta: httpx.Client) -> None:
    issue_id = next(iter(demo.data.issues))
    thread_id = next(iter(demo.data.threads))
    # An issue id at /messaging: 422, like the production outage.
    assert beta.get(f"/messaging/threads/{issue_id}/messages").status_code == 422
    assert beta.get(f"/messaging/threads/{issue_id}").status_code == 422
    # A thread id at /sale/issues: 404 POST_PURCHASE_ISSUE_NOT_FOUND.
    answer = beta.get(f"/sale/issues/{thread_id}")
    assert answer.status_code == 404 and answer.json()["errors"][0]["code"] == "POST_PURCHASE_ISSUE_NOT_FOUND"
    assert beta.get(f"/sale/issues/{thread_id}/chat").status_code == 404
    # Neither: 404 on both.
    nobody = "00000000-0000-4000-8000-000000000000"
    assert beta.get(f"/messaging/threads/{nobody}").json()["errors"][0]["code"] == "THREAD_NOT_FOUND"
    assert beta.get(f"/sale/issues/{nobody}").status_code == 404
    assert beta.get("/messaging/threads/nope").status_code == 404


def test_wrong_kind_status_is_configurable(demo: DemoAllegro, beta: httpx.Client) -> None:
    demo.issue_id_at_messaging_status = 404
    assert beta.get(f"/messaging/threads/{next(iter(demo.data.issues))}").status_code == 404


def test_public_v1_does_not_know_post_purchase_threads(demo: DemoAllegro, public: httpx.Client) -> None:
    ppi = next(t for t in demo.data.threads.values() if t.type == "POST_PURCHASE_ISSUE")
    assert public.get(f"/messaging/threads/{ppi.id}").status_code == 404


def test_send_then_rate_limit_then_send_again(demo: DemoAllegro, beta: httpx.Client, clock: FakeClock) -> None:
    thread = next(t for t in demo.data.threads.values() if t.type == "COMMON")
    url = f"/messaging/threads/{thread.id}/messages"
    first = beta.post(url, json={"text": "Dzień dobry, wysyłamy dziś."})
    assert first.status_code == 201
    assert first.json()["author"] == {"role": "SELLER", "login": "sklep_magazyn"}
    assert beta.post(url, json={"text": "Druga"}).status_code == 429
    clock.advance(1.0)
    assert beta.post(url, json={"text": "Druga"}).status_code == 201
    assert [s.text for s in demo.sent_messages(thread.id)] == ["Dzień dobry, wysyłamy dziś.", "Druga"]
    top = beta.get("/messaging/threads", params={"limit": 1}).json()["threads"][0]
    assert top["id"] == thread.id


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "   "}, {"text": "x" * 2001}, {}, {"text": "a", "attachments": [{"id": "nope"}]}])
def test_invalid_send_is_422(demo: DemoAllegro, beta: httpx.Client, body: dict[str, Any]) -> None:
    thread_id = next(iter(demo.data.threads))
    answer = beta.post(f"/messaging/threads/{thread_id}/messages", json=body)
    assert answer.status_code == 422 and answer.json()["errors"][0]["code"] == "VALIDATION_ERROR"
    assert demo.sent_messages(thread_id) == []


def test_closed_post_purchase_thread_is_422_thread_closed(demo: DemoAllegro, beta: httpx.Client) -> None:
    closed = next(t for t in demo.data.threads.values() if t.status == "CLOSED")
    answer = beta.post(f"/messaging/threads/{closed.id}/messages", json={"text": "Dzień dobry"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["code"] == "THREAD_CLOSED"


def test_read_flag(demo: DemoAllegro, beta: httpx.Client, public: httpx.Client) -> None:
    thread = next(t for t in demo.data.threads.values() if not t.read and t.type == "COMMON")
    url = f"/messaging/threads/{thread.id}/read"
    assert beta.put(url, json={}).status_code == 422
    assert beta.put(url, json={"read": True}).json() == {"read": True}
    assert thread.read
    assert public.put(url, json={"read": False}).json()["id"] == thread.id


def test_message_attachment_round_trip_and_limits(demo: DemoAllegro, beta: httpx.Client, clock: FakeClock) -> None:
    declared = beta.post("/messaging/message-attachments", json={"filename": "etykieta.pdf", "size": 9})
    assert declared.status_code == 201
    att_id = declared.json()["id"]
    put = f"/messaging/message-attachments/{att_id}"
    assert beta.put(put, content=b"%PDF-1.4\n", headers={"Content-Type": "application/pdf; charset=UTF-8"}).status_code == 415
    assert beta.put(put, content=b"x" * 5_242_881, headers={"Content-Type": "application/pdf"}).status_code == 413
    assert beta.put(put, content=b"%PDF-1.4\n", headers={"Content-Type": "application/pdf"}).status_code == 200
    got = beta.get(put)
    assert got.content == b"%PDF-1.4\n" and got.headers["content-type"] == "application/pdf"
    assert "etykieta.pdf" in got.headers["content-disposition"]
    assert beta.post("/messaging/message-attachments", json={"filename": "a.exe", "size": 1}).status_code == 415
    assert beta.post("/messaging/message-attachments", json={"filename": "a.png", "size": 5_242_881}).status_code == 422
    thread = next(t for t in demo.data.threads.values() if t.type == "COMMON")
    sent = beta.post(f"/messaging/threads/{thread.id}/messages", json={"text": "Etykieta", "attachments": [{"id": att_id}]})
    assert sent.status_code == 201 and sent.json()["attachments"][0]["id"] == att_id


def test_generated_attachments_download_as_real_files(demo: DemoAllegro, beta: httpx.Client) -> None:
    att = next(a for a in demo.data.attachments.values() if a.scope == "messaging")
    got = beta.get(f"/messaging/message-attachments/{att.id}")
    assert got.status_code == 200
    assert got.content.startswith(b"%PDF" if att.mime_type == "application/pdf" else b"\x89PNG")
