"""The PostgreSQL server's fixtures (tests/postgres_server.py), for the frozen binary's team-mode checks."""

from tests.postgres_server import postgres_url, scratch_url  # noqa: F401  (fixtures)
