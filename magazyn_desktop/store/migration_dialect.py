"""Which engine a migration runs on: the revisions serve SQLite and PostgreSQL, and only the search differs."""

from __future__ import annotations


def on_sqlite() -> bool:
    """True inside a migration running on SQLite (the single-bench cache), False on PostgreSQL (team mode)."""
    from alembic import op

    return bool(op.get_bind().dialect.name == "sqlite")
