"""The SQLite-only statements about a connection and its file: pragmas, the integrity check, the schema catalogue.

Plain sqlite3, no SQLAlchemy: the window and the launch check use these before the database library is loaded.
"""

from __future__ import annotations

import sqlite3

BUSY_TIMEOUT_MS = 5000


def apply_pragmas(connection: sqlite3.Connection) -> None:
    """The settings of every connection that may write."""
    # WAL lets readers (the GUI) work while the single writer (sync, outbox) commits.
    connection.execute("PRAGMA journal_mode=WAL")
    set_busy_timeout(connection)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA synchronous=NORMAL")


def set_busy_timeout(connection: sqlite3.Connection) -> None:
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def make_query_only(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA query_only=ON")


def read_catalogue(connection: sqlite3.Connection) -> None:
    """Read the schema catalogue once: SQLite opens the file only at the first read, and raises there if it cannot."""
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()


def has_table(connection: sqlite3.Connection, name: str) -> bool:
    found = connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone()
    return found is not None


def quick_check(connection: sqlite3.Connection) -> str | None:
    """SQLite's quick_check over the whole file, WAL included: None when sound, else its first findings."""
    rows = connection.execute("PRAGMA quick_check").fetchall()
    if rows == [("ok",)]:
        return None
    return "; ".join(str(row[0]) for row in rows[:5])
