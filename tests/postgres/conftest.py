"""The PostgreSQL server's fixtures (tests/postgres_server.py) for the team-mode tests."""

from tests.postgres_server import postgres_url, scratch_url  # noqa: F401  (fixtures)
