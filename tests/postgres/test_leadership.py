"""One bench per Allegro account leads: an advisory lock on each bench's one dedicated connection, and a lease row
with a fence that every write of the leader checks. These run against the real server, on the migrated schema.

Where a test waits, it waits for the database (a backend to end, a lease to expire), in a loop with a deadline."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")

from sqlalchemy import create_engine  # noqa: E402

from tests.postgres_server import sqlalchemy_url  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from magazyn_desktop.store.leader_election import (  # noqa: E402
    LEADERSHIP_LOCK_NAMESPACE,
    LeaderElection,
    dedicated_connection,
)
from magazyn_desktop.store.leadership import Fence, LeadershipLost, check_fence, read_leases  # noqa: E402

ACCOUNT = 1
OTHER_ACCOUNT = 2
ELECTION_LOGGER = "magazyn_desktop.store.leader_election"
DEADLINE_SECONDS = 5.0


@pytest.fixture
def store_url(accounts_url: str) -> str:
    """A scratch database at head with two accounts (tests/postgres/conftest.py)."""
    return accounts_url


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    """The pooled engine a bench writes through (not the election's connection)."""
    engine = create_engine(sqlalchemy_url(store_url))
    yield engine
    engine.dispose()


@pytest.fixture
def admin(store_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(store_url, autocommit=True, connect_timeout=10) as connection:
        yield connection


class RecordingConnector:
    """Opens the election's connections (in a time zone far from UTC, so a time taken from the session's zone
    shows) and keeps them, so a test can cut one and count how many are open at once."""

    def __init__(self, url: str, name: str) -> None:
        self.url = url
        self.application_name = name
        self.opened: list[psycopg.Connection] = []
        self.most_open_at_once = 0

    def __call__(self) -> psycopg.Connection:
        connection = dedicated_connection(self.url, application_name=self.application_name,
                                          options="-c TimeZone=Pacific/Kiritimati")
        self.opened.append(connection)
        self.most_open_at_once = max(self.most_open_at_once, sum(not each.closed for each in self.opened))
        return connection

    @property
    def last(self) -> psycopg.Connection:
        return self.opened[-1]


ElectionFactory = Callable[..., tuple[LeaderElection, RecordingConnector]]


@pytest.fixture
def make_election(store_url: str) -> Iterator[ElectionFactory]:
    made: list[LeaderElection] = []

    def make(name: str, lease_seconds: float = 10.0, grace_seconds: float = 2.0) -> tuple[LeaderElection,
                                                                                       RecordingConnector]:
        connector = RecordingConnector(store_url, f"magazyn-test-{name}")
        election = LeaderElection(connector, holder=uuid.uuid4().hex, holder_name=f"{name} (stanowisko)",
                                  lease=timedelta(seconds=lease_seconds),
                                  takeover_grace=timedelta(seconds=grace_seconds))
        made.append(election)
        return election, connector

    yield make
    for election in made:
        election.close()


def _wait_until_backend_ended(admin: psycopg.Connection, pid: int) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone() is not None:
        assert time.monotonic() < deadline, f"backend {pid} still there after {DEADLINE_SECONDS} s"
        time.sleep(0.05)


def _lease_row(admin: psycopg.Connection, account_id: int) -> tuple[str, str, int] | None:
    row = admin.execute("SELECT holder, holder_name, fence FROM account_leases WHERE account_id = %s",
                        (account_id,)).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def _advisory_lock_holders(admin: psycopg.Connection, account_id: int) -> list[int]:
    return [pid for pid, in admin.execute(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
        # This test's database only: other tests on the same server hold locks of their own accounts.
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid::bigint = %s AND objid::bigint = %s", (LEADERSHIP_LOCK_NAMESPACE, account_id))]


def test_of_two_elections_on_one_account_exactly_one_leads(make_election: ElectionFactory,
                                                          admin: psycopg.Connection) -> None:
    first, _ = make_election("Ania")
    second, _ = make_election("Bartek")

    assert first.poll([ACCOUNT]) == {ACCOUNT: Fence(ACCOUNT, first.holder, 1)}
    assert second.poll([ACCOUNT]) == {}
    assert first.poll([ACCOUNT]) == {ACCOUNT: Fence(ACCOUNT, first.holder, 1)}
    assert second.poll([ACCOUNT]) == {}

    assert first.fences == {ACCOUNT: Fence(ACCOUNT, first.holder, 1)}
    assert second.fences == {}
    assert _lease_row(admin, ACCOUNT) == (first.holder, "Ania (stanowisko)", 1)


def test_when_the_leaders_connection_is_closed_the_other_leads_on_its_next_poll_with_the_next_fence(
        make_election: ElectionFactory, admin: psycopg.Connection) -> None:
    first, first_connections = make_election("Ania")
    second, _ = make_election("Bartek")
    assert first.poll([ACCOUNT]) == {ACCOUNT: Fence(ACCOUNT, first.holder, 1)}
    assert second.poll([ACCOUNT]) == {}

    pid = first_connections.last.info.backend_pid
    first_connections.last.close()
    _wait_until_backend_ended(admin, pid)

    assert second.poll([ACCOUNT]) == {ACCOUNT: Fence(ACCOUNT, second.holder, 2)}
    assert first.poll([ACCOUNT]) == {}
    assert first.poll([ACCOUNT]) == {}, "the old leader reconnects as a candidate and finds the account taken"
    assert _lease_row(admin, ACCOUNT) == (second.holder, "Bartek (stanowisko)", 2)


def test_a_leader_whose_backend_was_terminated_knows_at_its_next_poll_and_its_writes_are_refused(
        make_election: ElectionFactory, admin: psycopg.Connection, engine: Engine) -> None:
    first, _ = make_election("Ania")
    second, _ = make_election("Bartek")
    old_fence = first.poll([ACCOUNT])[ACCOUNT]
    assert second.poll([ACCOUNT]) == {}
    pid = first.backend_pid
    assert pid is not None

    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    _wait_until_backend_ended(admin, pid)

    assert first.poll([ACCOUNT]) == {}
    with Session(engine) as session, session.begin():
        with pytest.raises(LeadershipLost):
            first.check_fence(session, old_fence)

    new_fence = second.poll([ACCOUNT])[ACCOUNT]
    assert new_fence == Fence(ACCOUNT, second.holder, 2)
    with engine.begin() as connection:
        with pytest.raises(LeadershipLost, match="account 1"):
            check_fence(connection, old_fence)
    with engine.begin() as connection:
        check_fence(connection, new_fence)
        second.check_fence(connection, new_fence)


def test_a_leader_that_stopped_renewing_on_an_open_connection_is_ended_once_its_lease_is_past_the_grace(
        make_election: ElectionFactory, admin: psycopg.Connection, store_url: str, engine: Engine) -> None:
    grace = 1.0
    candidate, _ = make_election("Bartek", lease_seconds=2.0, grace_seconds=grace)
    with psycopg.connect(store_url, autocommit=True, connect_timeout=10) as stale:
        stale.execute("SELECT pg_advisory_lock(%s, %s)", (LEADERSHIP_LOCK_NAMESPACE, ACCOUNT))
        stale.execute(
            "INSERT INTO account_leases (account_id, holder, holder_name, fence, renewed_at, expires_at) VALUES"
            " (%s, 'zawieszony', 'Celina (laptop)', 5, (now() AT TIME ZONE 'UTC') - interval '3 seconds',"
            " now() AT TIME ZONE 'UTC')", (ACCOUNT,))
        assert candidate.poll([ACCOUNT]) == {}, "expired for less than the grace: the holder is left alone"
        assert stale.execute("SELECT 1").fetchone() == (1,)
        with engine.begin() as connection, pytest.raises(LeadershipLost, match="expired"):
            check_fence(connection, Fence(ACCOUNT, "zawieszony", 5))

        started = time.monotonic()
        while not candidate.poll([ACCOUNT]):
            assert time.monotonic() - started < grace + 2.0, "no takeover after the grace"
            time.sleep(0.1)

        assert candidate.fences == {ACCOUNT: Fence(ACCOUNT, candidate.holder, 6)}
        assert _advisory_lock_holders(admin, ACCOUNT) == [candidate.backend_pid]
        with pytest.raises(psycopg.OperationalError):
            stale.execute("SELECT 1")


def test_an_election_holds_one_connection_for_all_its_accounts_and_replaces_a_dead_one(
        make_election: ElectionFactory, admin: psycopg.Connection) -> None:
    election, connections = make_election("Ania")
    for _ in range(3):
        assert set(election.poll([ACCOUNT, OTHER_ACCOUNT])) == {ACCOUNT, OTHER_ACCOUNT}
    assert len(connections.opened) == 1
    assert admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                         (connections.application_name,)).fetchone() == (1,)

    pid = election.backend_pid
    assert pid is not None
    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    _wait_until_backend_ended(admin, pid)
    assert election.poll([ACCOUNT, OTHER_ACCOUNT]) == {}
    assert set(election.poll([ACCOUNT, OTHER_ACCOUNT])) == {ACCOUNT, OTHER_ACCOUNT}

    assert len(connections.opened) == 2
    assert connections.most_open_at_once == 1
    assert admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                         (connections.application_name,)).fetchone() == (1,)


def test_polling_while_leading_takes_the_advisory_lock_once(make_election: ElectionFactory,
                                                             admin: psycopg.Connection) -> None:
    election, connections = make_election("Ania")
    for _ in range(3):
        assert ACCOUNT in election.poll([ACCOUNT])
    assert _advisory_lock_holders(admin, ACCOUNT) == [election.backend_pid]

    # Session advisory locks stack: had the polls taken it three times, one unlock would leave it held.
    assert connections.last.execute("SELECT pg_advisory_unlock(%s, %s)",
                                    (LEADERSHIP_LOCK_NAMESPACE, ACCOUNT)).fetchone() == (True,)
    assert _advisory_lock_holders(admin, ACCOUNT) == []


def test_an_account_left_out_of_a_poll_or_a_closed_election_is_given_up_at_once(
        make_election: ElectionFactory, admin: psycopg.Connection, engine: Engine) -> None:
    first, _ = make_election("Ania")
    second, _ = make_election("Bartek")
    fences = first.poll([ACCOUNT, OTHER_ACCOUNT])
    assert set(fences) == {ACCOUNT, OTHER_ACCOUNT}

    assert set(first.poll([OTHER_ACCOUNT])) == {OTHER_ACCOUNT}
    with engine.begin() as connection, pytest.raises(LeadershipLost):
        check_fence(connection, fences[ACCOUNT])
    assert second.poll([ACCOUNT, OTHER_ACCOUNT]) == {ACCOUNT: Fence(ACCOUNT, second.holder, 2)}

    first.close()
    assert first.fences == {}
    assert first.backend_pid is None
    assert second.poll([ACCOUNT, OTHER_ACCOUNT]) == {ACCOUNT: Fence(ACCOUNT, second.holder, 2),
                                                     OTHER_ACCOUNT: Fence(OTHER_ACCOUNT, second.holder, 2)}


def test_a_write_in_progress_under_the_fence_holds_off_a_takeover_but_not_the_leaders_renewal(
        make_election: ElectionFactory, admin: psycopg.Connection, engine: Engine) -> None:
    first, _ = make_election("Ania")
    second, _ = make_election("Bartek")
    old_fence = first.poll([ACCOUNT])[ACCOUNT]

    with Session(engine) as writing:
        writing.begin()
        first.check_fence(writing, old_fence)
        assert first.poll([ACCOUNT]) == {ACCOUNT: old_fence}, "the leader renews while its own write is open"

        pid = first.backend_pid
        assert pid is not None
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        _wait_until_backend_ended(admin, pid)
        assert second.poll([ACCOUNT]) == {}, "the lease changes hands only after the write is done"
        assert _lease_row(admin, ACCOUNT) == (first.holder, "Ania (stanowisko)", 1)
        writing.commit()

    assert second.poll([ACCOUNT]) == {ACCOUNT: Fence(ACCOUNT, second.holder, 2)}
    assert _advisory_lock_holders(admin, ACCOUNT) == [second.backend_pid]
    assert second.poll([]) == {}
    assert _advisory_lock_holders(admin, ACCOUNT) == [], "the lock kept between the polls was taken once"


def test_who_leads_reads_every_lease_with_the_databases_clock(make_election: ElectionFactory,
                                                              admin: psycopg.Connection, engine: Engine) -> None:
    election, _ = make_election("Ania")
    election.poll([ACCOUNT])
    admin.execute(
        "INSERT INTO account_leases (account_id, holder, holder_name, fence, renewed_at, expires_at) VALUES"
        " (%s, 'dawny', 'Celina (laptop)', 3, (now() AT TIME ZONE 'UTC') - interval '1 minute',"
        " (now() AT TIME ZONE 'UTC') - interval '50 seconds')", (OTHER_ACCOUNT,))

    with engine.connect() as connection:
        leases = read_leases(connection)

    assert [(lease.account_id, lease.login, lease.holder_name, lease.fence, lease.expired) for lease in leases] == [
        (ACCOUNT, "sklep", "Ania (stanowisko)", 1, False),
        (OTHER_ACCOUNT, "drugi", "Celina (laptop)", 3, True)]
    assert leases[0].expires_at.tzinfo is not None



def test_an_election_that_cannot_reach_the_server_leads_nothing_and_tries_again_at_the_next_poll(
        caplog: pytest.LogCaptureFixture) -> None:
    unreachable = LeaderElection.for_url("postgresql://postgres@127.0.0.1:1/magazyn", holder=uuid.uuid4().hex,
                                         holder_name="Ania (stanowisko)")
    assert unreachable.poll([ACCOUNT]) == {}
    assert unreachable.poll([ACCOUNT]) == {}
    assert unreachable.backend_pid is None
    assert [record.levelname for record in caplog.records if record.name == ELECTION_LOGGER] == ["WARNING"] * 2
    unreachable.close()


def test_the_election_connection_asks_the_server_to_notice_a_silent_client_within_seconds(postgres_url: str) -> None:
    with dedicated_connection(postgres_url, application_name="magazyn-test-keepalives") as connection:
        settings = dict(connection.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN ('tcp_keepalives_idle', 'tcp_keepalives_interval',"
            " 'tcp_keepalives_count', 'tcp_user_timeout', 'lock_timeout')").fetchall())
        assert connection.autocommit
    assert settings == {"tcp_keepalives_idle": "3", "tcp_keepalives_interval": "1", "tcp_keepalives_count": "3",
                        "tcp_user_timeout": "6000", "lock_timeout": "1000"}


_LEADER_PROCESS = textwrap.dedent("""
    import sys
    from magazyn_desktop.store.leader_election import LeaderElection
    election = LeaderElection.for_url(sys.argv[1], holder=sys.argv[2], holder_name="\u0141ukasz (stanowisko 3)")
    print(election.poll([1])[1].number, flush=True)
    sys.stdin.read()
""")


@pytest.mark.slow
def test_when_the_leaders_process_is_killed_another_bench_takes_over_within_seconds(
        make_election: ElectionFactory, store_url: str, admin: psycopg.Connection) -> None:
    holder = uuid.uuid4().hex
    leader = subprocess.Popen([sys.executable, "-c", _LEADER_PROCESS, store_url, holder],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert leader.stdout is not None
        assert leader.stdout.readline().strip() == "1"
        candidate, _ = make_election("Bartek")
        assert candidate.poll([ACCOUNT]) == {}
        assert _lease_row(admin, ACCOUNT) == (holder, "\u0141ukasz (stanowisko 3)", 1)
    finally:
        leader.send_signal(signal.SIGKILL)
        leader.wait()
        if leader.stdin is not None:
            leader.stdin.close()
        if leader.stdout is not None:
            leader.stdout.close()

    killed = time.monotonic()
    while not candidate.poll([ACCOUNT]):
        assert time.monotonic() - killed < DEADLINE_SECONDS, "no takeover after the leader's process was killed"
        time.sleep(0.1)
    assert candidate.fences == {ACCOUNT: Fence(ACCOUNT, candidate.holder, 2)}


def test_an_unexpected_database_error_reaches_the_caller_and_leaves_the_election_holding_nothing(
        make_election: ElectionFactory, admin: psycopg.Connection) -> None:
    election, connections = make_election("Ania")
    assert ACCOUNT in election.poll([ACCOUNT])
    admin.execute("ALTER TABLE account_leases RENAME TO account_leases_gone")

    with pytest.raises(psycopg.errors.UndefinedTable):
        election.poll([ACCOUNT])

    assert election.fences == {}
    assert connections.last.closed
    assert _advisory_lock_holders(admin, ACCOUNT) == []
