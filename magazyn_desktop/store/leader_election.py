"""Electing one bench per Allegro account to talk to Allegro, on the shared PostgreSQL store (team mode).

Each bench keeps ONE dedicated autocommit connection for the election of all its accounts. A bench leads an account
while that connection's session holds the account's advisory lock AND the account's lease row names it with the
fence it took. The lock makes sure one bench at a time takes the lease; the lease, renewed at every poll and timed
by the database's clock, is what writes check (`leadership.check_fence`), so a leader whose connection silently died
stops writing when its lease runs out, even though it cannot tell.

Takeover times with the defaults, for a caller polling every 2 s:
- the leader's process dies (SIGKILL, crash): its operating system closes the socket, the server ends the backend
  and releases the lock at once; a candidate takes over at its next poll (about 2 s).
- the network is cut or the laptop sleeps: the server's TCP keepalives (set on this connection: idle 3 s, then 3
  probes 1 s apart) end the silent backend after about 6 s, and a candidate takes over at its next poll (about 8 s).
- the backend stays (keepalives answered by something in between, a hung leader): the lease expires at most 8 s
  after the last renewal, and a candidate that sees it expired for longer than the 2 s grace ends the holder's
  backend and takes the lock: about 12 s at worst. The grace spares a leader that is merely slow to renew; it
  is not needed for safety, since the expired lease already refuses the old leader's writes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from functools import partial
from types import MappingProxyType

import psycopg
from psycopg.rows import TupleRow
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from magazyn_desktop.store.leadership import DATABASE_UTC_NOW, Fence, LeadershipLost, check_fence

log = logging.getLogger(__name__)

# The first key of every leadership lock ("MGLD"); the second is the account id. Any other advisory lock on the
# store must use another first key.
LEADERSHIP_LOCK_NAMESPACE = 0x4D474C44

DEFAULT_LEASE = timedelta(seconds=8)
DEFAULT_TAKEOVER_GRACE = timedelta(seconds=2)

# How long a candidate waits for the stale holder's backend to end after asking it to (pg_terminate_backend).
_TERMINATE_WAIT_MS = 1000

# The server ends a backend whose client went silent: keepalive probes after 3 s idle, 1 s apart, 3 of them; and
# unacknowledged data for 6 s. A poll never waits long: a lease row locked by a write in progress makes the
# takeover give up after 1 s (it retries at the next poll), and no statement runs over 5 s.
_SERVER_SETTINGS = ("-c tcp_keepalives_idle=3 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3"
                    " -c tcp_user_timeout=6000 -c lock_timeout=1000 -c statement_timeout=5000")

ElectionConnection = psycopg.Connection[TupleRow]

# What a busy moment does to one account's statement (a lock or statement timeout): that account waits for the next
# poll. Any other error, a broken connection included, ends the poll and the connection.
_BUSY = (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled)


def dedicated_connection(url: str, *, application_name: str, options: str = "") -> ElectionConnection:
    """A new autocommit connection for the election, with keepalives on both sides so that a cut network ends it
    in seconds rather than the operating system's two hours (`options`: more `-c name=value` server settings)."""
    return psycopg.connect(
        url, autocommit=True, connect_timeout=5, application_name=application_name,
        # The client side: a poll over a dead network fails within seconds instead of hanging.
        keepalives=1, keepalives_idle=3, keepalives_interval=1, keepalives_count=3, tcp_user_timeout=6000,
        options=f"{_SERVER_SETTINGS} {options}".strip())


class LeaderElection:
    """One bench's election for all its accounts, on one dedicated connection. `poll` runs on the caller's polling
    thread only; `fences` and `check_fence` may be used from any thread.

    Without `connect` the election opens no connection: the caller lends it one at each poll (`poll_with`), the
    change listener's, so that a bench keeps a single dedicated connection for both."""

    def __init__(self, connect: Callable[[], ElectionConnection] | None, *, holder: str, holder_name: str,
                 lease: timedelta = DEFAULT_LEASE, takeover_grace: timedelta = DEFAULT_TAKEOVER_GRACE) -> None:
        self._connect = connect
        self._holder = holder
        self._holder_name = holder_name
        self._lease = lease
        self._takeover_grace = takeover_grace
        self._connection: ElectionConnection | None = None
        # The advisory locks this connection's session holds, each taken exactly once: PostgreSQL counts a session
        # lock taken twice and releases it only at the second unlock.
        self._locked: set[int] = set()
        # Replaced whole, never changed in place, so readers on other threads see one poll's result or the next.
        self._fences: Mapping[int, Fence] = MappingProxyType({})

    @classmethod
    def for_url(cls, url: str, *, holder: str, holder_name: str, lease: timedelta = DEFAULT_LEASE,
                takeover_grace: timedelta = DEFAULT_TAKEOVER_GRACE) -> LeaderElection:
        """The election over dedicated connections to `url`, named after the holder in the server's activity."""
        connect = partial(dedicated_connection, url, application_name=f"magazyn-desktop leader {holder_name}")
        return cls(connect, holder=holder, holder_name=holder_name, lease=lease, takeover_grace=takeover_grace)

    @property
    def holder(self) -> str:
        return self._holder

    @property
    def fences(self) -> Mapping[int, Fence]:
        """The accounts this bench led at its last poll, with the fence of each."""
        return self._fences

    @property
    def backend_pid(self) -> int | None:
        """The server process of the election's connection, while it has one."""
        connection = self._connection
        return None if connection is None or connection.closed else connection.info.backend_pid

    def check_fence(self, connection: Connection | Session, fence: Fence) -> None:
        """`leadership.check_fence`, refusing at once a fence this bench already knows it lost."""
        if self._fences.get(fence.account_id) != fence:
            raise LeadershipLost(f"this bench no longer leads account {fence.account_id} with fence {fence.number}")
        check_fence(connection, fence)

    def poll_with(self, connection: ElectionConnection, account_ids: Iterable[int]) -> Mapping[int, Fence]:
        """`poll` on a connection the caller keeps (an autocommit one with `dedicated_connection`'s settings). A
        connection other than the last one lent is a new session: what the old one held went with it."""
        if connection is not self._connection:
            self.forget()
            self._connection = connection
        return self.poll(account_ids)

    def forget(self) -> None:
        """The lent connection is gone (closed or broken by its keeper): this bench leads nothing on it now."""
        self._connection = None
        self._locked.clear()
        self._fences = MappingProxyType({})

    def poll(self, account_ids: Iterable[int]) -> Mapping[int, Fence]:
        """Renews the leases this bench holds, tries to lead the other accounts of `account_ids`, gives up those
        it holds but no longer polls; returns the accounts it leads now, with their fences.

        A failed renewal or a broken connection loses leadership at once. The poll that finds the connection broken
        leads nothing and does not reconnect: the next one does, as a candidate like any other. Any other database
        error (a schema without `account_leases`, say) closes the connection too, then reaches the caller."""
        wanted = set(account_ids)
        connection = self._connection
        if connection is not None and connection.closed:
            log.warning("the leader election's connection was closed; leading no account until it reconnects")
            return self._drop_connection()
        if connection is None:
            if self._connect is None:
                return self._fences  # nothing lent yet
            try:
                connection = self._open()
            except psycopg.OperationalError as error:
                log.warning("the leader election cannot reach the database: %s", error)
                return self._fences
        try:
            self._fences = MappingProxyType(self._poll_on(connection, wanted))
        except psycopg.Error as error:
            broken = connection.closed or connection.broken
            # Either way the session's locks go with the connection, so what this bench holds is known: nothing.
            self._drop_connection()
            if not broken:
                raise
            log.warning("the leader election's connection broke; leading no account until it reconnects: %s", error)
        return self._fences

    def close(self) -> None:
        """Gives up every account (the lease expires now, the lock is released) and closes the connection."""
        connection = self._connection
        if connection is not None and not connection.closed:
            try:
                for account_id in sorted(self._locked):
                    self._give_up(connection, account_id, self._fences.get(account_id))
            except psycopg.Error as error:
                log.warning("the leader election could not give its accounts up before closing: %s", error)
        if self._connect is None:
            self.forget()  # the lent connection stays its keeper's
        else:
            self._drop_connection()

    def _open(self) -> ElectionConnection:
        assert self._connect is not None
        connection = self._connect()
        connection.autocommit = True  # the locks are the session's; no statement of the election waits in a transaction
        self._connection = connection
        log.info("the leader election connected (backend %s)", connection.info.backend_pid)
        return connection

    def _drop_connection(self) -> Mapping[int, Fence]:
        connection, self._connection = self._connection, None
        self._locked.clear()  # the server released the session's locks with its backend, or does so on close
        self._fences = MappingProxyType({})
        if connection is not None:
            connection.close()
        return self._fences

    def _poll_on(self, connection: ElectionConnection, wanted: set[int]) -> dict[int, Fence]:
        fences = dict(self._fences)
        for account_id in sorted(self._locked - wanted):
            self._give_up(connection, account_id, fences.pop(account_id, None))
        for account_id, fence in sorted(fences.items()):
            if not self._renew(connection, fence):
                del fences[account_id]
                log.warning("this bench lost the lease of account %s (fence %s)", account_id, fence.number)
                self._unlock(connection, account_id)
        for account_id in sorted(wanted - fences.keys()):
            if account_id not in self._locked and not self._try_lock(connection, account_id):
                continue
            taken = self._take_lease(connection, account_id)
            if taken is not None:
                fences[account_id] = taken
        return fences

    def _renew(self, connection: ElectionConnection, fence: Fence) -> bool:
        try:
            renewed = connection.execute(
                f"UPDATE account_leases SET renewed_at = {DATABASE_UTC_NOW}, expires_at = {DATABASE_UTC_NOW} + %s"
                " WHERE account_id = %s AND holder = %s AND fence = %s RETURNING fence",
                (self._lease, fence.account_id, fence.holder, fence.number)).fetchone()
        except _BUSY:
            log.warning("renewing the lease of account %s timed out", fence.account_id, exc_info=True)
            return False
        return renewed is not None

    def _try_lock(self, connection: ElectionConnection, account_id: int) -> bool:
        if self._lock_once(connection, account_id):
            return True
        if not self._end_stale_holder(connection, account_id):
            return False
        return self._lock_once(connection, account_id)

    def _lock_once(self, connection: ElectionConnection, account_id: int) -> bool:
        """pg_try_advisory_lock, only ever for an account whose lock this session does not hold (it would stack)."""
        assert account_id not in self._locked
        row = connection.execute("SELECT pg_try_advisory_lock(%s, %s)",
                                 (LEADERSHIP_LOCK_NAMESPACE, account_id)).fetchone()
        if row is None or not row[0]:
            return False
        self._locked.add(account_id)
        return True

    def _end_stale_holder(self, connection: ElectionConnection, account_id: int) -> bool:
        """Ends the backend that holds the account's lock while its lease expired longer ago than the grace: a
        leader whose connection the server still keeps (a cut network, a laptop asleep) but that stopped renewing.
        Allowed for backends of the same role. True when such a backend was there and ended in time."""
        try:
            ended = connection.execute(
                "SELECT lease.holder_name, locks.pid, pg_terminate_backend(locks.pid, %(wait)s)"
                " FROM pg_locks AS locks JOIN account_leases AS lease ON lease.account_id = %(account)s"
                " WHERE locks.locktype = 'advisory' AND locks.granted AND locks.objsubid = 2"
                " AND locks.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                " AND locks.classid::bigint = %(namespace)s AND locks.objid::bigint = %(account)s"
                f" AND lease.expires_at < {DATABASE_UTC_NOW} - %(grace)s",
                {"wait": _TERMINATE_WAIT_MS, "account": account_id, "namespace": LEADERSHIP_LOCK_NAMESPACE,
                 "grace": self._takeover_grace}).fetchall()
        except (*_BUSY, psycopg.errors.InsufficientPrivilege):
            log.warning("ending the stale leader of account %s failed", account_id, exc_info=True)
            return False
        for holder_name, pid, terminated in ended:
            log.warning("ended backend %s of %s, which held account %s with an expired lease (%s)", pid, holder_name,
                        account_id, "gone" if terminated else "still ending")
        return any(terminated for _, _, terminated in ended)

    def _take_lease(self, connection: ElectionConnection, account_id: int) -> Fence | None:
        """Makes the lease this bench's with the next fence; it holds the account's lock, so no other bench writes
        the row meanwhile. None when that failed this time (the lock is kept: the next poll tries again)."""
        try:
            with connection.transaction():
                # FOR UPDATE waits for the old leader's writes in progress (they hold the row FOR KEY SHARE).
                current = connection.execute("SELECT fence FROM account_leases WHERE account_id = %s FOR UPDATE",
                                             (account_id,)).fetchone()
                if current is None:
                    row = connection.execute(
                        "INSERT INTO account_leases (account_id, holder, holder_name, fence, renewed_at, expires_at)"
                        f" VALUES (%s, %s, %s, 1, {DATABASE_UTC_NOW}, {DATABASE_UTC_NOW} + %s) RETURNING fence",
                        (account_id, self._holder, self._holder_name, self._lease)).fetchone()
                else:
                    row = connection.execute(
                        "UPDATE account_leases SET holder = %s, holder_name = %s, fence = fence + 1,"
                        f" renewed_at = {DATABASE_UTC_NOW}, expires_at = {DATABASE_UTC_NOW} + %s"
                        " WHERE account_id = %s RETURNING fence",
                        (self._holder, self._holder_name, self._lease, account_id)).fetchone()
        except (*_BUSY, psycopg.errors.ForeignKeyViolation):  # busy, or the account was just removed
            log.warning("taking the lease of account %s failed; trying again at the next poll", account_id,
                        exc_info=True)
            return None
        assert row is not None
        log.info("this bench leads account %s (fence %s)", account_id, row[0])
        return Fence(account_id, self._holder, row[0])

    def _give_up(self, connection: ElectionConnection, account_id: int, fence: Fence | None) -> None:
        if fence is not None:
            # Expired now, so the fence refuses this bench's writes at once and the next leader need not wait.
            connection.execute(
                f"UPDATE account_leases SET expires_at = {DATABASE_UTC_NOW}"
                " WHERE account_id = %s AND holder = %s AND fence = %s",
                (account_id, fence.holder, fence.number))
            log.info("this bench gave up account %s (fence %s)", account_id, fence.number)
        self._unlock(connection, account_id)

    def _unlock(self, connection: ElectionConnection, account_id: int) -> None:
        self._locked.discard(account_id)
        row = connection.execute("SELECT pg_advisory_unlock(%s, %s)",
                                 (LEADERSHIP_LOCK_NAMESPACE, account_id)).fetchone()
        if row is None or not row[0]:
            log.warning("the lock of account %s was not held by this bench's session", account_id)
