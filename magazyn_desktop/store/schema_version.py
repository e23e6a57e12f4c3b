"""The schema revisions this build knows, and a cheap way to read the stored one.

Reading the revision uses sqlite3 only, so the common case (already at head) costs milliseconds and never
imports SQLAlchemy or Alembic. A test checks these constants against the Alembic scripts.
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from magazyn_desktop.store.db import read_only_uri

# Oldest first; the last one is head.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_initial", "0002_search_and_orders", "0003_outbox_attachments", "0004_login_prefix_search",
    "0005_outbox_sent_after",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]

SQLITE_HEADER = b"SQLite format 3\x00"


class SchemaState(enum.Enum):
    MISSING = "missing"  # no file yet: a fresh install
    EMPTY = "empty"  # a database without our tables
    BEHIND = "behind"
    AT_HEAD = "at_head"
    NEWER = "newer"  # written by a newer build: refuse, touch nothing
    DAMAGED = "damaged"  # not a SQLite file, truncated or unreadable


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None
    detail: str = ""


def read_schema_status(database: Path) -> SchemaStatus:
    if not database.exists():
        return SchemaStatus(SchemaState.MISSING, None)
    try:
        with database.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        return SchemaStatus(SchemaState.DAMAGED, None, f"cannot read the file: {exc.strerror or exc}")
    if len(header) == 0:
        return SchemaStatus(SchemaState.EMPTY, None)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return SchemaStatus(SchemaState.DAMAGED, None, "the file is not a SQLite database")
    truncated = _truncation(header, database.stat().st_size)
    if truncated:
        return SchemaStatus(SchemaState.DAMAGED, None, truncated)
    try:
        connection = sqlite3.connect(read_only_uri(database), uri=True)
    except sqlite3.Error as exc:
        return SchemaStatus(SchemaState.DAMAGED, None, str(exc))
    try:
        connection.execute("PRAGMA busy_timeout=5000")
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return SchemaStatus(SchemaState.EMPTY, None)
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        return SchemaStatus(SchemaState.DAMAGED, None, str(exc))
    finally:
        connection.close()
    if row is None:
        return SchemaStatus(SchemaState.EMPTY, None)
    revision = str(row[0])
    if revision == HEAD_REVISION:
        return SchemaStatus(SchemaState.AT_HEAD, revision)
    if revision in KNOWN_REVISIONS:
        return SchemaStatus(SchemaState.BEHIND, revision)
    return SchemaStatus(SchemaState.NEWER, revision)


def _truncation(header: bytes, file_size: int) -> str | None:
    """Compare the page count the header promises with the file's size (valid only when the header says so)."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    change_counter = header[24:28]
    page_count = int.from_bytes(header[28:32], "big")
    version_valid_for = header[92:96]
    if change_counter != version_valid_for or page_count == 0:
        return None
    if file_size < page_size * page_count:
        return f"the file is truncated ({file_size} of {page_size * page_count} bytes)"
    return None


def check_integrity(database: Path) -> str | None:
    """SQLite's quick_check over the whole file; None when it is sound, else what SQLite reported."""
    try:
        connection = sqlite3.connect(read_only_uri(database), uri=True)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows == [("ok",)]:
        return None
    return "; ".join(str(row[0]) for row in rows[:5])
