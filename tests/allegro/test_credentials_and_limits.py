"""The keyring wrapper, the rate limiter, environments, and a scan of the logs for secrets."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import httpx
import keyring.backends.fail
import keyring.backends.null
import pytest
import respx

from magazyn_desktop.allegro.auth import OAuthSession
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.allegro.environments import PRODUCTION, SANDBOX, custom_from_env
from magazyn_desktop.allegro.models import TokenPair
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.domain.vocabulary import Kind

from .conftest import API, AUTH, TEST_ENVIRONMENT, THREAD_ID, FakeClock, beta_message, beta_thread

PAIR = TokenPair("access-abc", "refresh-def", 123.0, "scope")


class KeyringModule:
    def __init__(self, backend: object, *, raises: bool = False) -> None:
        self.backend = backend
        self.raises = raises
        self.values: dict[tuple[str, str], str] = {}

    def get_keyring(self) -> object:
        return self.backend

    def _maybe_fail(self) -> None:
        if self.raises:
            raise RuntimeError("keyring daemon is locked")

    def get_password(self, service: str, key: str) -> str | None:
        self._maybe_fail()
        return self.values.get((service, key))

    def set_password(self, service: str, key: str, value: str) -> None:
        self._maybe_fail()
        self.values[(service, key)] = value

    def delete_password(self, service: str, key: str) -> None:
        self._maybe_fail()
        self.values.pop((service, key), None)


class PlaintextKeyring:  # what keyrings.alt's plaintext backend looks like by name
    pass


class SecretServiceLike:
    pass


def test_default_store_with_the_fail_backend_is_memory_only() -> None:
    store = CredentialStore()  # the test suite pins keyring.backends.fail.Keyring
    assert store.usable is False and store.memory_only is True
    store.save_tokens("a", PAIR)
    assert store.load_tokens("a") == PAIR
    store.forget("a")
    assert store.load_tokens("a") is None
    assert store.backend_name == "keyring.backends.fail.Keyring"


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring(), PlaintextKeyring()])
def test_unusable_backends_keep_values_in_memory(backend: object) -> None:
    module = KeyringModule(backend)
    store = CredentialStore(keyring_module=module)
    assert store.memory_only
    store.save_secret("client", "s3cret")
    assert store.load_secret("client") == "s3cret"
    assert module.values == {}  # nothing reached the backend


def test_a_raising_backend_is_caught() -> None:
    module = KeyringModule(SecretServiceLike(), raises=True)
    store = CredentialStore(keyring_module=module)
    assert store.usable
    store.save_tokens("a", PAIR)  # does not raise
    assert store.load_tokens("a") == PAIR  # the session keeps its copy
    store.forget("a")
    assert CredentialStore(keyring_module=module).load_tokens("a") is None


def test_a_module_whose_get_keyring_raises() -> None:
    class Broken:
        def get_keyring(self) -> object:
            raise RuntimeError("no D-Bus")

    store = CredentialStore(keyring_module=Broken())
    assert store.memory_only
    store.save_secret("c", "s")
    assert store.load_secret("c") == "s"


def test_a_usable_backend_persists_across_instances() -> None:
    module = KeyringModule(SecretServiceLike())
    CredentialStore(keyring_module=module).save_tokens("acct", PAIR)
    again = CredentialStore(keyring_module=module)
    assert again.load_tokens("acct") == PAIR
    assert again.backend_name is not None and "SecretServiceLike" in again.backend_name


def test_unreadable_stored_tokens_are_ignored() -> None:
    module = KeyringModule(SecretServiceLike())
    module.values[("magazyn-desktop", "tokens:acct")] = "{not json"
    assert CredentialStore(keyring_module=module).load_tokens("acct") is None


# -- rate limiter -------------------------------------------------------------------------------------------------


def test_request_budget_spreads_requests(clock: FakeClock) -> None:
    limiter = RateLimiter(requests_per_minute=120, clock=clock, sleeper=clock.sleep)  # 2 per second, burst of 2
    for _ in range(6):
        limiter.acquire()
    assert clock.now == pytest.approx(1002.0)


def test_sends_are_per_account(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock, sleeper=clock.sleep)
    limiter.acquire_send("a")
    limiter.acquire_send("b")
    assert clock.sleeps == []
    limiter.acquire_send("a")
    assert clock.sleeps and clock.sleeps[0] > 1.0


def test_limiter_is_thread_safe() -> None:
    lock = threading.Lock()
    now = [0.0]

    def fake_clock() -> float:
        with lock:
            return now[0]

    def fake_sleep(seconds: float) -> None:
        with lock:
            now[0] += seconds

    limiter = RateLimiter(sends_per_second=1.0, clock=fake_clock, sleeper=fake_sleep)
    workers = [threading.Thread(target=limiter.acquire_send, args=("acct",)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=5)
    assert limiter._next_send_at["acct"] == pytest.approx(4 * 1.05)


# -- environments -------------------------------------------------------------------------------------------------


def test_environments() -> None:
    assert PRODUCTION.auth_endpoint("token") == "https://allegro.pl/auth/oauth/token"
    assert SANDBOX.api_url == "https://api.allegro.pl.allegrosandbox.pl"
    assert custom_from_env({}) is None
    custom = custom_from_env({"MAGAZYN_API_URL": "http://127.0.0.1:8080/", "MAGAZYN_AUTH_URL": "http://127.0.0.1:8081"})
    assert custom is not None and custom.name == "custom"
    assert custom.api_endpoint("/me") == "http://127.0.0.1:8080/me"
    assert custom.auth_endpoint("device") == "http://127.0.0.1:8081/auth/oauth/device"
    only_api = custom_from_env({"MAGAZYN_API_URL": "http://h:1"})
    assert only_api is not None and only_api.auth_url == "http://h:1"


# -- no secrets in logs -------------------------------------------------------------------------------------------

SECRETS = ("old-access-tok", "refresh-tok-1", "new-access-tok", "refresh-tok-2", "client-secret-xyz", "Tajna treść wiadomości")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog


def test_logs_never_show_tokens_secrets_or_message_text(debug_logs: pytest.LogCaptureFixture, clock: FakeClock) -> None:
    store = CredentialStore(keyring_module=KeyringModule(SecretServiceLike()))
    store.save_secret("cid", "client-secret-xyz")
    store.save_tokens("acct", TokenPair("old-access-tok", "refresh-tok-1", 0.0, None))  # long expired: refresh first
    session = OAuthSession(environment=TEST_ENVIRONMENT, client_id="cid", client_secret="client-secret-xyz", store=store,
                           clock=clock, sleeper=clock.sleep, wall_clock=lambda: 1_000_000.0, account_key="acct")
    client = AllegroClient(environment=TEST_ENVIRONMENT, tokens=session, clock=clock, sleeper=clock.sleep,
                           limiter=RateLimiter(clock=clock, sleeper=clock.sleep))
    with respx.mock() as router:
        router.post(f"{AUTH}/auth/oauth/token").mock(side_effect=[
            httpx.Response(200, json={"access_token": "new-access-tok", "refresh_token": "refresh-tok-2", "expires_in": 43199}),
        ])
        router.get(f"{API}/messaging/threads/{THREAD_ID}").respond(200, json=beta_thread())
        router.get(f"{API}/messaging/threads/{THREAD_ID}/messages").respond(
            200, json={"messages": [beta_message("m", text="Tajna treść wiadomości")], "nextPage": None})
        router.post(f"{API}/messaging/threads/{THREAD_ID}/messages").mock(side_effect=httpx.ReadTimeout("x"))
        client.open_conversation(THREAD_ID)
        with pytest.raises(Exception):
            client.send_message(THREAD_ID, Kind.THREAD, "Tajna treść wiadomości")
        router.get(f"{API}/me").respond(401, json={"error": "invalid_token", "error_description": "Access token expired: new-access-tok"})
        router.post(f"{AUTH}/auth/oauth/token").respond(400, json={"error": "invalid_grant"})
        with pytest.raises(Exception) as caught:
            client.me()
    client.close()
    session.close()
    text = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in debug_logs.records) + str(caught.value)
    assert debug_logs.records, "expected some log output to scan"
    leaked = [secret for secret in SECRETS if secret in text]
    assert leaked == []
    assert "TokenPair(" not in text or "access" not in text.split("TokenPair(")[1][:20]


def test_a_restart_takes_up_the_send_pacing(clock: FakeClock) -> None:
    limiter = RateLimiter(sends_per_second=1.0, clock=clock, sleeper=clock.sleep)
    limiter.resume_sends("a", seconds_since_last_send=0.3)  # the last process sent 0.3 s ago
    assert limiter.send_wait("a") == pytest.approx(0.75)
    assert limiter.send_wait("b") == 0.0
    started = clock.now
    limiter.acquire_send("a")
    assert clock.now - started == pytest.approx(0.75)
    limiter.resume_sends("b", seconds_since_last_send=30.0)  # long ago: no wait
    assert limiter.send_wait("b") == 0.0
