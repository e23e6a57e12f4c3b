"""The connection the inbox's read-only queries take: a sqlite3 one over the bench's file, or a PostgreSQL one over a
team's store that speaks the same small part of sqlite3's interface (execute with `?` or `:name` parameters,
fetchone, fetchall, iteration, close), so the queries are written once.

Only the SQL that differs between the engines asks `engine_of`: the search, and planner hints SQLite needs.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy.engine import Engine

# String literals are kept as they are (a '?' or ':' inside one is text); '::' is PostgreSQL's cast.
_PLACEHOLDERS = re.compile(r"'(?:[^']|'')*'|::|:(\w+)|\?|%")


def to_psycopg_sql(sql: str) -> str:
    """sqlite3's placeholders as psycopg's: `?` as %s, `:name` as %(name)s, and a literal % doubled."""
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("'"):
            return token.replace("%", "%%")
        if token == "::":
            return token
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        return f"%({match.group(1)})s"

    return _PLACEHOLDERS.sub(replace, sql)


class PostgresReadConnection:
    """A read-only autocommit psycopg connection with sqlite3's calling conventions."""

    def __init__(self, connection: psycopg.Connection) -> None:
        self._connection = connection
        self._translated: dict[str, str] = {}

    @classmethod
    def open(cls, url: str, *, connect_timeout: int = 10) -> PostgresReadConnection:
        import psycopg

        connection = psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout,
                                     application_name="magazyn-desktop reader")
        connection.execute("SET default_transaction_read_only = on")
        return cls(connection)

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ()) -> psycopg.Cursor[Any]:
        translated = self._translated.get(sql)
        if translated is None:
            translated = self._translated[sql] = to_psycopg_sql(sql)
        return self._connection.execute(translated, parameters if parameters else None)

    def close(self) -> None:
        self._connection.close()


class FetchedRows:
    """A statement's rows, read whole before its connection went back to the pool: a cursor's reading methods."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows
        self._next = 0

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rest, self._next = self._rows[self._next:], len(self._rows)
        return rest

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.fetchall())

    def close(self) -> None:
        self._next = len(self._rows)


class PooledPostgresReader:
    """sqlite3's calling conventions over the team store's pool: each statement borrows a connection for as long as
    it runs, so a bench's reads and its writer share the pool's connection instead of keeping one each. The inbox's
    pages and counts are single statements, so nothing needs a snapshot across two of them."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._translated: dict[str, str] = {}

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ()) -> FetchedRows:
        import psycopg

        translated = self._translated.get(sql)
        if translated is None:
            translated = self._translated[sql] = to_psycopg_sql(sql)
        pooled = self._engine.raw_connection()
        try:
            driver = pooled.driver_connection
            assert isinstance(driver, psycopg.Connection)
            driver.autocommit = True  # one statement: no BEGIN before it, no ROLLBACK when it goes back
            try:
                rows = driver.execute(translated, parameters if parameters else None).fetchall()
            finally:
                if not driver.closed:
                    driver.autocommit = False
        except psycopg.OperationalError:
            pooled.invalidate()  # a dead connection is not handed to the next statement
            raise
        finally:
            pooled.close()
        return FetchedRows(rows)

    def close(self) -> None:
        """Nothing of its own to close: the pool is the team link's."""


PostgresReader: TypeAlias = "PostgresReadConnection | PooledPostgresReader"
ReadConnection: TypeAlias = "sqlite3.Connection | PostgresReadConnection | PooledPostgresReader"


def engine_of(connection: ReadConnection) -> str:
    """"postgresql" or "sqlite": which engine's SQL a query must speak on this connection."""
    return "sqlite" if isinstance(connection, sqlite3.Connection) else "postgresql"


def database_errors() -> tuple[type[Exception], ...]:
    """What a read may raise from the database rather than from a bug, for `except database_errors():` — sqlite3's
    errors, and psycopg's once a team store loaded it (the single bench never imports it)."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error,) if psycopg is None else (sqlite3.Error, psycopg.Error)
