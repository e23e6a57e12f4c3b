"""A read-only health report for admins: it opens nothing for writing and takes no lock.

The report holds facts and codes; its text form is worded wholly in one language (launch_texts.py has the words),
so nothing a lower layer wrote in English (SQLite's messages, the keyring's) is quoted in it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from magazyn_desktop import __version__
from magazyn_desktop.launch_texts import launch_text
from magazyn_desktop.paths import resolve_paths
from magazyn_desktop.store.db import open_for_inspection
from magazyn_desktop.store.schema_version import HEAD_REVISION, SchemaState, read_schema_status

log = logging.getLogger(__name__)

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
        return {"usable": bool(store.usable), "backend": store.backend_name}
    except Exception:  # the report must come out whatever the keyring does
        log.warning("doctor: the keyring could not be inspected", exc_info=True)
        return {"usable": False, "backend": None}


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


def _team_store(url: str, allow_plaintext: bool, problems: list[str], warnings: list[str]) -> dict[str, Any]:
    """The team store's part of the report; problems and warnings as codes, like the rest."""
    from magazyn_desktop.store.store_address import StoreAddressError, parse_store_address

    try:
        address = parse_store_address(url, allow_plaintext=allow_plaintext)
    except StoreAddressError as exc:
        problems.append("team_address_refused")
        return {"address": None, "reachable": False, "detail": exc.detail}
    from magazyn_desktop.allegro.credentials import CredentialStore
    from magazyn_desktop.store.team_report import read_team_report
    from magazyn_desktop.store.team_schema import TeamStoreUnreachableError, connect_plain

    password = address.password or CredentialStore().load_store_password(address.credential_key())
    try:
        connection = connect_plain(address, password)
    except TeamStoreUnreachableError as exc:
        problems.append("team_unreachable")
        return {"address": address.display(), "reachable": False, "detail": exc.detail}
    try:
        report = read_team_report(connection)
    finally:
        connection.close()
    state = report["schema"]["state"]
    if state == SchemaState.NEWER.value:
        problems.append("team_schema_newer")
    elif state in (SchemaState.BEHIND.value, SchemaState.EMPTY.value):
        warnings.append("team_schema_behind")
    if any(lease["expired"] for lease in report["leases"]):
        warnings.append("team_lease_expired")
    return {"address": address.display(), "reachable": True, **report}


def collect_report(data_dir: str | None, store: str | None = None, store_allow_plaintext: bool = False,
                   ) -> dict[str, Any]:
    """The facts, with problems and warnings as codes (PROBLEMS, WARNINGS): format_report words them.
    `store`: a team's store to report on too (else MAGAZYN_STORE_URL, else the settings)."""
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
        warnings.append("data_folder_missing")
    elif not folders["data"]["writable"]:
        problems.append("data_folder_not_writable")

    status = read_schema_status(paths.database)
    if status.state is SchemaState.NEWER:
        problems.append("database_newer")
    elif status.state is SchemaState.DAMAGED:
        problems.append("database_damaged")
    elif status.state is SchemaState.UNREADABLE:
        problems.append("database_unreadable")
    elif status.state is SchemaState.BEHIND:
        warnings.append("database_behind")

    holder, holder_role = _lock_holder(paths.lock_file)
    keyring = _keyring_state()
    if not keyring["usable"]:
        warnings.append("no_keyring")

    disk_root = paths.data if paths.data.exists() else next((p for p in paths.data.parents if p.exists()), Path("/"))
    usage = shutil.disk_usage(disk_root)
    if usage.free < LOW_DISK_BYTES:
        problems.append("low_disk")

    from magazyn_desktop.app.settings import load_settings
    from magazyn_desktop.app.store_choice import chosen_store_url

    settings = load_settings(paths.settings_file)
    team_url = chosen_store_url(store, settings)
    team = (_team_store(team_url, store_allow_plaintext or settings.store_allow_plaintext, problems, warnings)
            if team_url else None)

    return {
        "version": __version__,
        "healthy": not problems,
        "team_store": team,
        "problems": problems,
        "warnings": warnings,
        "paths": {**{name: info["path"] for name, info in folders.items()}, "database": str(paths.database)},
        "folders": folders,
        "schema": {"state": status.state.value, "stored": status.revision, "head": HEAD_REVISION},
        # SQLite's own wording of what is wrong with the file, for the admin; the text report does not quote it.
        "schema_detail": status.detail or None,
        "lock": {"held": _pid_alive(holder), "pid": holder, "role": holder_role},
        "keyring": keyring,
        "last_sync": _last_sync(paths.database) if status.state is SchemaState.AT_HEAD else None,
        "disk": {"free_bytes": usage.free, "total_bytes": usage.total},
    }


def format_report(report: dict[str, Any], language: str) -> str:
    """The report for a person, every word of it in `language` (pl or en)."""
    def say(key: str, **values: object) -> str:
        return launch_text(f"doctor_{key}", language, **values)

    schema, lock, keyring = report["schema"], report["lock"], report["keyring"]
    free_mb = report["disk"]["free_bytes"] // (1024 * 1024)
    if not lock["held"]:
        lock_text = say("lock_free")
    else:
        from magazyn_desktop.guard import MIGRATE, SYNC, WINDOW  # Qt: loaded only when someone holds the lock

        role = lock.get("role")
        lock_text = (say("lock_held_as", pid=lock["pid"], role=say(f"role_{role}")) if role in (WINDOW, SYNC, MIGRATE)
                     else say("lock_held", pid=lock["pid"]))
    backend = keyring.get("backend")
    if backend is None:
        keyring_text = say("keyring_none")
    else:
        keyring_text = backend if keyring["usable"] else say("keyring_unusable", backend=backend)
    lines = [
        f"magazyn-desktop {report['version']}",
        f"{say('status')}: {say('healthy') if report['healthy'] else say('needs_attention')}",
        f"{say('data_folder')}: {report['paths']['data']}",
        f"{say('schema')}: {_local_schema_text(schema, report.get('team_store') is not None, say)}",
        f"{say('lock')}: {lock_text}",
        f"{say('keyring')}: {keyring_text}",
        f"{say('last_sync')}: {report['last_sync'] or '-'}",
        f"{say('free_disk')}: {free_mb} MB",
    ]
    team = report.get("team_store")
    if team is not None:
        lines.extend(_team_lines(team, say))
    details = {"stored": schema["stored"] or "?", "head": schema["head"], "free_mb": free_mb}
    if team is not None:
        details.update(team_stored=(team.get("schema") or {}).get("stored") or "-", team_head=HEAD_REVISION)
    lines.extend(f"{say('problem')}: {say(code, **details)}" for code in report["problems"])
    lines.extend(f"{say('warning')}: {say(code, **details)}" for code in report["warnings"])
    return "\n".join(lines)


def _local_schema_text(schema: dict[str, Any], in_team: bool, say: Callable[..., str]) -> str:
    """The bench's own file: a bench in a team that never had one is not missing anything."""
    if in_team and schema["state"] == "missing":
        return say("state_team_only")
    return f"{schema['stored'] or '-'} / {schema['head']} ({say('state_' + schema['state'])})"


def _team_lines(team: dict[str, Any], say: Callable[..., str]) -> list[str]:
    lines = [f"{say('team_store')}: {team['address'] or '-'}"]
    if not team["reachable"]:
        return lines
    schema = team["schema"]
    lines.append(f"{say('team_schema')}: {schema['stored'] or '-'} / {schema['head']} ({say('state_' + schema['state'])})")
    for lease in team["leases"]:
        state = say("team_lease_expired_at") if lease["expired"] else say("team_lease_until")
        lines.append(f"{say('team_leader')} {lease['login'] or lease['account_id']}: {lease['holder_name']} "
                     f"({state} {lease['expires_at']}, {say('team_fence')} {lease['fence']})")
    if not team["leases"]:
        lines.append(f"{say('team_leader')}: -")
    lines.append(f"{say('team_change_log')}: {team['change_log_head'] if team['change_log_head'] is not None else '-'}")
    for bench in team.get("benches", []):
        lag = say("team_lag_unknown") if bench["lag"] is None else say("team_lag", changes=bench["lag"])
        lines.append(f"{say('team_bench')} {bench['person']} @ {bench['bench']}: {lag} "
                     f"({say('team_heartbeat_ago', seconds=bench['seconds_since_heartbeat'])})")
    connections = team["connections"]
    lines.append(f"{say('team_connections')}: {connections['total']} "
                 + ", ".join(f"{client}: {count}" for client, count in connections["by_client"].items()))
    return lines
