"""Which bench talks to Allegro for an account, and the check a leader's write makes first (team mode).

A bench that leads an account holds a `Fence`: the account, its own holder id and the fence number of the lease it
took. A write made on the account's behalf that must not outlive the lease runs `check_fence` inside its own
transaction first, so a leader that lost its lease without knowing (a dead connection, a laptop asleep) cannot make
it after another took over. The election that hands out fences on PostgreSQL is `leader_election.LeaderElection`; a
single bench on its SQLite cache has no election: it always leads (sync/leading.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from magazyn_desktop.store.models import UtcDateTime

# The database's clock as a UTC wall time, comparable with the naive UTC columns of `account_leases`. Leases are
# timed by the database alone: the benches' clocks may disagree. clock_timestamp(), not now(): a long transaction's
# now() is the time it began.
DATABASE_UTC_NOW = "(clock_timestamp() AT TIME ZONE 'UTC')"


class LeadershipLost(Exception):
    """The lease a write was decided under is no longer this bench's: another bench leads, or it expired."""


@dataclass(frozen=True)
class Fence:
    """What a leader's write shows to prove the lease it was decided under is still the bench's own."""

    account_id: int
    holder: str
    number: int


@dataclass(frozen=True)
class LeaseView:
    """One row of `account_leases` as others see it: who leads the account, and whether that lease still holds."""

    account_id: int
    login: str | None
    holder: str
    holder_name: str
    fence: int
    renewed_at: datetime
    expires_at: datetime
    expired: bool


class AccountLeadership(Protocol):
    """What the caller's polling thread and its writers use; `fences` and `check_fence` may be called from any
    thread while `poll` runs on the polling thread."""

    @property
    def holder(self) -> str: ...

    @property
    def fences(self) -> Mapping[int, Fence]: ...

    def poll(self, account_ids: Iterable[int]) -> Mapping[int, Fence]: ...

    def check_fence(self, connection: Connection | Session, fence: Fence) -> None: ...

    def close(self) -> None: ...


_FENCE_CHECK = text(
    f"SELECT expires_at > {DATABASE_UTC_NOW} FROM account_leases"
    " WHERE account_id = :account_id AND holder = :holder AND fence = :fence"
    # FOR KEY SHARE: a takeover (SELECT ... FOR UPDATE) waits until this write transaction ends, while the
    # leader's own renewal (an UPDATE of no key column) does not.
    " FOR KEY SHARE")


def check_fence(connection: Connection | Session, fence: Fence) -> None:
    """Raises `LeadershipLost` unless the account's lease still has this holder and fence and has not expired.

    Call it inside the write's transaction, on PostgreSQL: the row stays locked against a takeover until the
    transaction ends, so the write lands before any new leader's lease."""
    current = connection.execute(_FENCE_CHECK, {"account_id": fence.account_id, "holder": fence.holder,
                                                "fence": fence.number}).scalar()
    if current is None:
        raise LeadershipLost(f"the lease of account {fence.account_id} is no longer fence {fence.number} of this "
                             "bench: another bench leads it")
    if not current:
        raise LeadershipLost(f"the lease of account {fence.account_id} (fence {fence.number}) expired")


_LEASES = text(
    "SELECT lease.account_id, account.login, lease.holder, lease.holder_name, lease.fence, lease.renewed_at,"
    f" lease.expires_at, lease.expires_at <= {DATABASE_UTC_NOW} AS expired"
    " FROM account_leases AS lease JOIN accounts AS account ON account.id = lease.account_id"
    " ORDER BY lease.account_id").columns(renewed_at=UtcDateTime(), expires_at=UtcDateTime())


def read_leases(connection: Connection | Session) -> list[LeaseView]:
    """Every account's lease, by account, with whether it expired by the database's clock (PostgreSQL: a single
    bench has no leases to show)."""
    return [LeaseView(account_id=row.account_id, login=row.login, holder=row.holder, holder_name=row.holder_name,
                      fence=row.fence, renewed_at=row.renewed_at, expires_at=row.expires_at,
                      expired=bool(row.expired))
            for row in connection.execute(_LEASES)]
