"""Connecting an Allegro account: the OAuth device flow, then the account recorded so build_backend finds it.

Qt-free: the window runs start() and wait() in workers, and a test or a shell can run them directly. On success the
client secret and the tokens are in the CredentialStore (the OS keyring, or this object's memory when no usable
keyring exists: then `tokens_persisted` is False and the caller must pass `credentials` on to build_backend and
tell the user the sign-in lasts for this session only), and the accounts row names the environment and client id.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from magazyn_desktop.allegro.auth import OAuthSession
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.allegro.environments import PRODUCTION, SANDBOX, Environment
from magazyn_desktop.allegro.errors import AllegroError
from magazyn_desktop.allegro.models import DeviceAuthorization
from magazyn_desktop.store.repository import Store

log = logging.getLogger(__name__)

_SLEEP_SLICE_SECONDS = 0.1  # how quickly a cancelled wait notices, at most


class SignInSetupError(ValueError):
    """The sign-in details are incomplete (no client id or secret, a custom environment without an address)."""


@dataclass(frozen=True)
class SignInRequest:
    environment: str  # production | sandbox | custom
    client_id: str
    client_secret: str = field(repr=False)
    api_url: str = ""  # custom only
    auth_url: str = ""  # custom only; defaults to api_url

    def resolve(self) -> Environment:
        if not self.client_id.strip() or not self.client_secret.strip():
            raise SignInSetupError("the client id and the client secret are both needed")
        if self.environment == "production":
            return PRODUCTION
        if self.environment == "sandbox":
            return SANDBOX
        if self.environment == "custom":
            api_url = self.api_url.strip().rstrip("/")
            auth_url = self.auth_url.strip().rstrip("/") or api_url
            for url in (api_url, auth_url):
                if not url.startswith(("https://", "http://")):
                    raise SignInSetupError("a custom environment needs http(s) addresses")
            return Environment(name="custom", api_url=api_url, auth_url=auth_url)
        raise SignInSetupError(f"unknown environment {self.environment!r}")


@dataclass(frozen=True)
class SignInResult:
    account_id: int
    environment: str
    login: str | None
    credentials: CredentialStore  # pass to build_backend: it may hold the only copy of the tokens
    tokens_persisted: bool  # False: no usable keyring, the tokens last for this session only


class AccountSetup:
    """One device-flow sign-in at a time: start() hands back the code to show, wait() polls until it ends."""

    def __init__(
        self,
        store: Store,
        credentials: CredentialStore,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleeper: Callable[[float], None] | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._credentials = credentials
        self._transport = transport
        self._clock = clock
        self._sleeper = sleeper  # None: real time, cut short when the wait is cancelled
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._session: OAuthSession | None = None
        self._request: SignInRequest | None = None
        self._environment: Environment | None = None
        self._cancelled: Callable[[], bool] = lambda: False

    @property
    def tokens_persisted(self) -> bool:
        """Whether a successful sign-in survives a restart (a usable OS keyring exists)."""
        return not self._credentials.memory_only

    def start(self, request: SignInRequest) -> DeviceAuthorization:
        """Ask Allegro for a user code. Raises SignInSetupError, SignInError (invalid_client...) or NetworkError."""
        environment = request.resolve()
        session = OAuthSession(
            environment=environment,
            client_id=request.client_id.strip(),
            client_secret=request.client_secret.strip(),
            store=self._credentials,
            transport=self._transport,
            clock=self._clock,
            sleeper=self._sleep,
            wall_clock=self._wall_clock,
        )
        with self._lock:
            previous, self._session = self._session, session
            self._request, self._environment = request, environment
        if previous is not None:
            previous.close()
        try:
            authorization = session.start_device_flow()
        except BaseException:
            self._drop_session(session)
            raise
        log.info("sign-in started (%s)", environment.name)
        return authorization

    def wait(self, authorization: DeviceAuthorization, cancelled: Callable[[], bool] = lambda: False) -> SignInResult:
        """Poll until the user confirms; then store the secret, the tokens and the account.

        Raises SignInError with reason access_denied, expired, cancelled or invalid_client, or NetworkError.
        """
        with self._lock:
            session, request, environment = self._session, self._request, self._environment
        if session is None or request is None or environment is None:
            raise RuntimeError("wait() needs a start() first")
        self._cancelled = cancelled
        try:
            session.poll_device_flow(authorization, cancelled=cancelled)  # stores the tokens itself
            client_id = request.client_id.strip()
            self._credentials.save_secret(client_id, request.client_secret.strip())
            login, user_id = self._who_am_i(session, environment)
            custom = environment.name == "custom"
            account_id = self._store.save_connected_account(
                environment.name, client_id=client_id, login=login, user_id=user_id,
                api_url=environment.api_url if custom else None, auth_url=environment.auth_url if custom else None,
            )
        finally:
            self._drop_session(session)
        if not self.tokens_persisted:
            log.warning("signed in, but no usable keyring: the tokens are kept for this session only")
        log.info("account connected (%s)", environment.name)
        return SignInResult(account_id=account_id, environment=environment.name, login=login,
                            credentials=self._credentials, tokens_persisted=self.tokens_persisted)

    def close(self) -> None:
        with self._lock:
            session, self._session = self._session, None
        if session is not None:
            session.close()

    # -- helpers ----------------------------------------------------------------------------------------------------

    def _who_am_i(self, session: OAuthSession, environment: Environment) -> tuple[str | None, str | None]:
        """The account's login (to tell the seller's own messages apart); the sign-in stands without it."""
        client = AllegroClient(environment=environment, tokens=session, transport=self._transport, clock=self._clock,
                               sleeper=self._sleep, max_retries=1)
        try:
            me = client.me()
            return me.login, me.id
        except AllegroError as exc:
            log.warning("signed in, but the account's login could not be read (%s)", type(exc).__name__)
            return None, None
        finally:
            client.close()

    def _drop_session(self, session: OAuthSession) -> None:
        with self._lock:
            if self._session is session:
                self._session = None
        session.close()

    def _sleep(self, seconds: float) -> None:
        if self._sleeper is not None:
            self._sleeper(seconds)
            return
        # Real time in short slices, so a cancelled sign-in (or closing the window) ends within a moment.
        deadline = time.monotonic() + seconds
        while not self._cancelled():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            time.sleep(min(_SLEEP_SLICE_SECONDS, remaining))
