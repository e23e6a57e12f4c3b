"""The writer's SQL that differs between engines: upserts and the rowid.

Everything else the writer runs is dialect-neutral SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, Table, literal_column
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert


class Upsert:
    """INSERT ... ON CONFLICT (key) DO UPDATE, setting the `updated` columns to the values given with the row, in
    the SQL of the engine it runs on (SQLite's and PostgreSQL's ON CONFLICT are separate constructs).

    Never INSERT OR REPLACE: it deletes the old row and the new one gets another rowid, which the messages'
    full-text index points at.
    """

    def __init__(self, table: Table, key: Sequence[str], updated: Sequence[str]) -> None:
        self._table = table
        self._key = tuple(key)
        self._updated = tuple(updated)
        self._statements: dict[str, Insert] = {}

    def on(self, bind: Session | Connection) -> Insert:
        """The statement for the engine `bind` is connected to."""
        dialect = bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name
        statement = self._statements.get(dialect)
        if statement is None:
            statement = self._statements[dialect] = self._build(dialect)
        return statement

    def _build(self, dialect: str) -> Insert:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as postgresql_insert

            postgresql_statement = postgresql_insert(self._table)
            return postgresql_statement.on_conflict_do_update(
                index_elements=[self._table.c[name] for name in self._key],
                set_={name: postgresql_statement.excluded[name] for name in self._updated})
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        sqlite_statement = sqlite_insert(self._table)
        return sqlite_statement.on_conflict_do_update(
            index_elements=[self._table.c[name] for name in self._key],
            set_={name: sqlite_statement.excluded[name] for name in self._updated})


def upsert(table: Table, key: Sequence[str], updated: Sequence[str]) -> Upsert:
    return Upsert(table, key, updated)


def rowid(table_name: str) -> ColumnElement[int]:
    """The rowid of a table (or of an alias of it): messages' insertion order, and what SQLite's full-text index
    uses. On PostgreSQL it is a column of that name the models do not declare (revision 0018)."""
    return literal_column(f"{table_name}.rowid")
