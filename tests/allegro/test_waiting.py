"""What the transport waits for and what it gives up on: Retry-After, silent servers, deadlines; and what it records
of an answer: the server's clock, and errors without the tokens Allegro may quote back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest
import respx

from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.deadline import run_deadline
from magazyn_desktop.allegro.errors import DeadlineExceededError, ForbiddenError, NetworkError, RateLimitedError, ServerError
from magazyn_desktop.allegro.transport import MAX_RETRY_AFTER_SECONDS

from .conftest import ACCESS_TOKEN, ISSUE_ID, THREAD_ID, FakeClock, errors_body, issue

SERVER_DATE = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX25hbWUiOiIxMjM0NTY3OCJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"


def test_a_long_retry_after_ends_the_request_at_once(client: AllegroClient, api: respx.MockRouter,
                                                       clock: FakeClock) -> None:
    route = api.get("/sale/issues").respond(429, headers={"Retry-After": "120"}, json=errors_body("TOO_MANY_REQUESTS"))
    with pytest.raises(RateLimitedError) as caught:
        client.list_issues()
    assert caught.value.retry_after == 120.0
    assert route.call_count == 1 and clock.sleeps == []


def test_retry_after_as_a_date_counts_from_the_servers_clock(client: AllegroClient, api: respx.MockRouter,
                                                               clock: FakeClock) -> None:
    later = format_datetime(SERVER_DATE + timedelta(seconds=300), usegmt=True)
    api.get("/sale/issues").respond(429, headers={"Retry-After": later, "Date": format_datetime(SERVER_DATE, usegmt=True)})
    with pytest.raises(RateLimitedError) as caught:
        client.list_issues()
    assert caught.value.retry_after == 300.0 and clock.sleeps == []


def test_a_silent_server_is_asked_twice_at_most(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.get(f"/messaging/threads/{THREAD_ID}").mock(side_effect=httpx.ReadTimeout("no answer"))
    with pytest.raises(NetworkError):
        client.get_thread(THREAD_ID)
    assert route.call_count == 2


def test_retries_stop_at_the_deadline(client: AllegroClient, api: respx.MockRouter, clock: FakeClock) -> None:
    route = api.get(f"/sale/issues/{ISSUE_ID}").respond(503, json=errors_body("SERVICE_UNAVAILABLE"))
    with run_deadline(1.2, clock), pytest.raises(ServerError):
        client.get_issue(ISSUE_ID)
    assert sum(clock.sleeps) < 1.2 and route.call_count < 5


def test_no_request_starts_after_the_deadline(client: AllegroClient, api: respx.MockRouter, clock: FakeClock) -> None:
    route = api.get(f"/sale/issues/{ISSUE_ID}").respond(200, json=issue())
    with run_deadline(5, clock), pytest.raises(DeadlineExceededError):
        clock.now += 6
        client.get_issue(ISSUE_ID)
    assert route.call_count == 0


def test_the_deadline_shortens_the_wait_for_an_answer(client: AllegroClient, api: respx.MockRouter,
                                                        clock: FakeClock) -> None:
    seen: list[dict[str, float]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json=issue())

    api.get(f"/sale/issues/{ISSUE_ID}").mock(side_effect=answer)
    with run_deadline(4, clock):
        client.get_issue(ISSUE_ID)
    client.get_issue(ISSUE_ID)
    assert seen[0]["read"] == pytest.approx(4) and seen[0]["connect"] == pytest.approx(4)
    assert seen[1]["read"] == 30.0  # outside any deadline, the usual timeouts


def test_the_servers_clock_is_recorded(client: AllegroClient, api: respx.MockRouter, clock: FakeClock) -> None:
    assert client.server_now() is None
    api.get(f"/sale/issues/{ISSUE_ID}").respond(200, json=issue(),
                                                headers={"Date": format_datetime(SERVER_DATE, usegmt=True)})
    client.get_issue(ISSUE_ID)
    clock.now += 90
    assert client.server_now() == SERVER_DATE + timedelta(seconds=90)


def test_a_token_quoted_back_by_allegro_is_redacted(client: AllegroClient, api: respx.MockRouter) -> None:
    body = errors_body("ACCESS_DENIED", message=f"Access token {ACCESS_TOKEN} has no scope; jwt {JWT}",
                       user_message=f"Brak dostępu dla Bearer {ACCESS_TOKEN}")
    api.get(f"/sale/issues/{ISSUE_ID}").respond(403, json=body)
    with pytest.raises(ForbiddenError) as caught:
        client.get_issue(ISSUE_ID)
    shown = f"{caught.value} {caught.value.message} {caught.value.user_message}"
    assert ACCESS_TOKEN not in shown and JWT not in shown and "[redacted]" in shown
    assert "has no scope" in shown  # the rest of Allegro's sentence stays


def test_deeply_nested_json_is_a_protocol_error(client: AllegroClient, api: respx.MockRouter) -> None:
    from magazyn_desktop.allegro.errors import ProtocolError

    nested = b"[" * 100_000 + b"]" * 100_000
    api.get(f"/sale/issues/{ISSUE_ID}").respond(200, content=nested, headers={"Content-Type": "application/json"})
    with pytest.raises(ProtocolError):
        client.get_issue(ISSUE_ID)


def test_a_deeply_nested_error_body_is_still_a_typed_error(client: AllegroClient, api: respx.MockRouter) -> None:
    nested = b'{"errors":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    api.get(f"/sale/issues/{ISSUE_ID}").respond(403, content=nested, headers={"Content-Type": "application/json"})
    with pytest.raises(ForbiddenError):
        client.get_issue(ISSUE_ID)


@pytest.mark.parametrize("header", ["inf", "1e12", "nan", "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_an_unbounded_retry_after_is_capped(client: AllegroClient, api: respx.MockRouter, header: str) -> None:
    api.get("/sale/issues").respond(429, headers={"Retry-After": header}, json=errors_body("TOO_MANY_REQUESTS"))
    with pytest.raises(RateLimitedError) as caught:
        client.list_issues()
    wait = caught.value.retry_after
    assert wait is not None and 0 <= wait <= MAX_RETRY_AFTER_SECONDS


@pytest.mark.parametrize("header", ["Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 1990 00:00:00 GMT"])
def test_a_date_header_no_clock_can_show_is_not_taken_as_the_servers_clock(
    client: AllegroClient, api: respx.MockRouter, header: str
) -> None:
    api.get(f"/sale/issues/{ISSUE_ID}").respond(200, json=issue(), headers={"Date": header})
    client.get_issue(ISSUE_ID)
    assert client.server_now() is None
