"""Opening the SQLite cache: the same pragmas for every connection, raw or through SQLAlchemy."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import sessionmaker

BUSY_TIMEOUT_MS = 5000


def read_only_uri(path: Path) -> str:
    """A URI that opens the file read-only and never creates it."""
    return f"{Path(path).absolute().as_uri()}?mode=ro"


def apply_pragmas(connection: sqlite3.Connection) -> None:
    # WAL lets readers (the GUI) work while the single writer (sync, outbox) commits.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA synchronous=NORMAL")


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection with the app's pragmas; read-only opens never create the file."""
    if read_only:
        connection = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA query_only=ON")
        return connection
    connection = sqlite3.connect(path, check_same_thread=False)
    apply_pragmas(connection)
    return connection


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

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def session_factory(engine: Engine) -> sessionmaker:
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)
