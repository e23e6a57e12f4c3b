"""The store's fixtures over either engine, for the test folders that run store tests on both: the bench's SQLite
file and a team's PostgreSQL store (tests/postgres_server.py's session database, emptied before each test). Their
conftests import these in place of tests/conftest.py's SQLite-only `store` and `reader`.

`store` and `reader` follow `engine_name`, SQLite unless `parametrise_engines` gives a test both engines: every test
of tests/store, and elsewhere the tests marked `both_engines`. A test marked `sqlite_only` keeps SQLite alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.postgres_server import truncate_team_database

if TYPE_CHECKING:
    from magazyn_desktop.paths import AppPaths
    from magazyn_desktop.store.read_connection import ReadConnection
    from magazyn_desktop.store.repository import Store

ENGINES: tuple[str, ...] = ("sqlite", "postgresql")


def parametrise_engines(metafunc: pytest.Metafunc, *, every_test: bool) -> None:
    """Both engines for a test that takes `engine_name` (through `store` or `reader`), if `every_test` or it is
    marked `both_engines`, and it is not marked `sqlite_only`."""
    if "engine_name" not in metafunc.fixturenames:
        return
    definition = metafunc.definition
    if not (every_test or definition.get_closest_marker("both_engines") is not None):
        return
    only_sqlite = definition.get_closest_marker("sqlite_only") is not None
    metafunc.parametrize("engine_name", ["sqlite"] if only_sqlite else list(ENGINES))


@pytest.fixture
def engine_name() -> str:
    """SQLite, unless parametrise_engines gave the test both engines."""
    return "sqlite"


@pytest.fixture
def team_url(engine_name: str, request: pytest.FixtureRequest) -> str | None:
    """The emptied team database for a PostgreSQL run; None for SQLite."""
    if engine_name != "postgresql":
        return None
    url: str = request.getfixturevalue("team_database_url")
    truncate_team_database(url)
    return url


@pytest.fixture
def store(team_url: str | None, paths: "AppPaths") -> Iterator["Store"]:
    """The single writer over the test's database, closed after the test."""
    from magazyn_desktop.store.repository import Store
    from magazyn_desktop.store.store_address import parse_store_address

    opened = Store.open(paths.database) if team_url is None else Store.open_team(parse_store_address(team_url))
    yield opened
    opened.close()


@pytest.fixture
def reader(team_url: str | None, paths: "AppPaths") -> Iterator["ReadConnection"]:
    """A read-only connection to the test's database, as the window's queries use, closed after the test."""
    from magazyn_desktop.store.db import connect
    from magazyn_desktop.store.read_connection import PostgresReadConnection

    connection = connect(paths.database, read_only=True) if team_url is None else PostgresReadConnection.open(team_url)
    yield connection
    connection.close()
