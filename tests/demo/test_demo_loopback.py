"""The same core over real sockets on 127.0.0.1: paging, sending, faults, the auth endpoints, latency."""

from __future__ import annotations

import base64
import time

import httpx
import pytest

from magazyn_desktop.fake_allegro import BETA_V1, DemoAllegro, DemoData, serve_on_loopback


def test_loopback_end_to_end() -> None:
    demo = DemoAllegro(DemoData.generate(threads=45, post_purchase_threads=0, issues=3))
    with serve_on_loopback(demo) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        headers = {"Accept": BETA_V1, "Authorization": f"Bearer {demo.DEMO_TOKEN}"}
        with httpx.Client(base_url=base_url, headers=headers, timeout=5) as client:
            ids, cursor = [], None
            while True:
                body = client.get("/messaging/threads", params={"page.id": cursor} if cursor else {}).json()
                ids += [t["id"] for t in body["threads"]]
                if not body["nextPage"]:
                    break
                cursor = body["nextPage"]["id"]
            assert len(ids) == 45 == len(set(ids))
            assert client.get("/messaging/threads", params={"limit": 50}).status_code == 422

            declared = client.post("/sale/issues/attachments", json={"fileName": "a.png", "size": 4})
            assert declared.headers["location"].startswith(base_url)
            assert client.put(declared.headers["location"], content=b"\x89PNG",
                              headers={"Content-Type": "image/png"}).status_code == 200

            demo.faults.burst_5xx(1)
            assert client.get("/messaging/threads").status_code == 503
            demo.faults.drop_connections = 1
            with pytest.raises(httpx.TransportError):
                client.get("/messaging/threads")
            demo.faults.truncate_bodies = 1
            with pytest.raises(httpx.TransportError):
                client.get("/messaging/threads")
            assert client.get("/messaging/threads").status_code == 200

        basic = "Basic " + base64.b64encode(b"id:secret").decode()
        device = httpx.post(f"{base_url}/auth/oauth/device", data={"client_id": "id"}, headers={"Authorization": basic})
        assert device.status_code == 200 and device.json()["user_code"]
    assert demo.request_counts()["GET /messaging/threads"] >= 6


def test_loopback_latency() -> None:
    demo = DemoAllegro(DemoData.generate(threads=2, issues=1))
    with serve_on_loopback(demo, latency=0.05) as base_url:
        started = time.perf_counter()
        answer = httpx.get(f"{base_url}/me", headers={"Accept": "application/vnd.allegro.public.v1+json",
                                                     "Authorization": f"Bearer {demo.DEMO_TOKEN}"})
        assert answer.status_code == 200 and time.perf_counter() - started >= 0.05
