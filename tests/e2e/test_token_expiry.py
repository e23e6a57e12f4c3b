"""The access token expires in the middle of a sync: exactly one refresh, and nothing the sync was reading is lost.

A process started with MAGAZYN_ACCESS_TOKEN cannot refresh, so this runs in-process, with the pieces the app builds
for a signed-in account: the real AllegroClient over real sockets, an OAuthSession whose tokens live in a
CredentialStore (memory only here: the tests pin keyring's fail backend), the Store and the SyncEngine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from magazyn_desktop.allegro.auth import OAuthSession
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.allegro.environments import Environment
from magazyn_desktop.allegro.models import TokenPair
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.kind_registry import StoreKindRegistry
from magazyn_desktop.store.migrate import upgrade_to_head
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.engine import SyncEngine
from tests.e2e.conftest import Call, StandIn, as_sets, read_cache

pytestmark = pytest.mark.slow

CLIENT_ID = "magazyn-e2e-client"
TOKEN_ENDPOINT = "POST /auth/oauth/token"


@dataclass
class SignedIn:
    paths: AppPaths
    store: Store
    account_id: int
    credentials: CredentialStore
    session: OAuthSession
    client: AllegroClient
    engine: SyncEngine


@pytest.fixture
def signed_in(stand_in: StandIn, tmp_path: Path) -> Iterator[SignedIn]:
    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    store = Store.open(paths.database)
    environment = Environment(name="custom", api_url=stand_in.url, auth_url=stand_in.url)
    account_id = store.save_connected_account("custom", client_id=CLIENT_ID, login=stand_in.demo.data.seller_login,
                                              api_url=stand_in.url, auth_url=stand_in.url)
    credentials = CredentialStore()
    assert credentials.memory_only  # nothing of this test reaches a real keyring
    account_key = f"custom:{account_id}"
    granted = stand_in.demo.issue_tokens()
    credentials.save_tokens(account_key, TokenPair(str(granted["access_token"]), str(granted["refresh_token"]),
                                                   time.time() + float(granted["expires_in"]), str(granted["scope"])))
    session = OAuthSession(environment=environment, client_id=CLIENT_ID, client_secret="e2e-secret",
                           store=credentials, account_key=account_key)
    client = AllegroClient(environment=environment, tokens=session, kind_registry=StoreKindRegistry(store),
                           account_key=account_key)
    engine = SyncEngine(client=client, store=store, account_id=account_id)
    try:
        yield SignedIn(paths, store, account_id, credentials, session, client, engine)
    finally:
        client.close()
        session.close()
        store.close()


@pytest.mark.parametrize("expire_at", ["second thread page", "thirtieth message fetch"])
def test_token_expires_mid_sync(stand_in: StandIn, signed_in: SignedIn, expire_at: str) -> None:
    demo = stand_in.demo
    seen = {"pages": 0, "fetches": 0}
    expired: list[int] = []

    def due(call: Call) -> bool:
        if call.method == "GET" and call.path == "/messaging/threads":
            seen["pages"] += 1
            return expire_at == "second thread page" and seen["pages"] == 2
        if call.is_message_fetch:
            seen["fetches"] += 1
            return expire_at == "thirtieth message fetch" and seen["fetches"] == 30
        return False

    def expire(call: Call) -> None:
        demo.expire_tokens()  # this request and every one after it with the old token answers 401 invalid_token
        expired.append(call.number)

    stand_in.hooks.add(due, expire)
    old_access = signed_in.session.access_token()

    report = signed_in.engine.run_once()

    assert expired, "the sync never reached the request where the token was to expire"
    assert report.errors == [] and not report.needs_sign_in and not report.offline
    counts = demo.request_counts()
    assert counts.get(TOKEN_ENDPOINT) == 1, counts
    assert signed_in.session.refresh_count == 1
    # The rotated pair was stored before it was used, and it is the one in use now.
    stored = signed_in.credentials.load_tokens(signed_in.session.account_key)
    assert stored is not None and stored.access_token != old_access
    assert signed_in.session.access_token() == stored.access_token
    # No page lost: every conversation is stored whole, exactly as the server has it.
    server = stand_in.conversations()
    assert report.conversations_added == len(server)
    assert as_sets(read_cache(signed_in.paths.database).synced_conversations()) == as_sets(server)
    # A rejected request was repeated once with the new token, no more: at most one per request in flight, the
    # four fetch workers' and the listing's, which goes on beside them.
    threads, issues = stand_in.thread_ids(), stand_in.issue_ids()
    fetches = counts.get("GET /messaging/threads/{id}/messages", 0) + counts.get("GET /sale/issues/{id}/chat", 0)
    pages = counts.get("GET /messaging/threads", 0)
    repeated = (fetches - len(threads) - len(issues)) + (pages - -(-len(threads) // 20))
    assert 1 <= repeated <= 4 + 1, counts
