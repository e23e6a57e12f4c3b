"""The sync engine and the outbox through the real AllegroClient: HTTP mocked with respx, or the in-process demo."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest
import respx

from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.app.backend import build_backend
from magazyn_desktop.app.backend_types import ConnectedBackend, NoAccount
from magazyn_desktop.domain.vocabulary import OutboxState
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import SyncEngine
from magazyn_desktop.app.sync_once import run_sync_once
from magazyn_desktop.sync.outbox import Outbox

from .fakes import FakeTime
from .mocked_allegro import BETA, beta

THREAD_ID = "L1H4FmWRwD5lAEInohQoEGWQR71RfBpEmHqeKZSXdhW"


def thread_json(last: str) -> dict[str, object]:
    return {"id": THREAD_ID, "read": False, "type": "COMMON", "createdAt": "2026-11-01T08:00:00Z",
            "lastMessageDateTime": last, "status": "OPEN", "subType": None, "orders": None,
            "participants": [{"role": "BUYER", "login": "kupujacy"}, {"role": "SELLER", "login": "sklep"}]}


def message_json(mid: str, role: str, text: str, at: str) -> dict[str, object]:
    return {"id": mid, "status": "DELIVERED", "type": "MESSAGE_CENTER", "createdAt": at,
            "author": {"role": role, "login": "kupujacy" if role == "BUYER" else "sklep"}, "text": text,
            "subject": None, "relatesTo": {"offer": None, "order": None}, "hasAdditionalAttachments": False,
            "attachments": [], "additionalInformation": None}


def test_reply_through_the_real_client_survives_a_lost_answer(
    client: AllegroClient, api: respx.MockRouter, store: Store, account_id: int, fake_time: FakeTime
) -> None:
    messages = [message_json("m1", "BUYER", "Kiedy wysyłka?", "2026-11-05T10:00:00Z")]
    api.get("/messaging/threads").mock(return_value=beta({"threads": [thread_json("2026-11-05T10:00:00Z")],
                                                          "nextPage": None}))
    api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(
        side_effect=lambda request: beta({"messages": list(reversed(messages)), "nextPage": None}))
    api.get("/sale/issues").mock(return_value=beta({"issues": []}))
    report = SyncEngine(client=client, store=store, account_id=account_id).run_once()
    assert report.errors == [] and report.conversations_added == 1

    def post(request: httpx.Request) -> httpx.Response:
        # Allegro stores the message, then the connection drops before the answer arrives.
        messages.append(message_json("r1", "SELLER", "Jutro rano.", "2026-11-05T12:00:01Z"))
        raise httpx.ReadTimeout("timed out", request=request)

    send_route = api.post(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=post)
    box = Outbox(store=store, client=client, account_id=account_id,
                 wall_clock=lambda: datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc))
    entry = box.enqueue(THREAD_ID, "Jutro rano.")
    assert [r.state for r in box.process()] == [OutboxState.UNCERTAIN]
    assert [r.state for r in box.process()] == [OutboxState.SENT]
    assert send_route.call_count == 1  # settled by re-reading, never sent twice
    item = store.outbox_entry(entry)
    assert item is not None and item.remote_message_id == "r1"
    assert "r1" in store.message_ids(THREAD_ID)


def test_reply_through_the_real_client_is_sent(
    client: AllegroClient, api: respx.MockRouter, store: Store, account_id: int, fake_time: FakeTime
) -> None:
    api.get("/messaging/threads").mock(return_value=beta({"threads": [thread_json("2026-11-05T10:00:00Z")],
                                                          "nextPage": None}))
    api.get(f"/messaging/threads/{THREAD_ID}/messages").mock(return_value=beta({"messages": [
        message_json("m1", "BUYER", "Kiedy wysyłka?", "2026-11-05T10:00:00Z")], "nextPage": None}))
    api.get("/sale/issues").mock(return_value=beta({"issues": []}))
    SyncEngine(client=client, store=store, account_id=account_id).run_once()
    route = api.post(f"/messaging/threads/{THREAD_ID}/messages").mock(
        return_value=beta(message_json("r2", "SELLER", "Dziś.", "2026-11-05T12:00:00Z"), status=201))
    box = Outbox(store=store, client=client, account_id=account_id)
    box.enqueue(THREAD_ID, "Dziś.")
    [result] = box.process()
    assert result.state is OutboxState.SENT and result.remote_message_id == "r2"
    assert route.call_count == 1
    assert route.calls.last.request.headers["Content-Type"] == BETA


def test_at_most_one_send_a_second_per_account(
    client: AllegroClient, api: respx.MockRouter, store: Store, account_id: int, fake_time: FakeTime
) -> None:
    """The client's rate limiter is the one place that paces sends; the outbox adds no pacing of its own."""
    other_id = "M2J5GnXSxE6mBFJopiRpFHXRS82SgCqFnIrfLaTYeiX"
    other = {**thread_json("2026-11-05T09:00:00Z"), "id": other_id}
    api.get("/messaging/threads").mock(return_value=beta({"threads": [thread_json("2026-11-05T10:00:00Z"), other],
                                                          "nextPage": None}))
    for conversation_id in (THREAD_ID, other_id):
        api.get(f"/messaging/threads/{conversation_id}/messages").mock(return_value=beta({"messages": [
            message_json(f"m-{conversation_id[:4]}", "BUYER", "Kiedy wysyłka?", "2026-11-05T09:00:00Z")],
            "nextPage": None}))
    api.get("/sale/issues").mock(return_value=beta({"issues": []}))
    SyncEngine(client=client, store=store, account_id=account_id).run_once()
    send_times: list[float] = []

    def post(request: httpx.Request) -> httpx.Response:
        send_times.append(fake_time.now)
        return beta(message_json(f"r{len(send_times)}", "SELLER", "ok", "2026-11-05T12:00:00Z"), status=201)

    for conversation_id in (THREAD_ID, other_id):
        api.post(f"/messaging/threads/{conversation_id}/messages").mock(side_effect=post)
    box = Outbox(store=store, client=client, account_id=account_id)
    for text in ("jeden", "dwa", "trzy"):
        box.enqueue(THREAD_ID, text)
    box.enqueue(other_id, "cztery")
    sleeps_before = len(fake_time.sleeps)
    results = box.process()
    assert [r.state for r in results] == [OutboxState.SENT] * 4
    waits = fake_time.sleeps[sleeps_before:]
    assert len(waits) == 3 and all(s > 1.0 for s in waits)  # the sleeper was asked to wait, once a send
    assert all(later - earlier > 1.0 for earlier, later in zip(send_times, send_times[1:]))
    # Time passing on its own means no waiting.
    fake_time.now += 5
    box.enqueue(THREAD_ID, "pięć")
    box.process()
    assert len(fake_time.sleeps) == sleeps_before + 3


def test_demo_backend_syncs_and_sends(paths: AppPaths) -> None:
    backend = build_backend(paths, demo=True)
    try:
        assert isinstance(backend, ConnectedBackend)
        first = backend.sync.run_once()
        assert first.errors == [] and first.conversations_added > 0
        second = backend.sync.run_once()
        assert second.requests == {"GET /messaging/threads": 1, "GET /sale/issues": 1}
        conversation_id = next(iter(store_ids(backend.store, backend.account_id)))
        backend.outbox.enqueue(conversation_id, "Dzień dobry, sprawdzamy.")
        [result] = backend.outbox.process()
        assert result.state is OutboxState.SENT
        sent = backend.fake_allegro.sent_messages(conversation_id)
        assert [m.text for m in sent] == ["Dzień dobry, sprawdzamy."]
    finally:
        backend.close()
        backend.close()  # idempotent


def store_ids(store: Store, account_id: int | None) -> list[str]:
    assert account_id is not None
    return sorted(store.known_thread_state(account_id))


def test_sync_once_returns_a_json_report(paths: AppPaths) -> None:
    import json

    first = run_sync_once(paths, demo=True)
    assert first["conversations_added"] > 0 and first["offline"] is False and first["errors"] == []
    second = run_sync_once(paths, demo=True)
    assert second["requests"] == {"GET /messaging/threads": 1, "GET /sale/issues": 1}
    assert json.loads(json.dumps(second)) == second


def test_a_window_waiting_when_the_sync_ends_gets_the_folder_before_any_reply_is_sent(paths: AppPaths) -> None:
    """The handover is asked for at most every few tenths of a second during the run: a run that ends sooner
    looks once more, so a window that asked meanwhile is not kept waiting while the queued replies go out."""
    report = run_sync_once(paths, demo=True, cancelled=lambda: False, window_waiting=lambda: True)
    assert report["handed_over"] is True
    assert report["outbox"] == {}
    assert report["conversations_added"] > 0  # the sync itself ran to its end


def test_without_an_account_the_backend_says_so(paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAGAZYN_ACCESS_TOKEN", raising=False)
    backend = build_backend(paths, demo=False)
    try:
        assert isinstance(backend, NoAccount)
        backend.store.save_draft("x", "")  # the cache is still usable
    finally:
        backend.close()
    assert run_sync_once(paths, demo=False)["needs_sign_in"] is True


def test_routine_sync_lists_open_issues_through_the_real_client(
    client: AllegroClient, api: respx.MockRouter, store: Store, account_id: int
) -> None:
    api.get("/messaging/threads").mock(return_value=beta({"threads": [], "nextPage": None}))
    issues = api.get("/sale/issues").mock(return_value=beta({"issues": []}))
    sync = SyncEngine(client=client, store=store, account_id=account_id)
    sync.run_once()
    report = sync.run_once()
    assert report.requests == {"GET /messaging/threads": 1, "GET /sale/issues": 1}
    first, second = (call.request.url.params for call in issues.calls)
    assert first.get_list("status") == [] and first["limit"] == "100"  # the first sync lists every issue
    assert second.get_list("status") == ["CLAIM_SUBMITTED", "DISPUTE_ONGOING", "DISPUTE_UNRESOLVED"]


def test_the_demo_ends_when_the_folder_first_ran_it_and_its_clock_tells_the_present(paths: AppPaths) -> None:
    from datetime import timedelta

    first = build_backend(paths, demo=True)
    try:
        assert isinstance(first, ConnectedBackend) and first.fake_allegro is not None
        started = datetime.now(timezone.utc)
        newest = max(t.last_message_at for t in first.fake_allegro.data.threads.values())
        assert started - timedelta(hours=1) < newest <= started
        assert abs(first.fake_allegro.now() - started) < timedelta(minutes=1)
        data = first.fake_allegro.data
    finally:
        first.close()
    again = build_backend(paths, demo=True)  # a later launch over the same cache
    try:
        assert isinstance(again, ConnectedBackend) and again.fake_allegro is not None
        assert again.fake_allegro.data == data
        assert again.fake_allegro.now() >= started
    finally:
        again.close()
