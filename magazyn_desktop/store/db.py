"""Opening the SQLite cache: the same pragmas (sqlite_pragmas.py) for every connection, raw or through SQLAlchemy,
and on every connection that may write, the SQL functions the search index's triggers call (search_index.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from magazyn_desktop.store.search_index import register_search_functions
from magazyn_desktop.store.sqlite_pragmas import apply_pragmas, make_query_only, read_catalogue, set_busy_timeout

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import sessionmaker


def read_only_uri(path: Path) -> str:
    """A URI that opens the file read-only and never creates it."""
    return f"{Path(path).absolute().as_uri()}?mode=ro"


def _wal_has_content(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def open_for_inspection(path: Path) -> sqlite3.Connection:
    """A read-only connection that sees what the WAL holds, for checks that must never change the file.

    SQLite reads a WAL database through a shared-memory file next to it; in a folder the caller may not write
    (an admin looking at someone's data) that file cannot be made. With no WAL content there is nothing it would
    add, so the file is then read as immutable. Raises sqlite3.Error when SQLite cannot read the file.
    """
    connection = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
    try:
        set_busy_timeout(connection)
        read_catalogue(connection)
        return connection
    except sqlite3.Error as exc:
        connection.close()
        if not (is_cannot_open(exc) and not _wal_has_content(path)):
            raise
    connection = sqlite3.connect(f"{read_only_uri(path)}&immutable=1", uri=True, check_same_thread=False)
    try:
        read_catalogue(connection)
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def _primary_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_cannot_open(exc: BaseException) -> bool:
    return _primary_code(exc) == sqlite3.SQLITE_CANTOPEN


def means_damaged(exc: BaseException) -> bool:
    """SQLite's own word that the file's content is unusable, as opposed to a file it could not get at."""
    return _primary_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection with the app's pragmas; read-only opens never create the file."""
    if read_only:
        connection = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
        set_busy_timeout(connection)
        make_query_only(connection)
        return connection
    connection = sqlite3.connect(path, check_same_thread=False)
    apply_pragmas(connection)
    register_search_functions(connection)
    return connection


# The execution option a writing transaction sets on its connection (Store._write); other engines ignore it.
WRITE_OPTION = "magazyn_write"


def create_engine_for(path: Path, **kwargs: Any) -> Engine:
    """A SQLAlchemy engine over the cache file, pragmas applied to each new connection."""
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}", **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Python's sqlite3 would otherwise commit DDL on its own and begin transactions only before DML;
        # taking BEGIN over makes every SQLAlchemy transaction, schema changes included, all or nothing.
        dbapi_connection.isolation_level = None
        apply_pragmas(dbapi_connection)
        register_search_functions(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write takes the write lock when it begins, so another writer waits its busy timeout: one begun
        # deferred that reads first is refused at once ("database is locked") if the other committed meanwhile.
        writes = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def session_factory(engine: Engine) -> sessionmaker:
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)


IDS_PER_QUERY = 500  # well under SQLite's limit of bound parameters


def id_chunks(ids: Collection[str]) -> Iterator[list[str]]:
    """Ids in chunks small enough for one `IN (...)` query each, so a long list is still read by key."""
    listed = list(ids)
    for start in range(0, len(listed), IDS_PER_QUERY):
        yield listed[start:start + IDS_PER_QUERY]
