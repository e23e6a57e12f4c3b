"""The one place that says what kind of failure an exception is (domain/failures.py lists the kinds).

The client's errors carry their kind; local problems are read from what the operating system and SQLite report
(errno, SQLite's result code, with SQLite's fixed wording as a fallback for errors built without a code).
Anything else is a bug. Qt-free, and light enough to load with the window (no SQLAlchemy, no httpx): SQLAlchemy's
errors are recognised by the driver error they wrap in `orig`.
"""

from __future__ import annotations

import errno
import sqlite3
import sys
from collections.abc import Iterator

from magazyn_desktop.allegro.errors import AllegroError
from magazyn_desktop.disk_space import is_disk_full
from magazyn_desktop.domain.failures import Failure, FailureKind
from magazyn_desktop.store.db import means_damaged

_READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
_SQLITE_KINDS: dict[int, FailureKind] = {
    sqlite3.SQLITE_BUSY: FailureKind.DATABASE_LOCKED,
    sqlite3.SQLITE_LOCKED: FailureKind.DATABASE_LOCKED,
    sqlite3.SQLITE_READONLY: FailureKind.READ_ONLY,
    sqlite3.SQLITE_IOERR: FailureKind.FILE_ERROR,
    sqlite3.SQLITE_CANTOPEN: FailureKind.FILE_ERROR,
}
# SQLite's own sentences, for an error that carries no result code (one raised by hand, or by an older driver).
_SQLITE_WORDING: tuple[tuple[str, FailureKind], ...] = (
    ("database is locked", FailureKind.DATABASE_LOCKED),
    ("database table is locked", FailureKind.DATABASE_LOCKED),
    ("readonly database", FailureKind.READ_ONLY),
    ("database disk image is malformed", FailureKind.DAMAGED),
    ("file is not a database", FailureKind.DAMAGED),
    ("disk i/o error", FailureKind.FILE_ERROR),
    ("unable to open database file", FailureKind.FILE_ERROR),
)


def failure_of(error: BaseException) -> Failure:
    """What `error` means for the user; BUG when nothing says it is anything else."""
    if is_disk_full(error):
        return Failure(FailureKind.DISK_FULL)
    for cause in _wrapped(error):
        kind = _kind_of(cause)
        if kind is not None:
            message = cause.user_message if isinstance(cause, AllegroError) else None
            return Failure(kind, message.strip() if message and message.strip() else None)
    return Failure(FailureKind.BUG)


def _wrapped(error: BaseException) -> Iterator[BaseException]:
    """The error, then what it was explicitly raised from or wraps. Not `__context__`: a KeyError raised while
    handling a network error is still a bug."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and not any(current is known for known in seen):
        seen.append(current)
        yield current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__


def _kind_of(error: BaseException) -> FailureKind | None:
    if getattr(error, "connection_invalidated", False) and "psycopg" in sys.modules:
        return FailureKind.TEAM_STORE_AWAY  # SQLAlchemy found the team database's connection dropped
    if isinstance(error, AllegroError):
        return error.failure_kind
    if isinstance(error, sqlite3.Error):
        return _sqlite_kind(error)
    if _is_team_store_away(error):
        return FailureKind.TEAM_STORE_AWAY
    if isinstance(error, (ConnectionError, TimeoutError)):
        return FailureKind.OFFLINE
    if isinstance(error, OSError):
        return FailureKind.READ_ONLY if error.errno in _READ_ONLY_ERRNOS else FailureKind.FILE_ERROR
    return None


def _is_team_store_away(error: BaseException) -> bool:
    """psycopg's OperationalError: the connection to the team's database failed or broke. Looked up, not imported:
    a single bench never loads psycopg."""
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(error, psycopg.OperationalError)


def _sqlite_kind(error: sqlite3.Error) -> FailureKind | None:
    if means_damaged(error):
        return FailureKind.DAMAGED
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE_KINDS.get(code & 0xFF)
    text = str(error).lower()
    return next((kind for wording, kind in _SQLITE_WORDING if wording in text), None)
