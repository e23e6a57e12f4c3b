"""Retries, typed errors, token refresh (single-flight) and the OAuth device flow."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from magazyn_desktop.allegro.auth import OAuthSession, StaticToken
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.allegro.errors import (
    AuthError,
    NetworkError,
    OutcomeUnknownError,
    RateLimitedError,
    ServerError,
    SignInError,
)
from magazyn_desktop.allegro.models import DeviceAuthorization, TokenPair
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.domain.vocabulary import Kind

from .conftest import API, AUTH, ISSUE_ID, TEST_ENVIRONMENT, THREAD_ID, FakeClock, beta_thread, errors_body, issue

CLIENT_ID = "client-id-1"
CLIENT_SECRET = "client-secret-very-private"


class MemoryKeyring:
    """A keyring module stand-in with a usable backend."""

    class Backend:
        pass

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}
        self.backend = MemoryKeyring.Backend()

    def get_keyring(self) -> object:
        return self.backend

    def get_password(self, service: str, key: str) -> str | None:
        return self.values.get((service, key))

    def set_password(self, service: str, key: str, value: str) -> None:
        self.values[(service, key)] = value

    def delete_password(self, service: str, key: str) -> None:
        self.values.pop((service, key), None)


@pytest.fixture
def store() -> CredentialStore:
    return CredentialStore(keyring_module=MemoryKeyring())


@pytest.fixture
def session(clock: FakeClock, store: CredentialStore) -> Iterator[OAuthSession]:
    instance = OAuthSession(environment=TEST_ENVIRONMENT, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, store=store,
                            clock=clock, sleeper=clock.sleep, wall_clock=lambda: 5_000_000.0, account_key="acct")
    yield instance
    instance.close()


def oauth_client(session: OAuthSession, clock: FakeClock) -> AllegroClient:
    return AllegroClient(environment=TEST_ENVIRONMENT, tokens=session, clock=clock, sleeper=clock.sleep,
                         limiter=RateLimiter(clock=clock, sleeper=clock.sleep))


# -- retries ------------------------------------------------------------------------------------------------------


def test_429_then_success(client: AllegroClient, api: respx.MockRouter, clock: FakeClock) -> None:
    route = api.get("/sale/issues").mock(side_effect=[
        httpx.Response(429, json=errors_body("TOO_MANY_REQUESTS")), httpx.Response(200, json={"issues": [issue()]})])
    assert len(client.list_issues().issues) == 1
    assert route.call_count == 2
    assert len(clock.sleeps) == 1 and 1.0 <= clock.sleeps[0] <= 2.0


def test_429_honours_retry_after(client: AllegroClient, api: respx.MockRouter, clock: FakeClock) -> None:
    api.get("/sale/issues").mock(side_effect=[
        httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={"issues": []})])
    client.list_issues()
    assert clock.sleeps == [7.0]


def test_5xx_retries_are_capped_and_back_off(client: AllegroClient, api: respx.MockRouter, clock: FakeClock) -> None:
    route = api.get(f"/sale/issues/{ISSUE_ID}").respond(500, json=errors_body("INTERNAL_SERVER_ERROR", user_message="Błąd"),
                                                        headers={"trace-id": "abc"})
    with pytest.raises(ServerError) as caught:
        client.get_issue(ISSUE_ID)
    assert route.call_count == 5  # one try and max_retries=4 retries
    assert len(clock.sleeps) == 4
    assert all(later >= earlier * 0.9 for earlier, later in zip(clock.sleeps, clock.sleeps[1:]))
    assert (caught.value.user_message, caught.value.trace_id, caught.value.status) == ("Błąd", "abc", 500)
    assert client.request_counts() == {"GET /sale/issues/{id}": 5}


def test_read_timeouts_are_retried_then_reported(client: AllegroClient, api: respx.MockRouter, clock: FakeClock) -> None:
    route = api.get(f"/messaging/threads/{THREAD_ID}").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(NetworkError):
        client.get_thread(THREAD_ID)
    assert route.call_count == 2  # a server silent for a whole read timeout is asked once more only


def test_dropped_connections_are_retried_then_reported(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.get(f"/messaging/threads/{THREAD_ID}").mock(side_effect=httpx.RemoteProtocolError("dropped"))
    with pytest.raises(NetworkError):
        client.get_thread(THREAD_ID)
    assert route.call_count == 5


def test_timeout_on_send_is_outcome_unknown_and_not_resent(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.post(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=httpx.ReadTimeout("no answer"))
    with pytest.raises(OutcomeUnknownError):
        client.send_message(THREAD_ID, Kind.THREAD, "Paczka wysłana")
    assert route.call_count == 1
    issue_route = api.post(f"/sale/issues/{ISSUE_ID}/message").mock(side_effect=httpx.RemoteProtocolError("reset"))
    with pytest.raises(OutcomeUnknownError):
        client.send_message(ISSUE_ID, Kind.ISSUE, "Paczka wysłana")
    assert issue_route.call_count == 1


def test_5xx_on_send_is_outcome_unknown(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.post(f"/messaging/threads/{THREAD_ID}/messages").respond(503)
    with pytest.raises(OutcomeUnknownError):
        client.send_thread_message(THREAD_ID, "x")
    assert route.call_count == 1


def test_429_on_send_is_not_retried(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.post(f"/messaging/threads/{THREAD_ID}/messages").respond(429, json=errors_body("TOO_MANY_REQUESTS"))
    with pytest.raises(RateLimitedError):
        client.send_thread_message(THREAD_ID, "x")
    assert route.call_count == 1


def test_connect_error_before_sending_is_retried_even_for_a_send(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.post(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=[
        httpx.ConnectError("refused"), httpx.Response(201, json={"id": "m", "text": "x", "createdAt": "2026-06-02T10:00:00Z"})])
    assert client.send_thread_message(THREAD_ID, "x").id == "m"
    assert route.call_count == 2


def test_sends_are_spaced_more_than_a_second_apart(client: AllegroClient, api: respx.MockRouter, clock: FakeClock) -> None:
    times: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        times.append(clock())
        return httpx.Response(201, json={"id": "m", "createdAt": "2026-06-02T10:00:00Z"})

    api.post(f"/messaging/threads/{THREAD_ID}/messages").mock(side_effect=answer)
    for _ in range(3):
        client.send_thread_message(THREAD_ID, "x")
    assert all(later - earlier > 1.0 for earlier, later in zip(times, times[1:]))


def test_static_token_401_is_an_auth_error(client: AllegroClient, api: respx.MockRouter) -> None:
    route = api.get("/me").respond(401, json={"error": "invalid_token", "error_description": "Access token expired: secret"})
    with pytest.raises(AuthError) as caught:
        client.me()
    assert caught.value.code == "invalid_token"
    assert "secret" not in str(caught.value)
    assert route.call_count == 1


# -- refresh ------------------------------------------------------------------------------------------------------


def _signed_in(session: OAuthSession, store: CredentialStore, clock: FakeClock, access: str = "old-access") -> None:
    store.save_tokens("acct", TokenPair(access, "refresh-1", 5_000_000.0 + 3600, "s"))  # stored in wall-clock seconds


def test_two_threads_hitting_401_refresh_once(session: OAuthSession, store: CredentialStore, clock: FakeClock) -> None:
    _signed_in(session, store, clock)
    client = oauth_client(session, clock)
    barrier = threading.Barrier(2, timeout=5)
    refreshed_forms: list[dict[str, list[str]]] = []

    def api_answer(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == "Bearer old-access":
            barrier.wait()  # both threads hold the old token before either is told it is dead
            return httpx.Response(401, json={"error": "invalid_token", "error_description": "Access token expired: old-access"})
        return httpx.Response(200, json=beta_thread())

    def token_answer(request: httpx.Request) -> httpx.Response:
        refreshed_forms.append(parse_qs(request.content.decode()))
        return httpx.Response(200, json={"access_token": "new-access", "refresh_token": "refresh-2", "expires_in": 43199})

    results: list[object] = []
    with respx.mock(assert_all_called=True) as router:
        router.get(f"{API}/messaging/threads/{THREAD_ID}").mock(side_effect=api_answer)
        token = router.post(f"{AUTH}/auth/oauth/token").mock(side_effect=token_answer)
        workers = [threading.Thread(target=lambda: results.append(client.get_thread(THREAD_ID))) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=10)
    client.close()
    assert len(results) == 2
    assert token.call_count == 1
    assert refreshed_forms[0] == {"grant_type": ["refresh_token"], "refresh_token": ["refresh-1"]}
    basic = token.calls.last.request.headers["Authorization"]
    assert basic == "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    stored = store.load_tokens("acct")
    assert stored is not None and (stored.access_token, stored.refresh_token) == ("new-access", "refresh-2")


def test_refresh_before_expiry_stores_the_new_pair_first(session: OAuthSession, store: CredentialStore, clock: FakeClock) -> None:
    store.save_tokens("acct", TokenPair("old-access", "refresh-1", 5_000_000.0 + 60, None))  # inside the margin
    saved_before_use: list[str | None] = []
    original_save = store.save_tokens

    def spy(account_key: str, tokens: TokenPair) -> None:
        saved_before_use.append(tokens.refresh_token)
        original_save(account_key, tokens)

    store.save_tokens = spy  # type: ignore[method-assign]
    with respx.mock() as router:
        router.post(f"{AUTH}/auth/oauth/token").respond(
            200, json={"access_token": "new-access", "refresh_token": "refresh-2", "expires_in": 43199})
        assert session.access_token() == "new-access"
        assert session.access_token() == "new-access"  # no second refresh
    assert saved_before_use == ["refresh-2"]
    assert session.refresh_count == 1


def test_invalid_refresh_token_signs_out(session: OAuthSession, store: CredentialStore, clock: FakeClock) -> None:
    _signed_in(session, store, clock)
    with respx.mock() as router:
        router.post(f"{AUTH}/auth/oauth/token").respond(400, json={"error": "invalid_grant", "error_description": "Invalid refresh token"})
        with pytest.raises(AuthError) as caught:
            session.refresh_after_401("old-access")
    assert caught.value.code == "invalid_grant"
    assert store.load_tokens("acct") is None
    with pytest.raises(AuthError):
        session.access_token()


def test_static_token_cannot_refresh() -> None:
    with pytest.raises(AuthError):
        StaticToken("t").refresh_after_401("t")
    assert "t" not in repr(StaticToken("tok-secret")).replace("StaticToken", "")


def test_static_token_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAGAZYN_ACCESS_TOKEN", "env-token")
    source = StaticToken.from_env()
    assert source is not None and source.access_token() == "env-token"
    monkeypatch.delenv("MAGAZYN_ACCESS_TOKEN")
    assert StaticToken.from_env() is None


# -- device flow --------------------------------------------------------------------------------------------------

DEVICE_ANSWER = {"device_code": "dev-code-1", "user_code": "ABCD1234", "expires_in": 3600, "interval": 5,
                 "verification_uri": "https://auth.test.example/skojarz-aplikacje",
                 "verification_uri_complete": "https://auth.test.example/skojarz-aplikacje?code=ABCD1234"}


def test_device_flow_pending_slow_down_then_tokens(session: OAuthSession, store: CredentialStore, clock: FakeClock) -> None:
    with respx.mock() as router:
        device = router.post(f"{AUTH}/auth/oauth/device").respond(200, json=DEVICE_ANSWER)
        router.post(f"{AUTH}/auth/oauth/token").mock(side_effect=[
            httpx.Response(400, json={"error": "authorization_pending", "error_description": "User has not authorized the device code yet."}),
            httpx.Response(400, json={"error": "slow_down"}),
            httpx.Response(400, json={"error": "authorization_pending"}),
            httpx.Response(200, json={"access_token": "a1", "refresh_token": "r1", "expires_in": 43199, "scope": "s"}),
        ])
        authorization = session.start_device_flow()
        tokens = session.poll_device_flow(authorization)
    form = parse_qs(device.calls.last.request.content.decode())
    assert form["client_id"] == [CLIENT_ID] and "allegro:api:messaging" in form["scope"][0]
    assert authorization.user_code == "ABCD1234"
    assert clock.sleeps == [5, 5, 10, 10]
    assert tokens.access_token == "a1"
    assert session.access_token() == "a1"
    assert store.load_tokens("acct") is not None


@pytest.mark.parametrize(("answer", "reason"), [
    ({"error": "access_denied"}, "access_denied"),
    ({"error": "invalid_request", "error_description": "Invalid device code"}, "expired"),
])
def test_device_flow_ends(session: OAuthSession, answer: dict[str, str], reason: str) -> None:
    authorization = DeviceAuthorization("dev", "U", "https://x", None, 3600, 5)
    with respx.mock() as router:
        router.post(f"{AUTH}/auth/oauth/token").respond(400, json=answer)
        with pytest.raises(SignInError) as caught:
            session.poll_device_flow(authorization)
    assert caught.value.reason == reason


def test_device_flow_expires_by_the_clock(session: OAuthSession, clock: FakeClock) -> None:
    authorization = DeviceAuthorization("dev", "U", "https://x", None, 12, 5)
    with respx.mock() as router:
        route = router.post(f"{AUTH}/auth/oauth/token").respond(400, json={"error": "authorization_pending"})
        with pytest.raises(SignInError) as caught:
            session.poll_device_flow(authorization)
    assert caught.value.reason == "expired" and route.call_count == 2


def test_device_flow_can_be_cancelled(session: OAuthSession) -> None:
    authorization = DeviceAuthorization("dev", "U", "https://x", None, 3600, 5)
    with pytest.raises(SignInError) as caught:
        session.poll_device_flow(authorization, cancelled=lambda: True)
    assert caught.value.reason == "cancelled"


def test_device_flow_with_wrong_client_credentials(session: OAuthSession) -> None:
    with respx.mock() as router:
        router.post(f"{AUTH}/auth/oauth/device").respond(401, json={"error": "Unauthorized", "error_description": "Unauthorized"})
        with pytest.raises(SignInError) as caught:
            session.start_device_flow()
    assert caught.value.reason == "invalid_client"
