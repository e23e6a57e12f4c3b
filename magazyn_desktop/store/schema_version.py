"""The schema revisions this build knows, and a cheap way to read the stored one.

Reading the revision uses sqlite3 only, so the common case (already at head) costs milliseconds and never
imports SQLAlchemy or Alembic. A test checks these constants against the Alembic scripts.
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from magazyn_desktop.store.db import means_damaged, open_for_inspection
from magazyn_desktop.store.sqlite_pragmas import has_table, quick_check

# Oldest first; the last one is head.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_initial", "0002_search_and_orders", "0003_outbox_attachments", "0004_login_prefix_search",
    "0005_outbox_sent_after", "0006_activity_index_with_id", "0007_folded_search_index",
    "0008_sync_schedule", "0009_order_links", "0010_search_terms", "0011_marked_unread",
    "0012_draft_attachments", "0013_claim_decisions", "0014_conversation_workflow", "0015_reply_templates",
    "0016_deadlines", "0017_team_coordination", "0018_postgresql_store",
    "0019_team_work", "0020_team_away", "0021_drafts_per_person",
    "0022_presence_seen_seq",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]

class SchemaState(enum.Enum):
    MISSING = "missing"  # no file yet: a fresh install
    EMPTY = "empty"  # a database without our tables
    BEHIND = "behind"
    AT_HEAD = "at_head"
    NEWER = "newer"  # written by a newer build: refuse, touch nothing
    DAMAGED = "damaged"  # SQLite says the content is unusable: not a database, or its check found faults
    UNREADABLE = "unreadable"  # SQLite could not get at the file (permissions, locks, I/O): nothing is wrong with it


@dataclass(frozen=True)
class MigrationResult:
    """What the launch's migrate step (store.migrate.upgrade_to_head) did; at head, nothing."""

    before: str | None
    after: str
    backup: Path | None
    upgraded: bool
    seconds: float


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None
    detail: str = ""


def read_schema_status(database: Path) -> SchemaStatus:
    """The stored revision, read through SQLite with its WAL. Costs one small read unless the file looks short."""
    if not database.exists():
        return SchemaStatus(SchemaState.MISSING, None)
    try:
        with database.open("rb") as handle:
            header = handle.read(100)
        file_size = database.stat().st_size
    except OSError as exc:
        return SchemaStatus(SchemaState.UNREADABLE, None, f"cannot read the file: {exc.strerror or exc}")
    if file_size == 0:
        return SchemaStatus(SchemaState.EMPTY, None)
    try:
        connection = open_for_inspection(database)
    except sqlite3.Error as exc:
        return _failure(exc)
    try:
        if _shorter_than_its_header(header, file_size):
            # After a checkpoint cut short (a full disk) the missing pages are still in the WAL: only SQLite's
            # own check, which reads through the WAL, can tell that from a truncated file.
            problem = quick_check(connection)
            if problem:
                return SchemaStatus(SchemaState.DAMAGED, None, problem)
        if not has_table(connection, "alembic_version"):
            return SchemaStatus(SchemaState.EMPTY, None)
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        return _failure(exc)
    finally:
        connection.close()
    return status_of_revision(str(row[0]) if row is not None else None)


def status_of_revision(revision: str | None) -> SchemaStatus:
    """What a stored revision means to this build, on either engine (None: none stored, an empty database)."""
    if revision is None:
        return SchemaStatus(SchemaState.EMPTY, None)
    if revision == HEAD_REVISION:
        return SchemaStatus(SchemaState.AT_HEAD, revision)
    if revision in KNOWN_REVISIONS:
        return SchemaStatus(SchemaState.BEHIND, revision)
    return SchemaStatus(SchemaState.NEWER, revision)


def _failure(exc: sqlite3.Error) -> SchemaStatus:
    state = SchemaState.DAMAGED if means_damaged(exc) else SchemaState.UNREADABLE
    return SchemaStatus(state, None, str(exc))


def _shorter_than_its_header(header: bytes, file_size: int) -> bool:
    """The main file holds fewer pages than its header counts (the count is valid only when the header says so)."""
    if len(header) < 100:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    change_counter = header[24:28]
    page_count = int.from_bytes(header[28:32], "big")
    version_valid_for = header[92:96]
    if change_counter != version_valid_for or page_count == 0:
        return False
    return file_size < page_size * page_count


def integrity_problem(database: Path) -> SchemaStatus | None:
    """SQLite's quick_check over the whole file, WAL included; None when it is sound, else DAMAGED or UNREADABLE."""
    try:
        connection = open_for_inspection(database)
        try:
            problem = quick_check(connection)
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return _failure(exc)
    return SchemaStatus(SchemaState.DAMAGED, None, problem) if problem else None
