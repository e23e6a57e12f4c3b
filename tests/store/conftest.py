"""The store's tests run on both engines: the bench's SQLite file and a team's PostgreSQL store.

A test asking for `store` or `reader` runs once per engine; one that needs SQLite's own file (its paths, its search
index's tables) asks for `sqlite_store` instead, or is marked with `sqlite_only`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.postgres_server import postgres_url, team_database_url, truncate_team_database  # noqa: F401  (fixtures)

if TYPE_CHECKING:
    from magazyn_desktop.paths import AppPaths
    from magazyn_desktop.store.read_connection import ReadConnection
    from magazyn_desktop.store.repository import Store

# Both engines; tests of what only the SQLite cache has are marked sqlite_only.
ENGINES: tuple[str, ...] = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("engine_name", ["sqlite"] if only_sqlite else list(ENGINES))


@pytest.fixture
def engine_name() -> str:  # parametrised by pytest_generate_tests
    raise AssertionError("engine_name is parametrised")


@pytest.fixture
def team_url(engine_name: str, request: pytest.FixtureRequest) -> str | None:
    """The emptied team database for a PostgreSQL run; None for SQLite."""
    if engine_name != "postgresql":
        return None
    url: str = request.getfixturevalue("team_database_url")
    truncate_team_database(url)
    return url


@pytest.fixture
def store(engine_name: str, team_url: str | None, paths: "AppPaths") -> Iterator["Store"]:
    from magazyn_desktop.store.repository import Store
    from magazyn_desktop.store.store_address import parse_store_address

    opened = Store.open(paths.database) if team_url is None else Store.open_team(parse_store_address(team_url))
    yield opened
    opened.close()


@pytest.fixture
def reader(team_url: str | None, paths: "AppPaths") -> Iterator["ReadConnection"]:
    from magazyn_desktop.store.db import connect
    from magazyn_desktop.store.read_connection import PostgresReadConnection

    connection = connect(paths.database, read_only=True) if team_url is None else PostgresReadConnection.open(team_url)
    yield connection
    connection.close()
