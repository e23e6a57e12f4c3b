"""Upgrading the cache's schema: only when behind, after a backup, restored on failure, never over a newer file.

The caller must hold the single-instance guard: this module assumes nobody else has the database open.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from magazyn_desktop.store.db import read_only_uri
from magazyn_desktop.store.schema_version import (
    MigrationResult,
    HEAD_REVISION,
    KNOWN_REVISIONS,
    SchemaState,
    SchemaStatus,
    integrity_problem,
    read_schema_status,
)

log = logging.getLogger(__name__)

BACKUPS_KEPT = 5
BACKUP_PAGES_PER_STEP = 16384  # 64 MB a step at 4 KiB pages: few steps, still some progress
# Test hook: seconds to pause after the first migration step, so a test can kill the process mid-upgrade.
PAUSE_ENV = "MAGAZYN_TEST_MIGRATION_PAUSE"

ProgressCallback = Callable[[str, float | None], None]


class MigrationError(Exception):
    """Base of every failure that stops the app before it opens the cache."""


class NewerDatabaseError(MigrationError):
    def __init__(self, stored: str) -> None:
        super().__init__(f"the database has revision {stored}, newer than this build's {HEAD_REVISION}")
        self.stored = stored
        self.head = HEAD_REVISION


class DamagedDatabaseError(MigrationError):
    def __init__(self, detail: str, moved_to: Path | None) -> None:
        where = f"; it was moved to {moved_to}" if moved_to else ""
        super().__init__(f"the database file is damaged ({detail}){where}")
        self.detail = detail
        self.moved_to = moved_to


class UnreadableDatabaseError(MigrationError):
    """SQLite could not read the file (permissions, another program's lock, an I/O error); it was left in place."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"the database file cannot be read ({detail}); it was left as it is")
        self.detail = detail


class BackupError(MigrationError):
    """The backup before an upgrade could not be written (for example a full disk); nothing was changed."""


class UpgradeFailedError(MigrationError):
    """Alembic failed. With a backup the database was put back as it was; a new database was moved aside."""

    def __init__(self, message: str, *, restored: bool) -> None:
        super().__init__(message)
        self.restored = restored


def _utc_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def backup_database(database: Path, backups: Path, *, keep: int = BACKUPS_KEPT,
                    progress: ProgressCallback | None = None) -> Path:
    """Copy the database with SQLite's online backup API (a plain copy would miss the WAL)."""
    backups.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = backups / f"{database.stem}-{_utc_stamp()}.sqlite3"
    partial = target.with_suffix(".partial")
    try:
        source = sqlite3.connect(read_only_uri(database), uri=True)
        try:
            destination = sqlite3.connect(partial)
            try:
                def on_step(_status: int, remaining: int, total: int) -> None:
                    if progress and total:
                        progress("backup", 1.0 - remaining / total)

                source.backup(destination, pages=BACKUP_PAGES_PER_STEP, progress=on_step)
            finally:
                destination.close()
        finally:
            source.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"could not write the backup to {backups}: {exc}") from exc
    _prune_backups(backups, database.stem, keep)
    return target


def _prune_backups(backups: Path, stem: str, keep: int) -> None:
    existing = sorted(backups.glob(f"{stem}-*.sqlite3"))
    for old in existing[:-keep] if keep else existing:
        old.unlink(missing_ok=True)


def restore_backup(backup: Path, database: Path) -> None:
    """Put a backup back in place of the database (again through the backup API, so WAL state is consistent)."""
    source = sqlite3.connect(read_only_uri(backup), uri=True)
    try:
        destination = sqlite3.connect(database)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def move_aside(database: Path, quarantine: Path) -> Path:
    """Move a damaged file (and its WAL and shared-memory files) out of the way; user data is never deleted."""
    quarantine.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = quarantine / f"{database.name}.{_utc_stamp()}.damaged"
    os.replace(database, target)
    for suffix in ("-wal", "-shm"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    return target


def run_alembic_upgrade(database: Path, progress: ProgressCallback | None = None, target: str = "head") -> None:
    """Alembic itself, configured in code; `target` other than head is for tests and benchmarks."""
    # Alembic and SQLAlchemy are imported only here: the common launch (already at head) never pays for them.
    from alembic import command
    from alembic.config import Config

    from magazyn_desktop.bundle import migrations_dir
    from magazyn_desktop.store.db import create_engine_for

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    pause = float(os.environ.get(PAUSE_ENV, "0") or 0)
    applied: list[str] = []

    def on_version_apply(*, ctx: object, step: object, heads: object, run_args: object) -> None:
        revision = step.up_revision_id if getattr(step, "is_upgrade", True) else step.down_revision_ids  # type: ignore[attr-defined]
        applied.append(str(revision))
        log.info("migration applied: %s", revision)
        if progress:
            progress("migrate", len(applied) / max(1, len(KNOWN_REVISIONS)))
        if pause and len(applied) == 1:
            time.sleep(pause)

    config.attributes["on_version_apply"] = on_version_apply
    engine = create_engine_for(database)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, target)
    finally:
        engine.dispose()


def _refuse_unusable(status: SchemaStatus, database: Path, quarantine: Path) -> None:
    """Only SQLite's verdict that the content is unusable moves a file aside; a file it cannot read stays put."""
    if status.state is SchemaState.DAMAGED:
        raise DamagedDatabaseError(status.detail, move_aside(database, quarantine))
    if status.state is SchemaState.UNREADABLE:
        raise UnreadableDatabaseError(status.detail)


def upgrade_to_head(database: Path, *, backups: Path, quarantine: Path, progress: ProgressCallback | None = None,
                    status: SchemaStatus | None = None) -> MigrationResult:
    """Bring the database to head exactly once; a no-op costing one small read when it is already there (none when
    the caller passes the `status` it has just read)."""
    started = time.perf_counter()
    if status is None:
        status = read_schema_status(database)
    if status.state is SchemaState.AT_HEAD:
        return MigrationResult(status.revision, HEAD_REVISION, None, False, time.perf_counter() - started)
    if status.state is SchemaState.NEWER:
        raise NewerDatabaseError(status.revision or "?")
    _refuse_unusable(status, database, quarantine)

    backup: Path | None = None
    if status.state is SchemaState.BEHIND or (status.state is SchemaState.EMPTY and database.stat().st_size):
        problem = integrity_problem(database)
        if problem:
            _refuse_unusable(problem, database, quarantine)
        backup = backup_database(database, backups, progress=progress)
        log.info("backup written before upgrading from %s: %s", status.revision, backup.name)

    log.info("upgrading the schema from %s to %s", status.revision or "nothing", HEAD_REVISION)
    try:
        run_alembic_upgrade(database, progress)
    except Exception as exc:
        log.exception("schema upgrade failed")
        if backup is not None:
            restore_backup(backup, database)
            raise UpgradeFailedError(f"the upgrade failed and the database was restored from {backup.name}: {exc}",
                                     restored=True) from exc
        # A fresh database that failed half way holds nothing of the user's: move it aside rather than keep it.
        if database.exists():
            move_aside(database, quarantine)
        raise UpgradeFailedError(f"creating the database failed: {exc}", restored=False) from exc
    return MigrationResult(status.revision, HEAD_REVISION, backup, True, time.perf_counter() - started)
