"""The store's tests run on both engines: the bench's SQLite file and a team's PostgreSQL store.

Every test asking for `store` or `reader` (tests/store_engines.py) runs once per engine; one that needs what only
SQLite has (its file, its search index's tables, its query plans) is marked with `sqlite_only`.
"""

from __future__ import annotations

import pytest

from tests.postgres_server import postgres_url, team_database_url  # noqa: F401  (fixtures)
from tests.store_engines import engine_name, parametrise_engines, reader, store, team_url  # noqa: F401  (fixtures)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrise_engines(metafunc, every_test=True)
