"""What the window holds of the backend: a connected one, or the state with no usable account.

Light on purpose: the window imports these for its types and `isinstance` checks before anything has built a
backend, so the heavy parts (SQLAlchemy, httpx) are named for the type checker only.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from magazyn_desktop.allegro.auth import TokenSource
    from magazyn_desktop.allegro.client import AllegroClient
    from magazyn_desktop.allegro.credentials import CredentialStore
    from magazyn_desktop.allegro.environments import Environment
    from magazyn_desktop.allegro.ratelimit import RateLimiter
    from magazyn_desktop.app.team_leadership import LeadershipKeeper
    from magazyn_desktop.fake_allegro import DemoAllegro
    from magazyn_desktop.paths import AppPaths
    from magazyn_desktop.store.repository import Store
    from magazyn_desktop.sync.claim_decisions import ClaimDecisions
    from magazyn_desktop.sync.engine import SyncEngine
    from magazyn_desktop.sync.order_prefetch import OrderPrefetch
    from magazyn_desktop.sync.outbox import Outbox

log = logging.getLogger(__name__)


class SignInNeed(str, enum.Enum):
    """Why there is no usable sign-in: what the window tells the user, and whether the cache is shown meanwhile."""

    NEVER_CONNECTED = "never_connected"  # the first-run screen
    NO_KEYRING = "no_keyring"  # connected before, but this computer cannot keep the tokens across restarts
    SIGNED_OUT = "signed_out"  # connected before; the tokens are gone (signed out, or removed from the keyring)
    REFUSED = "refused"  # Allegro no longer takes the account's refresh token


@dataclass
class _Closing:
    """Closing once, from whichever thread gets there first (the writer at a switch, the GUI at shutdown)."""

    _closed: bool = field(default=False, repr=False, init=False)
    _close_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, init=False)

    def close(self) -> None:
        """Release the HTTP clients and the database engine; safe to call twice."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        for closer in self._closers():
            try:
                closer()
            except Exception:
                log.warning("closing part of the backend failed", exc_info=True)

    def _closers(self) -> list[Callable[[], None]]:
        raise NotImplementedError


@dataclass
class NoAccount(_Closing):
    """No usable Allegro account: the cache is readable, nothing can be synced or sent until someone signs in."""

    paths: AppPaths
    store: Store
    environment: Environment
    account_id: int | None = None  # an account whose sign-in is no longer usable
    credentials: CredentialStore | None = None
    demo: bool = False
    need: SignInNeed = SignInNeed.NEVER_CONNECTED
    login: str | None = None  # of that account, to name it; with its client id, to connect it again
    client_id: str | None = None

    def _closers(self) -> list[Callable[[], None]]:
        return [self.store.close]


@dataclass
class ConnectedBackend(_Closing):
    """An account to work for: everything that talks to Allegro and writes the cache, wired together."""

    paths: AppPaths
    store: Store
    demo: bool
    account_id: int
    environment: Environment
    client: AllegroClient
    sync: SyncEngine
    outbox: Outbox
    decisions: ClaimDecisions  # claim decisions, sent after the replies with the same exactly-once discipline
    orders: OrderPrefetch  # after each sync: the orders of linked conversations that the cache lacks
    limiter: RateLimiter
    tokens: TokenSource
    credentials: CredentialStore | None = None
    fake_allegro: DemoAllegro | None = None  # --demo: the in-process Allegro (tests and the demo change it)
    leadership: LeadershipKeeper | None = None  # team mode: whether this bench leads the account now

    def _closers(self) -> list[Callable[[], None]]:
        # The lease goes first, so another bench takes over at once rather than when it expires.
        first = [self.leadership.stop] if self.leadership is not None else []
        return [*first, self.client.close, self.tokens.close, self.store.close]


Backend = ConnectedBackend | NoAccount
