"""Everything that talks to Allegro and writes the cache, put together once: store, client, sync engine, outbox.

The window (in a worker thread) and the `sync --once` command both build it here. Building does no network work, so
it succeeds offline: the cache stays readable and replies can still be queued.

Which account: `--demo` uses the in-process demo backend and its fixed token. Otherwise MAGAZYN_ACCESS_TOKEN (for
automation) or the OAuth tokens of the account stored in the cache, in the environment it was connected to. With
neither, the result is `NoAccount` and the caller offers the first-run screen or the demo.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from magazyn_desktop.allegro.auth import OAuthSession, StaticToken, TokenSource
from magazyn_desktop.allegro.client import AllegroClient
from magazyn_desktop.allegro.credentials import CredentialStore
from magazyn_desktop.allegro.environments import PRODUCTION, SANDBOX, Environment, custom_from_env
from magazyn_desktop.allegro.ratelimit import RateLimiter
from magazyn_desktop.app.backend_types import Backend, ConnectedBackend, NoAccount, SignInNeed
from magazyn_desktop.app.settings import Settings, chosen_environment, load_settings
from magazyn_desktop.app.store_location import StoreLocation
from magazyn_desktop.app.bench_person import person_name
from magazyn_desktop.app.team_leadership import LeadershipKeeper, holder_name
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.kind_registry import StoreKindRegistry
from magazyn_desktop.store.records import AccountInfo
from magazyn_desktop.store.repository import Store
from magazyn_desktop.sync.claim_decisions import ClaimDecisions
from magazyn_desktop.sync.engine import SyncEngine
from magazyn_desktop.sync.leading import CurrentFence, LeadCheck, always_leads
from magazyn_desktop.sync.order_prefetch import OrderPrefetch
from magazyn_desktop.sync.outbox import Outbox

if TYPE_CHECKING:
    from magazyn_desktop.fake_allegro import DemoAllegro

log = logging.getLogger(__name__)

DEMO_ENVIRONMENT_NAME = "demo"
_LANGUAGE_HEADERS = {"pl": "pl-PL", "en": "en-US"}
# A headless sync asks who leads before its round: the link connects (5 s at most) and polls at once.
FIRST_LEADERSHIP_POLL_SECONDS = 10.0




def _resume_send_pacing(limiter: RateLimiter, account_key: str, store: Store, account_id: int) -> None:
    last_send_at = store.sync_schedule(account_id).last_send_at
    if last_send_at is not None:
        limiter.resume_sends(account_key, (datetime.now(timezone.utc) - last_send_at).total_seconds())


def _sync_engine(client: AllegroClient, store: Store, account_id: int, settings: Settings,
                 leads: LeadCheck, fence: CurrentFence | None) -> SyncEngine:
    return SyncEngine(
        client=client, store=store, account_id=account_id, leads=leads, fence=fence,
        overlap=timedelta(minutes=settings.sync_overlap_minutes),
        deep_pass_interval=settings.deep_pass_interval_minutes * 60.0,
        deep_pass_lookback=timedelta(hours=settings.deep_pass_lookback_hours),
    )


def _account_environment(account: AccountInfo) -> Environment | None:
    if account.environment == "sandbox":
        return SANDBOX
    if account.environment == "production":
        return PRODUCTION
    if account.environment == "custom" and account.api_url:
        return Environment(name="custom", api_url=account.api_url, auth_url=account.auth_url or account.api_url)
    return None


def build_backend(paths: AppPaths, *, demo: bool, language: str = "pl",
                  credentials: CredentialStore | None = None, fake_allegro: DemoAllegro | None = None,
                  location: StoreLocation | None = None) -> Backend:
    """Compose the backend over a database already at head (the launch sequence migrated it).

    `credentials`: the store a sign-in just wrote to. Pass it on: without a usable keyring the tokens live only
    in that object's memory, and a fresh CredentialStore would not find them.
    `fake_allegro`: with `demo`, the in-process Allegro to talk to (tests and benchmarks set one up); by default
    the interactive demo.
    `location`: where the store is (a team's PostgreSQL store); by default the bench's own file.
    """
    store = location.open_store() if location is not None else Store.open(paths.database)
    try:
        return _compose(paths, store, demo=demo, language=language, credentials=credentials, fake=fake_allegro,
                        location=location)
    except BaseException:
        store.close()
        raise


def _compose(paths: AppPaths, store: Store, *, demo: bool, language: str, credentials: CredentialStore | None,
             location: StoreLocation | None,
             fake: DemoAllegro | None) -> Backend:
    accept_language = _LANGUAGE_HEADERS.get(language, "pl-PL")
    limiter = RateLimiter()
    transport = None
    tokens: TokenSource
    login: str | None = None

    if demo:
        from magazyn_desktop.fake_allegro import DemoAllegro, DemoTransport
        from magazyn_desktop.fake_allegro.texts import SELLER_LOGIN

        account_id = store.ensure_account(DEMO_ENVIRONMENT_NAME, fake.data.seller_login if fake else SELLER_LOGIN)
        # The demo's conversations end when this folder first ran it, so its cache and the demo agree on every
        # launch; the demo's clock tells the present.
        fake = fake or DemoAllegro.interactive(started_at=store.account_created_at(account_id))
        transport = DemoTransport(fake)
        environment = Environment(name=DEMO_ENVIRONMENT_NAME, api_url=DemoAllegro.API_URL,
                                  auth_url=DemoAllegro.AUTH_URL)
        tokens = StaticToken(DemoAllegro.DEMO_TOKEN)
        login = fake.data.seller_login
    else:
        static = StaticToken.from_env()
        stored = store.connected_account(excluding_environment=DEMO_ENVIRONMENT_NAME)
        environment = custom_from_env() or (_account_environment(stored) if stored else None) \
            or chosen_environment(load_settings(paths.settings_file))
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
                # Without a keyring a restart loses everything; a secret still in memory means this session
                # signed out.
                need = SignInNeed.NO_KEYRING if credentials.memory_only and not secret else SignInNeed.SIGNED_OUT
                return NoAccount(paths=paths, store=store, environment=environment, account_id=stored.id,
                                 credentials=credentials, need=need, login=stored.login,
                                 client_id=stored.client_id)
            tokens = session
            account_id = stored.id
            login = stored.login
        else:
            log.info("no Allegro account is connected")
            return NoAccount(paths=paths, store=store, environment=environment)

    client = AllegroClient(
        environment=environment,
        tokens=tokens,
        transport=transport,
        kind_registry=StoreKindRegistry(store),
        limiter=limiter,
        language=accept_language,
        account_key=f"{environment.name}:{account_id}",
    )
    _resume_send_pacing(limiter, client.account_key, store, account_id)
    settings = load_settings(paths.settings_file)
    keeper = _leadership(location, account_id, settings) if location is not None else None
    leads = keeper.leads if keeper is not None else always_leads
    fence = keeper.fence if keeper is not None else None  # team mode: the leader's writes show its lease
    sync = _sync_engine(client, store, account_id, settings, leads, fence)
    outbox = Outbox(store=store, client=client, account_id=account_id,
                    author_login=login or store.account_login(account_id),
                    # Who wrote each reply: in team mode the person and the bench, as the other benches' cards show.
                    author=holder_name(settings) if location is not None and location.is_team
                    else person_name(settings),
                    outgoing_folder=paths.outgoing_attachments, leads=leads, fence=fence,
                    person=lambda: person_name(load_settings(paths.settings_file)))
    decisions = ClaimDecisions(store=store, client=client, account_id=account_id, leads=leads, fence=fence)
    if keeper is None:
        # Replies left "sending" by a crash are settled (never blindly resent) before anything else is sent.
        outbox.recover_interrupted()
        decisions.recover_interrupted()  # the same for claim decisions: settled by re-reading the claim
    # In team mode only the leader may: another bench's "sending" is a send in progress. A leader settles what it
    # finds at its first round under each new lease (Outbox.process): the bench that led before may have died.
    log.info("backend ready: environment %s%s%s", environment.name, " (demo)" if demo else "",
             " (team store)" if keeper is not None else "")
    return ConnectedBackend(
        paths=paths, store=store, demo=demo, account_id=account_id, environment=environment, client=client,
        sync=sync, outbox=outbox, decisions=decisions,
        orders=OrderPrefetch(client=client, store=store, account_id=account_id, leads=leads, fence=fence),
        limiter=limiter, tokens=tokens, credentials=credentials, fake_allegro=fake, leadership=keeper,
    )


def _leadership(location: StoreLocation, account_id: int, settings: Settings) -> LeadershipKeeper | None:
    """Team mode: this bench's election for the account, on the team link's connection, polled at once and then
    every two seconds."""
    if location.team is None:
        return None
    from magazyn_desktop.store.leader_election import LeaderElection

    link = location.team_link()
    election = LeaderElection(None, holder=link.holder, holder_name=link.holder_name)
    keeper = LeadershipKeeper(election, account_id, link)
    keeper.start()
    if not keeper.wait_for_first_poll(FIRST_LEADERSHIP_POLL_SECONDS):
        log.warning("no leadership poll within %s s: this bench does not lead until the store answers",
                    FIRST_LEADERSHIP_POLL_SECONDS)
    return keeper

