"""Telling a full disk from other failures, and saying so in one sentence with the free space left."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

from magazyn_desktop.launch_texts import launch_text

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps: SQLAlchemy keeps the driver's error in `orig`."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        orig = getattr(current, "orig", None)
        pending.extend([current.__cause__, current.__context__, orig if isinstance(orig, BaseException) else None])
    return seen


def is_disk_full(exc: BaseException) -> bool:
    for cause in _causes(exc):
        if isinstance(cause, OSError) and cause.errno in _FULL_ERRNOS:
            return True
        code = getattr(cause, "sqlite_errorcode", None)
        if isinstance(cause, sqlite3.Error) and isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_FULL:
            return True
    return False


def free_megabytes(folder: Path) -> int:
    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path(os.sep))
    try:
        return shutil.disk_usage(existing).free // (1024 * 1024)
    except OSError:
        return 0


def disk_full_text(language: str, folder: Path) -> str:
    return launch_text("disk_full", language, path=folder, free_mb=free_megabytes(folder))


def write_problem(folder: Path) -> OSError | None:
    """Why nothing can be written in the folder (a full disk, no permission), found by writing a small file."""
    probe = folder / f".write-probe-{uuid.uuid4().hex}"
    try:
        with probe.open("xb") as handle:
            handle.write(b"\0" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        return exc
    finally:
        try:
            probe.unlink()
        except OSError:
            pass
    return None
