"""The SQLite-only parts of the writer's SQL: upserts and the rowid.

Everything else the writer runs is dialect-neutral SQLAlchemy; another engine gets its own module beside this one.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Table, literal_column
from sqlalchemy.dialects.sqlite import Insert, insert


def upsert(table: Table, key: Sequence[str], updated: Sequence[str]) -> Insert:
    """INSERT ... ON CONFLICT (key) DO UPDATE, setting the `updated` columns to the values given with the row.

    Never INSERT OR REPLACE: it deletes the old row and the new one gets another rowid, which the messages'
    full-text index points at.
    """
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in key], set_={name: statement.excluded[name] for name in updated}
    )


def rowid(table_name: str) -> ColumnElement[int]:
    """The rowid of a table (or of an alias of it): messages' insertion order, and what the full-text index uses."""
    return literal_column(f"{table_name}.rowid")
