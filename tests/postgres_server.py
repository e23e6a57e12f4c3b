"""The PostgreSQL server the team-mode tests run against: its address comes from MAGAZYN_TEST_POSTGRES_URL (.ci/run
starts a throwaway one and sets it). Without it these tests skip and say why, unless MAGAZYN_REQUIRE_POSTGRES=1
(set by .ci/run), which makes the missing server a failure."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

URL_VARIABLE = "MAGAZYN_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "MAGAZYN_REQUIRE_POSTGRES"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get(URL_VARIABLE, "").strip()
    if url:
        return url
    reason = (f"no PostgreSQL server for the team-mode tests: set {URL_VARIABLE} to a postgresql:// address "
              "(.ci/run starts one)")
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_VARIABLE}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


_scratch_numbers = iter(range(1, 1_000_000))


@pytest.fixture
def scratch_url(postgres_url: str) -> Iterator[str]:
    """The address of an empty database of this test's own, dropped afterwards (its connections ended first)."""
    import psycopg

    name = f"magazyn_test_{os.getpid()}_{next(_scratch_numbers)}"
    with psycopg.connect(postgres_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(postgres_url, name)
    finally:
        with psycopg.connect(postgres_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_url(server_url: str, database: str) -> str:
    """`server_url` with its database replaced."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


@pytest.fixture(scope="session")
def team_database_url(postgres_url: str) -> Iterator[str]:
    """A database at head shared by this session's store tests, emptied before each (truncate_team_database).

    Each conftest importing this fixture holds one of its own (tests/store's, tests/sync's): numbered, they never
    meet."""
    import psycopg

    from magazyn_desktop.store.store_address import parse_store_address
    from magazyn_desktop.store.team_schema import upgrade_team_store

    name = f"magazyn_store_{os.getpid()}_{next(_scratch_numbers)}"
    with psycopg.connect(postgres_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = database_url(postgres_url, name)
    upgrade_team_store(parse_store_address(url))
    try:
        yield url
    finally:
        with psycopg.connect(postgres_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def truncate_team_database(url: str) -> None:
    """Every table but Alembic's emptied and its numbering restarted, as a fresh store's."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
        tables = [name for name, in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")]
        connection.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def sqlalchemy_url(url: str) -> str:
    """A postgresql:// address as SQLAlchemy takes it with the psycopg 3 driver."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


class OwnServer:
    """A throwaway PostgreSQL cluster of one test's own, which the test may stop and start again on the same port
    (the shared server must stay up for the others). Started as the `postgres` user when run as root: initdb
    refuses root."""

    def __init__(self, folder: Path, bin_folder: Path) -> None:
        import socket

        self.folder = folder
        self._bin = bin_folder
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._run("initdb", "-D", str(folder / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "server.log"), "-w", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        """Stops it the way an administrator's restart does: sessions ended, nothing waited for."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def _run(self, program: str, *arguments: str) -> None:
        import subprocess

        command = [str(self._bin / program), *arguments]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)


def _postgres_bin_folder() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name)
                   if p.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else None


@pytest.fixture
def own_postgres_server(postgres_url: str) -> Iterator[OwnServer]:
    """A server of this test's own (see OwnServer), started; stopped and removed afterwards. Needs the server's
    programs, which .ci/run installs with the shared server."""
    import shutil

    bin_folder = _postgres_bin_folder()
    if bin_folder is None:
        reason = "the PostgreSQL server's programs (initdb, pg_ctl) are not installed"
        if os.environ.get(REQUIRE_VARIABLE) == "1":
            pytest.fail(f"{REQUIRE_VARIABLE}=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    import tempfile

    # Not under pytest's temporary folder: the postgres user could not reach into root's.
    folder = Path(tempfile.mkdtemp(prefix="magazyn-test-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = OwnServer(folder, bin_folder)
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        except Exception:  # already stopped by the test
            pass
        shutil.rmtree(folder, ignore_errors=True)
