"""A read-only health report for admins: it opens nothing for writing and takes no lock."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from magazyn_desktop import __version__
from magazyn_desktop.paths import resolve_paths
from magazyn_desktop.store.db import open_for_inspection
from magazyn_desktop.store.schema_version import HEAD_REVISION, SchemaState, read_schema_status

LOW_DISK_BYTES = 200 * 1024 * 1024


def _lock_holder(lock_file: Path) -> tuple[int | None, str | None]:
    """The pid in the lock and, when the holder recorded it, what it is (window, sync, migrate)."""
    if not lock_file.exists():
        return None, None
    from magazyn_desktop.guard import lock_holder_pid, read_holder

    holder = read_holder(lock_file)
    return lock_holder_pid(lock_file), holder.role if holder else None


def _last_sync(database: Path) -> str | None:
    try:
        connection = open_for_inspection(database)
        try:
            row = connection.execute("SELECT MAX(last_success_at) FROM sync_cursors").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row and row[0] else None


def _keyring_state() -> dict[str, Any]:
    try:
        from magazyn_desktop.allegro.credentials import CredentialStore

        store = CredentialStore()
        return {"usable": bool(store.usable), "backend": store.backend_description()}
    except Exception as exc:  # the report must come out whatever the keyring does
        return {"usable": False, "backend": f"error: {exc}"}


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def collect_report(data_dir: str | None) -> dict[str, Any]:
    paths = resolve_paths(data_dir)
    problems: list[str] = []
    warnings: list[str] = []
    folders = {}
    for name, folder in (("data", paths.data), ("logs", paths.logs), ("backups", paths.backups),
                         ("attachments", paths.attachments)):
        exists = folder.is_dir()
        writable = exists and os.access(folder, os.W_OK | os.X_OK)
        folders[name] = {"path": str(folder), "exists": exists, "writable": writable}
    if not folders["data"]["exists"]:
        warnings.append("the data folder does not exist yet (created at the first start)")
    elif not folders["data"]["writable"]:
        problems.append("the data folder is not writable")

    status = read_schema_status(paths.database)
    if status.state is SchemaState.NEWER:
        problems.append(f"the database revision {status.revision} is newer than this build's {HEAD_REVISION}")
    elif status.state is SchemaState.DAMAGED:
        problems.append(f"the database is damaged: {status.detail}")
    elif status.state is SchemaState.UNREADABLE:
        problems.append(f"the database cannot be read: {status.detail}")
    elif status.state is SchemaState.BEHIND:
        warnings.append("the database will be upgraded at the next start")

    holder, holder_role = _lock_holder(paths.lock_file)
    keyring = _keyring_state()
    if not keyring["usable"]:
        warnings.append("no usable keyring: sign-in lasts for one session only")

    disk_root = paths.data if paths.data.exists() else next((p for p in paths.data.parents if p.exists()), Path("/"))
    usage = shutil.disk_usage(disk_root)
    if usage.free < LOW_DISK_BYTES:
        problems.append(f"only {usage.free // (1024 * 1024)} MB free on the disk")

    return {
        "version": __version__,
        "healthy": not problems,
        "problems": problems,
        "warnings": warnings,
        "paths": {**{name: info["path"] for name, info in folders.items()}, "database": str(paths.database)},
        "folders": folders,
        "schema": {"state": status.state.value, "stored": status.revision, "head": HEAD_REVISION},
        "lock": {"held": _pid_alive(holder), "pid": holder, "role": holder_role},
        "keyring": keyring,
        "last_sync": _last_sync(paths.database) if status.state is SchemaState.AT_HEAD else None,
        "disk": {"free_bytes": usage.free, "total_bytes": usage.total},
    }


def format_report(report: dict[str, Any], language: str) -> str:
    pl = language == "pl"
    lines = [f"magazyn-desktop {report['version']}"]
    lines.append(("Stan: " if pl else "Status: ") + (("zdrowy" if pl else "healthy") if report["healthy"]
                                                      else ("wymaga uwagi" if pl else "needs attention")))
    lines.append(("Folder danych: " if pl else "Data folder: ") + report["paths"]["data"])
    schema = report["schema"]
    lines.append(("Schemat: " if pl else "Schema: ") + f"{schema['stored'] or '-'} / {schema['head']} ({schema['state']})")
    lock = report["lock"]
    held_by = f"pid {lock['pid']}" + (f" ({lock['role']})" if lock.get("role") else "")
    lines.append(("Blokada: " if pl else "Lock: ") + (held_by if lock["held"] else ("wolna" if pl else "free")))
    lines.append("Keyring: " + report["keyring"]["backend"] + ("" if report["keyring"]["usable"] else " (!)"))
    lines.append(("Ostatnia synchronizacja: " if pl else "Last sync: ") + (report["last_sync"] or "-"))
    lines.append(("Wolne miejsce: " if pl else "Free disk: ") + f"{report['disk']['free_bytes'] // (1024 * 1024)} MB")
    for problem in report["problems"]:
        lines.append(("PROBLEM: " if pl else "PROBLEM: ") + problem)
    for warning in report["warnings"]:
        lines.append(("Uwaga: " if pl else "Note: ") + warning)
    return "\n".join(lines)
