"""The steps every launch takes, windowed or headless, in the same words in the log.

The window's launch (`startup.py`) and the headless commands (`headless.py`) both resolve the paths, take the guard
and upgrade the schema through these functions, each step timed by `step()`. Qt-free.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from magazyn_desktop.app.settings import load_settings
from magazyn_desktop.launch_texts import launch_text
from magazyn_desktop.logsetup import configure_file
from magazyn_desktop.paths import AppPaths, DataDirError, resolve_paths

if TYPE_CHECKING:
    from magazyn_desktop.store.schema_version import MigrationResult, SchemaStatus

log = logging.getLogger("magazyn_desktop.startup")  # one logger for the launch, whichever entry point runs it

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_DATA_DIR = 2
EXIT_LOCKED = 3
EXIT_NO_DISPLAY = 4


class LaunchError(Exception):
    """A failure with a message for the user; the exit code says what kind."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@contextmanager
def step(name: str) -> Iterator[None]:
    started = time.perf_counter()
    log.info("launch step '%s' started", name)
    try:
        yield
    finally:
        log.info("launch step '%s' took %.1f ms", name, (time.perf_counter() - started) * 1000)


def prepare_paths(data_dir: str | None, language: str) -> AppPaths:
    """Resolve and create the folders, then start writing the log file there."""
    paths = resolve_paths(data_dir)
    try:
        paths.ensure()
    except DataDirError as exc:
        raise LaunchError(launch_text("data_dir_unusable", language, path=paths.data, reason=exc), EXIT_DATA_DIR) from exc
    configure_file(paths.log_file, paths.crash_log)
    return paths


def migration_error_message(exc: Exception, language: str, paths: AppPaths) -> str:
    from magazyn_desktop.store.migrate import (
        BackupError,
        DamagedDatabaseError,
        NewerDatabaseError,
        UnreadableDatabaseError,
        UpgradeFailedError,
    )

    if isinstance(exc, NewerDatabaseError):
        return launch_text("newer_database", language, stored=exc.stored, head=exc.head)
    if isinstance(exc, DamagedDatabaseError):
        return launch_text("damaged_database", language, detail=exc.detail, moved_to=exc.moved_to)
    if isinstance(exc, UnreadableDatabaseError):
        return launch_text("unreadable_database", language, path=paths.database, detail=exc.detail)
    if isinstance(exc, BackupError):
        return launch_text("backup_failed", language, detail=exc)
    if isinstance(exc, UpgradeFailedError):
        key = "upgrade_failed" if exc.restored else "create_failed"
        return launch_text(key, language, detail=exc, log=paths.log_file)
    if isinstance(exc, OSError):
        return launch_text("data_dir_unusable", language, path=paths.data, reason=exc.strerror or exc)
    return launch_text("unexpected", language, log=paths.log_file)


def lock_error_message(cause: OSError | None, reason: str, language: str, paths: AppPaths) -> str:
    """Why the data folder's lock file could not be written (the guard's LockFileError says): a full disk is said
    as such."""
    from magazyn_desktop.disk_space import disk_full_text, is_disk_full

    if cause is not None and is_disk_full(cause):
        return disk_full_text(language, paths.data)
    return launch_text("lock_not_created", language, path=paths.lock_file, reason=reason)


def migrate_once(paths: AppPaths, language: str, progress: Callable[[str, float | None], None] | None = None,
                 status: SchemaStatus | None = None) -> MigrationResult:
    """Step 4: bring the schema to head; store.migrate decides what that takes (at head: nothing, and no Alembic).
    `status` is the stored schema's, when the caller has just read it: under the guard it cannot have changed.
    Raises LaunchError with the user's message; the caller must hold the guard."""
    from magazyn_desktop.store.migrate import MigrationError, upgrade_to_head

    try:
        return upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine, progress=progress,
                               status=status)
    except (MigrationError, OSError) as exc:
        log.error("schema upgrade refused or failed: %s", exc)
        raise LaunchError(migration_error_message(exc, language, paths), EXIT_FAILED) from exc


def resolve_language(requested: str | None, paths: AppPaths | None = None) -> str:
    if requested in ("pl", "en"):
        return requested
    if paths is not None:
        return load_settings(paths.settings_file).language
    return "pl"
