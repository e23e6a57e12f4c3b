"""The PostgreSQL server's fixtures (tests/postgres_server.py) for the team-mode tests, and a store with accounts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.postgres_server import postgres_url, scratch_url, sqlalchemy_url  # noqa: F401  (fixtures)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@pytest.fixture
def accounts_url(scratch_url: str) -> str:  # noqa: F811  (scratch_url is the fixture imported above)
    """A scratch database at head with two accounts (ids 1 and 2)."""
    from sqlalchemy import create_engine, insert
    from sqlalchemy.pool import NullPool

    from magazyn_desktop.store.models import Account
    from magazyn_desktop.store.store_address import parse_store_address
    from magazyn_desktop.store.team_schema import upgrade_team_store

    address = parse_store_address(scratch_url)
    upgrade_team_store(address)
    engine = create_engine(address.sqlalchemy_url(), poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(insert(Account), [{"id": 1, "environment": "demo", "login": "sklep"},
                                                 {"id": 2, "environment": "demo", "login": "drugi"}])
    finally:
        engine.dispose()
    return scratch_url


@pytest.fixture
def engine(accounts_url: str) -> Iterator[Engine]:
    """An unpooled SQLAlchemy engine over that database."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(sqlalchemy_url(accounts_url), poolclass=NullPool)
    yield engine
    engine.dispose()
