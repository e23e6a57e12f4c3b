"""Everything that talks to Allegro and writes the cache, put together once: store, client, sync engine, outbox.

The window (in a worker thread) and the `sync --once` command both build it here. Building does no network work, so
it succeeds offline: the cache stays readable and replies can still be queued.

Which account: `--demo` uses the in-process demo backend and its fixed token. Otherwise MAGAZYN_ACCESS_TOKEN (for
automation) or the OAuth tokens of the account stored in the cache, in the environment it was connected to. With
neither, `has_account` is False and the caller offers the first-run screen or the demo.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from magazyn_desktop.allegro.auth import OAuthSession, StaticToken, TokenSource
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.allegro.environments import PRODUCTION, SANDBOX, Environment, custom_from_env
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.kind_registry import StoreKindRegistry
from magazyn_desktop.store.records import AccountInfo
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import SyncEngine
from magazyn_desktop.sync.outbox import Outbox

log = logging.getLogger(__name__)

DEMO_ENVIRONMENT_NAME = "demo"
OUTGOING_FOLDER = "outgoing"  # under the attachments folder: copies of files queued with replies
_LANGUAGE_HEADERS = {"pl": "pl-PL", "en": "en-US"}


@dataclass
class Backend:
    paths: AppPaths
    store: Store
    demo: bool
    has_account: bool
    account_id: int | None = None
    environment: Environment | None = None
    client: AllegroClient | None = None
    sync: SyncEngine | None = None
    outbox: Outbox | None = None
    limiter: RateLimiter | None = None
    kind_registry: StoreKindRegistry | None = None
    tokens: TokenSource | None = None
    credentials: CredentialStore | None = None
    demo_server: Any = None  # the DemoAllegro instance in demo mode (tests and the demo use its mutation API)
    _closed: bool = field(default=False, repr=False)
    _close_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def close(self) -> None:
        """Release the HTTP clients and the database engine; safe to call twice."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        for closer in (
            getattr(self.client, "close", None),
            getattr(self.tokens, "close", None),
            self.store.close,
        ):
            if closer is None:
                continue
            try:
                closer()
            except Exception:
                log.warning("closing part of the backend failed", exc_info=True)


def _settings_environment(paths: AppPaths) -> Environment:
    """The environment chosen in settings (read directly: the settings file is plain JSON)."""
    try:
        raw = json.loads(paths.settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    if not isinstance(raw, dict):
        raw = {}
    name = raw.get("environment")
    if name == "sandbox":
        return SANDBOX
    if name == "custom":
        api_url = str(raw.get("api_url") or "").strip().rstrip("/")
        if api_url:
            auth_url = str(raw.get("auth_url") or "").strip().rstrip("/") or api_url
            return Environment(name="custom", api_url=api_url, auth_url=auth_url)
    return PRODUCTION


def _account_environment(account: AccountInfo) -> Environment | None:
    if account.environment == "sandbox":
        return SANDBOX
    if account.environment == "production":
        return PRODUCTION
    if account.environment == "custom" and account.api_url:
        return Environment(name="custom", api_url=account.api_url, auth_url=account.auth_url or account.api_url)
    return None


def build_backend(paths: AppPaths, *, demo: bool, language: str = "pl",
                  credentials: CredentialStore | None = None) -> Backend:
    """Compose the backend over a database already at head (the launch sequence migrated it).

    `credentials`: the store a sign-in just wrote to. Pass it on: without a usable keyring the tokens live only
    in that object's memory, and a fresh CredentialStore would not find them.
    """
    store = Store.open(paths.database)
    try:
        return _compose(paths, store, demo=demo, language=language, credentials=credentials)
    except BaseException:
        store.close()
        raise


def _compose(paths: AppPaths, store: Store, *, demo: bool, language: str,
             credentials: CredentialStore | None = None) -> Backend:
    accept_language = _LANGUAGE_HEADERS.get(language, "pl-PL")
    limiter = RateLimiter()
    registry = StoreKindRegistry(store)
    transport = None
    demo_server: Any = None
    tokens: TokenSource | None
    login: str | None = None

    if demo:
        from magazyn_desktop.fake_allegro import DemoAllegro, DemoTransport

        demo_server = DemoAllegro.interactive()
        transport = DemoTransport(demo_server)
        environment = Environment(name=DEMO_ENVIRONMENT_NAME, api_url=DemoAllegro.API_URL,
                                  auth_url=DemoAllegro.AUTH_URL)
        tokens = StaticToken(DemoAllegro.DEMO_TOKEN)
        login = demo_server.data.seller_login
        account_id = store.ensure_account(DEMO_ENVIRONMENT_NAME, login)
    else:
        static = StaticToken.from_env()
        stored = store.connected_account(excluding_environment=DEMO_ENVIRONMENT_NAME)
        environment = custom_from_env() or (_account_environment(stored) if stored else None) \
            or _settings_environment(paths)
        if static is not None:
            tokens = static
            account_id = store.ensure_account(environment.name, stored.login if stored else None)
        elif stored is not None and stored.client_id:
            credentials = credentials or CredentialStore()
            secret = credentials.load_secret(stored.client_id)
            session = None
            if secret:
                session = OAuthSession(environment=environment, client_id=stored.client_id, client_secret=secret,
                                       store=credentials)
            if session is None or not session.signed_in:
                if session is not None:
                    session.close()
                log.info("the stored account has no usable sign-in; the user must connect it again")
                return Backend(paths=paths, store=store, demo=False, has_account=False, account_id=stored.id,
                               environment=environment, credentials=credentials, kind_registry=registry)
            tokens = session
            account_id = stored.id
            login = stored.login
        else:
            log.info("no Allegro account is connected")
            return Backend(paths=paths, store=store, demo=False, has_account=False, environment=environment,
                           kind_registry=registry)

    client = AllegroClient(
        environment=environment,
        tokens=tokens,
        transport=transport,
        kind_registry=registry,
        limiter=limiter,
        language=accept_language,
        account_key=f"{environment.name}:{account_id}",
    )
    sync = SyncEngine(client=client, store=store, account_id=account_id)
    outbox = Outbox(store=store, client=client, account_id=account_id,
                    author_login=login or store.account_login(account_id),
                    outgoing_folder=paths.attachments / OUTGOING_FOLDER)
    # Replies left "sending" by a crash are settled (never blindly resent) before anything else is sent.
    outbox.recover_interrupted()
    log.info("backend ready: environment %s%s", environment.name, " (demo)" if demo else "")
    return Backend(
        paths=paths, store=store, demo=demo, has_account=True, account_id=account_id, environment=environment,
        client=client, sync=sync, outbox=outbox, limiter=limiter, kind_registry=registry, tokens=tokens,
        credentials=credentials, demo_server=demo_server,
    )

