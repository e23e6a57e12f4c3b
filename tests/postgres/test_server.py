"""The server the team-mode tests use is there and has what the shared store will need: a recent PostgreSQL, UTF-8,
and the contrib extensions behind search on PostgreSQL (pg_trgm for fragments, unaccent for folding)."""

from __future__ import annotations

import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg is installed with the test extra ('.[test]')")


def test_the_server_is_recent_speaks_utf8_and_offers_trigram_and_unaccent(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, connect_timeout=10) as connection:
        assert connection.info.server_version >= 130000  # transactional DDL and advisory locks are older; 13 is a floor
        encoding = connection.execute("SHOW server_encoding").fetchone()
        assert encoding == ("UTF8",)
        available = {name for name, in connection.execute(
            "SELECT name FROM pg_available_extensions WHERE name IN ('pg_trgm', 'unaccent')")}
        assert available == {"pg_trgm", "unaccent"}


def test_a_scratch_database_can_be_made_and_dropped(postgres_url: str) -> None:
    """Each team-mode test will want an empty database of its own: the role the tests get may create them."""
    with psycopg.connect(postgres_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute("DROP DATABASE IF EXISTS magazyn_scratch")
        connection.execute("CREATE DATABASE magazyn_scratch")
        names = {name for name, in connection.execute("SELECT datname FROM pg_database")}
        connection.execute("DROP DATABASE magazyn_scratch")
    assert "magazyn_scratch" in names
