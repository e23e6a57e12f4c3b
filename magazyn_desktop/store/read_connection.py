"""The connection the inbox's read-only queries take: a sqlite3 one over the bench's file, or a PostgreSQL one over a
team's store that speaks the same small part of sqlite3's interface (execute with `?` or `:name` parameters,
fetchone, fetchall, iteration, close), so the queries are written once.

Only the SQL that differs between the engines asks `engine_of`: the search, and planner hints SQLite needs.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    import psycopg

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


ReadConnection: TypeAlias = "sqlite3.Connection | PostgresReadConnection"


def engine_of(connection: ReadConnection) -> str:
    """"postgresql" or "sqlite": which engine's SQL a query must speak on this connection."""
    return "postgresql" if isinstance(connection, PostgresReadConnection) else "sqlite"


def database_errors() -> tuple[type[Exception], ...]:
    """What a read may raise from the database rather than from a bug, for `except database_errors():` — sqlite3's
    errors, and psycopg's once a team store loaded it (the single bench never imports it)."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error,) if psycopg is None else (sqlite3.Error, psycopg.Error)
