"""Connecting an account through the device flow of the demo backend, and what build_backend finds afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx

from magazyn_desktop.app.account_setup import AccountSetup, SignInRequest, SignInSetupError
from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.fake_allegro import DemoAllegro
from magazyn_desktop.allegro.errors import NetworkError, SignInError
from magazyn_desktop.app.backend import build_backend
from magazyn_desktop.app.backend_types import ConnectedBackend, NoAccount
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.repository import Store

from .fakes import FakeTime

REQUEST = SignInRequest(environment="custom", client_id="demo-client", client_secret="demo-secret",
                        api_url=DemoAllegro.API_URL, auth_url=DemoAllegro.AUTH_URL)


class UsableKeyring:
    """A keyring module whose backend counts as usable; values kept in a dict (never the real keyring)."""

    class Backend:
        pass

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def get_keyring(self) -> object:
        return self.Backend()

    def get_password(self, service: str, key: str) -> str | None:
        return self.values.get((service, key))

    def set_password(self, service: str, key: str, value: str) -> None:
        self.values[(service, key)] = value

    def delete_password(self, service: str, key: str) -> None:
        self.values.pop((service, key), None)


@pytest.fixture
def demo(fake_time: FakeTime) -> DemoAllegro:
    return DemoAllegro(clock=fake_time.clock)


@pytest.fixture
def credentials() -> CredentialStore:
    return CredentialStore()  # the suite pins keyring's fail backend: memory only


@pytest.fixture
def setup(store: Store, credentials: CredentialStore, demo: DemoAllegro, fake_time: FakeTime) -> Iterator[AccountSetup]:
    instance = AccountSetup(store, credentials, transport=demo.transport(), clock=fake_time.clock,
                            sleeper=fake_time.sleep)
    yield instance
    instance.close()


def test_an_approved_sign_in_connects_the_account(
    setup: AccountSetup, demo: DemoAllegro, store: Store, credentials: CredentialStore, paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    authorization = setup.start(REQUEST)
    assert authorization.user_code and authorization.verification_uri_complete.endswith(authorization.user_code)
    assert demo.approve_device(authorization.user_code)
    result = setup.wait(authorization)
    assert result.login == demo.data.seller_login and result.environment == "custom"
    assert result.tokens_persisted is False and result.credentials is credentials
    account = store.connected_account()
    assert account is not None and account.id == result.account_id
    assert (account.environment, account.client_id, account.login) == ("custom", "demo-client", demo.data.seller_login)
    assert (account.api_url, account.auth_url) == (DemoAllegro.API_URL, DemoAllegro.AUTH_URL)
    assert credentials.load_secret("demo-client") == "demo-secret"
    assert credentials.load_tokens("custom:demo-client") is not None

    monkeypatch.delenv("MAGAZYN_ACCESS_TOKEN", raising=False)
    backend = build_backend(paths, demo=False, credentials=result.credentials)
    try:
        assert isinstance(backend, ConnectedBackend) and backend.account_id == result.account_id
        assert backend.environment.api_url == DemoAllegro.API_URL
    finally:
        backend.close()
    # Without a usable keyring a fresh credential store knows nothing: the session-only case the UI warns about.
    again = build_backend(paths, demo=False, credentials=CredentialStore())
    try:
        assert isinstance(again, NoAccount)
    finally:
        again.close()


def test_the_demo_approves_by_itself_after_a_few_polls(
    store: Store, credentials: CredentialStore, fake_time: FakeTime
) -> None:
    demo = DemoAllegro(clock=fake_time.clock, auto_approve_after=3)
    setup = AccountSetup(store, credentials, transport=demo.transport(), clock=fake_time.clock, sleeper=fake_time.sleep)
    try:
        result = setup.wait(setup.start(REQUEST))
    finally:
        setup.close()
    assert result.login == demo.data.seller_login
    assert fake_time.sleeps[:3] == [5, 5, 5]  # at the interval Allegro gave


def test_a_usable_keyring_keeps_the_sign_in(store: Store, demo: DemoAllegro, fake_time: FakeTime) -> None:
    keyring = UsableKeyring()
    setup = AccountSetup(store, CredentialStore(keyring_module=keyring), transport=demo.transport(),
                         clock=fake_time.clock, sleeper=fake_time.sleep)
    try:
        authorization = setup.start(REQUEST)
        demo.approve_device(authorization.user_code)
        assert setup.wait(authorization).tokens_persisted is True
    finally:
        setup.close()
    assert keyring.values[("magazyn-desktop", "client-secret:demo-client")] == "demo-secret"
    assert CredentialStore(keyring_module=keyring).load_tokens("custom:demo-client") is not None


def test_a_denied_sign_in_connects_nothing(
    setup: AccountSetup, demo: DemoAllegro, store: Store, credentials: CredentialStore
) -> None:
    authorization = setup.start(REQUEST)
    demo.deny_device(authorization.user_code)
    with pytest.raises(SignInError) as caught:
        setup.wait(authorization)
    assert caught.value.reason == "access_denied"
    assert store.connected_account() is None and credentials.load_secret("demo-client") is None


def test_a_cancelled_sign_in_stops_polling(
    setup: AccountSetup, demo: DemoAllegro, store: Store, fake_time: FakeTime
) -> None:
    authorization = setup.start(REQUEST)
    with pytest.raises(SignInError) as caught:
        setup.wait(authorization, cancelled=lambda: len(fake_time.sleeps) >= 2)
    assert caught.value.reason == "cancelled"
    assert demo.request_counts().get("POST /auth/oauth/token", 0) <= 2
    assert store.connected_account() is None


def test_a_code_nobody_confirms_expires(setup: AccountSetup, store: Store) -> None:
    with pytest.raises(SignInError) as caught:
        setup.wait(setup.start(REQUEST))
    assert caught.value.reason == "expired"
    assert store.connected_account() is None


def test_wrong_client_credentials_and_no_network(store: Store, credentials: CredentialStore) -> None:
    with respx.mock(base_url=DemoAllegro.AUTH_URL) as router:
        router.post("/auth/oauth/device").mock(
            return_value=httpx.Response(401, json={"error": "Unauthorized", "error_description": "Unauthorized"}))
        setup = AccountSetup(store, credentials)
        with pytest.raises(SignInError) as caught:
            setup.start(REQUEST)
        assert caught.value.reason == "invalid_client"
        router.post("/auth/oauth/device").mock(side_effect=httpx.ConnectError("no route"))
        with pytest.raises(NetworkError):
            setup.start(REQUEST)
        setup.close()


@pytest.mark.parametrize("request_", [
    SignInRequest(environment="production", client_id="", client_secret="s"),
    SignInRequest(environment="sandbox", client_id="c", client_secret=" "),
    SignInRequest(environment="custom", client_id="c", client_secret="s", api_url="localhost:8080"),
])
def test_incomplete_details_are_refused_before_any_request(
    store: Store, credentials: CredentialStore, request_: SignInRequest
) -> None:
    setup = AccountSetup(store, credentials)
    with pytest.raises(SignInSetupError):
        setup.start(request_)
    setup.close()


def test_the_secret_never_shows_in_a_repr() -> None:
    assert "demo-secret" not in repr(REQUEST)
