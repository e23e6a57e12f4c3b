"""Ids never change a request's path or query: hostile ids are refused before any request leaves, and the
ids Allegro really uses reach exactly the path they name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import respx

from magazyn_desktop.allegro.auth import StaticToken
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.allegro.environments import Environment
from magazyn_desktop.allegro.ids import InvalidIdError, checked_id, path_segment
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.domain.vocabulary import Kind

from .conftest import ISSUE_ID, THREAD_ID, FakeClock, beta_thread

HOSTILE_IDS = [
    "../../me",
    "..",
    ".",
    "x?limit=500",
    "x#frag",
    "a/b",
    "a\\b",
    "%2e%2e%2fme",
    "",
    " ",
    "abc def",
    "abc\n",
    "\u202eexe.png",
    "x" * 129,
]

Call = Callable[[AllegroClient, str], object]
CALLS: dict[str, Call] = {
    "open_conversation": lambda c, i: c.open_conversation(i),
    "resolve_kind": lambda c, i: c.resolve_kind(i),
    "get_thread": lambda c, i: c.get_thread(i),
    "thread_messages": lambda c, i: c.thread_messages(i),
    "mark_thread_read": lambda c, i: c.mark_thread_read(i),
    "send_thread_message": lambda c, i: c.send_thread_message(i, "Dzień dobry"),
    "get_issue": lambda c, i: c.get_issue(i),
    "issue_chat": lambda c, i: c.issue_chat(i),
    "send_issue_message": lambda c, i: c.send_issue_message(i, "Dzień dobry"),
    "download_thread_attachment": lambda c, i: c.download_attachment(Kind.THREAD, i),
    "download_issue_attachment": lambda c, i: c.download_attachment(Kind.ISSUE, i),
    "get_order": lambda c, i: c.get_order(i),
}


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_hostile_id_is_refused_before_any_request(client: AllegroClient, api: respx.MockRouter, call: str,
                                                  hostile: str) -> None:
    api.route().respond(200, json={})
    with pytest.raises(InvalidIdError):
        CALLS[call](client, hostile)
    assert [str(c.request.url) for c in api.calls] == []


@pytest.mark.parametrize("kind", [Kind.THREAD, Kind.ISSUE])
def test_a_hostile_id_declared_by_the_server_is_never_used_in_a_path(client: AllegroClient, api: respx.MockRouter,
                                                                     kind: Kind) -> None:
    api.post("/messaging/message-attachments").respond(201, json={"id": "../../me"})
    api.post("/sale/issues/attachments").respond(201, json={"id": "../../me"})
    api.route().respond(200, json={})
    with pytest.raises(InvalidIdError):
        client.upload_attachment(kind, "a.png", b"\x89PNG\r\n\x1a\n", "image/png")
    assert [c.request.method for c in api.calls] == ["POST"]


@pytest.mark.parametrize(("call", "method", "path"), [
    ("get_thread", "GET", "/messaging/threads/{id}"),
    ("thread_messages", "GET", "/messaging/threads/{id}/messages"),
    ("mark_thread_read", "PUT", "/messaging/threads/{id}/read"),
    ("get_issue", "GET", "/sale/issues/{id}"),
    ("issue_chat", "GET", "/sale/issues/{id}/chat"),
    ("download_thread_attachment", "GET", "/messaging/message-attachments/{id}"),
    ("download_issue_attachment", "GET", "/sale/issues/attachments/{id}"),
    ("get_order", "GET", "/order/checkout-forms/{id}"),
])
@pytest.mark.parametrize("real_id", [THREAD_ID, ISSUE_ID, "88ae369b-8f65-4fc4-9c77-bedf604a2e2", "a.b_c~d-1"])
def test_real_ids_reach_exactly_their_path(client: AllegroClient, api: respx.MockRouter, call: str, method: str,
                                           path: str, real_id: str) -> None:
    api.route().respond(404, json={"errors": [{"code": "NOT_FOUND", "message": "m"}]})
    try:
        CALLS[call](client, real_id)
    except Exception:  # noqa: BLE001  (the answer does not matter here, only the request sent)
        pass
    assert api.calls, "a valid id must be asked for"
    first = api.calls[0].request
    assert (first.method, first.url.raw_path.decode().split("?")[0]) == (method, path.replace("{id}", real_id))
    assert first.url.host == "api.test.example"


def test_paths_and_queries_sent_for_a_thread_are_exact(client: AllegroClient, api: respx.MockRouter) -> None:
    api.get(f"/messaging/threads/{THREAD_ID}").respond(200, json=beta_thread())
    api.get(f"/messaging/threads/{THREAD_ID}/messages").respond(200, json={"messages": [], "nextPage": None})
    client.open_conversation(THREAD_ID)
    assert [str(c.request.url) for c in api.calls] == [
        f"https://api.test.example/messaging/threads/{THREAD_ID}",
        f"https://api.test.example/messaging/threads/{THREAD_ID}/messages?limit=20",
    ]


@pytest.mark.parametrize(("raw", "encoded"), [
    ("../../me", "..%2F..%2Fme"),
    ("x?limit=500", "x%3Flimit%3D500"),
    ("a#b", "a%23b"),
    ("%2e", "%252e"),
    ("zażółć", "za%C5%BC%C3%B3%C5%82%C4%87"),
    (THREAD_ID, THREAD_ID),
])
def test_path_segment_encodes_everything_that_could_leave_the_segment(raw: str, encoded: str) -> None:
    assert path_segment(raw) == encoded


@pytest.mark.parametrize("dots", ["", ".", ".."])
def test_path_segment_refuses_segments_that_are_not_one(dots: str) -> None:
    with pytest.raises(InvalidIdError):
        path_segment(dots)


def test_checked_id_accepts_the_shapes_allegro_uses() -> None:
    for real in (THREAD_ID, ISSUE_ID, "m7jbSt9QXleuWqEQpaVSbgTV0qN1PPqXLna3oRhhabC", "12345678901"):
        assert checked_id(real, "conversation") == real


def test_hostile_open_against_the_demo_sends_nothing(clock: FakeClock) -> None:
    demo = DemoAllegro(clock=clock)
    environment = Environment("demo", demo.API_URL, demo.AUTH_URL, None)
    with AllegroClient(environment=environment, tokens=StaticToken(demo.DEMO_TOKEN), transport=demo.transport(),
                       clock=clock, sleeper=clock.sleep, limiter=RateLimiter(clock=clock, sleeper=clock.sleep)) as client:
        login = client.me().login
        demo.reset_counts()
        for hostile in ("../../me", "x?limit=500", "../../../me"):
            with pytest.raises(InvalidIdError):
                client.open_conversation(hostile)
            with pytest.raises(InvalidIdError):
                client.download_attachment(Kind.THREAD, hostile)
        assert demo.request_counts() == {}
        assert login  # the account is there; it just was never asked for through a conversation id


def test_invalid_id_reads_as_not_found_to_the_window() -> None:
    from magazyn_desktop.allegro.errors import NotFoundError

    with pytest.raises(NotFoundError):  # the window then says "Allegro does not know this conversation"
        checked_id("../../me", "conversation")
