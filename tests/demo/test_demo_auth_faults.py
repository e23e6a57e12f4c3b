"""OAuth device flow, token refresh and expiry, and the switchable faults."""

from __future__ import annotations

import base64

import httpx
import pytest

from magazyn_desktop.fake_allegro import BETA_V1, DemoAllegro, DemoData

from .conftest import FakeClock, make_client

BASIC = "Basic " + base64.b64encode(b"demo-client:demo-secret").decode()
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def _auth(demo: DemoAllegro) -> httpx.Client:
    return httpx.Client(transport=demo.transport(), base_url=demo.AUTH_URL, headers={"Authorization": BASIC})


def test_device_flow_pending_then_approved_then_tokens(demo: DemoAllegro) -> None:
    with _auth(demo) as auth:
        device = auth.post("/auth/oauth/device", data={"client_id": "demo-client"}).json()
        assert device["verification_uri_complete"].endswith(device["user_code"])
        assert device["interval"] > 0 and device["expires_in"] == 3600
        poll = {"grant_type": DEVICE_GRANT, "device_code": device["device_code"]}
        pending = auth.post("/auth/oauth/token", data=poll)
        assert pending.status_code == 400 and pending.json()["error"] == "authorization_pending"
        assert demo.approve_device(device["user_code"])
        tokens = auth.post("/auth/oauth/token", data=poll).json()
        assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 43199 and tokens["refresh_token"]
        # single use
        assert auth.post("/auth/oauth/token", data=poll).json()["error"] == "invalid_request"
    with make_client(demo, BETA_V1, tokens["access_token"]) as api:
        assert api.get("/messaging/threads").status_code == 200


def test_device_flow_auto_approves_after_second_poll_and_denial_stops(clock: FakeClock) -> None:
    demo = DemoAllegro(DemoData.generate(threads=2, issues=1), clock=clock, auto_approve_after=2)
    with _auth(demo) as auth:
        device = auth.post("/auth/oauth/device", params={"client_id": "demo-client"}).json()
        poll = {"grant_type": DEVICE_GRANT, "device_code": device["device_code"]}
        assert auth.post("/auth/oauth/token", data=poll).json()["error"] == "authorization_pending"
        assert "access_token" in auth.post("/auth/oauth/token", data=poll).json()
    denied = DemoAllegro(DemoData.generate(threads=2, issues=1), clock=clock)
    with _auth(denied) as auth:
        device = auth.post("/auth/oauth/device", data={"client_id": "demo-client"}).json()
        denied.deny_device(device["user_code"])
        poll = {"grant_type": DEVICE_GRANT, "device_code": device["device_code"]}
        assert auth.post("/auth/oauth/token", data=poll).json()["error"] == "access_denied"


def test_device_flow_slow_down_and_bad_client(clock: FakeClock) -> None:
    demo = DemoAllegro(DemoData.generate(threads=2, issues=1), clock=clock, enforce_device_interval=True)
    with _auth(demo) as auth:
        device = auth.post("/auth/oauth/device", data={"client_id": "demo-client"}).json()
        poll = {"grant_type": DEVICE_GRANT, "device_code": device["device_code"]}
        assert auth.post("/auth/oauth/token", data=poll).json()["error"] == "authorization_pending"
        assert auth.post("/auth/oauth/token", data=poll).json()["error"] == "slow_down"
        clock.advance(device["interval"])
        assert auth.post("/auth/oauth/token", data=poll).json()["error"] == "authorization_pending"
        clock.advance(3601)
        assert auth.post("/auth/oauth/token", data=poll).json()["error"] == "invalid_request"
    no_basic = httpx.Client(transport=demo.transport(), base_url=demo.AUTH_URL)
    assert no_basic.post("/auth/oauth/device", data={"client_id": "x"}).status_code == 401


def test_refresh_rotates_the_pair(demo: DemoAllegro) -> None:
    first = demo.issue_tokens()
    with _auth(demo) as auth:
        second = auth.post("/auth/oauth/token", params={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
        assert second.status_code == 200
        assert second.json()["refresh_token"] != first["refresh_token"]
        again = auth.post("/auth/oauth/token", params={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
        assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    with make_client(demo, BETA_V1, str(second.json()["access_token"])) as api:
        assert api.get("/messaging/threads").status_code == 200


def test_tokens_expire_with_time_and_on_demand(demo: DemoAllegro, clock: FakeClock) -> None:
    tokens = demo.issue_tokens()
    with make_client(demo, BETA_V1, str(tokens["access_token"])) as api:
        assert api.get("/me", headers={"Accept": "application/vnd.allegro.public.v1+json"}).status_code == 200
        clock.advance(43199)
        expired = api.get("/messaging/threads")
        assert expired.status_code == 401 and expired.json()["error"] == "invalid_token"
    with make_client(demo, BETA_V1) as api:
        assert api.get("/messaging/threads").status_code == 200
        demo.expire_tokens()
        assert api.get("/messaging/threads").status_code == 401
    with make_client(demo, BETA_V1, "made-up") as api:
        assert api.get("/messaging/threads").status_code == 401
    anonymous = httpx.Client(transport=demo.transport(), base_url=demo.API_URL, headers={"Accept": BETA_V1})
    assert anonymous.get("/messaging/threads").json()["error"] == "unauthorized"


def test_hosts_are_kept_apart(demo: DemoAllegro) -> None:
    api = httpx.Client(transport=demo.transport(), base_url=demo.API_URL, headers={"Authorization": BASIC})
    assert api.post("/auth/oauth/device", data={"client_id": "x"}).status_code == 404
    with pytest.raises(httpx.ConnectError):
        httpx.Client(transport=demo.transport()).get("https://api.allegro.pl/me")


def test_5xx_burst_then_recovery(demo: DemoAllegro, beta: httpx.Client) -> None:
    demo.faults.burst_5xx(2)
    assert [beta.get("/messaging/threads").status_code for _ in range(3)] == [503, 503, 200]


def test_forced_401_then_recovery(demo: DemoAllegro, beta: httpx.Client) -> None:
    demo.faults.unauthorized = 1
    assert beta.get("/messaging/threads").status_code == 401
    assert beta.get("/messaging/threads").status_code == 200


def test_request_budget_gives_429_until_the_window_passes(demo: DemoAllegro, beta: httpx.Client, clock: FakeClock) -> None:
    demo.faults.rate_limit, demo.faults.rate_window = 3, 60.0
    assert [beta.get("/messaging/threads").status_code for _ in range(4)] == [200, 200, 200, 429]
    clock.advance(60)
    assert beta.get("/messaging/threads").status_code == 200
    demo.faults.clear()
    assert all(beta.get("/messaging/threads").status_code == 200 for _ in range(5))


def test_dropped_connection_after_handling_leaves_the_message_sent(demo: DemoAllegro, beta: httpx.Client) -> None:
    thread = next(t for t in demo.data.threads.values() if t.type == "COMMON")
    demo.faults.drop_connections = 1
    with pytest.raises(httpx.RemoteProtocolError):
        beta.post(f"/messaging/threads/{thread.id}/messages", json={"text": "Czy doszło?"})
    assert [s.text for s in demo.sent_messages(thread.id)] == ["Czy doszło?"]  # outcome unknown to the client


def test_dropped_connection_before_handling_changes_nothing(demo: DemoAllegro, beta: httpx.Client) -> None:
    thread = next(t for t in demo.data.threads.values() if t.type == "COMMON")
    demo.faults.drop_connections, demo.faults.drop_after_handling = 1, False
    with pytest.raises(httpx.RemoteProtocolError):
        beta.post(f"/messaging/threads/{thread.id}/messages", json={"text": "Czy doszło?"})
    assert demo.sent_messages(thread.id) == []


def test_truncated_body(demo: DemoAllegro, beta: httpx.Client) -> None:
    demo.faults.truncate_bodies = 1
    with pytest.raises(httpx.RemoteProtocolError):
        beta.get("/messaging/threads")
    assert beta.get("/messaging/threads").status_code == 200


def test_async_transport_serves_the_same(demo: DemoAllegro) -> None:
    import asyncio

    async def run() -> tuple[int, int]:
        headers = {"Accept": BETA_V1, "Authorization": f"Bearer {demo.DEMO_TOKEN}"}
        async with httpx.AsyncClient(transport=demo.async_transport(), base_url=demo.API_URL, headers=headers) as client:
            ok = (await client.get("/messaging/threads")).status_code
            demo.faults.truncate_bodies = 1
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get("/messaging/threads")
            return ok, (await client.get("/sale/issues")).status_code

    assert asyncio.run(run()) == (200, 200)


def test_interactive_settings_approve_on_second_poll() -> None:
    demo = DemoAllegro.interactive(DemoData.generate(threads=2, issues=1))
    with _auth(demo) as auth:
        device = auth.post("/auth/oauth/device", data={"client_id": "demo-client"}).json()
        poll = {"grant_type": DEVICE_GRANT, "device_code": device["device_code"]}
        assert [("access_token" in auth.post("/auth/oauth/token", data=poll).json()) for _ in range(2)] == [False, True]


def test_a_disguised_download_answers_the_buyers_file_for_both_apis(demo: DemoAllegro, beta: httpx.Client) -> None:
    from magazyn_desktop.fake_allegro import DisguisedFile

    by_scope = {a.scope: a for a in demo.data.attachments.values()}
    demo.faults.disguised_download = DisguisedFile("faktura\u202egpj.exe", b"MZ\x90\x00", "image/jpeg")
    paths = (f"/messaging/message-attachments/{by_scope['messaging'].id}",
             f"/sale/issues/attachments/{by_scope['issues'].id}")
    for path in paths:
        answer = beta.get(path, headers={"Accept": "*/*"})
        assert answer.status_code == 200 and answer.content == b"MZ\x90\x00"
        assert answer.headers["Content-Type"] == "image/jpeg"
        assert "filename*=UTF-8''faktura%E2%80%AEgpj.exe" in answer.headers["Content-Disposition"]
    demo.faults.clear()
    assert beta.get(paths[0], headers={"Accept": "*/*"}).content != b"MZ\x90\x00"


def test_a_silent_request_hangs_until_released(demo: DemoAllegro, beta: httpx.Client) -> None:
    import threading

    class Gate(threading.Event):
        """Says when a request starts waiting on it."""

        def __init__(self) -> None:
            super().__init__()
            self.entered = threading.Event()

        def wait(self, timeout: float | None = None) -> bool:
            self.entered.set()
            return super().wait(timeout)

    gate = Gate()
    demo.faults.silent, demo.faults.silent_until = 1, gate
    outcome: list[BaseException] = []

    def ask() -> None:
        try:
            beta.get("/messaging/threads")
        except httpx.ReadTimeout as exc:
            outcome.append(exc)

    asking = threading.Thread(target=ask)
    asking.start()
    assert gate.entered.wait(5)
    # Hanging, and only that request: the fake answers others meanwhile.
    assert demo.request_counts()["GET /messaging/threads"] == 1
    assert beta.get("/sale/issues").status_code == 200
    assert asking.is_alive() and outcome == []
    demo.faults.clear()  # releases it
    asking.join(timeout=5)
    assert not asking.is_alive() and len(outcome) == 1
    assert demo.faults.silent_until is None and gate.is_set()


def test_a_disguised_download_may_declare_no_type_at_all(demo: DemoAllegro, beta: httpx.Client) -> None:
    from magazyn_desktop.fake_allegro import DisguisedFile

    attachment = next(a for a in demo.data.attachments.values() if a.scope == "messaging")
    demo.faults.disguised_download = DisguisedFile("x.sh", b"#!/bin/sh\n", None)
    answer = beta.get(f"/messaging/message-attachments/{attachment.id}", headers={"Accept": "*/*"})
    assert answer.status_code == 200 and answer.content == b"#!/bin/sh\n"
    assert "content-type" not in answer.headers
    assert "filename*=UTF-8''x.sh" in answer.headers["Content-Disposition"]


def test_a_refused_client_gets_invalid_client_then_the_flow_goes_on(demo: DemoAllegro) -> None:
    demo.faults.refused_client = 2
    with _auth(demo) as auth:
        refused = auth.post("/auth/oauth/device", data={"client_id": "demo-client"})
        assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
        device = auth.post("/auth/oauth/device", data={"client_id": "demo-client"})
        assert device.status_code == 401  # the second one, still refused
        device = auth.post("/auth/oauth/device", data={"client_id": "demo-client"}).json()
        poll = {"grant_type": DEVICE_GRANT, "device_code": device["device_code"]}
        assert auth.post("/auth/oauth/token", data=poll).json()["error"] == "authorization_pending"
    assert demo.faults.refused_client == 0


def test_a_forbidden_endpoint_answers_403_until_cleared() -> None:
    import httpx

    from magazyn_desktop.fake_allegro import DemoAllegro

    demo = DemoAllegro()
    thread_id = next(iter(demo.data.threads))
    with httpx.Client(transport=demo.transport(), base_url=DemoAllegro.API_URL,
                      headers={"Authorization": f"Bearer {DemoAllegro.DEMO_TOKEN}",
                               "Accept": "application/vnd.allegro.beta.v1+json"}) as http:
        demo.faults.forbidden_endpoints.add("GET /messaging/threads/{id}/messages")
        refused = http.get(f"/messaging/threads/{thread_id}/messages")
        assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "ACCESS_DENIED"
        assert http.get("/messaging/threads").status_code == 200  # only that endpoint
        demo.faults.clear()
        assert http.get(f"/messaging/threads/{thread_id}/messages").status_code == 200
